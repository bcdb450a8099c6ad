"""Read a data folder — report tables, their ``.yml`` and ``units.yml`` — into a Site.

Everything is read and checked before anything is rendered, so a bad table stops the
build before a single page is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assemble import build_report
from .errors import Collector, DataError, Problem, Severity
from .header import Options
from .meta import ReportMeta, read_meta
from .model import Report, Site, Task, Unit, UnitKey, unit_level
from .parse import Parsed, Table, parse_grid
from .readers import READERS, ReadError, read, unsupported_message
from .series import Series, link_series
from .tables import Choice, choose
from .units import Registry, load_registry

_SLUG_RE = re.compile(r"^[^\s/\\?#%&<>\"']+$")
_SIDECARS = {".yml", ".yaml", ".md"}
"""Files beside the tables that are not tables: a report's .yml, notes."""


@dataclass(frozen=True)
class Loaded:
    site: Site
    warnings: tuple[Problem, ...]
    series_notices: tuple[str, ...] = ()
    data: DataResult | None = field(default=None, repr=False)
    """Everything read, for the staff preview (读表结果) that ``mkdocs serve`` shows."""


@dataclass(frozen=True)
class Suggestion:
    """The smallest ``.yml`` that would let a table publish that does not, where the table
    shows it clearly; otherwise only the candidates, for staff to choose."""

    path: Path
    yml: str | None
    candidates: tuple[str, ...] = ()
    """Every column that could hold the tasks, most likely first."""


@dataclass(frozen=True)
class DataResult:
    """Everything read from a data folder, problems included; nothing raised."""

    reports: tuple[Report, ...]
    registry: Registry
    problems: tuple[Problem, ...]
    paths: tuple[Path, ...]
    suggestions: tuple[Suggestion, ...] = ()
    series: tuple[Series, ...] = ()
    series_notices: tuple[str, ...] = ()
    """Per series: the tasks matched, new and dropped, and the pairs left unmatched."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def read_data(data_dir: Path, load: FileLoader | None = None) -> DataResult:
    """Read and check every report under ``data_dir``, collecting every problem. ``load``
    reads one table (:func:`load_file`, or the same answered from a cache: incremental.py)."""
    load = load or load_file
    problems: list[Problem] = []
    registry, unit_problems = load_registry(data_dir / "units.yml")
    problems.extend(unit_problems)
    reports_dir = data_dir / "reports"
    files = sorted(p for p in reports_dir.iterdir() if p.is_file()) if reports_dir.is_dir() else []
    paths: list[Path] = []
    for path in files:
        suffix = path.suffix.lower()
        if path.name.startswith((".", "~$")) or suffix in _SIDECARS:
            continue  # hidden files, Office lock files, a report's .yml
        if suffix not in READERS:
            c = Collector(path)
            c.error(None, unsupported_message(path))
            problems.extend(c.problems)
            continue
        paths.append(path)
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            c = Collector(path)
            c.error(
                None, f"与 {stems[path.stem].name} 同名：同一份报告只放一个文件（网址由文件名决定）"
            )
            problems.extend(c.problems)
        stems.setdefault(path.stem, path)
    for path in files:
        if (
            path.suffix.lower() in {".yml", ".yaml"}
            and path.stem not in stems
            and path.name != "units.yml"
        ):
            c = Collector(path)
            c.warning(
                None, f"没有同名的报告表（{path.stem}.txt、.xlsx、.docx……）：这个 .yml 没有用到"
            )
            problems.extend(c.problems)
    if not paths and not problems:
        c = Collector(reports_dir)
        c.error(
            None, "没有找到报告表（应放在 data/reports/ 下：.txt、.csv、.xlsx、.docx 或 .html）"
        )
        problems.extend(c.problems)
    reports: list[Report] = []
    suggestions: list[Suggestion] = []
    for path in paths:
        try:
            loaded, report_problems, suggestion = load(path, registry)
        except Exception as exc:  # a defect of ours: the file named, in words, not a traceback
            c = Collector(path)
            c.error(None, defect_message("读取或解读这份表时出错", exc))
            loaded, report_problems, suggestion = [], c.problems, None
        problems.extend(report_problems)
        reports.extend(loaded)
        if suggestion is not None:
            suggestions.append(suggestion)
    slugs: dict[str, Path] = {}
    for report in reports:
        if report.slug in slugs:
            c = Collector(report.path)
            c.error(None, f"报告标识“{report.slug}”与 {slugs[report.slug].name} 的重复")
            problems.extend(c.problems)
        slugs.setdefault(report.slug, report.path)
    problems.extend(_identity_collisions(reports, registry))
    linked = link_series(reports)
    problems.extend(linked.problems)
    return DataResult(
        tuple(reports),
        registry,
        tuple(problems),
        tuple(paths),
        tuple(suggestions),
        linked.series,
        linked.notices,
    )


def defect_message(doing: str, exc: BaseException) -> str:
    """What staff see of an exception no check expected: what was being done, the exception in
    one line, and that it is ours to fix."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return f"{doing}：{detail}（这是本站的缺陷，请报告）"


def _identity_collisions(reports: Sequence[Report], registry: Registry) -> list[Problem]:
    """Task ids and unit addresses are unique: two that come out the same are an error naming
    both places (报告 a-1 序号 2 and 报告 a 序号 1-2 would share the id a-1-2)."""
    problems: list[Problem] = []
    ids: dict[str, tuple[Report, Task]] = {}
    for report in reports:
        for task in report.tasks:
            other = ids.get(task.id)
            if other is not None:
                c = Collector(report.path, {})
                c.error(
                    task.line,
                    f"任务编号“{task.id}”与 {other[0].path}:{other[1].line} 的任务相同"
                    "：请改报告文件名（报告标识）或序号，使编号不同",
                )
                problems.extend(c.problems)
            ids.setdefault(task.id, (report, task))
    units: dict[str, tuple[UnitKey, Report, Task]] = {}
    for report in reports:
        for task in report.tasks:
            for key in task.unit_keys:
                slug = unit_slug(key).casefold()
                other_unit = units.get(slug)
                if other_unit is not None and other_unit[0] != key:
                    c = Collector(report.path)
                    c.error(
                        task.line,
                        f"单位“{key.name}”与 {other_unit[1].path}:{other_unit[2].line} 的"
                        f"“{other_unit[0].name}”网址相同（{unit_slug(key)}）：请在单位名录中统一名称",
                    )
                    problems.extend(c.problems)
                units.setdefault(slug, (key, report, task))
    return problems


def load_site(data_dir: Path, load: FileLoader | None = None) -> Loaded:
    """Read every report under ``data_dir``; raise DataError listing all errors."""
    result = read_data(data_dir, load)
    if result.errors:
        raise DataError(result.problems)
    site = Site(result.reports, collect_units(result.reports, result.registry), result.series)
    return Loaded(site, result.warnings, result.series_notices, result)


def load_file(
    path: Path, registry: Registry
) -> tuple[list[Report], list[Problem], Suggestion | None]:
    """The reports of one table file (one per sheet of a workbook), with every problem."""
    c = Collector(path)
    slug = path.stem
    if not _SLUG_RE.match(slug):
        c.error(None, f"文件名“{path.name}”不能作网址：请不要使用空格和 / ? # % & < > 引号")
    meta_path = _meta_path(path)
    mc = Collector(meta_path)
    meta = read_meta(meta_path, mc)
    options = Options(
        columns=meta.columns,
        merged=meta.merged,
        blank=meta.blank,
        spans=meta.spans,
        header=meta.header,
        joined=meta.joined,
    )
    problems: list[Problem] = [*c.problems, *mc.problems]
    try:
        grids = read(path)
    except ReadError as exc:
        rc = Collector(path)
        rc.error(exc.line, exc.message)
        problems.extend(rc.problems)
        return [], problems, None
    choice = choose(path, grids, options, meta)
    problems.extend(choice.problems)
    parsed = [_with_decisions(parse_grid(grid, options), choice) for grid in choice.grids]
    parsed = _pick_sheets(parsed, meta, meta_path, problems)
    reports: list[Report] = []
    suggestion = None
    for number, result in enumerate(parsed, 1):
        problems.extend(result.problems)
        table = result.table
        if table is None:
            suggestion = suggestion or _suggest(path, meta_path, result)
            continue
        _check_mapping(table, meta, meta_path, problems)
        if any(p.severity is Severity.ERROR for p in problems):
            continue
        rc = Collector(path, table.places)
        sheet_slug = slug if len(parsed) == 1 else f"{slug}-{number}"
        reports.append(build_report(sheet_slug, table, meta, registry, rc))
        problems.extend(rc.problems)
    if any(p.severity is Severity.ERROR for p in problems):
        return [], problems, suggestion
    return reports, problems, suggestion


def _with_decisions(parsed: Parsed, choice: Choice) -> Parsed:
    """The table as read, with the decisions about which table of the file it is first."""
    if parsed.table is None or not choice.decisions:
        return parsed
    decisions = (*choice.decisions, *parsed.table.decisions)
    return replace(parsed, table=replace(parsed.table, decisions=decisions))


FileLoader = Callable[[Path, Registry], tuple[list[Report], list[Problem], Suggestion | None]]


def _meta_path(path: Path) -> Path:
    yaml_path = path.with_suffix(".yaml")
    return (
        yaml_path
        if yaml_path.exists() and not path.with_suffix(".yml").exists()
        else path.with_suffix(".yml")
    )


def _pick_sheets(
    parsed: list[Parsed], meta: ReportMeta, meta_path: Path, problems: list[Problem]
) -> list[Parsed]:
    if meta.sheet is None:
        return parsed
    names = [p.table.name for p in parsed if p.table is not None]
    chosen = [p for p in parsed if p.table is not None and p.table.name == meta.sheet]
    if not chosen:
        c = Collector(meta_path)
        c.error(
            None,
            f"sheet: 工作表“{meta.sheet}”不存在（有：{'、'.join(n for n in names if n) or '无'}）",
        )
        problems.extend(c.problems)
        return []
    return chosen


def _check_mapping(
    table: Table, meta: ReportMeta, meta_path: Path, problems: list[Problem]
) -> None:
    """A ``columns:`` or ``merged:`` name that matches no header is a mistake worth stopping for."""
    c = Collector(meta_path)
    names = table.header.names
    roles = {col.role.value for col in table.header.columns if col.role is not None}
    labels = "、".join(col.label for col in table.header.columns if col.label)
    for name in meta.columns:
        if name not in names:
            c.error(
                meta.column_lines.get(name), f"columns 中的列名“{name}”不在表头中（表头：{labels}）"
            )
    for key, listed, lines in (
        ("merged", meta.merged, meta.merged_lines),
        ("blank", meta.blank, meta.blank_lines),
        ("spans", meta.spans, meta.spans_lines),
        ("joined", meta.joined, meta.joined_lines),
    ):
        for name in listed:
            if name not in names and name not in roles:
                c.error(lines.get(name), f"{key} 中的列名“{name}”不在表头中（表头：{labels}）")
    problems.extend(c.problems)


def _suggest(path: Path, meta_path: Path, result: Parsed) -> Suggestion | None:
    hint = result.header_hint
    if hint is None or (hint.task_label is None and not hint.candidates):
        return None
    if hint.task_label is None:
        return Suggestion(meta_path, None, hint.candidates)
    lines = ["columns:", f"  {hint.task_label}: 任务"]
    return Suggestion(meta_path, "\n".join(lines), hint.candidates)


def collect_units(reports: Sequence[Report], registry: Registry) -> tuple[Unit, ...]:
    by_key: dict[UnitKey, list[Task]] = {}
    for report in reports:
        for task in report.tasks:
            for key in task.unit_keys:
                by_key.setdefault(key, []).append(task)
    units = []
    # By level (省, 市, 县, 乡镇), then place and name: the order a reader looks for them in.
    for key in sorted(by_key, key=lambda k: (unit_level(k.name, k.region), k.region or "", k.name)):
        scope = registry.scope(key.region)
        units.append(
            Unit(
                key=key,
                slug=unit_slug(key),
                aliases=scope.aliases_of(key.name),
                known=scope.canonical(key.name) is not None,
                tasks=tuple(by_key[key]),
            )
        )
    return tuple(units)


def unit_slug(key: UnitKey) -> str:
    """A unit's address below ``units/``: ``region/name``, or ``name`` where no region is set."""
    name = re.sub(r"[\s/\\?#%&<>\"'.]", "-", key.name)
    if key.region:
        return re.sub(r"[\s/\\?#%&<>\"'.]", "-", key.region) + "/" + name
    return name
