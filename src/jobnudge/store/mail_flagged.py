"""Messages the mail sync could not file on its own and left for the user to decide (the review
queue), and the addresses that bounced or were refused. Apart from the outbox and the sync's
own state (store.mail) since these are the user's decisions, read by other pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from jobnudge.errors import NotFound
from jobnudge.store.mail import _build, _conn
from jobnudge.store.mail_tables import (
    mail_bad_addresses,
    mail_review,
)
from jobnudge.store.reads import Reader
from jobnudge.store.writes import Tx


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    message_id: str
    kind: str
    direction: str
    mailbox: str
    from_address: str
    from_name: str
    to_addresses: list[str]
    subject: str
    at: datetime
    body: str
    contact_id: int | None
    candidates: list[int]
    opportunity_id: int | None
    reason: str
    state: str
    event_id: int | None
    created_at: datetime
    decided_at: datetime | None


def add_review(tx: Tx, owner: int, *, message_id: str, kind: str, **values: Any) -> int | None:
    """A new open review item; None when this message already has one of this kind."""
    tx.touch(owner)
    with _conn(tx, owner) as conn:
        exists = conn.scalar(
            select(mail_review.c.id).where(
                mail_review.c.owner_id == owner,
                mail_review.c.message_id == message_id,
                mail_review.c.kind == kind,
            )
        )
        if exists is not None:
            return None
        result = conn.execute(
            insert(mail_review).values(
                owner_id=owner,
                message_id=message_id,
                kind=kind,
                state="open",
                created_at=tx.now,
                **values,
            )
        )
        return int(result.inserted_primary_key[0])


def reviewed_ids(reader: Reader, owner: int, message_ids: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(message_ids))
    if not wanted:
        return set()
    with _conn(reader, owner) as conn:
        return set(
            conn.scalars(
                select(mail_review.c.message_id).where(
                    mail_review.c.owner_id == owner, mail_review.c.message_id.in_(wanted)
                )
            )
        )


def review_items(
    reader: Reader, owner: int, *, states: Collection[str] = ("open",)
) -> list[ReviewItem]:
    with _conn(reader, owner) as conn:
        rows = conn.execute(
            select(mail_review)
            .where(mail_review.c.owner_id == owner, mail_review.c.state.in_(list(states)))
            .order_by(mail_review.c.id)
        )
        return [_build(ReviewItem, r) for r in rows]


def review_item(reader: Reader, owner: int, item_id: int) -> ReviewItem:
    with _conn(reader, owner) as conn:
        row = conn.execute(
            select(mail_review).where(mail_review.c.owner_id == owner, mail_review.c.id == item_id)
        ).first()
    if row is None:
        raise NotFound(f"N: no review item #{item_id}; `nudge mail review` lists the open ones.")
    item: ReviewItem = _build(ReviewItem, row)
    return item


def decide_review(
    tx: Tx, owner: int, item_id: int, state: str, *, event_id: int | None = None
) -> None:
    tx.touch(owner)
    with _conn(tx, owner) as conn:
        conn.execute(
            update(mail_review)
            .where(mail_review.c.owner_id == owner, mail_review.c.id == item_id)
            .values(state=state, event_id=event_id, decided_at=tx.now)
        )


def flag_address(tx: Tx, owner: int, address: str, reason: str, message_id: str | None) -> None:
    tx.touch(owner)
    key = address.strip().lower()
    with _conn(tx, owner) as conn:
        conn.execute(
            delete(mail_bad_addresses).where(
                mail_bad_addresses.c.owner_id == owner, mail_bad_addresses.c.address == key
            )
        )
        conn.execute(
            insert(mail_bad_addresses).values(
                owner_id=owner,
                address=key,
                reason=reason,
                message_id=message_id,
                flagged_at=tx.now,
            )
        )


def bad_addresses(reader: Reader, owner: int) -> Mapping[str, str]:
    """``address -> the server's reason`` for every address that bounced."""
    with _conn(reader, owner) as conn:
        rows = conn.execute(
            select(mail_bad_addresses.c.address, mail_bad_addresses.c.reason).where(
                mail_bad_addresses.c.owner_id == owner
            )
        )
        return {r.address: r.reason for r in rows}
