"""Immutable records: named fields in `__slots__`, compared, hashed, shown and copied by value.

What a frozen, slotted dataclass gives, without its cost at import: `@dataclass` writes and compiles six methods
for every class each time its module is imported (about 0.65 ms a class on CPython 3.11), and a command's
start-up passes through a dozen of them. Here the methods are written once. A subclass names its fields in
`_fields` (in the order of `__init__`'s parameters, of `repr` and of comparisons), makes them its
`__slots__`, and writes its `__init__`, setting each field with `init(self, name, value)`. Records do not
inherit from one another.
"""

from __future__ import annotations

from typing import Any, NoReturn, Self

init = object.__setattr__  # the one way to set a field: in `__init__`


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def astuple(self) -> tuple[Any, ...]:
        """The fields' values, in `_fields` order (not copied)."""
        return tuple([getattr(self, name) for name in self._fields])

    def asdict(self) -> dict[str, Any]:
        """Field name -> value (values as they are, not copied or converted)."""
        return {name: getattr(self, name) for name in self._fields}

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed; an unknown field name is a TypeError, as for the constructor."""
        return type(self)(**{**self.asdict(), **changes})

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.astuple() == other.astuple()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        # copy.copy and deepcopy rebuild through __init__ (setting slots directly would meet __setattr__).
        return type(self), self.astuple()
