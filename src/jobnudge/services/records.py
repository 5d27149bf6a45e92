"""Recording the search: opportunities and contacts, each write one transaction that also brings
the nudges up to date. Logging events is services.event_log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jobnudge import typography
from jobnudge.domain import (
    Channel,
    Company,
    Contact,
    EventType,
    Opportunity,
    Role,
)
from jobnudge.errors import Conflict, UsageError
from jobnudge.services import nudges
from jobnudge.services.lookup import Outcome as Outcome
from jobnudge.services.lookup import contact as contact
from jobnudge.services.lookup import contact_or_new
from jobnudge.services.lookup import opportunity as opportunity
from jobnudge.timeparse import happened

if TYPE_CHECKING:
    from jobnudge.postings.findings import Reading
    from jobnudge.services.session import Session
    from jobnudge.store import Tx


def add_opportunity(
    session: Session,
    company: str,
    role: str,
    *,
    applied: datetime | None = None,
    via: Channel | None = None,
    posting: str = "",
    source: str = "",
    responds_within: int | None = None,
    prefers: Channel | None = None,
    referred_by: str | None = None,
    staffing_firm: str | None = None,
    recruiter: str | None = None,
    contacts: Sequence[str] = (),
    priority: int = 0,
    notes: str = "",
    again: bool = False,
    reading: Reading | None = None,
) -> Outcome:
    """Track an opportunity; with ``reading`` (a posting the user confirmed) its values fill
    what was not given and the posting is kept with it."""
    from jobnudge.services import postings, validate

    if reading is not None:
        company = company or str(reading.value("company", ""))
        role = role or str(reading.value("title", ""))
        posting = posting or reading.url
        said = reading.value("responds_within")
        if responds_within is None and isinstance(said, int):
            responds_within = said
        if prefers is None and reading.value("prefers"):
            prefers = validate.channel(str(reading.value("prefers")), "prefers")
        name = reading.value("contact_name")
        if name and not any(typography.same_person(c, str(name)) for c in contacts):
            contacts = [*contacts, str(name)]
    if not company:
        raise UsageError(
            "COMPANY: the posting does not name the employer; give it: "
            'nudge add "Company" "Role" --posting ...'
        )
    if not role:
        raise UsageError(
            'ROLE: the posting does not name the role; give it: nudge add "Company" "Role" ...'
        )
    company = validate.name(company, "COMPANY")
    role = validate.name(role, "ROLE")
    if applied is not None:
        happened(applied, field="--applied", now=session.now, tz=session.tz)
    if recruiter and not staffing_firm:
        staffing_firm = None  # a recruiter at the employer itself
    out = Outcome()
    with session.store.transaction() as tx:
        firm = tx.find_company(session.owner, company)
        if not again:
            same = postings.duplicates(
                session,
                tx,
                company=company,
                role=role,
                url=posting,
                text=reading.text if reading is not None else "",
                firm=staffing_firm or "",
                location=str(reading.value("location", "")) if reading is not None else "",
            )
            if same:
                raise Conflict(postings.warning(same, session.tz))
        employer = firm or tx.add_company(session.owner, company)
        fields: dict[str, Any] = {
            "company_id": employer.id,
            "role": role,
            "posting_url": posting,
            "source": source,
            "responds_within_days": responds_within,
            "prefers": prefers,
            "priority": priority,
            "notes": notes,
        }
        if reading is not None:
            fields["posting_terms"] = postings.terms_of(reading.findings)
        if referred_by:
            person = contact_or_new(
                session,
                tx,
                validate.name(referred_by, "--referred-by"),
                company_id=None,
                role=Role.REFERRER,
                made=out.created_contacts,
            )
            fields["referrer_id"] = person.id
        if staffing_firm:
            agency = tx.get_or_add_company(
                session.owner,
                validate.name(staffing_firm, "--staffing-firm"),
                is_staffing_firm=True,
            )
            fields["staffing_firm_id"] = agency.id
        if recruiter:
            person = _person(
                session,
                tx,
                recruiter,
                "--recruiter",
                agency if staffing_firm else employer,
                role=Role.STAFFING if staffing_firm else Role.RECRUITER,
                made=out.created_contacts,
            )
            fields["recruiter_id"] = person.id
        elif staffing_firm:
            desk = _firm_desk(session, tx, agency, out)
            fields["recruiter_id"] = desk.id
        created = tx.add_opportunity(session.owner, **fields)
        if reading is not None:
            tx.keep_posting(
                session.owner,
                created.id,
                url=reading.url or posting,
                text=reading.text,
                page=reading.page,
                findings=postings.findings_doc(reading.findings),
            )
        linked = [fields.get("referrer_id"), fields.get("recruiter_id")]
        for name in contacts:
            person = _person(
                session, tx, name, "--contact", employer, Role.RECRUITER, out.created_contacts
            )
            linked.append(person.id)
        for contact_id in linked:
            if contact_id is not None:
                tx.link_contact(session.owner, created.id, contact_id)
        if applied is not None:
            out.event = tx.add_event(
                session.owner,
                opportunity_id=created.id,
                type=EventType.APPLIED,
                at=applied,
                tz=session.tz,
                channel=via,
            )
        out.stage = nudges.refresh(session.store, tx, session.owner, created.id, session.settings)
        nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
        out.opportunity = tx.opportunity(session.owner, created.id)
    return out


def _person(
    session: Session,
    tx: Tx,
    text: str,
    where: str,
    company: Company,
    role: Role,
    made: list[Contact],
) -> Contact:
    """The person an option names: a name, or an address with or without one ("Dana Lee
    <dana@acme.com>", ``recruiter@hays.de``), read as a spreadsheet's contact cell is
    (``tabular.people``): someone with that address already, else the named contact, else a
    new one; a desk's address is the company's desk ("Hays recruiting"), not a person."""
    from jobnudge.services import validate
    from jobnudge.tabular.people import contact_name, read_person

    found = read_person(text) if "@" in text else None
    if found is None or not found.email:
        return contact_or_new(
            session, tx, validate.name(text, where), company_id=company.id, role=role, made=made
        )
    for person in tx.contacts(session.owner):
        if person.email.casefold() == found.email:
            return person
    name = validate.name(contact_name(found.name, found.email, company.name), where)
    person = contact_or_new(session, tx, name, company_id=company.id, role=role, made=made)
    if not person.email:
        person = tx.update_contact(session.owner, person.id, email=found.email)
    return person


def _firm_desk(session: Session, tx: Tx, firm: Company, out: Outcome) -> Contact:
    """Whom to reach at a staffing firm when no recruiter is named: someone already on record
    there (a staffing contact first), else the firm itself as the addressee. Follow-ups through
    a firm go to the firm (PLAYBOOK), so it must be someone the plan can address."""
    at_firm = tx.contacts(session.owner, company_id=firm.id)
    for c in at_firm:
        if Role.STAFFING in c.roles:
            return c
    if at_firm:
        return at_firm[0]
    created = tx.add_contact(
        session.owner, name=firm.name, company_id=firm.id, roles=frozenset({Role.STAFFING})
    )
    out.created_contacts.append(created)
    return created


def add_contact(
    session: Session, name: str, *, company: str | None = None, **fields: Any
) -> Outcome:
    from jobnudge.services import validate

    name = validate.name(name, "NAME")
    with session.store.transaction() as tx:
        same = [
            c for c in tx.find_contacts(session.owner, name) if typography.same_person(c.name, name)
        ]
        company_id = None
        if company:
            company_id = tx.get_or_add_company(
                session.owner, validate.name(company, "--company")
            ).id
        if any(c.company_id == company_id for c in same):
            raise Conflict(
                f"NAME: {name} is already a contact; change them with "
                f'`nudge contact edit "{name}" ...`.'
            )
        created = tx.add_contact(session.owner, name=name, company_id=company_id, **fields)
        _refresh_involving(session, tx, created)
    return Outcome(contact=created)


def edit_contact(
    session: Session, ref: str, *, company: str | None = None, **fields: Any
) -> Outcome:
    """Change a contact; the nudges of every opportunity they take part in follow."""
    with session.store.transaction() as tx:
        person = contact(session, ref, tx)
        if company:
            fields["company_id"] = tx.get_or_add_company(session.owner, company).id
        changed = tx.update_contact(session.owner, person.id, **fields)
        _refresh_involving(session, tx, changed)
    return Outcome(contact=changed)


def tune_opportunity(
    session: Session, ref: str, changes: Mapping[str, float | None]
) -> tuple[Opportunity, dict[str, float]]:
    """Override playbook numbers for one opportunity (None removes an override) and re-plan."""
    from dataclasses import replace

    from jobnudge.config import check_numbers, check_pairs
    from jobnudge.errors import ConfigError

    opp, _stage = opportunity(session, ref)
    merged = {k: float(v) for k, v in opp.settings.items()}
    try:
        merged.update(check_numbers({k: v for k, v in changes.items() if v is not None}, "SETTING"))
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
    try:  # the overrides with the user's other numbers must not contradict each other
        check_pairs(replace(session.settings.playbook, **merged), "SETTING")
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    with session.store.transaction() as tx:
        tx.update_opportunity(session.owner, opp.id, settings=merged)
        nudges.refresh(session.store, tx, session.owner, opp.id, session.settings)
        changed = tx.opportunity(session.owner, opp.id)
    return changed, merged


def _refresh_involving(session: Session, tx: Tx, person: Contact) -> None:
    """Re-plan every opportunity this person may take part in: whom to write to, their zone
    and their holidays all shape the nudges."""
    for opp, _stage in tx.opportunities(session.owner):
        involved = person.company_id in (opp.company_id, opp.staffing_firm_id) or any(
            c.id == person.id for c in tx.opportunity_contacts(session.owner, opp.id)
        )
        if involved:
            nudges.refresh(session.store, tx, session.owner, opp.id, session.settings)
    nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
