"""Turning a ``DraftContext`` into a ``Draft`` with Jinja2 templates a user can override.

Templates live in ``templates/<rule>/<channel>.j2``; a file at the same relative path in the
user's template directory wins. Rendering is strict: a name a template uses but drafts do not
provide is an error naming the file, the line and the names available, never a silent blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from jobnudge.domain.enums import Channel
from jobnudge.drafts.context import DraftContext
from jobnudge.drafts.errors import NoDraft, TemplateProblem
from jobnudge.drafts.rules import channels_for, require_channel
from jobnudge.drafts.salutation import GENERIC_ADDRESSEE, clean
from jobnudge.drafts.variables import template_variables

if TYPE_CHECKING:
    import jinja2

PACKAGE_TEMPLATES = Path(__file__).with_name("templates")


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


@lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment reading ``user_dir`` first, then the package's templates.

    Cached per directory so templates compile once; autoescape is off because drafts are plain
    text, never HTML. Jinja2 is imported here, not at start-up, so checking alone never pays.
    """
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - plain-text messages; HTML escaping would corrupt them
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


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
    import jinja2

    name = template_name(ctx.rule, channel)
    env = environment(user_templates)
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"Template {exc.filename or name}, line {exc.lineno}: {exc.message}. Fix the Jinja2 "
            "syntax there, or delete the file to use the default wording."
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            f"No template '{name}' in {user_templates or PACKAGE_TEMPLATES}; it should ship "
            "with jobnudge, so reinstall it."
        ) from exc
    variables = template_variables(ctx, channel)
    try:
        rendered = template.render(variables)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__, template.filename)
        where = f"{template.filename}" + (f", line {line}" if line else "")
        available = ", ".join(sorted(variables))
        raise TemplateProblem(
            f"Template {where} uses a name drafts do not provide ({exc.message}). "
            f"Names a template can use: {available}."
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"Template {template.filename} failed: {exc}.") from exc
    subject, body = _split_subject(_tidy(rendered))
    if channel is Channel.EMAIL and not subject:
        raise TemplateProblem(
            f"Template {template.filename} must begin with a 'Subject: ...' line for email."
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
