"""iCalendar (RFC 5545): the feed of interviews and follow-ups, and reading invitations.

Pure: records in, bytes out (``feed``), and bytes in, plain records out (``invites``). The
``icalendar`` library is imported only inside the functions that need it.
"""
