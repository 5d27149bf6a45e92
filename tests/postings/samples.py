"""Saved pages of the shapes job boards and applicant-tracking systems publish, written for the
tests (no real posting is copied): JSON-LD in several styles, microdata, none, malformed."""

from __future__ import annotations

import json

DESCRIPTION = (
    "<p>Acme is looking for a <strong>Senior Data Analyst</strong> to join its pricing team.</p>"
    "<ul><li>Build dashboards</li><li>Work with SQL and Python</li></ul>"
    "<p>We aim to respond to every application within two weeks.</p>"
    "<p>No phone calls, please.</p>"
)

POSTING = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Senior Data Analyst",
    "description": DESCRIPTION,
    "datePosted": "2027-01-04",
    "validThrough": "2027-02-15T23:59:59+00:00",
    "employmentType": "FULL_TIME",
    "hiringOrganization": {
        "@type": "Organization",
        "name": "Acme Inc.",
        "sameAs": "https://acme.example",
    },
    "jobLocation": {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Leeds",
            "addressRegion": "West Yorkshire",
            "addressCountry": "GB",
        },
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 45000,
            "maxValue": 55000,
            "unitText": "YEAR",
        },
    },
}


def page(head: str = "", body: str = "<h1>Careers</h1>", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Job</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def ats_plain() -> str:
    """One JobPosting object in the head, as most applicant-tracking systems write it."""
    return page(ld(POSTING), "<div id='app'></div>")


def ats_graph() -> str:
    """The posting inside an @graph beside the site's own data."""
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Jobs at Acme"},
            {**{k: v for k, v in POSTING.items() if k != "@context"}},
        ],
    }
    return page(ld(graph))


def board_list() -> str:
    """A list of items, the type itself a list, remote work, a single-value salary."""
    item = {
        **POSTING,
        "@type": ["JobPosting"],
        "jobLocationType": "TELECOMMUTE",
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {"@type": "QuantitativeValue", "value": 40, "unitText": "HOUR"},
        },
    }
    return page(ld([{"@type": "BreadcrumbList"}, item]))


def microdata() -> str:
    body = (
        '<div itemscope itemtype="https://schema.org/JobPosting">'
        '<h1 itemprop="title">Data Engineer</h1>'
        '<div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">'
        '<span itemprop="name">Globex</span></div>'
        '<meta itemprop="datePosted" content="2027-01-02">'
        '<meta itemprop="validThrough" content="2027-01-31">'
        '<div itemprop="description"><p>Only shortlisted candidates will be contacted within '
        "10 working days.</p><p>No agencies.</p></div></div>"
    )
    return page(body=body)


def malformed_then_good() -> str:
    broken = '<script type="application/ld+json">{"@type": "JobPosting", "title": </script>'
    return page(broken + ld(POSTING))


def no_data() -> str:
    return page(
        body="<h1>Warehouse Lead</h1><p>Initech is hiring a warehouse lead.</p>"
        "<p>Applications close on 28 February 2027. Contact Maria Lopez at "
        "maria.lopez@initech.example with questions.</p>"
    )


def latin1() -> bytes:
    """A page in windows-1252, declared only in its meta tag."""
    posting = {
        **POSTING,
        "hiringOrganization": {"name": "Société Générale Café"},
        "title": "Analyste données",
    }
    return page(ld(posting), charset="windows-1252").encode("cp1252")


def huge(megabytes: int = 20) -> str:
    """A page saved with its pictures inlined: megabytes of data around a small posting."""
    filler = "A" * (megabytes * 1024 * 1024)
    return page(ld(POSTING), f'<img src="data:image/png;base64,{filler}"><p>Apply now.</p>')
