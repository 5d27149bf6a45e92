"""Turning a ``DraftContext`` into a ``Draft`` with Jinja2 templates a user can override.

Templates live in ``templates/<rule>/<channel>.j2``; a file at the same relative path in the
user's template directory wins. Rendering is strict: a name a template uses but drafts do not
provide is an error naming the file, the line and the names available, never a silent blank.

A user's template is code run on the user's behalf (on a server, by someone the operator may not
know), so it renders in ``jobnudge.drafts.sandbox``, within a budget; the package's templates
keep the plain environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jobnudge.domain.enums import Channel
from jobnudge.drafts.context import DraftContext
from jobnudge.drafts.errors import NoDraft, TemplateProblem
from jobnudge.drafts.rules import channels_for, require_channel
from jobnudge.drafts.salutation import GENERIC_ADDRESSEE, clean
from jobnudge.drafts.variables import template_variables

if TYPE_CHECKING:
    import jinja2

    from jobnudge.drafts.sandbox import DraftSandbox

PACKAGE_TEMPLATES = Path(__file__).with_name("templates")
SAMPLE_NOW = datetime(2026, 1, 6, 15, 0, tzinfo=UTC)  # any fixed moment: trying a template


@dataclass(frozen=True, slots=True)
class Draft:
    """A message ready for the user to edit, check and send."""

    rule: str
    channel: Channel
    subject: str  # "" except for email
    body: str
    to_name: str
    to_address: str  # an email address for email, a phone number for calls and texts, or ""
    template: str = ""  # the file the wording came from

    @property
    def text(self) -> str:
        """Headers ("To:", "Subject:"), a blank line, then the body: the form users edit."""
        headers = []
        if self.to_name or self.to_address:
            if self.to_address and self.channel is Channel.EMAIL:
                headers.append(f"To: {self.to_name} <{self.to_address}>")
            elif self.to_address:
                headers.append(f"To: {self.to_name} ({self.to_address})".strip())
            else:
                headers.append(f"To: {self.to_name}")
        if self.subject:
            headers.append(f"Subject: {self.subject}")
        return "\n".join(headers) + "\n\n" + self.body if headers else self.body


def template_name(rule: str, channel: Channel) -> str:
    """The relative path of the template for ``rule`` in ``channel``."""
    return f"{rule}/{channel}.j2"


_OPTIONS: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": False,
}


@lru_cache(maxsize=1)
def package_environment() -> jinja2.Environment:
    """The package's own templates: trusted, so the plain (faster) environment renders them.

    Autoescape is off because drafts are plain text, never HTML. Jinja2 is imported here, not
    at start-up, so checking alone never pays.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - plain-text messages; HTML escaping would corrupt them
        **_OPTIONS,
    )


@lru_cache(maxsize=8)
def user_environment(user_dir: Path) -> DraftSandbox:
    """The sandbox reading a user's template folder; cached per folder so templates compile
    once (and recompile when a file changes)."""
    import jinja2

    from jobnudge.drafts.sandbox import DraftSandbox

    return DraftSandbox(loader=jinja2.FileSystemLoader(str(user_dir)), **_OPTIONS)


def sandbox() -> DraftSandbox:
    """A sandbox without a loader, for trying a template's text before it is saved."""
    from jobnudge.drafts.sandbox import DraftSandbox

    return DraftSandbox(**_OPTIONS)


def _template_line(tb: TracebackType | None, filename: str | None) -> int | None:
    """The template line an error was raised on (Jinja2 maps template frames to their file)."""
    line = None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _tidy(text: str) -> str:
    """Whitespace left by empty conditionals: trailing spaces, doubled spaces, extra blank lines."""
    lines = [re.sub(r"(?<=\S) {2,}", " ", line.rstrip()) for line in text.splitlines()]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return re.sub(r"(?<=\S) +([.,;:!?])(?=\s|$)", r"\1", joined).strip()


def _split_subject(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        return first.split(":", 1)[1].strip(), rest.strip()
    return "", text


def _sentence(text: str | None) -> str:
    return (text or "").rstrip(".")


def _shown(name: str, own: bool) -> str:
    """How an error names a template: by its name in the templates folder, never by a path on
    the machine (on a server with accounts that would show the server's folders)."""
    return f"Your template {name}" if own else f"Template {name}"


def _load(env: jinja2.Environment, name: str, user_dir: Path | None) -> jinja2.Template:
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"{_shown(name, user_dir is not None)}, line {exc.lineno}: {_sentence(exc.message)}. "
            "Fix the Jinja2 syntax there, or delete the file to use the default wording."
        ) from exc
    except SecurityError as exc:  # a tag the sandbox refuses (include, extends...)
        raise TemplateProblem(
            f"{_shown(name, user_dir is not None)}, {exc}. Change that line, or "
            "delete the file to use the default wording."
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            f"No template '{name}'; it should ship with jobnudge, so reinstall it."
        ) from exc


def _render(template: jinja2.Template, variables: dict[str, object], *, sandboxed: bool) -> str:
    """The template's text; a user's template within the sandbox's budget and output limit."""
    if not sandboxed:
        return template.render(variables)
    from jobnudge.drafts.budget import MAX_TEXT, Refused, budgeted

    pieces: list[str] = []
    size = 0
    with budgeted():
        for piece in template.generate(variables):
            size += len(piece)
            if size > MAX_TEXT:
                raise Refused(f"it makes a message longer than {MAX_TEXT:,} characters")
            pieces.append(piece)
    return "".join(pieces)


def _explain(
    exc: Exception, filename: str | None, names: dict[str, object]
) -> tuple[int | None, str]:
    """The template line an error happened on and a sentence saying what to change.

    Anything a user's template raises is explained, never shown as a traceback: the sandbox's
    refusals, unknown names, and Python errors like a division by zero.
    """
    import jinja2
    from jinja2.exceptions import SecurityError

    line = _template_line(exc.__traceback__, filename)
    if isinstance(exc, SecurityError):
        reason = (
            f"is refused: {str(exc).rstrip('.')}. Templates can use the names drafts provide, "
            f"plain text filters and short loops; change {'that line' if line else 'it'}, or "
            "delete the file to use the default wording."
        )
    elif isinstance(exc, jinja2.UndefinedError):
        available = ", ".join(sorted(names))
        reason = (
            f"uses a name drafts do not provide ({exc.message}). "
            f"Names a template can use: {available}."
        )
    elif isinstance(exc, jinja2.TemplateError):
        reason = f"failed: {exc}."
    elif isinstance(exc, RecursionError | MemoryError):
        reason = "is refused: it needs more memory or nesting than a message may use."
    else:
        reason = f"failed: {exc or type(exc).__name__}. Change that line, or delete the file."
    return line, reason


def try_template(rule: str, channel: Channel, text: str) -> None:
    """Render ``text`` in the sandbox for a sample nudge of ``rule``; raise TemplateProblem
    ("line N: what to change") when it breaks a rule, so a bad template is refused on saving
    rather than when a draft is opened."""
    import jinja2
    from jinja2.exceptions import SecurityError

    from jobnudge.config import Profile

    try:
        template = sandbox().from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"line {exc.lineno}: {_sentence(exc.message)}.") from exc
    except SecurityError as exc:
        raise TemplateProblem(f"{exc}.") from exc
    sample = DraftContext(rule=rule, profile=Profile(name="Alex Sample"), now=SAMPLE_NOW)
    variables = template_variables(sample, channel)
    try:
        _render(template, variables, sandboxed=True)
    except Exception as exc:
        line, reason = _explain(exc, template.filename, variables)
        raise TemplateProblem(f"line {line or 1}: this template {reason}") from exc


def draft(
    ctx: DraftContext,
    channel: Channel | None = None,
    *,
    user_templates: Path | None = None,
) -> Draft:
    """The draft for ``ctx`` in ``channel`` (default: the nudge's channel if it has a template,
    else the rule's preferred one), using ``user_templates`` overrides when given.

    Raises ``NotAMessage`` for prompt rules, ``NoDraft`` for an unsupported channel or missing
    records, and ``TemplateProblem`` when a template cannot be rendered.
    """
    if channel is None:
        supported = channels_for(ctx.rule)
        suggested = ctx.suggested_channel
        channel = suggested if suggested in supported else (supported or (Channel.EMAIL,))[0]
    require_channel(ctx.rule, channel)
    if ctx.opportunity is None and ctx.rule != "staffing.keep-in-touch":
        raise NoDraft(f"'{ctx.rule}' drafts need the opportunity they are about; none was given.")
    name = template_name(ctx.rule, channel)
    own = user_templates is not None and (user_templates / name).is_file()
    env = user_environment(user_templates) if own and user_templates else package_environment()
    template = _load(env, name, user_templates if own else None)
    variables = template_variables(ctx, channel)
    try:
        rendered = _render(template, variables, sandboxed=own)
    except Exception as exc:
        line, reason = _explain(exc, template.filename, variables)
        where = _shown(name, own) + (f", line {line}" if line else "")
        raise TemplateProblem(f"{where} {reason}") from exc
    subject, body = _split_subject(_tidy(rendered))
    if channel is Channel.EMAIL and not subject:
        raise TemplateProblem(
            f"{_shown(name, own)} must begin with a 'Subject: ...' line for email."
        )
    contact = ctx.contact
    if contact is None:
        to_name, address = GENERIC_ADDRESSEE, ""
    else:
        to_name = clean(contact.name)
        if channel is Channel.EMAIL:
            address = contact.email.strip()
        elif channel in (Channel.CALL, Channel.VOICEMAIL, Channel.TEXT):
            address = contact.phone.strip()
        else:
            address = ""
    return Draft(
        rule=ctx.rule,
        channel=channel,
        subject=subject,
        body=body,
        to_name=to_name,
        to_address=address,
        template=template.filename or name,
    )
