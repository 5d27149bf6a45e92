"""Drafts for every follow-up the playbook suggests, and the checker that reads them first.

Pure: given records (and ``now``), no database, no clock, no network; the only files read are
the templates (the package's, and a user's override directory when one is passed).

    ctx = context_for(nudge, history, contacts, settings, now)
    message = draft(ctx, Channel.EMAIL, user_templates=config_dir / "templates")
    findings = check_draft(message, ctx, settings)
"""

TYPE_CHECKING = False  # not typing's: the quick check imports the checker without the rest
if TYPE_CHECKING:
    from jobnudge.drafts.checks import check, check_draft
    from jobnudge.drafts.context import DraftContext, context_for
    from jobnudge.drafts.errors import NoDraft, NotAMessage, TemplateProblem
    from jobnudge.drafts.findings import CODES, Finding, Severity
    from jobnudge.drafts.render import Draft, draft, template_name
    from jobnudge.drafts.rules import MESSAGE_CHANNELS, PROMPT_RULES, channels_for
    from jobnudge.drafts.salutation import greeting

_WHERE = {
    "CODES": "jobnudge.drafts.findings",
    "Draft": "jobnudge.drafts.render",
    "DraftContext": "jobnudge.drafts.context",
    "Finding": "jobnudge.drafts.findings",
    "MESSAGE_CHANNELS": "jobnudge.drafts.rules",
    "NoDraft": "jobnudge.drafts.errors",
    "NotAMessage": "jobnudge.drafts.errors",
    "PROMPT_RULES": "jobnudge.drafts.rules",
    "Severity": "jobnudge.drafts.findings",
    "TemplateProblem": "jobnudge.drafts.errors",
    "channels_for": "jobnudge.drafts.rules",
    "check": "jobnudge.drafts.checks",
    "check_draft": "jobnudge.drafts.checks",
    "context_for": "jobnudge.drafts.context",
    "draft": "jobnudge.drafts.render",
    "greeting": "jobnudge.drafts.salutation",
    "template_name": "jobnudge.drafts.render",
}
"""Each name this package offers and the module that holds it: imported on first use, so that
importing one module of the package (the checker) does not import them all."""


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'jobnudge.drafts' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
