"""Small frozen value classes without ``dataclasses``.

Importing ``dataclasses`` (with ``inspect``, ``ast``, ``dis`` and ``tokenize``) and generating
each class's methods cost the command line's quick check (``cli/quickcheck.py``) more than its
whole check; the checker's value classes take their equality, hashing, ``repr`` and
immutability from :class:`Plain` instead, and write their ``__init__`` out.
"""

from __future__ import annotations


class Plain:
    """Equality, hashing, ``repr`` and immutability from the fields listed in ``_fields``, as
    a frozen dataclass has them. A subclass lists its fields in ``__slots__`` (or has a
    ``__dict__``) and sets them in ``__init__`` with :func:`setup`."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}'")


setup = object.__setattr__
"""Set a field of a :class:`Plain` in its ``__init__``."""
