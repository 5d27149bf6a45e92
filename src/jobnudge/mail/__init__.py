"""Mail: pure message building, parsing, classifying and matching, plus thin adapters to SMTP
(``smtp.py``) and IMAP (``imap.py``) on the standard library.

The pure modules (``compose``, ``parse``, ``classify``, ``match``) take and return plain records
and never touch the network, the clock or the store; the use cases live in
``jobnudge.services`` (``mail_approve``, ``mail_send``, ``mail_sent``, ``mail_outbox``,
``mail_sync``). See ``docs/mail.md``.
"""
