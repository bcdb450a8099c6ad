"""A cache of made HTML that keeps only the newest entries.

Pages are made in the order MkDocs reads them, and a report's or a series' pages come one
after another: a row or a timeline item is asked for again soon after it is made, or only
much later (a unit page). Keeping every one until the end grows with the site (at 100,000
tasks, hundreds of MB held for nothing); keeping the newest keeps nearly every reuse.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A dict of at most ``limit`` entries: adding one more forgets the oldest."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            del self[next(iter(self))]
