"""Every record type survives a trip through the database unchanged, instants included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import StatementError

from jobnudge.domain import (
    Channel,
    Company,
    Contact,
    Event,
    EventType,
    InterviewFormat,
    MessageKind,
    Nudge,
    Role,
    Stage,
)
from jobnudge.errors import Conflict, NotFound, UsageError
from jobnudge.store import Store
from jobnudge.store.tables import users

from .helpers import T0, World, nudge

DENVER = ZoneInfo("America/Denver")
KOLKATA = ZoneInfo("Asia/Kolkata")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def _is_utc(value: datetime | None) -> bool:
    return value is not None and value.tzinfo is UTC


def test_company_round_trip(store: Store, owner: int) -> None:
    with store.transaction() as tx:
        made = tx.add_company(
            owner,
            "  Initech  ",
            aliases=["Initech LLC", "initech", "Initech LLC"],
            domains=["@Initech.COM", "initech.io"],
            is_staffing_firm=True,
        )
    expected = Company(
        id=made.id,
        name="Initech",
        aliases=("Initech LLC",),
        domains=("initech.com", "initech.io"),
        is_staffing_firm=True,
    )
    assert made == expected
    assert store.company(owner, made.id) == expected
    assert store.companies(owner) == [expected]


def test_contact_round_trip(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        made = tx.add_contact(
            owner,
            name="Zoë Ångström",
            company_id=world.acme.id,
            title="Head of Data",
            email="zoe@acme.com",
            phone="+1 555 0100",
            tz="Europe/Stockholm",
            country="se",
            prefers=Channel.CALL,
            first_name_ok=True,
            roles=frozenset({Role.INTERVIEWER, Role.HR}),
            salutation="Dr.",
            notes="met at the meetup",
        )
    expected = Contact(
        id=made.id,
        name="Zoë Ångström",
        company_id=world.acme.id,
        title="Head of Data",
        email="zoe@acme.com",
        phone="+1 555 0100",
        tz="Europe/Stockholm",
        country="SE",
        prefers=Channel.CALL,
        first_name_ok=True,
        roles=frozenset({Role.INTERVIEWER, Role.HR}),
        salutation="Dr.",
        notes="met at the meetup",
    )
    assert made == expected
    assert store.contact(owner, made.id) == expected
    assert expected in store.contacts(owner, company_id=world.acme.id)


def test_opportunity_round_trip(store: Store, owner: int, world: World) -> None:
    created = datetime(2025, 3, 4, 23, 30, tzinfo=AUCKLAND)
    with store.transaction(now=created) as tx:
        made = tx.add_opportunity(
            owner,
            company_id=world.acme.id,
            role="Staff Engineer",
            posting_url="https://acme.example/jobs/1",
            source="newsletter",
            responds_within_days=10,
            prefers=Channel.EMAIL,
            referrer_id=world.lee.id,
            staffing_firm_id=world.firm.id,
            recruiter_id=world.raj.id,
            priority=2,
            notes="dream job",
            settings={"cooldown_days": 5, "thank_you_max_hours": 12.5},
        )
    read = store.opportunity(owner, made.id)
    assert read == made
    assert read.company == "Acme"
    assert read.settings == {"cooldown_days": 5.0, "thank_you_max_hours": 12.5}
    assert read.created_at == created and _is_utc(read.created_at)
    assert (read, Stage.LEAD) in store.opportunities(owner)


def test_event_round_trip_across_zones(store: Store, owner: int, world: World) -> None:
    at = datetime(2025, 3, 9, 1, 30, tzinfo=DENVER)  # the night US clocks spring forward
    scheduled = datetime(2025, 3, 12, 9, 15, 30, 123456, tzinfo=KOLKATA)
    until = datetime(2025, 4, 6, 2, 30, tzinfo=AUCKLAND)  # the hour NZ clocks go back
    with store.transaction() as tx:
        made = tx.add_event(
            owner,
            opportunity_id=world.opportunity.id,
            type=EventType.SCHEDULED,
            at=at,
            tz="America/Denver",
            contact_ids=(world.dana.id, world.raj.id, world.dana.id),
            channel=Channel.CALL,
            kind=MessageKind.CONFIRMATION,
            round=2,
            format=InterviewFormat.VIDEO,
            scheduled_for=scheduled,
            decision_by=date(2025, 3, 31),
            prefers=Channel.EMAIL,
            note="second round",
            nudge_key="interview.confirm:1",
            until=until,
            body="See you then.",
        )
    expected = Event(
        id=made.id,
        opportunity_id=world.opportunity.id,
        type=EventType.SCHEDULED,
        at=at,
        tz="America/Denver",
        contact_ids=(world.dana.id, world.raj.id),
        channel=Channel.CALL,
        kind=MessageKind.CONFIRMATION,
        round=2,
        format=InterviewFormat.VIDEO,
        scheduled_for=scheduled,
        decision_by=date(2025, 3, 31),
        prefers=Channel.EMAIL,
        note="second round",
        nudge_key="interview.confirm:1",
        until=until.astimezone(UTC),  # an ambiguous local time never equals another zone's
        body="See you then.",
    )
    for read in (made, store.event(owner, made.id), store.events(owner, world.opportunity.id)[0]):
        assert read == expected
        assert _is_utc(read.at) and _is_utc(read.scheduled_for) and _is_utc(read.until)
        assert read.at == at.astimezone(UTC)
        assert read.scheduled_for is not None and read.scheduled_for.microsecond == 123456
        assert read.decision_by == date(2025, 3, 31)


def test_nudge_round_trip(store: Store, owner: int, world: World) -> None:
    due = datetime(2025, 3, 10, 16, 0, tzinfo=DENVER)
    made = Nudge(
        key="interview.thank-you:1:dana",
        rule="interview.thank-you",
        opportunity_id=world.opportunity.id,
        contact_id=world.dana.id,
        channel=Channel.EMAIL,
        due=due,
        due_by=due + timedelta(hours=2),
        reason="You met Dana on Monday.",
        tz="America/Denver",
        expires=datetime(2025, 3, 12, tzinfo=KOLKATA),
        anchor_event_id=41,
        message="Thank Dana for the conversation.",
    )
    with store.transaction() as tx:
        tx.replace_nudges(owner, world.opportunity.id, [made])
    [read] = store.opportunity_nudges(owner, world.opportunity.id)
    assert read == made
    assert _is_utc(read.due) and _is_utc(read.due_by) and _is_utc(read.expires)
    assert store.nudge(owner, made.key) == made
    assert store.nudge_by_short_id(owner, made.id) == [made]


def test_user_settings_round_trip(store: Store, owner: int) -> None:
    assert store.user_settings(owner) == {}
    doc = {"profile": {"tz": "Europe/Berlin", "name": "Ana"}, "playbook": {"cooldown_days": 5}}
    with store.transaction() as tx:
        tx.set_user_settings(owner, doc)
    assert store.user_settings(owner) == doc
    assert store.ensure_user("local") == owner
    assert store.find_user("nobody") is None
    assert store.owners() == [owner]


def test_naive_datetimes_are_refused(store: Store, owner: int, world: World) -> None:
    with pytest.raises(ValueError, match="aware"), store.transaction() as tx:
        tx.add_event(
            owner, opportunity_id=world.opportunity.id, type=EventType.NOTE, at=datetime(2025, 1, 1)
        )
    with pytest.raises(ValueError, match="aware"), store.transaction() as tx:
        tx.replace_nudges(owner, None, [nudge("k", datetime(2025, 1, 1), opportunity_id=None)])
    with pytest.raises(ValueError, match="aware"):
        store.nudges(owner, until=datetime(2025, 1, 1), now=T0)
    # The column type itself refuses, whatever path a value takes.
    with pytest.raises(StatementError, match="naive"), store.engine.begin() as conn:
        conn.execute(insert(users).values(name="x", created_at=datetime(2025, 1, 1), settings={}))
    assert store.count_events(owner) == 0


def test_stage_follows_the_events(store: Store, owner: int, world: World) -> None:
    opp = world.opportunity.id
    with store.transaction() as tx:
        tx.add_event(owner, opportunity_id=opp, type=EventType.APPLIED, at=T0)
        assert tx.stage(owner, opp) is Stage.APPLIED
        interview = tx.add_event(
            owner, opportunity_id=opp, type=EventType.INTERVIEWED, at=T0 + timedelta(days=3)
        )
    assert store.stage(owner, opp) is Stage.INTERVIEWING
    assert store.opportunities(owner, stages=[Stage.INTERVIEWING])[0][1] is Stage.INTERVIEWING
    assert store.opportunities(owner, stages=[Stage.APPLIED]) == []
    with store.transaction() as tx:
        assert tx.delete_event(owner, interview.id) == interview
    assert store.stage(owner, opp) is Stage.APPLIED
    assert store.history(owner, opp).stage is Stage.APPLIED


def test_deleted_event_ids_are_not_reused(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        first = tx.add_event(owner, opportunity_id=world.opportunity.id, type="note", at=T0)
        tx.delete_event(owner, first.id)
        second = tx.add_event(owner, opportunity_id=world.opportunity.id, type="note", at=T0)
    assert second.id > first.id


def test_events_in_time_order_and_user_level_events(store: Store, owner: int, world: World) -> None:
    opp = world.opportunity.id
    with store.transaction() as tx:
        late = tx.add_event(owner, opportunity_id=opp, type=EventType.NOTE, at=T0 + timedelta(1))
        early = tx.add_event(owner, opportunity_id=opp, type=EventType.NOTE, at=T0)
        tie = tx.add_event(owner, opportunity_id=opp, type=EventType.NOTE, at=T0)
        call = tx.add_event(
            owner,
            opportunity_id=None,
            type=EventType.SENT,
            at=T0,
            contact_ids=[world.raj.id],
            channel=Channel.CALL,
        )
    assert store.events(owner, opp) == [early, tie, late]
    assert store.events(owner, None) == [call]
    assert store.count_events(owner) == 4
    assert store.events_with_contact(owner, world.raj.id) == [call]
    with store.transaction() as tx:
        tx.delete_event(owner, call.id)
    assert store.events_with_contact(owner, world.raj.id) == []


def test_find_company_by_name_or_alias_ignoring_case(
    store: Store, owner: int, world: World
) -> None:
    with store.transaction() as tx:
        strasse = tx.add_company(owner, "Straße AG", aliases=["Weg GmbH"])
    assert store.find_company(owner, "acme") == world.acme
    assert store.find_company(owner, "acme corp") == world.acme
    assert store.find_company(owner, "STRASSE AG") == strasse
    assert store.find_company(owner, "weg gmbh") == strasse
    assert store.find_company(owner, "Globex") is None
    with store.transaction() as tx:
        assert tx.get_or_add_company(owner, "ACME CORP") == world.acme
        globex = tx.get_or_add_company(owner, "Globex", domains=["globex.com"])
    assert store.find_company(owner, "globex") == globex


def test_duplicate_company_name_is_a_conflict(store: Store, owner: int, world: World) -> None:
    with (
        pytest.raises(Conflict, match="company named 'ACME' already exists"),
        store.transaction() as tx,
    ):
        tx.add_company(owner, "ACME")
    with pytest.raises(Conflict, match="already exists"), store.transaction() as tx:
        tx.update_company(owner, world.firm.id, name="acme")
    with store.transaction() as tx:
        renamed = tx.update_company(owner, world.firm.id, name="Hire Faster", aliases=["HF"])
    assert renamed == Company(world.firm.id, "Hire Faster", ("HF",), (), True)


def test_missing_references_name_the_field(store: Store, owner: int, world: World) -> None:
    with (
        pytest.raises(NotFound, match="company_id: no company with id 999"),
        store.transaction() as tx,
    ):
        tx.add_opportunity(owner, company_id=999, role="x")
    with (
        pytest.raises(NotFound, match="referrer_id: no contact with id 998"),
        store.transaction() as tx,
    ):
        tx.add_opportunity(owner, company_id=world.acme.id, role="x", referrer_id=998)
    with (
        pytest.raises(NotFound, match="contact_ids: no contact with id 997"),
        store.transaction() as tx,
    ):
        tx.add_event(
            owner,
            opportunity_id=world.opportunity.id,
            type=EventType.SENT,
            at=T0,
            contact_ids=[world.dana.id, 997],
        )
    with pytest.raises(NotFound, match="No opportunity with id 996"), store.transaction() as tx:
        tx.add_event(owner, opportunity_id=996, type=EventType.NOTE, at=T0)


def test_bad_values_are_usage_errors(store: Store, owner: int, world: World) -> None:
    with pytest.raises(UsageError, match="IANA"), store.transaction() as tx:
        tx.add_contact(owner, name="Kim", tz="Mars/Olympus")
    with pytest.raises(UsageError, match="not one of"), store.transaction() as tx:
        tx.add_event(owner, opportunity_id=world.opportunity.id, type="lunch", at=T0)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="Unknown contact field"), store.transaction() as tx:
        tx.update_contact(owner, world.dana.id, nickname="D")
    with pytest.raises(UsageError, match="must not be empty"), store.transaction() as tx:
        tx.add_company(owner, "   ")


def test_updates_change_only_the_named_fields(store: Store, owner: int, world: World) -> None:
    with store.transaction(now=T0 + timedelta(days=1)) as tx:
        dana = tx.update_contact(owner, world.dana.id, title="HR Lead", prefers="call")
        opp = tx.update_opportunity(owner, world.opportunity.id, priority=3, recruiter_id=None)
    assert dana == Contact(**{**_fields(world.dana), "title": "HR Lead", "prefers": Channel.CALL})
    assert opp.priority == 3 and opp.recruiter_id is None and opp.role == "Data Engineer"
    assert store.find_contacts(owner, "dana") == [dana]


def test_find_contacts_by_part_of_the_name(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        odd = tx.add_contact(owner, name="Ann 100%_Sure")
    assert store.find_contacts(owner, "PATEL") == [world.raj]
    assert store.find_contacts(owner, "a") == [odd, world.dana, world.raj]
    assert store.find_contacts(owner, "100%_") == [odd]
    assert store.find_contacts(owner, "%") == [odd]
    assert store.find_contacts(owner, "zz") == []


def test_search_opportunities_by_id_or_text(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        other = tx.add_opportunity(owner, company_id=world.firm.id, role="Acme Liaison")
    both = store.search_opportunities(owner, "acme")
    assert [o.id for o, _ in both] == [world.opportunity.id, other.id]
    assert store.search_opportunities(owner, "acme data")[0][0] == world.opportunity
    by_id = store.search_opportunities(owner, f"#{other.id}")
    assert [o.id for o, _ in by_id] == [other.id]
    assert store.search_opportunities(owner, "nothing like it") == []


def test_opportunity_contacts_is_everyone_involved(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        stranger = tx.add_contact(owner, name="Sam Stranger")
        met = tx.add_contact(owner, name="Mo Met")
        linked = tx.add_contact(owner, name="Lin Linked")
        tx.link_contact(owner, world.opportunity.id, linked.id)
        tx.link_contact(owner, world.opportunity.id, linked.id)
        tx.add_event(
            owner,
            opportunity_id=world.opportunity.id,
            type=EventType.INTERVIEWED,
            at=T0,
            contact_ids=[met.id],
        )
    names = [c.name for c in store.opportunity_contacts(owner, world.opportunity.id)]
    assert names == ["Dana Smith", "Lee Wong", "Lin Linked", "Mo Met", "Raj Patel"]
    assert stranger.name not in names
    with store.transaction() as tx:
        tx.unlink_contact(owner, world.opportunity.id, linked.id)
    assert linked not in store.opportunity_contacts(owner, world.opportunity.id)


def test_history_carries_the_companies_involved(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        applied = tx.add_event(
            owner, opportunity_id=world.opportunity.id, type=EventType.APPLIED, at=T0
        )
    history = store.history(owner, world.opportunity.id)
    assert history.opportunity == world.opportunity
    assert history.events == (applied,)
    assert history.companies == {world.acme.id: world.acme, world.firm.id: world.firm}
    assert store.all_opportunity_ids(owner) == [world.opportunity.id]


def _fields(contact: Contact) -> dict[str, object]:
    return {name: getattr(contact, name) for name in contact.__slots__}
