"""Caseloads in the database: a coach and a job seeker of one organisation, linked only with
the seeker's consent; the coach's private notes; the comments a seeker sees on Today.

A pair that does not qualify (no consent, another organisation, a deactivated member) reads as
absent, exactly like an unknown id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, insert, or_, select, update
from sqlalchemy.orm import aliased

from jobnudge.errors import Conflict, NotFound
from jobnudge.store.account_tables import web_sessions
from jobnudge.store.cohort_results import forget_including
from jobnudge.store.core import Store
from jobnudge.store.org_tables import caseloads, coach_comments, coach_notes, org_members
from jobnudge.store.orgs import _read
from jobnudge.store.tables import users

CONSENTED = "consented"


@dataclass(frozen=True, slots=True)
class Link:
    """A coach and a job seeker: where the request stands."""

    coach_id: int
    coach_name: str
    seeker_id: int
    seeker_name: str
    state: str
    asked_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    coach_id: int
    coach_name: str
    kind: str  # "comment" or "follow-up"
    body: str
    opportunity_id: int | None
    due_on: str | None
    created_at: datetime


def _link_select() -> Select[Any]:
    coach, seeker = aliased(users), aliased(users)
    return (
        select(caseloads, coach.c.name.label("coach_name"), seeker.c.name.label("seeker_name"))
        .join(coach, coach.c.id == caseloads.c.coach_id)
        .join(seeker, seeker.c.id == caseloads.c.seeker_id)
    )


def _link(r: object) -> Link:
    m = r._mapping  # type: ignore[attr-defined]
    return Link(
        int(m["coach_id"]),
        str(m["coach_name"]),
        int(m["seeker_id"]),
        str(m["seeker_name"]),
        str(m["state"]),
        m["asked_at"],
        m["answered_at"],
    )


def ask(store: Store, org_id: int, coach: int, seeker: int, now: datetime) -> None:
    """Ask ``seeker`` to join ``coach``'s caseload (both active members of ``org_id``, in
    those roles); asking again after a refusal or a withdrawal asks anew."""
    with store.writing() as conn:
        roles = dict(
            conn.execute(
                select(org_members.c.user_id, org_members.c.role).where(
                    org_members.c.org_id == org_id,
                    org_members.c.active.is_(True),
                    org_members.c.user_id.in_((coach, seeker)),
                )
            ).all()
        )
        if roles.get(coach) not in ("coach", "admin"):
            raise NotFound("coach: no coach of your organisation has that name.")
        if roles.get(seeker) != "seeker":
            raise NotFound("seeker: no job seeker of your organisation has that name.")
        state = conn.scalar(
            select(caseloads.c.state).where(
                caseloads.c.coach_id == coach, caseloads.c.seeker_id == seeker
            )
        )
        if state in ("asked", CONSENTED):
            raise Conflict(
                "seeker: already "
                + ("asked; they have not answered yet." if state == "asked" else "in the caseload.")
            )
        values = {"state": "asked", "asked_at": now, "answered_at": None, "org_id": org_id}
        if state is None:
            conn.execute(insert(caseloads).values(coach_id=coach, seeker_id=seeker, **values))
        else:
            conn.execute(
                update(caseloads)
                .where(caseloads.c.coach_id == coach, caseloads.c.seeker_id == seeker)
                .values(**values)
            )


def answer(store: Store, seeker: int, coach: int, state: str, now: datetime) -> None:
    """The job seeker consents, declines or withdraws: only their own link changes. Their
    revision goes up, so a kept Today page shows or drops that coach's comments at once."""
    allowed = {CONSENTED: ("asked",), "declined": ("asked",), "withdrawn": (CONSENTED, "asked")}
    with store.transaction(now=now) as tx:
        tx.touch(seeker)
        with tx._connect(seeker) as conn:
            done = conn.execute(
                update(caseloads)
                .where(
                    caseloads.c.coach_id == coach,
                    caseloads.c.seeker_id == seeker,
                    caseloads.c.state.in_(allowed[state]),
                )
                .values(state=state, answered_at=now)
            )
            if done.rowcount != 1:
                raise NotFound(f"No request from coach {coach}.")
            forget_including(conn, seeker, organisation=False)
            if state != CONSENTED:
                conn.execute(
                    update(web_sessions)
                    .where(web_sessions.c.owner_id == coach, web_sessions.c.viewing_id == seeker)
                    .values(viewing_id=None)
                )


def links_of_seeker(store: Store, seeker: int) -> list[Link]:
    with _read(store) as conn:
        rows = conn.execute(
            _link_select().where(caseloads.c.seeker_id == seeker).order_by(caseloads.c.asked_at)
        )
        return [_link(r) for r in rows]


def links_of_org(store: Store, org_id: int, people: Sequence[int] | None = None) -> list[Link]:
    """The organisation's caseload links (those naming one of ``people``, when given)."""
    query = _link_select().where(caseloads.c.org_id == org_id)
    if people is not None:
        named = sorted(set(people))
        query = query.where(or_(caseloads.c.seeker_id.in_(named), caseloads.c.coach_id.in_(named)))
    with _read(store) as conn:
        rows = conn.execute(query.order_by(caseloads.c.asked_at))
        return [_link(r) for r in rows]


def links_of_coach(store: Store, coach: int) -> list[Link]:
    with _read(store) as conn:
        rows = conn.execute(
            _link_select().where(caseloads.c.coach_id == coach).order_by(caseloads.c.asked_at)
        )
        return [_link(r) for r in rows]


def caseload(store: Store, coach: int) -> list[tuple[int, str, str]]:
    """The job seekers ``coach`` may read: consented, active, still in the job seeker's role
    (a seeker made a coach or an administrator leaves every caseload while in that role), of the
    coach's organisation; (user id, user name, full name)."""
    seeker = aliased(org_members)
    me = aliased(org_members)
    with _read(store) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.name, seeker.c.full_name)
            .select_from(caseloads)
            .join(users, users.c.id == caseloads.c.seeker_id)
            .join(
                seeker,
                and_(
                    seeker.c.user_id == caseloads.c.seeker_id,
                    seeker.c.active.is_(True),
                    seeker.c.role == "seeker",
                ),
            )
            .join(
                me,
                and_(
                    me.c.user_id == caseloads.c.coach_id,
                    me.c.org_id == seeker.c.org_id,
                    me.c.active.is_(True),
                ),
            )
            .where(caseloads.c.coach_id == coach, caseloads.c.state == CONSENTED)
            .order_by(users.c.name)
        )
        return [(int(r.id), str(r.name), str(r.full_name)) for r in rows]


def may_coach(store: Store, coach: int, seeker: int) -> bool:
    return any(sid == seeker for sid, _, _ in caseload(store, coach))


def active_seekers(store: Store, org_id: int) -> list[tuple[int, str, str]]:
    with _read(store) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.name, org_members.c.full_name)
            .join(users, users.c.id == org_members.c.user_id)
            .where(
                org_members.c.org_id == org_id,
                org_members.c.role == "seeker",
                org_members.c.active.is_(True),
            )
            .order_by(users.c.name)
        )
        return [(int(r.id), str(r.name), str(r.full_name)) for r in rows]


# Notes and comments


def add_note(store: Store, coach: int, seeker: int, body: str, now: datetime) -> None:
    with store.writing() as conn:
        conn.execute(
            insert(coach_notes).values(coach_id=coach, seeker_id=seeker, body=body, created_at=now)
        )


def notes(store: Store, coach: int, seeker: int) -> list[Note]:
    with _read(store) as conn:
        rows = conn.execute(
            select(coach_notes)
            .where(coach_notes.c.coach_id == coach, coach_notes.c.seeker_id == seeker)
            .order_by(coach_notes.c.created_at.desc(), coach_notes.c.id.desc())
        )
        return [Note(int(r.id), str(r.body), r.created_at) for r in rows]


def add_comment(
    store: Store,
    coach: int,
    seeker: int,
    kind: str,
    body: str,
    opportunity_id: int | None,
    due_on: str | None,
    now: datetime,
) -> None:
    """A comment or suggested follow-up for the seeker's Today page (their revision goes up,
    so a kept Today page is rebuilt)."""
    with store.transaction(now=now) as tx:
        tx.touch(seeker)
        with tx._connect(seeker) as conn:
            conn.execute(
                insert(coach_comments).values(
                    seeker_id=seeker,
                    coach_id=coach,
                    kind=kind,
                    body=body,
                    opportunity_id=opportunity_id,
                    due_on=due_on,
                    created_at=now,
                    dismissed_at=None,
                )
            )


def comments(store: Store, seeker: int, *, coach: int | None = None) -> list[Comment]:
    """What coaches left for ``seeker`` and they have not put away (of one coach, if given)."""
    query = (
        select(coach_comments, users.c.name)
        .join(users, users.c.id == coach_comments.c.coach_id)
        .where(coach_comments.c.seeker_id == seeker, coach_comments.c.dismissed_at.is_(None))
        .order_by(coach_comments.c.created_at.desc(), coach_comments.c.id.desc())
    )
    if coach is not None:
        query = query.where(coach_comments.c.coach_id == coach)
    with _read(store) as conn:
        rows = conn.execute(query)
        return [
            Comment(
                int(r.id),
                int(r.coach_id),
                str(r.name),
                str(r.kind),
                str(r.body),
                r.opportunity_id,
                r.due_on,
                r.created_at,
            )
            for r in rows
        ]


def dismiss_comment(store: Store, seeker: int, comment: int, now: datetime) -> None:
    with store.transaction(now=now) as tx:
        tx.touch(seeker)
        with tx._connect(seeker) as conn:
            done = conn.execute(
                update(coach_comments)
                .where(
                    coach_comments.c.id == comment,
                    coach_comments.c.seeker_id == seeker,
                    coach_comments.c.dismissed_at.is_(None),
                )
                .values(dismissed_at=now)
            )
            if done.rowcount != 1:
                raise NotFound(f"No comment with id {comment}.")
