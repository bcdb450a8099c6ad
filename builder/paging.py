"""Long task lists split into numbered pages, after Pelican's ``Paginator``.

A list is a sequence of groups (a report's sections, a unit's reports), each a heading over
its tasks. Pages hold ``size`` rows; a group cut by a page break is continued on the next page
under its heading again. Empty groups (a section without tasks) stay where they fall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .model import Report, Task

PAGE_SIZE = 200
"""Rows per page: a few hundred rows keep a page well under 300 KB of HTML."""


@dataclass(frozen=True)
class Group:
    """A heading over tasks: a section of a report, or a report on a unit's page."""

    title: str
    tasks: tuple[Task, ...]
    report: Report
    """The report the tasks are of (its status column decides the table's columns)."""
    section: str | None = None
    """The section's name, for a report's sections; None elsewhere."""


@dataclass(frozen=True)
class Slice:
    """The part of a group on one page."""

    group: Group
    tasks: tuple[Task, ...]
    continued: bool
    """The group began on an earlier page (its heading says so)."""


@dataclass(frozen=True)
class ListPage:
    number: int
    """1 for the first page."""
    count: int
    """How many pages the list has."""
    slices: tuple[Slice, ...]
    first: int
    """The 1-based position of the page's first row in the whole list (0 for an empty list)."""
    last: int
    total: int
    """Rows in the whole list."""
    groups: tuple[Group, ...] = field(repr=False)
    """The whole list."""
    facets: Mapping[str, Mapping[str, int]] = field(repr=False)
    """What the filters count over the whole list: rows per status (``none`` where the
    table states none), per unit and per section."""

    @property
    def split(self) -> bool:
        return self.count > 1

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    def numbers(self, around: int = 2) -> list[int | None]:
        return page_numbers(self.number, self.count, around)


def page_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and those near this one; None where
    numbers are left out (shown as …)."""
    shown = sorted(
        {1, count, *range(max(1, number - around), number + around + 1)} & set(range(1, count + 1))
    )
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def paginate(groups: Sequence[Group], size: int = PAGE_SIZE) -> list[ListPage]:
    """The list's pages; always at least one."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    total = sum(len(g.tasks) for g in groups)
    pages: list[list[Slice]] = [[]]
    room = size
    for group in groups:
        tasks = group.tasks
        if not tasks:
            pages[-1].append(Slice(group, (), False))
            continue
        start = 0
        while start < len(tasks):
            if room == 0:
                pages.append([])
                room = size
            part = tasks[start : start + room]
            pages[-1].append(Slice(group, part, start > 0))
            start += len(part)
            room -= len(part)
    whole = tuple(groups)
    facets = list_facets(t for g in whole for t in g.tasks)
    out = []
    seen = 0
    for number, slices in enumerate(pages, 1):
        rows = sum(len(s.tasks) for s in slices)
        out.append(
            ListPage(
                number=number,
                count=len(pages),
                slices=tuple(slices),
                first=seen + 1 if rows else 0,
                last=seen + rows,
                total=total,
                groups=whole,
                facets=facets,
            )
        )
        seen += rows
    return out


def list_facets(tasks: Iterable[Task]) -> dict[str, dict[str, int]]:
    statuses: Counter[str] = Counter()
    units: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    for task in tasks:
        statuses[task.status.value if task.status is not None else "none"] += 1
        units.update(dict.fromkeys(task.all_units, 1))
        if task.section:
            sections[task.section] += 1
    return {"status": dict(statuses), "unit": dict(units), "section": dict(sections)}
