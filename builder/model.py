"""Stage 3: the published nouns — Report, Task, Step, Unit — built from parsed tables."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .clean import Cleaned
from .columns import Role
from .frozen import by_constructor
from .reading import Reading

if TYPE_CHECKING:
    from .series import Series, Thread

_T = TypeVar("_T")


class _cached(Generic[_T]):
    """``functools.cached_property`` for a class with ``__slots__``: the value is kept in the
    instance's ``_memo`` dict, which holds only what was asked for. A Task with a ``__dict__``
    of its fields and cached values was some 900 bytes; 150,000 of them are a province."""

    def __init__(self, func: Callable[[Any], _T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type) -> _cached[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> _T: ...
    def __get__(self, obj: object | None, owner: type) -> _T | _cached[_T]:
        if obj is None:
            return self
        memo: dict[str, Any] = obj._memo  # type: ignore[attr-defined]
        try:
            return memo[self.name]  # type: ignore[no-any-return]
        except KeyError:
            value = memo[self.name] = self.func(obj)
            return value


class Status(enum.Enum):
    """The small set statuses are counted in; the office's own word is kept and shown."""

    DONE = "done"
    IN_PROGRESS = "in-progress"
    BEHIND = "behind"
    NOT_DONE = "not-done"
    UNMARKED = "unmarked"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.DONE: "已完成",
    Status.IN_PROGRESS: "推进中",
    Status.BEHIND: "进度滞后",
    Status.NOT_DONE: "未完成",
    Status.UNMARKED: "未写明状态",
}

STATUS_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.BEHIND, Status.NOT_DONE, Status.UNMARKED)

_DONE_WORDS = {
    "✓",
    "√",
    "✔",
    "☑",
    "✅",
    "是",
    "完成",
    "已完成",
    "已办结",
    "已落实",
    "已达成",
    "办结",
    "超额完成",
    "提前完成",
    "全面完成",
    "已全面完成",
    "已提前完成",
    "已超额完成",
    "完成年度目标",
    "完成年度任务",
    "已完成年度目标",
    "已完成年度任务",
    "已完工",
    "已建成",
    "已实现",
    "已经完成",
    "按期完成",
    "已按期完成",
    "如期完成",
    "全部完成",
    "已全部完成",
}
_NOT_DONE_WORDS = {"✗", "×", "✘", "否", "未完成", "未落实", "未达成", "未开工", "未启动", "未办结"}
_BEHIND_WORDS = {
    "进度滞后",
    "滞后",
    "滞后序时进度",
    "未达序时进度",
    "未达到序时进度",
    "推进缓慢",
    "进展缓慢",
    "序时滞后",
    "低于序时进度",
    "未达时序进度",
    "未完成序时进度",
    "严重滞后",
    "进度严重滞后",
    "略有滞后",
    "进度偏慢",
}
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
    "达到时间进度",
    "达到序时进度",
    "达序时进度",
    "超序时进度",
    "按时序推进",
    "按计划推进",
    "正常推进",
    "稳步推进",
    "加快推进",
    "积极推进",
    "正在实施",
    "已开工",
    "在建",
    "推进顺利",
    "顺利推进",
    "序时进度",
    "按序时进度推进",
    "已启动",
    "正在办理",
    "办理中",
    "持续推进中",
    "正在推进中",
    "超时序进度",
    "达到时序进度",
    "正常",
    "进展正常",
    "正常进行中",
    "正常推进中",
}
_CHECK_MARKS = {"✓", "√", "✔", "☑", "✅", "是"}
_STATUS_WORDS: dict[str, Status] = {
    **{w: Status.IN_PROGRESS for w in _IN_PROGRESS_WORDS},
    **{w: Status.BEHIND for w in _BEHIND_WORDS},
    **{w: Status.NOT_DONE for w in _NOT_DONE_WORDS},
    **{w: Status.DONE for w in _DONE_WORDS},
}
_OPENING_RE = re.compile(
    "^("
    + "|".join(sorted((re.escape(w) for w in _STATUS_WORDS if len(w) >= 2), key=len, reverse=True))
    + r")(?:[。；;，,！!：:\s]|$)"
)


def status_of_word(word: str, *, in_not_done_column: bool = False) -> Status | None:
    """The status an office's word or mark states, or None for a word we do not know.

    A check mark states "done" in the 已完成 column and "not done" in the 未完成 column.
    """
    key = "".join(word.split()).strip("。.；;！!()（）")
    if in_not_done_column and key in _CHECK_MARKS:
        return Status.NOT_DONE
    return _STATUS_WORDS.get(key)


def opening_status(text: str) -> tuple[str, Status] | None:
    """A status word opening a narrative (``已完成。已印发实施方案…``): the word and its status."""
    m = _OPENING_RE.match(text.lstrip())
    if m is None:
        return None
    return m.group(1), _STATUS_WORDS[m.group(1)]


@dataclass(frozen=True, slots=True)
class Column:
    """A column shown per line of a task: its role and the table's own name for it."""

    __reduce__ = by_constructor

    role: Role | None
    label: str
    index: int
    """The column's position in the table (two columns may share a name)."""


@dataclass(frozen=True, slots=True)
class Field:
    """One cell of a step, under its column's role and the column's own name."""

    __reduce__ = by_constructor

    role: Role | None
    """None for a column no role fits (shown under its own name)."""
    label: str
    value: Cleaned
    merged: bool = False
    """The cell is merged with the line above in the same task: the text above covers it."""
    column: int = -1
    """The column's position in the table."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A progress figure as the office states it (``85%(部分点位进度滞后)``, ``101.3``)."""

    __reduce__ = by_constructor

    text: str
    percent: float | None
    """The percentage the text states, for the bar; None where it states none. Never computed."""
    source: str = ""
    """The column it was read from."""


@dataclass(frozen=True, slots=True)
class Step:
    """One line of a task: its plan for the period, the status and what was done."""

    __reduce__ = by_constructor

    line: int
    row: int
    """The line counted among the table's data lines (the same in every file format)."""
    label: str | None
    """The line's own number, where a continuation line has one."""
    kind: str | None
    """进度安排, 施工图…; None where the table has no step-kind column."""
    mark: str | None
    """The office's own mark or word, e.g. ✓ or 正在推进."""
    status: Status | None
    """None where the report states no status at all."""
    status_source: str | None
    """Where the status was read: a column's name, or "进展情况开头" for a narrative
    that opens with it (已完成。…)."""
    word: str | None
    """The status in the office's words: the word written, or the column a mark ✓ is in."""
    figure: Figure | None
    fields: tuple[Field, ...]
    """The step's other cells in the table's column order (plan, progress, target, actual,
    deadline, problems, next steps, place, remarks, columns of no role)."""

    def field(self, role: Role) -> Field | None:
        for f in self.fields:
            if f.role is role:
                return f
        return None

    def text_of(self, role: Role) -> Cleaned | None:
        f = self.field(role)
        return f.value if f is not None else None

    @property
    def plan(self) -> Cleaned | None:
        return self.text_of(Role.PLAN)

    @property
    def progress(self) -> Cleaned | None:
        return self.text_of(Role.PROGRESS)

    @property
    def progress_merged(self) -> bool:
        f = self.field(Role.PROGRESS)
        return f is not None and f.merged

    @property
    def deadline(self) -> str | None:
        value = self.text_of(Role.DEADLINE)
        return value.text if value is not None and value.text else None

    @property
    def extras(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.role in (None, Role.EXTRA))


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A line of the table as read, kept to prove that every cell reached the site."""

    __reduce__ = by_constructor

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Task:
    __reduce__ = by_constructor

    report_slug: str
    seq: str
    key: str
    """The number as used in the task's address and id (``(1)`` → ``1``)."""
    line: int
    row: int
    """The task's first line counted among the table's data lines (the same in every format)."""
    article: str | None
    """The work report's article number, e.g. "18" for a task text starting 「18.」."""
    text: str
    """The task text as plain text (article number removed)."""
    region: str | None
    """The place the report's units belong to (from the report's .yml)."""
    units: tuple[str, ...]
    supporting_units: tuple[str, ...]
    offices: tuple[str, ...]
    leaders: tuple[str, ...]
    """Responsible leaders (people), as the table names them; never units."""
    supervision: str | None
    section: str | None
    steps: tuple[Step, ...]
    units_as_written: str | None
    """The unit cell as the table writes it, where splitting it changed more than separators."""
    source: tuple[SourceRow, ...]
    _memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @_cached
    def id(self) -> str:
        """Stable ID: report slug + the 序号 as used in addresses."""
        return f"{self.report_slug}-{self.key}"

    @_cached
    def all_units(self) -> tuple[str, ...]:
        return self.units + tuple(u for u in self.supporting_units if u not in self.units)

    @_cached
    def status(self) -> Status | None:
        """The task's status for counting: the least advanced of its marked steps."""
        stated = [s.status for s in self.steps if s.status is not None]
        if not stated:
            return None
        marked = [s for s in stated if s is not Status.UNMARKED]
        if not marked:
            return Status.UNMARKED
        for status in (Status.NOT_DONE, Status.BEHIND, Status.IN_PROGRESS):
            if status in marked:
                return status
        return Status.DONE

    @_cached
    def deadline(self) -> str | None:
        return next((s.deadline for s in self.steps if s.deadline), None)

    @_cached
    def figure(self) -> Figure | None:
        """The task's stated progress figure; None where its lines state several (each
        indicator its own), which the step table shows line by line."""
        figures = [s.figure for s in self.steps if s.figure is not None]
        if len(figures) != 1:
            return None
        # The one figure is the task's only where the other lines state nothing of their
        # own: lines with their own target or result (岳阳市: 60座台站… | 8 | …, then 新增15万户…
        # | 12800 | 7854 | 61.4%) are indicators, and the figure is its line's alone.
        for step in self.steps:
            if step.figure is None and any(
                (f := step.field(role)) is not None and f.value.text
                for role in (Role.TARGET, Role.ACTUAL, Role.FIGURE)
            ):
                return None
        return figures[0]

    @_cached
    def unit_keys(self) -> tuple[UnitKey, ...]:
        return tuple(UnitKey(self.region, name) for name in self.all_units)

    @_cached
    def stated(self) -> str:
        """The status in the office's own words (正在推进, 已完成 for a ✓ in that column),
        the category's name where the table states none for this task."""
        words = [s.word for s in self.steps if s.word]
        if words:
            return "；".join(dict.fromkeys(words))
        return self.status.label if self.status is not None else Status.UNMARKED.label

    @property
    def stated_by_kind(self) -> str:
        """As ``stated``, but where the task's lines state different words, each with the line
        it belongs to (进度安排：未完成；施工图：已完成), so a badge says which is which."""
        pairs = [(s.kind or s.label, s.word) for s in self.steps if s.word]
        if len({w for _, w in pairs}) < 2 or not all(k for k, _ in pairs):
            return self.stated
        return "；".join(dict.fromkeys(f"{k}：{w}" for k, w in pairs))

    @_cached
    def marks(self) -> tuple[str, ...]:
        """The office's own words for the status, in order, without repeats."""
        return tuple(dict.fromkeys(s.mark for s in self.steps if s.mark))


@dataclass(frozen=True, order=True, slots=True)
class UnitKey:
    """A unit is its name in its place: 县民政局 of two counties are two units."""

    __reduce__ = by_constructor

    region: str | None
    name: str


@dataclass(frozen=True)
class Reconciliation:
    """What was read and what was published, shown on the report page (数据核对)."""

    rows_read: int
    """Data lines read under the header (the same in every file format)."""
    tasks: int
    steps: int
    cells: int
    units: int


@dataclass(frozen=True)
class Pin:
    """A ``match:`` line of a report's ``.yml``: this task is (or is not) that earlier one."""

    current: str
    """The 序号 in this report."""
    previous: str | None
    """The 序号 in the previous report of the series; None: the task is new (no match)."""
    line: int | None


@dataclass(frozen=True)
class Report:
    slug: str
    path: Path
    title: str
    source_title: str | None
    """The table's own title line, where it has one."""
    region: str | None
    issuer: str | None
    year: int | None
    period: str | None
    published: dt.date | None
    source_url: str | None
    has_status: bool
    """False where the table has no status column: its tasks state no status."""
    step_columns: tuple[Column, ...]
    """The columns shown per line of a task, in the table's order: (role, the table's name)."""
    sections: tuple[str, ...]
    tasks: tuple[Task, ...]
    reconciliation: Reconciliation
    preamble: tuple[str, ...] = ()
    """Lines above the table's header other than its title (填报单位, 日期…)."""
    notes: tuple[str, ...] = ()
    """Lines under the table about it (注：…), shown on the report page."""
    totals: tuple[tuple[tuple[str, str], ...], ...] = ()
    """The table's 合计 / 全省 lines, each as (column name, text) pairs: shown, not tasks."""
    source_note: str | None = None
    """Said instead of a source link where the table has none (样例数据…)."""
    area_code: str | None = None
    """The issuer's telephone area code: a 7- or 8-digit phone is dialled with it."""
    contact: str | None = None
    """A general number for tasks whose table lists no phone (the issuer's, or 12345)."""
    has_supporting: bool = False
    """The table lists supporting units apart from the lead ones."""
    units_label: str | None = None
    """The table's name for its unit column (责任单位, 牵头单位…); None where it has none."""
    status_column: str | None = None
    """The name of the column the statuses were read from; None where they come from the
    narratives or there are none."""
    meta_path: Path | None = None
    """The report's ``.yml``, where it has one."""
    declared_series: str | None = None
    """The ``series:`` of the ``.yml``: reports naming the same one are one series."""
    pins: tuple[Pin, ...] = ()
    """The ``match:`` lines of the ``.yml``."""
    reading: Reading | None = field(default=None, compare=False, repr=False)
    """How the table was read (columns, decisions, each line), for check and the preview."""

    @functools.cached_property
    def units(self) -> tuple[UnitKey, ...]:
        return tuple(dict.fromkeys(u for t in self.tasks for u in t.unit_keys))

    @functools.cached_property
    def step_count(self) -> int:
        return sum(len(t.steps) for t in self.tasks)


_LEVELS = (
    ("省级", re.compile(r"^(省|.{2,3}省(?!.*[市县区镇乡]))")),
    ("市级", re.compile(r"^(市|团市委|.{2,3}市(?!.*[县区镇乡]))")),
    ("县（区）级", re.compile(r"^(县|区|各县|相关县|.{2,3}[县区](?!.*[镇乡]))")),
    ("乡镇（街道）级", re.compile(r"^(镇|乡|街道|各乡|.{2,3}[镇乡]|.{2,4}街道)")),
)
LEVEL_NAMES = (*(name for name, _ in _LEVELS), "其他")


_REGION_LEVEL_RE = re.compile(r"(省|自治区)$|(市|州|盟)$|(县|区|旗)$|(镇|乡|街道)$")


def unit_level(name: str, region: str | None = None) -> int:
    """省 0, 市 1, 县/区 2, 乡镇 3, others 4 — from how the name begins (省发展改革委, 合肥市政府,
    县民政局, 泗洲头镇…), else from the place its report names; the units index is ordered so."""
    for level, (_, pattern) in enumerate(_LEVELS):
        if pattern.match(name):
            return level
    if region and (m := _REGION_LEVEL_RE.search(region)):
        return next(i for i, group in enumerate(m.groups()) if group)
    return len(_LEVELS)


@dataclass(frozen=True)
class Unit:
    key: UnitKey
    slug: str
    """The unit's address below ``units/``: ``region/name`` or ``name``."""
    aliases: tuple[str, ...]
    known: bool
    """False for a name the registry does not know (kept from a table's unit cell)."""
    tasks: tuple[Task, ...]

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def region(self) -> str | None:
        return self.key.region

    @functools.cached_property
    def level(self) -> int:
        return unit_level(self.key.name, self.key.region)

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
    series: tuple[Series, ...] = ()
    """Reports of one table over several periods (two or more), with their tasks matched."""

    @property
    def tasks(self) -> Iterable[Task]:
        for report in self.reports:
            yield from report.tasks

    def unit(self, key: UnitKey) -> Unit:
        return self._units_by_key[key]

    @functools.cached_property
    def _units_by_key(self) -> dict[UnitKey, Unit]:
        return {u.key: u for u in self.units}

    def report(self, slug: str) -> Report:
        return self._reports_by_slug[slug]

    @functools.cached_property
    def _reports_by_slug(self) -> dict[str, Report]:
        return {r.slug: r for r in self.reports}

    def series_of(self, report: Report) -> Series | None:
        return self._series_by_report.get(report.slug)

    @functools.cached_property
    def _series_by_report(self) -> dict[str, Series]:
        return {r.slug: s for s in self.series for r in s.reports}

    def thread_of(self, task: Task) -> Thread | None:
        """The task followed through its series; None where its report is in none."""
        return self._threads_by_task.get(task.id)

    def current(self, tasks: Iterable[Task]) -> list[Task]:
        """The tasks without a later period: a task followed through a series counts once,
        as its latest report states it."""
        out = []
        for task in tasks:
            thread = self._threads_by_task.get(task.id)
            if thread is None or thread.latest.id == task.id:
                out.append(task)
        return out

    @functools.cached_property
    def _threads_by_task(self) -> dict[str, Thread]:
        return {t.id: thread for s in self.series for thread in s.threads for t in thread.tasks}


def period_text(year: int | None, period: str | None) -> str:
    """2023 年度, 2024 年三季度, 2024 年 1-9 月: one way of writing a period everywhere."""
    if not period:
        return f"{year} 年" if year else ""
    text = re.sub(r"(\d)\s*月", r"\1 月", period.strip())
    if text == "年度":
        return f"{year} 年度" if year else "年度"
    if not year:
        return text
    return f"{year} 年 {text}" if text[:1].isdigit() else f"{year} 年{text}"


def count_statuses(tasks: Iterable[Task]) -> Counter[Status]:
    """Tasks per status; a task whose table states no status at all counts as not stated."""
    return Counter(t.status if t.status is not None else Status.UNMARKED for t in tasks)
