"""Drafts for every follow-up the playbook suggests, and the checker that reads them first.

Pure: given records (and ``now``), no database, no clock, no network; the only files read are
the templates (the package's, and a user's override directory when one is passed).

    ctx = context_for(nudge, history, contacts, settings, now)
    message = draft(ctx, Channel.EMAIL, user_templates=config_dir / "templates")
    findings = check_draft(message, ctx, settings)
"""

from jobnudge.drafts.checks import check, check_draft
from jobnudge.drafts.context import DraftContext, context_for
from jobnudge.drafts.errors import NoDraft, NotAMessage, TemplateProblem
from jobnudge.drafts.findings import CODES, Finding, Severity
from jobnudge.drafts.render import Draft, draft, template_name
from jobnudge.drafts.rules import MESSAGE_CHANNELS, PROMPT_RULES, channels_for
from jobnudge.drafts.salutation import greeting

__all__ = [
    "CODES",
    "MESSAGE_CHANNELS",
    "PROMPT_RULES",
    "Draft",
    "DraftContext",
    "Finding",
    "NoDraft",
    "NotAMessage",
    "Severity",
    "TemplateProblem",
    "channels_for",
    "check",
    "check_draft",
    "context_for",
    "draft",
    "greeting",
    "template_name",
]
