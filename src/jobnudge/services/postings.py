"""Use cases for postings: read one from an address, a file or pasted text; turn what the user
confirmed into what is saved; and look for the same job among those already tracked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobnudge.domain import Opportunity, Stage
from jobnudge.errors import UsageError
from jobnudge.postings.findings import Finding, Reading

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx

TERMS = ("responds_within", "wait_until", "shortlist_only", "no_calls", "prefers")
"""The findings the playbook acts on (kept on the opportunity, with their sentences)."""


def is_address(text: str) -> bool:
    return text.strip().casefold().startswith(("http://", "https://"))


def read(
    session: Session,
    source: str,
    *,
    field: str = "--posting",
    files: bool = True,
    public_only: bool = False,
) -> Reading:
    """A posting from a web address (fetched now, because the user gave it) or, on the
    command line (``files``), a saved file. The web app never reads a path: that would be a
    file on the server. ``public_only``: a server with accounts fetches public addresses only.
    """
    from jobnudge.postings import fetch, reader

    today = _today(session)
    if is_address(source):
        page = fetch.fetch(source.strip(), field=field, public_only=public_only)
        return reader.read_bytes(page.body, today, url=page.url, charset=page.charset)
    if not files:
        raise UsageError(
            f"{field}: give the posting's web address (https://...), or paste its text in the "
            "box; a saved page can be pasted as text too."
        )
    path = Path(source).expanduser()
    if not path.is_file():
        raise UsageError(
            f"{field}: '{source}' is neither a web address (https://...) nor a file; give the "
            "posting's address, a saved page, or '-' to paste its text."
        )
    return reader.read_file(path, today, field)


def read_pasted(session: Session, text: str) -> Reading:
    from jobnudge.postings import reader

    return reader.read_text(text, _today(session))


def _today(session: Session) -> date:
    from jobnudge.timeparse import local

    return local(session.now, session.tz).date()


def encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def findings_doc(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as stored (JSON-ready)."""
    return [{"field": f.field, "value": encode(f.value), "source": f.source} for f in findings]


def terms_of(findings: Iterable[Finding]) -> dict[str, dict[str, Any]]:
    """The playbook's terms among the findings, each with its sentence."""
    return {
        f.field: {"value": encode(f.value), "source": f.source}
        for f in findings
        if f.field in TERMS
    }


def duplicates(
    session: Session,
    tx: Tx,
    *,
    company: str,
    role: str,
    url: str = "",
    text: str = "",
    firm: str = "",
    location: str = "",
) -> list[tuple[Opportunity, Stage, str]]:
    """The tracked opportunities this one looks like, with the reason in words."""
    from jobnudge.postings.duplicates import Candidate, matches

    pairs = tx.opportunities(session.owner)
    texts = tx.posting_texts(session.owner)
    names = {c.id: c.name for c in tx.companies(session.owner)}
    known = []
    for opp, _stage in pairs:
        kept_url, kept_text = texts.get(opp.id, ("", ""))
        known.append(
            Candidate(
                opp.id,
                opp.company,
                opp.role,
                url=opp.posting_url or kept_url,
                text=kept_text,
                firm=names.get(opp.staffing_firm_id, "") if opp.staffing_firm_id else "",
            )
        )
    new = Candidate(None, company, role, url=url, text=text, location=location, firm=firm)
    by_id = {opp.id: (opp, stage) for opp, stage in pairs}
    return [(*by_id[m.id], m.why) for m in matches(new, known)]


def warning(found: Sequence[tuple[Opportunity, Stage, str]], tz: str) -> str:
    """The sentence that stops a second application made by mistake."""
    from jobnudge.playbook.wording import day

    opp, stage, why = found[0]
    added = f", added {day(opp.created_at, tz)}" if opp.created_at else ""
    return (
        f"You already track #{opp.id} {opp.company} — {opp.role} ({stage.value}{added}): "
        f"{why}. Log a new step with `nudge log {opp.id} ...`, or add --again to track a "
        "second application."
    )


def confirmed(reading: Reading, values: Mapping[str, str]) -> Reading:
    """The reading with the user's corrections: a field edited to blank is dropped, an edited
    value replaces the one read (its sentence stays, so the reason can still quote it)."""
    kept = []
    for finding in reading.findings:
        if finding.field not in values:
            kept.append(finding)
            continue
        text = values[finding.field].strip()
        if not text:
            continue
        kept.append(Finding(finding.field, _typed(finding, text), finding.source))
    return Reading(reading.text, tuple(kept), reading.url, reading.page, reading.notes)


def _typed(finding: Finding, text: str) -> Any:
    if isinstance(finding.value, bool):
        return text.casefold() in ("yes", "true", "on", "1")
    if isinstance(finding.value, int):
        from jobnudge.spans import parse_days

        return parse_days(text, field=finding.field)
    if isinstance(finding.value, date):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise UsageError(f"{finding.field}: '{text}' is not a date (YYYY-MM-DD).") from exc
    return text
