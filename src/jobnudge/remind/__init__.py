"""The morning digest: when it goes out (``schedule``), what it says (``digest``), the channels
that carry it (``channels``), where Apprise URLs come from (``secrets``) and the operating
system timers that run ``nudge remind`` without a server (``timers``). Pure logic apart from
the adapters; the use case is ``services/reminding.py``."""
