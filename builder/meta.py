"""A report's ``<slug>.yml``: what staff add to a table, read with the line of every value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .clean import collapse
from .columns import ROLE_NAMES, Role, normalize_label
from .errors import Collector
from .model import Pin, Status

KEYS = {
    "title": "标题",
    "issuer": "发布单位",
    "region": "所属地区（单位按地区区分，如 温州市苍南县）",
    "year": "年份",
    "period": "期间",
    "published": "发布日期",
    "source": "原文网址",
    "source_note": "没有原文网址和发布日期时的说明（如 样例数据）",
    "area_code": "发布单位的电话区号，如 0556：监督电话按区号拨打",
    "contact": "表中没有监督电话的任务可拨打的总机或 12345",
    "columns": "表中列名 → 本站的列名",
    "merged": "合并单元格的列（空格沿用上方内容）",
    "blank": "有意留空的列：上方有内容、本行为空时按空发布，不再提示合并单元格",
    "spans": "文本导出中跨两列的表头（每行比表头多一格时）",
    "joined": "下面只有一列的两格表头（每行比表头少一格时），如 [主要任务, 全年目标任务]",
    "sheet": "要发布的工作表",
    "header": "表格没有表头行时，写出各列的列名（从左到右），如 [序号, 任务, 责任单位, 进展情况]",
    "table": "文件中有几个表格时要发布的一个：表格的序号（表 1、表 2……按文件中的顺序）",
    "statuses": "原表的状态词 → 本站的状态（已完成、推进中、进度滞后、未完成、未写明状态）",
    "public_numbers": "有意公开的手机号",
    "series": "系列名：写了同一个 series 的各期报告是同一张表（不写时按发布单位、年份和标题识别）",
    "match": "与上一期任务的匹配：本期序号: 上期序号，或 本期序号: 新增（不与上一期的任何任务匹配）",
}


@dataclass(frozen=True)
class ReportMeta:
    """What ``<slug>.yml`` adds to a table."""

    title: str | None = None
    issuer: str | None = None
    region: str | None = None
    year: int | None = None
    period: str | None = None
    published: dt.date | None = None
    source: str | None = None
    source_note: str | None = None
    area_code: str | None = None
    contact: str | None = None
    columns: Mapping[str, Role] = field(default_factory=dict)
    """Normalised header name → role."""
    column_lines: Mapping[str, int] = field(default_factory=dict)
    """Normalised header name → the line of the ``.yml`` that maps it."""
    merged: frozenset[str] = frozenset()
    merged_lines: Mapping[str, int] = field(default_factory=dict)
    blank: frozenset[str] = frozenset()
    blank_lines: Mapping[str, int] = field(default_factory=dict)
    spans: frozenset[str] = frozenset()
    spans_lines: Mapping[str, int] = field(default_factory=dict)
    joined: frozenset[str] = frozenset()
    joined_lines: Mapping[str, int] = field(default_factory=dict)
    sheet: str | None = None
    header: tuple[str, ...] = ()
    """The column names of a table published without its header row, left to right."""
    table: int | None = None
    """The number of the table to read where a Word file, PDF or web page holds several."""
    table_line: int | None = None
    statuses: Mapping[str, Status] = field(default_factory=dict)
    """An office's own status words and what they count as (大部完成: 推进中)."""
    public_numbers: frozenset[str] = frozenset()
    """Numbers published on purpose (e.g. a supervision mobile), exempt from the privacy check."""
    series: str | None = None
    pins: tuple[Pin, ...] = ()
    path: Path | None = None
    """The ``.yml`` read; None where the table has none."""


class _LineLoader(yaml.SafeLoader):
    """Keeps each mapping key's line, so messages can name the line of the ``.yml``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "键不能是列表或映射", key_node.start_mark
            ) from None
        out[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    return _Lined(out, lines)


class _Lined(dict[Any, Any]):
    def __init__(self, data: dict[Any, Any], lines: dict[Any, int]):
        super().__init__(data)
        self.lines = lines


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    items = _LinedList(loader.construct_object(child, deep=True) for child in node.value)
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


class _LinedList(list[Any]):
    lines: list[int]


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date (2024-13-01) stays text, so the message can say which key and line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # 0556 is a telephone area code, not the octal number 366 of YAML 1.1.
    text = str(node.value)
    if len(text) > 1 and text.startswith("0") and text.isdigit():
        return text
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path, c: Collector) -> Any:
    """A ``.yml`` file's data with line numbers on its mappings; problems go to ``c``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        c.error(None, "不是 UTF-8 编码的文本：请用记事本等另存为 UTF-8")
        return None
    except OSError as exc:
        c.error(None, f"无法读取文件：{exc.strerror}")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        c.error(line, f"YAML 格式有误（{_yaml_problem(exc)}）：请检查缩进、冒号后的空格和引号")
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        c.error(None, f"YAML 格式有误：{type(exc).__name__}")
        return None


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能再有“键: 值”",
    "could not find expected ':'": "缺少冒号",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进",
    "found unexpected end of stream": "文件意外结束",
    "expected <block end>, but found": "缩进不一致",
    "found undefined alias": "未定义的别名",
    "found duplicate anchor": "重复的锚点",
    "while scanning a quoted scalar": "引号没有闭合",
}


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.context or ''} {exc.problem or ''}"
    for english, chinese in _YAML_PROBLEMS.items():
        if english in problem:
            return chinese
    return "无法解析"


def line_of(data: Any, key: Any) -> int | None:
    lines = getattr(data, "lines", None)
    if isinstance(lines, dict):
        value = lines.get(key)
        return value if isinstance(value, int) else None
    return None


def read_meta(path: Path, c: Collector) -> ReportMeta:
    """Read a report's ``.yml``; every problem goes to ``c`` (a Collector for the .yml)."""
    if not path.exists():
        return ReportMeta()
    data = load_yaml(path, c)
    if data is None:
        return ReportMeta()
    if not isinstance(data, Mapping):
        c.error(1, "应为“键: 值”的映射（" + "、".join(KEYS) + "）")
        return ReportMeta()
    for key in data:
        if key not in KEYS:
            c.warning(line_of(data, key), f"未知的键“{key}”（可用：{'、'.join(KEYS)}）")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            c.error(line_of(data, key), f"“{key}”应为文字")
            return None
        return collapse(str(value)) or None

    year = data.get("year")
    if year is not None and not (
        isinstance(year, int) and not isinstance(year, bool) and 1900 < year < 2200
    ):
        c.error(line_of(data, "year"), f"year 应为四位年份，而不是“{year}”")
        year = None
    published = data.get("published")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            c.error(
                line_of(data, "published"), f"published 应为日期 YYYY-MM-DD，而不是“{published}”"
            )
            published = None
    elif isinstance(published, dt.datetime):
        published = published.date()
    elif published is not None and not isinstance(published, dt.date):
        c.error(line_of(data, "published"), f"published 应为日期 YYYY-MM-DD，而不是“{published}”")
        published = None
    source = text("source")
    if source and not source.lower().startswith(("http://", "https://")):
        c.error(line_of(data, "source"), f"source 应为 http(s) 网址，而不是“{source}”")
        source = None
    area_code = text("area_code")
    if area_code is not None and not re.fullmatch(r"0\d{2,3}", area_code):
        c.error(
            line_of(data, "area_code"),
            f"area_code 应为以 0 开头的 3 或 4 位区号，如 0556，而不是“{area_code}”",
        )
        area_code = None
    columns, column_lines = _columns(data, c)
    merged, merged_lines = _merged(data, c)
    blank, blank_lines = _merged(data, c, "blank")
    spans, spans_lines = _merged(data, c, "spans")
    joined, joined_lines = _merged(data, c, "joined")
    numbers = data.get("public_numbers") or []
    if not isinstance(numbers, list):
        c.error(line_of(data, "public_numbers"), "public_numbers 应为号码列表，例如 [13800000000]")
        numbers = []
    return ReportMeta(
        path=path,
        title=text("title"),
        issuer=text("issuer"),
        region=_region(text("region")),
        year=year,
        period=text("period"),
        published=published,
        source=source,
        source_note=text("source_note"),
        area_code=area_code,
        contact=text("contact"),
        columns=columns,
        column_lines=column_lines,
        merged=merged,
        merged_lines=merged_lines,
        blank=blank,
        blank_lines=blank_lines,
        spans=spans,
        spans_lines=spans_lines,
        joined=joined,
        joined_lines=joined_lines,
        sheet=text("sheet"),
        header=_header(data, c),
        table=_table(data, c),
        table_line=line_of(data, "table"),
        statuses=_statuses(data, c),
        public_numbers=frozenset(re.sub(r"\D", "", str(n)) for n in numbers),
        series=text("series"),
        pins=_pins(data, c),
    )


_TABLE_RE = re.compile(r"^表?\s*(\d+)$")


def _table(data: Any, c: Collector) -> int | None:
    raw = data.get("table")
    if raw is None:
        return None
    match = None if isinstance(raw, bool) else _TABLE_RE.match(str(raw).strip())
    if match is None or int(match.group(1)) < 1:
        c.error(line_of(data, "table"), f"table 应为表格的序号，如 table: 2，而不是“{raw}”")
        return None
    return int(match.group(1))


_NEW_WORDS = {"新增", "新", "无", "否", "none", "new"}


def _pins(data: Any, c: Collector) -> tuple[Pin, ...]:
    raw = data.get("match")
    if raw is None:
        return ()
    example = "例如 match: {5: 4}（本期序号 5 是上一期的序号 4），或 match: {5: 新增}"
    if not isinstance(raw, Mapping):
        c.error(line_of(data, "match"), f"match 应为“本期序号: 上期序号”的映射，{example}")
        return ()
    pins = []
    for key, value in raw.items():
        line = line_of(raw, key) or line_of(data, "match")
        scalar = (str, int, float)
        if not isinstance(key, scalar) or isinstance(key, bool):
            c.error(line, f"match 中的“{key}”应为本期的序号，{example}")
            continue
        current = collapse(str(key))
        if (
            value is None
            or value is False
            or (isinstance(value, str) and value.strip().lower() in _NEW_WORDS)
        ):
            pins.append(Pin(current, None, line))
        elif isinstance(value, scalar) and not isinstance(value, bool):
            pins.append(Pin(current, collapse(str(value)), line))
        else:
            c.error(
                line, f"match 中序号 {current} 对应的“{value}”应为上一期的序号或“新增”，{example}"
            )
    return tuple(pins)


def _statuses(data: Any, c: Collector) -> dict[str, Status]:
    raw = data.get("statuses")
    if raw is None:
        return {}
    by_label = {status.label: status for status in Status} | {"推进中": Status.IN_PROGRESS}
    if not isinstance(raw, Mapping):
        c.error(
            line_of(data, "statuses"),
            "statuses 应为“原表的词: 本站的状态”的映射，例如 大部完成: 推进中",
        )
        return {}
    out: dict[str, Status] = {}
    for word, value in raw.items():
        status = by_label.get(str(value).strip()) if isinstance(value, str) else None
        if status is None:
            names = "、".join(by_label)
            c.error(
                line_of(raw, word) or line_of(data, "statuses"),
                f"statuses 中“{word}”对应的“{value}”不是本站的状态（可用：{names}）",
            )
            continue
        out[str(word).strip()] = status
    return out


def _region(value: str | None) -> str | None:
    return re.sub(r"\s+", "", value) if value else None


def _columns(data: Any, c: Collector) -> tuple[dict[str, Role], dict[str, int]]:
    raw = data.get("columns")
    if raw is None:
        return {}, {}
    example = "例如 推进情况说明: 进展情况"
    if not isinstance(raw, Mapping):
        c.error(line_of(data, "columns"), f"columns 应为“表中列名: 本站列名”的映射，{example}")
        return {}, {}
    columns: dict[str, Role] = {}
    lines: dict[str, int] = {}
    for key, value in raw.items():
        line = line_of(raw, key) or line_of(data, "columns")
        if not isinstance(key, str | int) or not isinstance(value, str):
            c.error(line, f"columns 中的“{key}”应写成“表中列名: 本站列名”，{example}")
            continue
        role = ROLE_NAMES.get(normalize_label(value))
        if role is None:
            names = "、".join(r.value for r in Role)
            c.error(line, f"columns 中“{key}”对应的“{value}”不是本站的列名（可用：{names}）")
            continue
        name = normalize_label(str(key))
        columns[name] = role
        if line is not None:
            lines[name] = line
    return columns, lines


def _header(data: Any, c: Collector) -> tuple[str, ...]:
    raw = data.get("header")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str | int) for v in raw):
        c.error(line_of(data, "header"), "header 应为列名列表，例如 header: [序号, 任务, 责任单位]")
        return ()
    return tuple(str(v) for v in raw)


def _merged(data: Any, c: Collector, key: str = "merged") -> tuple[frozenset[str], dict[str, int]]:
    """A list of column names (merged:, blank:, spans:)."""
    raw = data.get(key)
    if raw is None:
        return frozenset(), {}
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        c.error(line_of(data, key), f"{key} 应为列名列表，例如 {key}: [责任单位, 类别]")
        return frozenset(), {}
    names: dict[str, int] = {}
    item_lines = getattr(raw, "lines", None) or []
    for i, value in enumerate(raw):
        line = item_lines[i] if i < len(item_lines) else line_of(data, key)
        names[normalize_label(value)] = line or 0
    return frozenset(names), {k: v for k, v in names.items() if v}
