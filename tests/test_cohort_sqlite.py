"""The cohort numbers on SQLite (the default database) read the same as from every record:
the one query per slice returns plain values (times as SQLite's text), folded without
records, and must agree with :func:`services.cohort.compute` on the records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.services import cohort
from jobnudge.store import open_store, org_reads
from tests.test_org_scale import NOW, TZ, Centre, _whole, build_centre


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    store = open_store(None, data_dir=Path(tmp_path_factory.mktemp("sqlite-centre")), now=NOW)
    yield build_centre(store)
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offset=st.integers(min_value=0, max_value=420),
    length=st.integers(min_value=0, max_value=200),
    slice_of=st.sampled_from([2, 3, 500]),
)
def test_cohort_numbers_on_sqlite_equal_those_of_every_record(
    centre: Centre, offset: int, length: int, slice_of: int
) -> None:
    first = (NOW - timedelta(days=450)).date() + timedelta(days=offset)
    last = first + timedelta(days=length)
    store = centre.store
    with mock.patch.object(org_reads, "CHUNK", slice_of):
        org = cohort.numbers(store, centre.admin, "organisation", first, last, NOW, TZ)
        mine = cohort.numbers(store, centre.coach, "caseload", first, last, NOW, TZ)
    assert org == _whole(store, centre.seekers, first, last, "organisation")
    assert mine == _whole(store, centre.seekers, first, last, "caseload")
