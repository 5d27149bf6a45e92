"""The records' cheaper ``__init__`` (``domain.quickinit``) behaves as the dataclass one did."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from datetime import UTC, datetime

import pytest

from jobnudge.domain import Company, Contact, Event, EventType, History, Nudge, Opportunity
from jobnudge.domain.quickinit import quick_init

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_same_signature_as_the_dataclass_would_make() -> None:
    for cls in (Company, Contact, Event, History, Nudge, Opportunity):
        params = inspect.signature(cls).parameters
        assert list(params) == [f.name for f in dataclasses.fields(cls)]
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                assert params[f.name].default == f.default


def test_defaults_factories_and_positional_arguments() -> None:
    one = Opportunity(1, 2, "Acme", "Analyst")
    other = Opportunity(1, 2, "Acme", "Analyst")
    assert one == other
    assert one.settings == {} and one.settings is not other.settings  # a fresh dict each
    assert one.posting_url == "" and one.created_at is None
    event = Event(id=3, opportunity_id=1, type=EventType.APPLIED, at=AT)
    assert event.tz == "UTC" and event.contact_ids == () and not event.date_unknown
    nudge = Nudge("k", "apply.check-in", 1, None, None, AT, None, "why", message="m")
    assert (nudge.tz, nudge.expires, nudge.message, nudge.blocked_by) == ("UTC", None, "m", ())
    assert hash(nudge) == hash(dataclasses.replace(nudge))


def test_still_frozen_replaceable_and_picklable() -> None:
    nudge = Nudge("k", "apply.check-in", 1, None, None, AT, None, "why")
    with pytest.raises(dataclasses.FrozenInstanceError):
        nudge.reason = "other"  # type: ignore[misc]
    later = dataclasses.replace(nudge, due=AT.replace(hour=10))
    assert later.due.hour == 10 and later.key == "k"
    assert pickle.loads(pickle.dumps(later)) == later
    with pytest.raises(TypeError):
        Nudge("k", "apply.check-in")  # type: ignore[call-arg]


def test_refuses_what_it_would_not_honour() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            raise ValueError

    with pytest.raises(TypeError):
        quick_init(Checked)


def test_the_signature_reads_as_the_dataclass_one() -> None:
    import inspect

    from jobnudge.domain.records import Opportunity

    shown = str(inspect.signature(Opportunity))
    assert "settings: 'Mapping[str, float]' = <factory>" in shown, shown
    assert "object at" not in shown
