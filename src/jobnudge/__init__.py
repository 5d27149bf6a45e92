"""jobnudge: the follow-ups of a job search, due when they should be, said as they should be."""

__version__ = "0.1.0"
