"""Pickling the model's small frozen records quickly.

A frozen dataclass with ``__slots__`` is pickled by dataclasses as a list of its fields and
loaded by setting each one from Python; the table cache of a province loads millions of
these records (every cell of every line): calling the class loads them some 30% faster
(the table cache of 10,000 tasks: 0.5 s, was 0.7 s).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any


def by_constructor(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a frozen dataclass with slots: pickled as the call that made it."""
    cls = type(self)
    values = _VALUES.get(cls)
    if values is None:
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        # attrgetter of one name gives the value, not a tuple of it
        values = _VALUES[cls] = (
            operator.attrgetter(*names)
            if len(names) > 1
            else lambda obj: tuple(getattr(obj, name) for name in names)
        )
    return cls, values(self)


_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
