"""Reading a saved or fetched web page: its encoding, its text, and the schema.org
``JobPosting`` data most job boards and applicant-tracking systems embed (JSON-LD or microdata).

The structured data is read with extruct; JSON-LD blocks are also parsed one by one, so a
single malformed block (common on real pages) loses only itself, not the posting beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from jobnudge.postings.findings import Finding

MAX_TEXT = 200_000  # characters of posting text kept; a posting is a few thousand
_BLOCK = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "hr",
]
_DROP = ("script", "style", "noscript", "template", "svg", "head", "iframe")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode(raw: bytes, declared: str | None = None) -> str:
    """A page's text from its bytes: the charset the server or the page declares, else the one
    charset-normalizer finds, else UTF-8 with replacements (never an exception)."""
    candidates = []
    if declared:
        candidates.append(declared)
    meta = _META_CHARSET.search(raw[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    for name in candidates:
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return raw.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("utf-8", "replace")


def html_text(html: str) -> str:
    """The readable text of an HTML fragment or page: blocks on their own lines, scripts and
    styles left out, runs of blank lines made one."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//" + " | //".join(_DROP)):
        bad.drop_tree()
    for el in root.iter(*_BLOCK):
        el.tail = "\n" + (el.tail or "")
        if el.tag == "li":
            el.text = "• " + (el.text or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()[:MAX_TEXT]


def _is_posting(item: Any) -> bool:
    if not isinstance(item, Mapping):
        return False
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _walk(item: Any) -> Iterator[Mapping[str, Any]]:
    """Every JobPosting inside a JSON-LD value: a list, an @graph, or nested."""
    if isinstance(item, list):
        for one in item:
            yield from _walk(one)
    elif isinstance(item, Mapping):
        if _is_posting(item):
            yield item
        elif "@graph" in item:
            yield from _walk(item["@graph"])


def _json_ld_blocks(html: str) -> tuple[list[Any], int]:
    """Each JSON-LD block parsed on its own; the count of blocks that could not be read."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return [], 0
    found, bad = [], 0
    for script in root.xpath('//script[contains(@type, "ld+json")]'):
        body = (script.text or "").strip()
        body = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", body)
        if not body:
            continue
        try:
            found.append(json.loads(body, strict=False))
        except ValueError:
            bad += 1
    return found, bad


def _microdata(html: str) -> list[Any]:
    import extruct

    try:
        data = extruct.extract(html, syntaxes=["microdata"], uniform=True, errors="ignore")
    except Exception:
        return []
    return list(data.get("microdata", []))


def postings(html: str) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The JobPosting items on a page (JSON-LD first, then microdata) and notes on what was
    skipped."""
    blocks, bad = _json_ld_blocks(html)
    items = [p for block in blocks for p in _walk(block)]
    if not items:
        items = [p for block in _microdata(html) for p in _walk(block)]
    notes = []
    if bad:
        notes.append(
            f"{bad} block{'s' if bad > 1 else ''} of posting data on the page could not be "
            "read (malformed JSON-LD); the rest was read."
        )
    return items, notes


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, Mapping):
        return _text(value.get("name") or value.get("@value") or "")
    if value is None or isinstance(value, bool):
        return ""
    return " ".join(str(value).split())


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _place(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(p for p in (_place(v) for v in value) if p)
    if not isinstance(value, Mapping):
        return _text(value)
    address = value.get("address", value)
    if not isinstance(address, Mapping):
        return _text(address)
    parts = [
        _text(address.get(k))
        for k in ("addressLocality", "addressRegion", "addressCountry")
        if address.get(k)
    ]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _amount(number: Any) -> str:
    try:
        value = float(str(number).replace(",", ""))
    except ValueError:
        return _text(number)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"


def _salary(value: Any) -> str:
    if not isinstance(value, Mapping):
        return _text(value)
    currency = _text(value.get("currency"))
    inner = value.get("value", {})
    if not isinstance(inner, Mapping):
        return " ".join(p for p in (currency, _amount(inner)) if p)
    low, high = inner.get("minValue"), inner.get("maxValue")
    single = inner.get("value")
    if low is not None and high is not None:
        amount = f"{_amount(low)}–{_amount(high)}"
    else:
        amount = _amount(single if single is not None else (low or high or ""))
    unit = _text(inner.get("unitText")).casefold()
    per = {
        "year": "a year",
        "month": "a month",
        "week": "a week",
        "day": "a day",
        "hour": "an hour",
    }
    return " ".join(p for p in (currency, amount, per.get(unit, unit)) if p)


def findings(item: Mapping[str, Any]) -> tuple[Finding, ...]:
    """What one JobPosting states, each value sourced to its schema.org field."""
    out: list[Finding] = []

    def put(field: str, value: Any, prop: str) -> None:
        if value not in (None, "", False):
            out.append(Finding(field, value, f"page data: {prop}"))

    org = item.get("hiringOrganization")
    put("title", _text(item.get("title")), "title")
    put("company", _text(org), "hiringOrganization")
    if isinstance(org, Mapping):
        put("employer_site", _text(org.get("sameAs") or org.get("url")), "hiringOrganization")
    put("location", _place(item.get("jobLocation")), "jobLocation")
    remote = _text(item.get("jobLocationType")).upper() == "TELECOMMUTE"
    put("remote", remote, "jobLocationType")
    put("date_posted", _date(item.get("datePosted")), "datePosted")
    put("closes", _date(item.get("validThrough")), "validThrough")
    put("salary", _salary(item.get("baseSalary")), "baseSalary")
    return tuple(out)


def description(item: Mapping[str, Any]) -> str:
    """The posting's description as text (it is usually HTML inside the data)."""
    raw = item.get("description")
    if not isinstance(raw, str):
        return ""
    return html_text(raw) if "<" in raw else raw.strip()[:MAX_TEXT]
