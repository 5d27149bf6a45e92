"""``Company``, ``Contact`` and ``Opportunity`` for the command line's quick check, without
``dataclasses``.

The records (``domain/records.py``) are dataclasses, which other code and the tests copy with
``dataclasses.replace``; building them costs importing ``dataclasses`` and ``inspect`` and
generating every record class's methods, more than ``nudge check`` spends on its check. The quick
check (``store/fastrecords.py``, ``drafts/checks/kept.py``) reads its records as these classes
instead: the same fields in the same order with the same defaults, the same properties the
checker reads, equal and hashed by their fields (``tests/cli/test_light_records.py`` compares
them with the records). The type checker sees the records themselves, so every use is checked
against their signatures.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from jobnudge.domain.records import Company as Company
    from jobnudge.domain.records import Contact as Contact
    from jobnudge.domain.records import Opportunity as Opportunity
else:
    from jobnudge.plain import Plain, setup
    from jobnudge.typography import untitled

    _EMPTY: dict[str, object] = {}

    class Company(Plain):
        __slots__ = _fields = ("id", "name", "aliases", "domains", "is_staffing_firm")

        def __init__(self, id, name, aliases=(), domains=(), is_staffing_firm=False):
            setup(self, "id", id)
            setup(self, "name", name)
            setup(self, "aliases", aliases)
            setup(self, "domains", domains)
            setup(self, "is_staffing_firm", is_staffing_firm)

        @property
        def names(self):
            return (self.name, *self.aliases)

    class Contact(Plain):
        __slots__ = _fields = (
            "id",
            "name",
            "company_id",
            "title",
            "email",
            "phone",
            "tz",
            "country",
            "prefers",
            "first_name_ok",
            "roles",
            "salutation",
            "notes",
        )

        def __init__(
            self,
            id,
            name,
            company_id=None,
            title="",
            email="",
            phone="",
            tz=None,
            country=None,
            prefers=None,
            first_name_ok=False,
            roles=frozenset(),
            salutation="",
            notes="",
        ):
            given = locals()
            for field in self._fields:
                setup(self, field, given[field])

        @property
        def first_name(self):
            words = untitled(self.name).split()
            return words[0] if words else self.name

        @property
        def surname(self):
            parts = self.name.split()
            return parts[-1] if parts else self.name

    class Opportunity(Plain):
        __slots__ = _fields = (
            "id",
            "company_id",
            "company",
            "role",
            "posting_url",
            "source",
            "responds_within_days",
            "prefers",
            "referrer_id",
            "staffing_firm_id",
            "recruiter_id",
            "priority",
            "notes",
            "settings",
            "created_at",
            "posting_terms",
        )

        def __init__(
            self,
            id,
            company_id,
            company,
            role,
            posting_url="",
            source="",
            responds_within_days=None,
            prefers=None,
            referrer_id=None,
            staffing_firm_id=None,
            recruiter_id=None,
            priority=0,
            notes="",
            settings=None,
            created_at=None,
            posting_terms=None,
        ):
            given = locals()
            for field in self._fields:
                setup(self, field, given[field])
            if settings is None:  # a new dict each, as the record's default_factory gives
                setup(self, "settings", {})
            if posting_terms is None:
                setup(self, "posting_terms", {})

        def posting_says(self, name):
            term = self.posting_terms.get(name)
            return str(term.get("source", "")) if term else ""
