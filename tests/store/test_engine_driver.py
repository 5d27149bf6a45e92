"""A PostgreSQL address without the driver installed (the plain install has none) is a message
naming what to install, not a crash."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy.engine import make_url

from jobnudge.errors import StoreError
from jobnudge.store.engine import make_engine


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_a_missing_driver_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, driver: str
) -> None:
    for name in [n for n in sys.modules if n == driver or n.startswith(driver + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, driver, None)  # importing it now fails as if absent
    with pytest.raises(StoreError) as raised:
        make_engine(make_url(f"postgresql+{driver}://nobody@127.0.0.1:5432/jobnudge"))
    assert "pip install 'jobnudge[postgres]'" in raised.value.message
    assert driver in raised.value.message
