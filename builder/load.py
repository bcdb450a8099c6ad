"""Read a data folder — report tables, their ``.yml`` and ``units.yml`` — into a Site.

Everything is read and checked before anything is rendered, so a bad table stops the
build before a single page is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .clean import Cleaned, clean_cell, collapse
from .columns import Column
from .errors import Collector, DataError, Problem, Severity
from .model import (
    Extra,
    Reconciliation,
    Report,
    Site,
    SourceRow,
    Status,
    Step,
    Task,
    Unit,
    status_of_word,
)
from .parse import Record, Table, parse_file
from .units import Registry, load_registry

_SLUG_RE = re.compile(r"^[^\s/\\?#%&<>\"']+$")
_ARTICLE_RE = re.compile(r"^(\d{1,3})[.．、]\s*(?=\D)")
_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")
_PERIOD_RE = re.compile(r"(第?[一二三四]季度|上半年|下半年|年度|全年|年终)")
_META_KEYS = {
    "title",
    "issuer",
    "year",
    "period",
    "published",
    "source",
    "columns",
    "public_numbers",
}
_ID_RE = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])"
)
_MOBILE_RE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
_ELEVEN_DIGITS_RE = re.compile(r"\d{11}")  # in both of the above: one quick scan per cell
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class ReportMeta:
    """What ``<slug>.yml`` adds to a table."""

    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    period: str | None = None
    published: dt.date | None = None
    source: str | None = None
    columns: Mapping[str, str] | None = None
    public_numbers: frozenset[str] = frozenset()
    """Numbers published on purpose (e.g. a supervision mobile), exempt from the privacy check."""


@dataclass(frozen=True)
class Loaded:
    site: Site
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class DataResult:
    """Everything read from a data folder, problems included; nothing raised."""

    reports: tuple[Report, ...]
    registry: Registry
    problems: tuple[Problem, ...]
    paths: tuple[Path, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def read_data(data_dir: Path) -> DataResult:
    """Read and check every report under ``data_dir``, collecting every problem."""
    problems: list[Problem] = []
    registry, unit_problems = load_registry(data_dir / "units.yml")
    problems.extend(unit_problems)
    reports_dir = data_dir / "reports"
    paths = sorted(reports_dir.glob("*.txt")) if reports_dir.is_dir() else []
    if not paths:
        c = Collector(reports_dir)
        c.error(None, "没有找到报告表（应放在 data/reports/ 下，扩展名 .txt）")
        problems.extend(c.problems)
    reports: list[Report] = []
    for path in paths:
        report, report_problems = load_report(path, registry)
        problems.extend(report_problems)
        if report is not None:
            reports.append(report)
    return DataResult(tuple(reports), registry, tuple(problems), tuple(paths))


def load_site(data_dir: Path) -> Loaded:
    """Read every report under ``data_dir``; raise DataError listing all errors."""
    result = read_data(data_dir)
    if result.errors:
        raise DataError(result.problems)
    site = Site(result.reports, _collect_units(result.reports, result.registry))
    return Loaded(site, result.warnings)


def load_report(path: Path, registry: Registry) -> tuple[Report | None, list[Problem]]:
    c = Collector(path)
    slug = path.stem
    if not _SLUG_RE.match(slug):
        c.error(None, f"文件名“{path.name}”不能作网址：请不要使用空格和 / ? # % & < > 引号")
    meta = _read_meta(path.with_suffix(".yml"), c)
    parsed = parse_file(path, meta.columns)
    c.problems.extend(parsed.problems)
    table = parsed.table
    if table is None or c.has_errors:
        return None, c.problems
    return _build_report(slug, table, meta, registry, c), c.problems


def _read_meta(path: Path, c: Collector) -> ReportMeta:
    if not path.exists():
        return ReportMeta()
    mc = Collector(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, OSError) as exc:
        mark = getattr(exc, "problem_mark", None)
        mc.error(mark.line + 1 if mark else None, f"无法读取：{exc}")
        c.problems.extend(mc.problems)
        return ReportMeta()
    if not isinstance(data, Mapping):
        mc.error(
            None, "应为“键: 值”的映射（title、issuer、year、period、published、source、columns）"
        )
        c.problems.extend(mc.problems)
        return ReportMeta()
    for key in sorted(set(data) - _META_KEYS):
        mc.warning(None, f"未知的键“{key}”（可用：{'、'.join(sorted(_META_KEYS))}）")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)):
            mc.error(None, f"“{key}”应为文字")
            return None
        return collapse(str(value)) or None

    year = data.get("year")
    if year is not None and not (isinstance(year, int) and 1900 < year < 2200):
        mc.error(None, f"year 应为四位年份，而不是“{year}”")
        year = None
    published = data.get("published")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            mc.error(None, f"published 应为日期 YYYY-MM-DD，而不是“{published}”")
            published = None
    elif published is not None and not isinstance(published, dt.date):
        mc.error(None, f"published 应为日期 YYYY-MM-DD，而不是“{published}”")
        published = None
    source = text("source")
    if source and not source.lower().startswith(("http://", "https://")):
        mc.error(None, f"source 应为 http(s) 网址，而不是“{source}”")
        source = None
    columns = data.get("columns")
    if columns is not None and not (
        isinstance(columns, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        mc.error(None, "columns 应为“表中列名: 标准列名”的映射，例如 推进情况说明: 落实情况")
        columns = None
    numbers = data.get("public_numbers") or []
    if not isinstance(numbers, list):
        mc.error(None, "public_numbers 应为号码列表，例如 [13800000000]")
        numbers = []
    c.problems.extend(mc.problems)
    return ReportMeta(
        public_numbers=frozenset(re.sub(r"\D", "", str(n)) for n in numbers),
        title=text("title"),
        issuer=text("issuer"),
        year=year,
        period=text("period"),
        published=published,
        source=source,
        columns=columns,
    )


def _build_report(
    slug: str, table: Table, meta: ReportMeta, registry: Registry, c: Collector
) -> Report:
    header = table.header
    has_status = any(
        header.index(m) is not None for m in (Column.MARK_DONE, Column.MARK_NOT_DONE, Column.STATUS)
    )
    title = meta.title or table.title
    if not title:
        c.warning(None, "表格没有标题行，yml 中也没有 title：以文件名作标题")
        title = slug
    # The table's own title line first: a title set in the .yml may leave out the period.
    titles = f"{table.title or ''} {title}"
    year = meta.year
    if year is None and (m := _YEAR_RE.search(titles)):
        year = int(m.group(1))
    period = meta.period
    if period is None and (m := _PERIOD_RE.search(titles)):
        period = m.group(1).removeprefix("第")

    tasks = tuple(
        _build_task(slug, record, table, has_status, registry, c) for record in table.records
    )
    _check_privacy(table, meta.public_numbers, c)
    plan_col = header.index(Column.PLAN)
    progress_col = header.index(Column.PROGRESS)
    extra_labels = tuple(
        col.label or f"第 {col.index + 1} 列" for col in header.columns if col.meaning is None
    )
    units = {u for t in tasks for u in t.all_units}
    return Report(
        slug=slug,
        path=table.path,
        title=title,
        source_title=table.title,
        issuer=meta.issuer,
        year=year,
        period=period,
        published=meta.published,
        source_url=meta.source,
        has_status=has_status,
        plan_label=header.columns[plan_col].label if plan_col is not None else None,
        progress_label=(
            header.columns[progress_col].label if progress_col is not None else "完成情况"
        ),
        sections=table.sections,
        tasks=tasks,
        extra_labels=extra_labels,
        reconciliation=Reconciliation(
            lines_read=table.lines_read,
            tasks=len(tasks),
            steps=sum(len(t.steps) for t in tasks),
            cells=table.cells,
            units=len(units),
        ),
    )


def _check_privacy(table: Table, allowed: frozenset[str], c: Collector) -> None:
    """Warn about what looks like a personal ID number or a mobile number in any cell."""
    for record in table.records:
        for row in record.rows:
            for cell in row.cells:
                if not _ELEVEN_DIGITS_RE.search(cell):
                    continue
                for match in _ID_RE.finditer(cell):
                    if _valid_id(match.group()) and match.group() not in allowed:
                        c.warning(
                            row.line,
                            f"疑似身份证号 {match.group()[:6]}…：请删除个人信息后再发布",
                        )
                for match in _MOBILE_RE.finditer(cell):
                    if match.group() not in allowed:
                        c.warning(
                            row.line,
                            f"疑似手机号 {match.group()[:3]}…{match.group()[-4:]}：如是公开的监督电话，"
                            "请在 .yml 的 public_numbers 中列出",
                        )


def _valid_id(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _task_level(record: Record, index: int | None) -> str:
    """A task-level cell: the first line's, with any text continuation lines add to it."""
    values = [_cell(row.cells, index) for row in record.rows]
    return " ".join(v for v in values if v)


def _build_task(
    slug: str, record: Record, table: Table, has_status: bool, registry: Registry, c: Collector
) -> Task:
    header = table.header
    index = header.index
    text = collapse(_task_level(record, index(Column.TASK)))
    article = None
    if m := _ARTICLE_RE.match(text):
        article, text = m.group(1), text[m.end() :]
    if not text:
        c.warning(record.line, f"序号 {record.seq} 的任务内容为空")

    unit_cells = [
        _task_level(record, index(Column.UNITS)),
        _task_level(record, index(Column.LEAD_UNITS)),
        _task_level(record, index(Column.SUPPORT_UNITS)),
    ]
    units: list[str] = []
    offices: list[str] = []
    rewritten = False
    for cell in unit_cells[:2]:
        split = registry.split(cell)
        units.extend(u for u in split.names if u not in units)
        offices.extend(o for o in split.offices if o not in offices)
        _warn_unknown(split.unknown, record, c)
        rewritten = rewritten or registry.rewrites(cell)
    support = registry.split(unit_cells[2])
    _warn_unknown(support.unknown, record, c)
    offices.extend(o for o in support.offices if o not in offices)
    rewritten = rewritten or registry.rewrites(unit_cells[2])

    steps: list[Step] = []
    for row in record.rows:
        steps.append(_build_step(row.line, row.cells, table, has_status, steps, c))

    return Task(
        report_slug=slug,
        seq=record.seq,
        line=record.line,
        article=article,
        text=text,
        units=tuple(units),
        supporting_units=tuple(u for u in support.names if u not in units),
        offices=tuple(offices),
        supervision=collapse(_task_level(record, index(Column.SUPERVISION))) or None,
        section=record.section,
        steps=tuple(steps),
        units_as_written=" / ".join(collapse(u) for u in unit_cells if u) if rewritten else None,
        source=tuple(SourceRow(row.line, row.cells) for row in record.rows),
    )


def _warn_unknown(names: Sequence[str], record: Record, c: Collector) -> None:
    for name in names:
        c.warning(
            record.line,
            f"责任单位“{name}”不在单位名录 data/units.yml 中：已作为单独的单位发布，"
            "如是简称或错别字请在名录中加为别名",
        )


def _build_step(
    line: int,
    cells: Sequence[str],
    table: Table,
    has_status: bool,
    previous: Sequence[Step],
    c: Collector,
) -> Step:
    header = table.header
    index = header.index

    def cleaned(meaning: Column) -> Cleaned | None:
        col = index(meaning)
        if col is None:
            return None
        result = clean_cell(_cell(cells, col))
        _warn_dropped(result, line, c)
        return result

    progress = cleaned(Column.PROGRESS)
    merged = bool(
        progress is not None
        and not progress.text
        and previous
        and previous[-1].progress is not None
        and (previous[-1].progress.text or previous[-1].progress_merged)
    )
    mark, status = _status(line, cells, table, has_status, c)
    extras = []
    for col in header.columns:
        if col.meaning is None:
            value = clean_cell(_cell(cells, col.index))
            _warn_dropped(value, line, c)
            extras.append(Extra(col.label or f"第 {col.index + 1} 列", value))
    return Step(
        line=line,
        kind=collapse(_cell(cells, index(Column.STEP_KIND))) or None,
        plan=cleaned(Column.PLAN),
        mark=mark,
        status=status,
        progress=progress,
        progress_merged=merged,
        deadline=collapse(_cell(cells, index(Column.DEADLINE))) or None,
        extras=tuple(extras),
    )


def _warn_dropped(cleaned: Cleaned, line: int, c: Collector) -> None:
    for what in cleaned.dropped:
        c.warning(line, f"单元格中的 {what} 不安全，已删除（只发布文字）")


def _status(
    line: int, cells: Sequence[str], table: Table, has_status: bool, c: Collector
) -> tuple[str | None, Status | None]:
    if not has_status:
        return None, None
    header = table.header
    found: list[tuple[str, Status | None]] = []
    for meaning, in_not_done in (
        (Column.MARK_DONE, False),
        (Column.MARK_NOT_DONE, True),
        (Column.STATUS, False),
    ):
        col = header.index(meaning)
        word = collapse(_cell(cells, col))
        if not word:
            continue
        status = status_of_word(word, in_not_done_column=in_not_done)
        if status is None:
            c.warning(line, f"不认识的完成状态“{word}”：原样显示，按“未标注”计数")
        shown = word
        if meaning is not Column.STATUS and len(word) <= 2 and col is not None:
            shown = f"{word}（{header.columns[col].label}）"
        found.append((shown, status))
    if not found:
        return None, Status.UNMARKED
    mark = "；".join(word for word, _ in found)
    statuses = {s for _, s in found if s is not None}
    if len(statuses) > 1:
        c.warning(line, f"同一行标注了相互矛盾的状态：{mark}")
        return mark, Status.UNMARKED
    return mark, (statuses.pop() if statuses else Status.UNMARKED)


def _collect_units(reports: Sequence[Report], registry: Registry) -> tuple[Unit, ...]:
    by_name: dict[str, list[Task]] = {}
    for report in reports:
        for task in report.tasks:
            for name in task.all_units:
                by_name.setdefault(name, []).append(task)
    units = []
    for name in sorted(by_name):
        units.append(
            Unit(
                name=name,
                slug=unit_slug(name),
                aliases=registry.aliases_of(name),
                known=registry.canonical(name) is not None,
                tasks=tuple(by_name[name]),
            )
        )
    return tuple(units)


def unit_slug(name: str) -> str:
    """A unit's URL segment: its name, with characters that break URLs replaced."""
    return re.sub(r"[\s/\\?#%&<>\"'.]", "-", name)
