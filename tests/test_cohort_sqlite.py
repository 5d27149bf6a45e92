"""The cohort numbers on SQLite (the default database) read the same as from every record:
the one query per slice returns plain values (times as SQLite's text), folded without
records, and must agree with :func:`services.cohort.compute` on the records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.store import open_store
from tests.test_org_scale import NOW, Centre, build_centre, check_sliced_numbers


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
    check_sliced_numbers(centre, offset, length, slice_of)
