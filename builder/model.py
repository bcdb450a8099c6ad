"""Stage 3: the published nouns — Report, Task, Step, Unit — built from parsed tables."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .clean import Cleaned


class Status(enum.Enum):
    """The small set statuses are counted in; the office's own word is kept beside it."""

    DONE = "done"
    IN_PROGRESS = "in-progress"
    NOT_DONE = "not-done"
    UNMARKED = "unmarked"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.DONE: "已完成",
    Status.IN_PROGRESS: "推进中",
    Status.NOT_DONE: "未完成",
    Status.UNMARKED: "未标注",
}

STATUS_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.NOT_DONE, Status.UNMARKED)

_DONE_WORDS = {"✓", "√", "✔", "☑", "✅", "是", "完成", "已完成", "已办结", "已落实", "已达成"}
_NOT_DONE_WORDS = {"✗", "×", "✘", "否", "未完成", "未落实", "未达成"}
_IN_PROGRESS_WORDS = {
    "正在推进",
    "持续推进",
    "推进中",
    "序时推进",
    "按序时推进",
    "有序推进",
    "进行中",
    "正在进行",
    "部分完成",
    "基本完成",
    "未完成序时进度",
}
_CHECK_MARKS = {"✓", "√", "✔", "☑", "✅", "是"}


def status_of_word(word: str, *, in_not_done_column: bool = False) -> Status | None:
    """The status an office's word or mark states, or None for a word we do not know.

    A check mark states "done" in the 已完成 column and "not done" in the 未完成 column.
    """
    key = "".join(word.split())
    if in_not_done_column and key in _CHECK_MARKS:
        return Status.NOT_DONE
    if key in _DONE_WORDS:
        return Status.DONE
    if key in _NOT_DONE_WORDS:
        return Status.NOT_DONE
    if key in _IN_PROGRESS_WORDS:
        return Status.IN_PROGRESS
    return None


@dataclass(frozen=True)
class Extra:
    """A cell of a column the synonym table does not know, shown under its own header."""

    label: str
    value: Cleaned


@dataclass(frozen=True)
class Step:
    """One line of a task: its plan for the period, the status mark and what was done."""

    line: int
    kind: str | None
    """进度安排, 施工图…; None where the table has no step-kind column."""
    plan: Cleaned | None
    mark: str | None
    """The office's own mark or word, e.g. ✓ or 正在推进."""
    status: Status | None
    """None where the report has no status column at all: then no status is stated."""
    progress: Cleaned | None
    progress_merged: bool
    """The 落实情况 cell was empty on this line: a merged cell, the text above covers it."""
    deadline: str | None
    extras: tuple[Extra, ...]


@dataclass(frozen=True)
class SourceRow:
    """A line of the table as read, kept to prove that every cell reached the site."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Task:
    report_slug: str
    seq: str
    line: int
    article: str | None
    """The work report's article number, e.g. "18" for a task text starting 「18.」."""
    text: str
    """The task text as plain text (article number removed)."""
    units: tuple[str, ...]
    supporting_units: tuple[str, ...]
    offices: tuple[str, ...]
    supervision: str | None
    section: str | None
    steps: tuple[Step, ...]
    units_as_written: str | None
    """The unit cell as the table writes it, where splitting it changed more than separators."""
    source: tuple[SourceRow, ...]

    @functools.cached_property
    def id(self) -> str:
        """Stable ID: report slug + 序号."""
        return f"{self.report_slug}-{self.seq}"

    @functools.cached_property
    def all_units(self) -> tuple[str, ...]:
        return self.units + tuple(u for u in self.supporting_units if u not in self.units)

    @functools.cached_property
    def status(self) -> Status | None:
        """The task's status for counting: the least advanced of its marked steps."""
        stated = [s.status for s in self.steps if s.status is not None]
        if not stated:
            return None
        marked = [s for s in stated if s is not Status.UNMARKED]
        if not marked:
            return Status.UNMARKED
        for status in (Status.NOT_DONE, Status.IN_PROGRESS):
            if status in marked:
                return status
        return Status.DONE

    @functools.cached_property
    def marks(self) -> tuple[str, ...]:
        """The office's own words for the status, in order, without repeats."""
        return tuple(dict.fromkeys(s.mark for s in self.steps if s.mark))


@dataclass(frozen=True)
class Reconciliation:
    """What was read and what was published, shown on the report page (数据核对)."""

    lines_read: int
    tasks: int
    steps: int
    cells: int
    units: int


@dataclass(frozen=True)
class Report:
    slug: str
    path: Path
    title: str
    source_title: str | None
    """The table's own title line, where it has one."""
    issuer: str | None
    year: int | None
    period: str | None
    published: dt.date | None
    source_url: str | None
    has_status: bool
    """False where the table has no status column: its tasks state no status."""
    plan_label: str | None
    progress_label: str
    sections: tuple[str, ...]
    tasks: tuple[Task, ...]
    extra_labels: tuple[str, ...]
    reconciliation: Reconciliation

    @functools.cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u for t in self.tasks for u in t.all_units))

    @functools.cached_property
    def step_count(self) -> int:
        return sum(len(t.steps) for t in self.tasks)


@dataclass(frozen=True)
class Unit:
    name: str
    slug: str
    aliases: tuple[str, ...]
    known: bool
    """False for a name the registry does not know (kept from a table's unit cell)."""
    tasks: tuple[Task, ...]

    @functools.cached_property
    def tasks_by_report(self) -> dict[str, tuple[Task, ...]]:
        """The unit's tasks grouped by report slug, in the order of ``tasks``."""
        groups: dict[str, list[Task]] = {}
        for task in self.tasks:
            groups.setdefault(task.report_slug, []).append(task)
        return {slug: tuple(tasks) for slug, tasks in groups.items()}


@dataclass(frozen=True)
class Site:
    reports: tuple[Report, ...]
    units: tuple[Unit, ...]

    @property
    def tasks(self) -> Iterable[Task]:
        for report in self.reports:
            yield from report.tasks

    def unit(self, name: str) -> Unit:
        return self._units_by_name[name]

    @functools.cached_property
    def _units_by_name(self) -> dict[str, Unit]:
        return {u.name: u for u in self.units}

    def report(self, slug: str) -> Report:
        return self._reports_by_slug[slug]

    @functools.cached_property
    def _reports_by_slug(self) -> dict[str, Report]:
        return {r.slug: r for r in self.reports}


def count_statuses(tasks: Iterable[Task]) -> Counter[Status]:
    return Counter(t.status for t in tasks if t.status is not None)
