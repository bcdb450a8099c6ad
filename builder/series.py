"""Stage 3b: reports of one table over several periods, and each task followed through them.

An office publishes the same table every quarter or month. Reports of the same issuer (or
place), year and title — the title with its period words taken out — form a series, or the
reports whose ``.yml`` names the same ``series:``. Within a series the reports are ordered
by period, and each report's tasks are matched with the previous report's by number and
text. A match is made only where it is safe; a pair with the same number whose texts differ
too much is left unmatched and listed by ``check``, and the ``.yml`` can pin or forbid one.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import difflib
import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .clean import shorten
from .columns import Role
from .errors import Collector, Fix, Problem
from .model import Figure, Report, Status, Task, period_text

SAME_NUMBER = 0.5
"""Least text similarity for two tasks of the same number to be the same task."""
RENUMBERED = 0.8
"""Least text similarity for two tasks of different numbers (a renumbered task)."""

_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
# What a period says about where it ends: (month, rank). The rank orders periods that end
# in the same month: a quarter's table before the year's (四季度 < 年度).
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], int | None, int], ...] = (
    (re.compile(r"前三季度"), 9, 1),
    (re.compile(r"第?([一二三四1-4])季度"), None, 0),
    (re.compile(r"上半年"), 6, 1),
    (re.compile(r"下半年"), 12, 0),
    (re.compile(r"(?:年度|全年|年终|年底)"), 12, 2),
)
_MONTH_RANGE_RE = re.compile(
    rf"(\d{{1,2}}|{_CN_MONTH})\s*月?\s*[-—–~至到]\s*(\d{{1,2}}|{_CN_MONTH})\s*月"
)
_MONTH_RE = re.compile(rf"(\d{{1,2}}|{_CN_MONTH})\s*月(?:份|底|末)?")
_AS_OF_RE = re.compile(
    rf"截[至止]\s*(?:(\d{{4}})\s*年)?\s*(\d{{1,2}}|{_CN_MONTH})\s*月\s*(?:(\d{{1,2}})\s*日|底|末)?"
)
# Words of a title that name its period, taken out to see which titles are the same table.
_PERIOD_WORDS_RE = re.compile(
    r"[(（]?\s*(?:截[至止][^)）]{0,16}|前三季度|第?[一二三四1-4]季度|[上下]半年|年度|全年|年终|年底"
    rf"|(?:\d{{1,2}}|{_CN_MONTH})\s*月?\s*[-—–~至到]\s*(?:\d{{1,2}}|{_CN_MONTH})\s*月份?"
    rf"|(?:\d{{1,2}}|{_CN_MONTH})\s*月份?(?:底|末)?)\s*[)）]?"
)
_NOISE_RE = re.compile(r"[\s\W_]+")
_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_NUMBERS.get(text[1:], 0) if len(text) > 1 else 0)
    return _CN_NUMBERS[text]


@dataclass(frozen=True, order=True)
class PeriodEnd:
    """Where a report's period ends, for ordering the reports of a series."""

    year: int
    month: int
    day: int
    rank: int

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, self.month, self.day)


def period_end(report: Report) -> PeriodEnd | None:
    """The end of the period a report covers: 三季度 → 9-30, 1-7月 → 7-31, 年度 → 12-31,
    截至 9 月 20 日 → 9-20. None where the report states no period the site can place."""
    year = report.year
    texts = [report.period or "", report.title, report.source_title or "", *report.preamble]
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        if (m := _AS_OF_RE.search(text)) is not None:
            y = int(m.group(1)) if m.group(1) else year
            month = _month(m.group(2))
            if y is None or not 1 <= month <= 12:
                continue
            last = calendar.monthrange(y, month)[1]
            day = int(m.group(3)) if m.group(3) else last
            return PeriodEnd(y, month, min(max(day, 1), last), 0)
    if year is None:
        return None
    for text in texts:
        found = _period_in(unicodedata.normalize("NFKC", text))
        if found is not None:
            month, rank = found
            return PeriodEnd(year, month, calendar.monthrange(year, month)[1], rank)
    return None


def _period_in(text: str) -> tuple[int, int] | None:
    for pattern, month, rank in _PERIOD_PATTERNS:
        if (m := pattern.search(text)) is not None:
            if month is None:
                quarter = m.group(1)
                month = 3 * (int(quarter) if quarter.isdigit() else _CN_NUMBERS[quarter])
            return month, rank
    if (m := _MONTH_RANGE_RE.search(text)) is not None:
        month = _month(m.group(2))
        return (month, 0) if 1 <= month <= 12 else None
    if (m := _MONTH_RE.search(text)) is not None:
        month = _month(m.group(1))
        return (month, 0) if 1 <= month <= 12 else None
    return None


def report_date(report: Report) -> dt.date | None:
    """The date a report is placed at in feeds: its publication date, else its period's end."""
    if report.published is not None:
        return report.published
    end = period_end(report)
    return end.date if end is not None else None


def table_name(title: str) -> str:
    """A title without its period words, spaces and punctuation: the same for every period
    of one table (市工信局2024年政府工作报告任务完成情况)."""
    text = unicodedata.normalize("NFKC", title)
    return _NOISE_RE.sub("", _PERIOD_WORDS_RE.sub("", text))


def display_name(title: str) -> str:
    """A title without its period words, as readers see it (市工信局 2024 年政府工作报告任务完成情况)."""
    text = _PERIOD_WORDS_RE.sub("", title)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)
    return text or title


def _normal(text: str) -> str:
    return _NOISE_RE.sub("", unicodedata.normalize("NFKC", text))


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


def _dice(x: frozenset[str], y: frozenset[str]) -> float:
    # Never 0 / 0: _bigrams gives at least one item.
    return 2 * len(x & y) / (len(x) + len(y))


class _Near:
    """The tasks whose character pairs are at least ``threshold`` alike (Dice) to a text's,
    without comparing the text with every task: a prefix filter (Chaudhuri et al., 2006).
    Two sets that are that alike share at least ``t / (2 - t)`` of either set's pairs, so
    with each set's pairs in one order (rarest first) the first ``n - ceil(n·t/(2-t)) + 1``
    of each must meet. Only the tasks met that way are compared, so matching a report's
    renumbered tasks costs about the tasks, not the tasks squared."""

    def __init__(self, tasks: Sequence[tuple[Task, frozenset[str]]], threshold: float):
        self.threshold = threshold
        self.share = threshold / (2 - threshold)
        counts: Counter[str] = Counter(g for _, grams in tasks for g in grams)
        self.rank = {g: (n, g) for g, n in counts.items()}
        self.grams = {task.key: grams for task, grams in tasks}
        self.by_gram: dict[str, list[Task]] = {}
        for task, grams in tasks:
            for g in self._prefix(grams):
                self.by_gram.setdefault(g, []).append(task)

    def _prefix(self, grams: frozenset[str]) -> list[str]:
        # Rounded down (one pair more than needed), so that float rounding never drops a pair
        # that is exactly as alike as the threshold.
        needed = int(len(grams) * self.share * (1 - 1e-9))
        ordered = sorted(grams, key=lambda g: self.rank.get(g, (0, g)))
        return ordered[: len(grams) - needed + 1]

    def close(self, grams: frozenset[str], taken: set[str]) -> list[Task]:
        """The tasks not in ``taken`` (keys) at least ``threshold`` alike."""
        seen: set[str] = set()
        out: list[Task] = []
        for g in self._prefix(grams):
            for task in self.by_gram.get(g, ()):
                if task.key in seen or task.key in taken:
                    continue
                seen.add(task.key)
                if _dice(grams, self.grams[task.key]) >= self.threshold:
                    out.append(task)
        return out


def similarity(a: str, b: str) -> float:
    """How alike two task texts are, 0–1 (Dice over character pairs; spaces, punctuation and
    full/half width ignored)."""
    return _dice(_bigrams(_normal(a)), _bigrams(_normal(b)))


# -- the model of a series -------------------------------------------------------------------
@dataclass(frozen=True)
class Rejected:
    """Two tasks of the same number whose texts differ too much to be matched unasked."""

    previous: Task
    current: Task
    similarity: float


@dataclass(frozen=True)
class Comparison:
    """One report of a series against the one before it."""

    report: Report
    previous: Report
    matched: tuple[tuple[Task, Task], ...]
    """(previous, current) pairs."""
    new: tuple[Task, ...]
    dropped: tuple[Task, ...]
    """Tasks of the previous report this one does not list."""
    rejected: tuple[Rejected, ...]
    pinned: int = 0
    resumed: tuple[tuple[Task, Task], ...] = ()
    """(earlier, current): tasks the previous report left out, listed again (not in ``new``)."""

    @functools.cached_property
    def done(self) -> tuple[tuple[Task, Task], ...]:
        """Newly stated as done."""
        return tuple(
            (p, c)
            for p, c in self.matched
            if c.status is Status.DONE and p.status is not Status.DONE
        )

    @functools.cached_property
    def behind(self) -> tuple[tuple[Task, Task], ...]:
        """Newly stated as behind or not done."""
        bad = (Status.BEHIND, Status.NOT_DONE)
        return tuple((p, c) for p, c in self.matched if c.status in bad and p.status not in bad)

    @functools.cached_property
    def status_changed(self) -> tuple[tuple[Task, Task], ...]:
        """Every matched task whose stated status moved to another category."""
        return tuple(
            (p, c)
            for p, c in self.matched
            if c.status is not None and p.status is not None and c.status is not p.status
        )

    @functools.cached_property
    def moved(self) -> tuple[tuple[Task, Task], ...]:
        """Tasks whose stated progress figure changed (80% → 95%)."""
        return tuple(
            (p, c)
            for p, c in self.matched
            if _figure_text(p.figure) != _figure_text(c.figure)
            and (p.figure is not None or c.figure is not None)
        )

    @functools.cached_property
    def previous_of(self) -> dict[str, Task]:
        """The matched previous task of each current task, by the current task's id."""
        return {c.id: p for p, c in self.matched}

    @functools.cached_property
    def new_ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.new)

    @functools.cached_property
    def dropped_ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.dropped)

    @functools.cached_property
    def renumbered(self) -> tuple[tuple[Task, Task], ...]:
        """Matched tasks whose number changed: listed by ``check`` to be looked at."""
        return tuple((p, c) for p, c in self.matched if p.key != c.key)

    @property
    def summary(self) -> str:
        """In words: 变为已完成 1 项，新增 2 项…, or 没有变化 (against the previous period)."""
        parts = [
            ("变为已完成", len(self.done)),
            ("变为滞后或未完成", len(self.behind)),
            ("进度变化", len(self.moved)),
            ("新增", len(self.new)),
            ("不再列出", len(self.dropped)),
            ("再次列出", len(self.resumed)),
        ]
        return "，".join(f"{name} {n} 项" for name, n in parts if n) or "没有变化"

    @property
    def changed(self) -> bool:
        return bool(self.new or self.dropped or self.resumed or self.status_changed or self.moved)


def _figure_text(figure: Figure | None) -> str | None:
    return figure.text if figure is not None else None


@dataclass(frozen=True)
class Thread:
    """One task followed through the periods of a series: its tasks, earliest first."""

    series_id: str
    key: str
    """The task's address within the series: its number where it first appears."""
    tasks: tuple[Task, ...]

    @property
    def latest(self) -> Task:
        return self.tasks[-1]


@dataclass(frozen=True)
class Series:
    id: str
    """The series' address below ``series/``."""
    name: str
    """The table's title without its period (the latest report's)."""
    reports: tuple[Report, ...]
    """Earliest period first."""
    comparisons: tuple[Comparison, ...]
    """``comparisons[i]`` compares ``reports[i + 1]`` with ``reports[i]``."""
    threads: tuple[Thread, ...]

    @property
    def latest(self) -> Report:
        return self.reports[-1]

    def comparison_of(self, report: Report) -> Comparison | None:
        """The comparison of ``report`` with the report before it; None for the first."""
        for step in self.comparisons:
            if step.report.slug == report.slug:
                return step
        return None


@dataclass(frozen=True)
class Linked:
    series: tuple[Series, ...]
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]
    """What ``check`` lists: per series the tasks matched, new and dropped and the pairs left
    unmatched; and the reports no feed can place (no date, no period)."""


def link_series(reports: Sequence[Report]) -> Linked:
    """Group reports into series, order them by period and match their tasks."""
    problems: list[Problem] = []
    groups: dict[tuple[object, ...], list[Report]] = {}
    for report in reports:
        key = _series_key(report)
        if key is not None:
            groups.setdefault(key, []).append(report)
    series: list[Series] = []
    used_ids: set[str] = set()
    in_series: set[str] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        placed: list[tuple[PeriodEnd, Report]] = []
        for report in members:
            end = period_end(report)
            if end is None:
                c = Collector(report.path)
                others = "、".join(r.path.name for r in members if r is not report)
                c.warning(
                    None,
                    f"与 {others} 是同一张表的不同期，但看不出本表的期间（如 三季度、1-9月、"
                    "截至9月底）：请在 .yml 中写 period:，本表暂不与其他各期比较",
                    fix=Fix("period", "", sure=False, note="本表的期间，如 三季度、1-9月"),
                )
                problems.extend(c.problems)
                continue
            placed.append((end, report))
        placed.sort(key=lambda pair: (pair[0], pair[1].slug))
        for (a_end, a), (b_end, b) in itertools.pairwise(placed):
            if a_end == b_end:
                c = Collector(b.path)
                c.error(
                    None,
                    f"与 {a.path} 是同一张表，期间也相同（{a_end.date.isoformat()}）：如是更正版，"
                    "请删去旧的一份；如是两张不同的表，请在各自的 .yml 中写不同的 series:",
                )
                problems.extend(c.problems)
        ordered = tuple(r for _, r in placed)
        if len(ordered) < 2:
            continue
        sid = _series_id(ordered, used_ids)
        used_ids.add(sid)
        steps = []
        for previous, report in itertools.pairwise(ordered):
            step, step_problems = _match(previous, report)
            steps.append(step)
            problems.extend(step_problems)
        in_series.update(r.slug for r in ordered)
        threads, resumed = _threads(sid, ordered, steps)
        steps = [
            dataclasses.replace(
                step,
                new=tuple(t for t in step.new if t.id not in resumed),
                resumed=tuple((resumed[t.id], t) for t in step.new if t.id in resumed),
            )
            for step in steps
        ]
        series.append(
            Series(
                id=sid,
                name=display_name(ordered[-1].title),
                reports=ordered,
                comparisons=tuple(steps),
                threads=threads,
            )
        )
    firsts = {s.reports[0].slug for s in series}
    for report in reports:
        if report.pins and report.slug in firsts:
            c = Collector(report.meta_path or report.path)
            c.error(report.pins[0].line, "match: 本表是同一张表的第一期，没有上一期可以对应")
            problems.extend(c.problems)
        if report.pins and report.slug not in in_series:
            c = Collector(report.meta_path or report.path)
            c.error(
                report.pins[0].line,
                "match: 只用于同一张表的后一期：本表没有找到上一期（同一发布单位、年份和标题，"
                "或相同的 series:）",
            )
            problems.extend(c.problems)
    series.sort(key=lambda s: s.id)
    undated = [
        f"{r.path.name} 看不出发布日期和期间：不会出现在订阅（Atom）和首页的最近更新中；"
        "如要出现，请在 .yml 中写 published: 或 period:"
        for r in reports
        if report_date(r) is None
    ]
    return Linked(tuple(series), tuple(problems), (*_notices(series), *undated))


def _series_key(report: Report) -> tuple[object, ...] | None:
    if report.declared_series:
        return ("declared", report.declared_series)
    # Without an issuer or a place, two offices' tables of the same title would be joined.
    if not (report.issuer or report.region) or report.year is None:
        return None
    return ("table", report.region, report.issuer, report.year, table_name(report.title))


_ID_RE = re.compile(r"[\s/\\?#%&<>\"'.]+")
_PERIOD_TOKEN_RE = re.compile(
    r"^(?:q[1-4]|h[12]|m?\d{1,2}m?|\d{1,2}yue|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|annual|year|half|nianzhong|niandu|jidu|jiezhi\d*yue)$",
    re.IGNORECASE,
)


def _series_id(reports: Sequence[Report], used: set[str]) -> str:
    """The words common to the reports' file names, without period words
    (2024-anqing-industry-q3, -q4 → 2024-anqing-industry); or the declared name."""
    declared = reports[0].declared_series
    if declared:
        base = _ID_RE.sub("-", declared).strip("-") or reports[0].slug
    else:
        token_sets = [set(r.slug.split("-")) for r in reports[1:]]
        common = [
            token
            for token in reports[0].slug.split("-")
            if all(token in tokens for tokens in token_sets) and not _PERIOD_TOKEN_RE.match(token)
        ]
        base = "-".join(common)
        if len(base) < 4:
            base = reports[0].slug
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}-{n}", n + 1
    return sid


def _match(previous: Report, report: Report) -> tuple[Comparison, list[Problem]]:
    problems: list[Problem] = []
    before = {t.key: t for t in previous.tasks}
    by_seq = {t.seq: t for t in previous.tasks} | before
    now = {t.key: t for t in report.tasks}
    now_by_seq = {t.seq: t for t in report.tasks} | now
    pairs: dict[str, Task] = {}  # current key → previous task
    taken: set[str] = set()  # previous keys
    forbidden: set[str] = set()
    c = Collector(report.meta_path or report.path)
    for pin in report.pins:
        current = now_by_seq.get(pin.current)
        if current is None:
            c.error(pin.line, f"match: 本期没有序号 {pin.current} 的任务")
            continue
        if pin.previous is None:
            forbidden.add(current.key)
            continue
        earlier = by_seq.get(pin.previous)
        if earlier is None:
            c.error(
                pin.line, f"match: 上一期（{previous.path.name}）没有序号 {pin.previous} 的任务"
            )
            continue
        if earlier.key in taken:
            c.error(pin.line, f"match: 上一期的序号 {pin.previous} 已与本期另一项任务匹配")
            continue
        pairs[current.key] = earlier
        taken.add(earlier.key)
    problems.extend(c.problems)
    pinned = len(pairs) + len(forbidden)

    def free(task: Task) -> bool:
        return task.key not in pairs and task.key not in forbidden

    # The same text: the same task, whatever its number now (a renumbered list).
    texts: dict[str, list[Task]] = {}
    for task in previous.tasks:
        if task.key not in taken:
            texts.setdefault(_normal(task.text), []).append(task)
    for task in report.tasks:
        if not free(task):
            continue
        same = [t for t in texts.get(_normal(task.text), []) if t.key not in taken]
        if same:
            # Several earlier tasks of this text (one project, many lines): the same number
            # first, else the first in order.
            earlier = next((t for t in same if t.key == task.key), same[0])
            pairs[task.key] = earlier
            taken.add(earlier.key)
    # The same number with a text revised a little.
    rejected: list[Rejected] = []
    for task in report.tasks:
        if not free(task):
            continue
        earlier = before.get(task.key)
        if earlier is None or earlier.key in taken:
            continue
        score = similarity(earlier.text, task.text)
        if score >= SAME_NUMBER:
            pairs[task.key] = earlier
            taken.add(earlier.key)
        else:
            rejected.append(Rejected(earlier, task, score))
    # A different number and a text revised a little: only a clear best, one to one.
    left = [t for t in previous.tasks if t.key not in taken]
    rejected_keys = {r.current.key for r in rejected}
    if left:
        near = _Near([(t, _bigrams(_normal(t.text))) for t in left], RENUMBERED)
        for task in report.tasks:
            if not free(task) or task.key in rejected_keys:
                continue
            close = near.close(_bigrams(_normal(task.text)), taken)
            if len(close) == 1:
                pairs[task.key] = close[0]
                taken.add(close[0].key)
    still_rejected = tuple(r for r in rejected if r.current.key not in pairs)
    step = Comparison(
        report=report,
        previous=previous,
        matched=tuple((pairs[t.key], t) for t in report.tasks if t.key in pairs),
        new=tuple(t for t in report.tasks if t.key not in pairs),
        dropped=tuple(t for t in previous.tasks if t.key not in taken),
        rejected=still_rejected,
        pinned=pinned,
    )
    return step, problems


def _threads(
    sid: str, reports: Sequence[Report], steps: Sequence[Comparison]
) -> tuple[tuple[Thread, ...], dict[str, Task]]:
    """The tasks of a series joined into threads; and, per task listed again after a period
    that left it out, the earlier task it continues."""
    resumed: dict[str, Task] = {}
    chains: dict[str, list[Task]] = {t.id: [t] for t in reports[0].tasks}
    head_of: dict[str, str] = {t.id: t.id for t in reports[0].tasks}
    order = [t.id for t in reports[0].tasks]
    for step in steps:
        matched = {c.id: p for p, c in step.matched}
        listed = {t.id for t in step.previous.tasks}
        # Threads the previous report did not list: a task left out of one period (or cut
        # from an excerpt) picks up again where it was, by its number and a like text.
        dormant = {
            chain[-1].key: head for head, chain in chains.items() if chain[-1].id not in listed
        }
        forbidden = {pin.current for pin in step.report.pins if pin.previous is None}
        for task in step.report.tasks:
            earlier = matched.get(task.id)
            head = head_of[earlier.id] if earlier is not None else None
            if head is None and task.seq not in forbidden and task.key not in forbidden:
                gone = dormant.get(task.key)
                if gone is not None and similarity(chains[gone][-1].text, task.text) >= SAME_NUMBER:
                    head = gone
                    resumed[task.id] = chains[gone][-1]
                    del dormant[task.key]
            if head is not None:
                chains[head].append(task)
                head_of[task.id] = head
            else:
                chains[task.id] = [task]
                head_of[task.id] = task.id
                order.append(task.id)
    threads = []
    keys: set[str] = set()
    position = {r.slug: i for i, r in enumerate(reports, 1)}
    for head in order:
        tasks = chains[head]
        key = tasks[0].key
        if key in keys:
            key = f"{key}-{position[tasks[0].report_slug]}"
        keys.add(key)
        threads.append(Thread(sid, key, tuple(tasks)))
    return tuple(threads), resumed


def _notices(series: Iterable[Series]) -> Iterable[str]:
    for s in series:
        periods = "、".join(_period_name(r) for r in s.reports)
        yield f"系列“{s.name}”（series/{s.id}/，{len(s.reports)} 期：{periods}）"
        for step in s.comparisons:
            line = (
                f"  {step.report.path.name} ← {step.previous.path.name}：匹配 {len(step.matched)} 项"
                + (f"（其中按 match: 指定 {step.pinned} 项）" if step.pinned else "")
                + f"，新增 {len(step.new)} 项"
                + _seqs(step.new)
                + f"，不再列出 {len(step.dropped)} 项"
                + _seqs(step.dropped)
                + (
                    f"，接续更早一期 {len(step.resumed)} 项" + _seqs([c for _, c in step.resumed])
                    if step.resumed
                    else ""
                )
            )
            yield line
            for p, c in step.renumbered:
                yield (
                    f"  序号 {c.seq} 对应上一期序号 {p.seq}（文字相似度 {similarity(p.text, c.text):.2f}）："
                    f"“{shorten(c.text, 24)}”。如不是同一项任务，在 {_yml(step.report)} 中写"
                    f" match: {{{c.seq}: 新增}}"
                )
            for r in step.rejected:
                yield (
                    f"  序号 {r.current.seq} 与上一期序号 {r.previous.seq} 文字差别较大"
                    f"（相似度 {r.similarity:.2f}），未匹配：“{shorten(r.previous.text, 24)}” / "
                    f"“{shorten(r.current.text, 24)}”。如是同一项任务，在 {_yml(step.report)} 中写"
                    f" match: {{{r.current.seq}: {r.previous.seq}}}"
                )


def _period_name(report: Report) -> str:
    if report.period:
        return period_text(report.year, report.period)
    end = period_end(report)
    return end.date.isoformat() if end else report.slug


def _seqs(tasks: Sequence[Task]) -> str:
    if not tasks:
        return ""
    shown = "、".join(t.seq for t in tasks[:10])
    return f"（序号 {shown}{'……' if len(tasks) > 10 else ''}）"


def _yml(report: Report) -> str:
    return str(report.meta_path or report.path.with_suffix(".yml"))


# -- what the pages show ---------------------------------------------------------------------
def narrative(task: Task) -> str:
    """What a task's lines say was done, as plain text: the 进展情况 cells, else 完成."""
    for role in (Role.PROGRESS, Role.ACTUAL):
        texts = [t.text for s in task.steps if (t := s.text_of(role)) is not None and t.text]
        if texts:
            return "\n".join(dict.fromkeys(texts))
    return ""


def sentences(text: str) -> list[str]:
    """A narrative cut into sentences at 。；！？ and line ends."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def sentence_diff(before: str, after: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sentences taken out of ``before`` and those added in ``after``, in order."""
    a, b = sentences(before), sentences(after)
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed.extend(a[i1:i2])
        if op in ("insert", "replace"):
            added.extend(b[j1:j2])
    return tuple(removed), tuple(added)
