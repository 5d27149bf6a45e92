"""The commands of `nudge`, in the order `nudge --help` lists them: each with the module that
registers it and the first paragraph of its help, which is all the listing shows.

`nudge --help`, shell completion of a command name and the "No such command" error read this
table, so a run imports only the module of the command it runs (``cli/lazygroup.py``).
tests/cli/test_lazy_tree.py proves it equal to the commands the modules register.
"""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str, str], ...] = (
    # name, module in jobnudge.cli, first paragraph of the help (whitespace collapsed)
    ("today", "agenda", "Show the follow-ups overdue, due today and in the next days, with the "
        "reason for each."),
    ("done", "agenda", "Mark a follow-up done without logging the message itself."),
    ("snooze", "agenda", "Hide a follow-up until a later moment."),
    ("dismiss", "agenda", "Drop a follow-up that does not apply, saying why (kept in the "
        "history)."),
    ("add", "record", "Record an application (or a lead) and see the follow-ups it starts."),
    ("log", "record", "Record what happened; the follow-ups are re-planned at once."),
    ("tune", "record", "Override playbook numbers for one opportunity, e.g. a slower employer."),
    ("list", "listing", "List your opportunities with their stage."),
    ("show", "listing", "Show one opportunity: its timeline, its people and its next "
        "follow-ups."),
    ("draft", "drafts", "Write the message a follow-up calls for, and check it."),
    ("check", "drafts", "Check any message before it goes out: wrong company, misspelled name, "
        "too familiar, too long, pleading, no thanks, spelling, leftover placeholders."),
    ("sent", "drafts", "Record a follow-up's message as sent, with its text: the nudge is "
        "done."),
    ("demo", "admin", "Load a realistic demo search (a dozen opportunities at every stage) "
        "into an empty database."),
    ("replan", "admin", "Recompute every follow-up, e.g. after changing a playbook number in "
        "the settings."),
    ("settings", "admin", "Show where the settings file is and every playbook number with its "
        "default and why."),
    ("serve", "web", "Open jobnudge in your browser: today's follow-ups, the pipeline, drafts, "
        "the review."),
    ("remind", "remind", "Send the morning digest when it is due: the follow-ups due today, "
        "the overdue ones, tomorrow's interviews and, on review day, the weekly review. Each "
        "item goes out once per channel, however often this runs; a failed delivery is "
        "retried next run."),
    ("import", "transfer", "Import a spreadsheet of applications (CSV in any encoding, or "
        "XLSX)."),
    ("export", "transfer", "Export your search to a spreadsheet: opportunities, contacts, "
        "events (the follow-up history) and pending nudges."),
    ("report", "transfer", "Write a job-search activity report: the employers you contacted, "
        "when, how, and the outcome, as unemployment offices ask for (a printable page or "
        "CSV)."),
    ("backup", "transfer", "Write a full backup of your search (JSON, versioned); `nudge "
        "restore` reads it."),
    ("restore", "transfer", "Restore a backup into an empty database (refused when it holds a "
        "search)."),
    ("calendar", "transfer", "Write your interviews and pending follow-ups as an iCalendar "
        "file."),
    ("import-invite", "transfer", "Schedule an interview from a calendar invitation (Google "
        "Calendar, Outlook, Zoom)."),
    ("undo", "delete", "Put back something deleted in the last 30 days, with its timeline and "
        "links."),
    ("worker", "worker", "Run background jobs (re-plans, large imports, digests, mail passes) "
        "from the job queue in the PostgreSQL database; start as many as you like, on any "
        "machine."),
    ("mail", "mail", "Send approved follow-ups by email, exactly once, and notice replies "
        "(docs/mail.md)."),
    ("delete", "delete", "Delete an opportunity, a contact or an event (asks first; `nudge "
        "undo` puts it back)."),
    ("contact", "contacts", "Add, change and list the people of your search."),
    ("server-key", "serverkey", "Make and rotate the key a server with accounts keeps its "
        "users' secrets with."),
    ("deploy", "deploy", "Service files for running jobnudge on a server (docs/deploy.md)."),
    ("org", "orgs", "Run an organisation (career centre, job club): members, roles, bulk "
        "invitations."),
)  # fmt: skip

MODULES: tuple[str, ...] = (
    "agenda", "record", "listing", "drafts", "admin", "web", "mail", "remind", "transfer",
    "delete", "worker", "contacts", "serverkey", "deploy", "orgs",
)  # fmt: skip
"""Every module that registers commands (``register(app)``), in the order the whole command
line registers them: Typer lists commands before groups, each in that order."""
