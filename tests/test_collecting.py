"""The garbage collector held back during an import: raised thresholds inside, the ones found
before restored on every way out (an error included, nested and overlapping holds), and cycles
still collected inside, so memory stays bounded."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobnudge import collecting
from jobnudge.errors import UsageError


@pytest.fixture(autouse=True)
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after(thresholds: tuple[int, int, int]) -> None:
    with collecting.held_back(50_000):
        assert gc.get_threshold() == (50_000, 10, 10)
    assert gc.get_threshold() == thresholds


def test_restored_when_the_block_raises(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), collecting.held_back(50_000):
        raise RuntimeError("the import failed")
    assert gc.get_threshold() == thresholds


def test_nested_holds_restore_once_the_outer_ends(thresholds: tuple[int, int, int]) -> None:
    with collecting.held_back(50_000):
        with collecting.held_back(80_000):
            assert gc.get_threshold()[0] == 50_000  # the first hold's thresholds stay
        assert gc.get_threshold()[0] == 50_000
    assert gc.get_threshold() == thresholds


def test_overlapping_holds_on_two_threads(thresholds: tuple[int, int, int]) -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with collecting.held_back(50_000):
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=other)
    worker.start()
    assert inside.wait(10)
    with collecting.held_back(50_000):
        pass
    assert gc.get_threshold()[0] == 50_000  # the other thread's import is still running
    leave.set()
    worker.join(10)
    assert gc.get_threshold() == thresholds


def test_a_collector_switched_off_stays_off() -> None:
    gc.set_threshold(0, 10, 10)
    with collecting.held_back(50_000):
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0


def test_a_higher_threshold_is_never_lowered() -> None:
    gc.set_threshold(900_000, 10, 10)
    with collecting.held_back(50_000):
        assert gc.get_threshold()[0] == 900_000


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_cycles_are_still_collected_inside() -> None:
    """Memory stays bounded: garbage cycles made inside the hold go once enough is allocated."""
    with collecting.held_back(1_000):
        first = Node()
        first.other = Node()
        first.other.other = first
        gone = weakref.ref(first)
        del first
        keep = [[n] for n in range(5_000)]  # allocations past the raised threshold
        assert gone() is None
        del keep


def test_an_import_that_fails_restores_the_thresholds(
    tmp_path: Path, thresholds: tuple[int, int, int]
) -> None:
    from jobnudge.services import importing
    from jobnudge.services.session import open_session

    session = open_session(None, data_dir=tmp_path)
    bad = tmp_path / "jobs.csv"
    bad.write_text("Colour,Size\nred,large\n", encoding="utf-8")  # no company column
    with pytest.raises(UsageError):
        importing.import_file(session, bad)
    assert gc.get_threshold() == thresholds
