"""A cheaper ``__init__`` for the frozen, slotted record classes, with the same signature.

Why: a frozen dataclass's generated ``__init__`` sets each field with
``object.__setattr__(self, name, value)``, which looks the name up on the class for every field
of every record. An import of 100,000 rows builds a few hundred thousand events, opportunities
and follow-ups, and those calls were a tenth of its playbook's time. The ``__init__`` made here
sets each slot through the slot's own descriptor instead (found once, when the class is made):
the same values, the same defaults and factories, the same immutability afterwards (assignment
still raises ``FrozenInstanceError``), at about half the cost.
"""

from __future__ import annotations

from dataclasses import MISSING, fields

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")


class _Factory:
    """Stands for a field's default made by its factory (a fresh dict for each record); shown
    as dataclasses show it in a signature."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def quick_init(cls: type[T]) -> type[T]:
    """Give ``cls`` (a ``@dataclass(frozen=True, slots=True)`` without ``__post_init__``) an
    ``__init__`` that sets its slots directly."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __post_init__, which quick_init does not call")
    scope: dict[str, Any] = {"_FACTORY": _FACTORY}
    params, body = [], []
    for place, f in enumerate(fields(cls)):  # type: ignore[arg-type]  # a dataclass, as documented
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name} is not set by __init__")
        setter = f"_set{place}"
        scope[setter] = getattr(cls, f.name).__set__  # the slot's member descriptor
        value = f.name
        if f.default is not MISSING:
            scope[f"_default{place}"] = f.default
            params.append(f"{f.name}=_default{place}")
        elif f.default_factory is not MISSING:
            scope[f"_factory{place}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            value = f"_factory{place}() if {f.name} is _FACTORY else {f.name}"
        else:
            params.append(f.name)
        body.append(f"  {setter}(self, {value})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, scope)  # noqa: S102  # our own text from field names, as dataclasses does
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(getattr(cls.__init__, "__annotations__", {}))
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]  # replaced on purpose, same signature
    return cls
