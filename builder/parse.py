"""Stage 1: a grid of cells (from any reader) → header, sections and task records.

Format-blind: the readers in ``readers/`` turn .txt, .csv, .xlsx, .docx and .html into the
same grid; this module finds the header by the meaning of its cells, reads one- and
two-line headers, skips repeated headers, tells task rows from continuation lines and
section rows, and spreads merged cells over the rows they span. See ``shared/notes/reports.md``.
"""

from __future__ import annotations

import enum
import html
import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .columns import Role, assign_roles, normalize_label, roles_of
from .errors import Collector, Fix, Problem
from .readers import Cell, Grid, GridRow, ReadError, read
from .reading import Basis, Decision, RowKind
from .spans import span_candidates, split_candidates
from .units import is_person


@dataclass(frozen=True)
class HeaderColumn:
    index: int
    label: str
    """The header text as the table writes it (both lines of a two-line header joined)."""
    role: Role | None
    """None for a column no role fits; it is kept and shown under its own name."""
    known: bool = True
    """The name is one the synonym table knows (a second 目标任务, the second half of a
    split 项目内容): kept under its name without a warning."""
    span: int | None = None
    """For a column under a header cell that spans several columns (项目内容 over a project
    and its indicators): the index of the span's first column."""


@dataclass(frozen=True)
class Header:
    line: int
    columns: tuple[HeaderColumn, ...]
    lines: int = 1
    """1, or 2 for a two-line header (a group over sub-columns)."""
    names: frozenset[str] = frozenset()
    """Every name a ``.yml`` may use for a column: each line's label and the two joined."""

    def index(self, role: Role) -> int | None:
        return self._indexes.get(role)

    @cached_property
    def _indexes(self) -> dict[Role, int]:
        indexes: dict[Role, int] = {}
        for col in self.columns:
            if col.role is not None:
                indexes.setdefault(col.role, col.index)
        return indexes

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(normalize_label(c.label) for c in self.columns)


@dataclass(frozen=True)
class Row:
    """One line of the table, its cells aligned with the header's columns."""

    line: int
    cells: tuple[str, ...]
    """The text each column shows on this line; a merged cell's text is on every line it spans."""
    merged: tuple[bool, ...] = ()
    """True where the cell's text comes from a merge with a line above (read from the file, or
    declared in the ``.yml`` for text exports): the text is not this line's own."""
    label: str | None = None
    """The line's own number where a continuation line has one (indicator lines numbered
    on their own under a merged project name)."""

    def own(self, index: int) -> str:
        """The cell's text if it is this line's own, "" if it is merged from above."""
        if self.merged and self.merged[index]:
            return ""
        return self.cells[index]


@dataclass(frozen=True)
class Record:
    """A task: the line that starts it and the continuation lines under it."""

    seq: str
    """The number as the table writes it (序号 cell, or the marker opening the task text)."""
    key: str
    """The number as used in addresses: unique in its report."""
    section: str | None
    rows: tuple[Row, ...]
    seq_in_text: bool = False
    """The number was read from the start of the task text ((1)、①、一、), not a 序号 column."""

    @property
    def line(self) -> int:
        return self.rows[0].line


@dataclass(frozen=True)
class Table:
    path: Path
    title: str | None
    title_line: int | None
    header: Header
    records: tuple[Record, ...]
    sections: tuple[str, ...]
    lines_read: int
    cells: int
    """Non-empty data cells read, for the reconciliation shown on the report page."""
    preamble: tuple[str, ...] = ()
    """Lines above the header other than the title (填报单位、日期…), shown on the report page."""
    date: str | None = None
    """A date found beside the table (an HTML page's 发布时间)."""
    name: str | None = None
    """The sheet's name where a workbook holds several tables."""
    places: Mapping[int, str] = field(default_factory=dict)
    totals: tuple[Row, ...] = ()
    """合计 / 全省 lines: the table's totals, shown on the report page, not tasks."""
    notes: tuple[str, ...] = ()
    """Lines under the table about it (注：…, 填报人), shown on the report page."""
    blank_lines: frozenset[int] = frozenset()
    """Lines already reported for a blank cell under a filled one (a merge lost in export)."""
    group_column: int | None = None
    """The 序号 column where it numbers groups of projects (一、二), not the tasks."""
    decisions: tuple[Decision, ...] = ()
    """Every reading decision with its evidence (see ``reading.py``)."""
    row_kinds: Mapping[int, RowKind] = field(default_factory=dict)
    """How each source line was read: header, task, step, section, note, total…"""


@dataclass(frozen=True)
class Parsed:
    table: Table | None
    problems: tuple[Problem, ...]
    header_hint: HeaderHint | None = None


@dataclass(frozen=True)
class HeaderHint:
    """Where a header that was not recognised most likely is, for the ``.yml`` suggestion."""

    line: int
    labels: tuple[str, ...]
    task_label: str | None
    """The column that holds the tasks where the lines say so clearly (their texts numbered
    1. 2. 3. in order); None where they do not."""
    candidates: tuple[str, ...] = ()
    """Every column that could hold the tasks, most likely first, for staff to choose."""


@dataclass(frozen=True)
class Options:
    """What a report's ``.yml`` tells the interpreter."""

    columns: Mapping[str, Role] = field(default_factory=dict)
    """Normalised header name → role."""
    merged: frozenset[str] = frozenset()
    """Normalised header names (or role names) of columns whose blank cells fill down."""
    spans: frozenset[str] = frozenset()
    """Normalised header names of cells that span two data columns in a text export."""
    blank: frozenset[str] = frozenset()
    """Normalised header names (or role names) of columns left blank on purpose under a
    filled cell: published empty, without the word about a lost merge."""
    header: tuple[str, ...] = ()
    """The header row of a table published without one, as staff wrote it (``header:``)."""
    joined: frozenset[str] = frozenset()
    """Normalised names of two header cells over one column of the lines (``joined:``)."""


class _Kind(enum.Enum):
    TASK = 1
    CONTINUATION = 2
    SECTION = 3
    BAD_SEQ = 4
    GROUP_TASK = 5
    """A group's numbered row that also holds the group's first project (一 | 区住建局 | (一)…)."""


# 1  1.  1、  (1)  （1）  1-2  9*  ①  一、  （一）
_CN_DIGITS = "〇一二三四五六七八九"
_CN_NUM = "[一二三四五六七八九十百〇零两]+"
_SEQ_RE = re.compile(
    r"^[★☆]?(?:\d+(?:[.\-－]\d+)*[.．、]?|[(（]\d+[)）]|[(（]?"
    + _CN_NUM
    + r"[)）、.．]?|[①-⑳㉑-㉟㊱-㊿])[*＊]?$"
)
_TEXT_MARK_RE = re.compile(
    r"^\s*(?:[(（](\d{1,3})[)）]|(\d{1,3})[.．、](?!\d)|([①-⑳])|[(（]("
    + _CN_NUM
    + r")[)）]|("
    + _CN_NUM
    + r")、)\s*"
)
_SECTION_RE = re.compile(
    r"^(?:"
    + _CN_NUM
    + r"[、.．]|[（(]"
    + _CN_NUM
    + r"[)）]|第"
    + _CN_NUM
    + r"[部分类项章]|[A-Z][、.．])"
)
_TITLE_MARK_RE = re.compile(r"^#+\s*")
_TAG_RE = re.compile(r"<[^>]*>")
_TOTAL_RE = re.compile(
    r"^(?:(?:全[省市县区镇乡])?(?:合计|总计|小计|共计|汇总)(?:[(（].*[)）])?|全[省市县区镇乡]|总体)[:：]?$"
)
# Lines under a table that are about the table, not tasks: notes, who filled it in.
_NOTE_RE = re.compile(
    r"^(?:注|备注|说明|附注|填报|审核|制表|联系人|联系电话|报送|负责人|统计人|签发)"
)
# Lines above a table that are not its title: 附件2, 单位：万元, （截至6月30日）, 填报单位：…
_NOT_TITLE_RE = re.compile(
    r"^(?:(?:附件|附表)[0-9一二三四五六七八九十]*[:：]?$|单位[:：]|填报|报送|[(（]?截[至止]|\d{4}年\d{1,2}月\d{1,2}日$)"
)
# A group's row: its count in brackets, 教育优先（4项）.
_COUNTED_RE = re.compile(r"[(（]\s*\d+\s*(?:项|个|件)\s*[)）]$")
_CN_SEQ_RE = re.compile(r"^(?:[(（])?[一二三四五六七八九十百]+(?:[)）、.．])?$")
_HEADER_SCAN = 40
"""Rows looked at for a header: a table's header sits under at most a title and a few notes."""
_SUB_LABEL_MAX = 16


def _seq_style(seq: str) -> str:
    """How a 序号 is written — 1, (1), 一, (一), ① — the level it marks in a nested list."""
    text = unicodedata.normalize("NFKC", seq).strip().strip("★☆").rstrip("*＊.．、")
    bracketed = text.startswith("(")
    core = text.strip("()")
    if core.isdigit():
        return "(1)" if bracketed else "1"
    if chinese_number(core) is not None:
        return "(一)" if bracketed else "一"
    return "①" if core and "\u2460" <= core[0] <= "\u2473" else "?"


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None for what is not such a numeral."""
    text = text.replace("两", "二").replace("零", "〇")
    if not text or any(ch not in _CN_DIGITS + "十百" for ch in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS.index(ch)) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.index(ch)
    return total + current


def seq_key(seq: str) -> str:
    """The number of a 序号 as it goes into an address: (1) → 1, 一、 → 1, ① → 1, 1-2 → 1-2."""
    text = unicodedata.normalize("NFKC", seq).strip().strip("★☆").rstrip("*＊.．、")
    text = text.strip("()（）")
    if len(text) == 1 and "\u2460" <= text <= "\u2473":
        return str(ord(text) - 0x2460 + 1)
    if (number := chinese_number(text)) is not None:
        return str(number)
    if "\u3251" <= text[:1] <= "\u32bf":
        return str(unicodedata.numeric(text[0], 0)).removesuffix(".0")
    return text.replace("－", "-")


def parse_file(path: Path, options: Options | None = None) -> list[Parsed]:
    """Read one file (every table in it) and interpret it; problems are collected, not raised."""
    try:
        grids = read(path)
    except ReadError as exc:
        c = Collector(path)
        c.error(exc.line, exc.message)
        return [Parsed(None, tuple(c.problems))]
    return [parse_grid(grid, options) for grid in grids]


def parse_text(text: str, path: Path, options: Options | None = None) -> Parsed:
    """Interpret tab-separated text (tests and tools use it without a file)."""
    from .readers.text import grid_of_rows, split_line, split_lines

    lines = split_lines(text)
    return parse_grid(grid_of_rows(path, [split_line(line) for line in lines], len(lines)), options)


def parse_grid(grid: Grid, options: Options | None = None) -> Parsed:
    return _Interpreter(grid, options or Options()).run()


def find_header(grid: Grid, options: Options | None = None) -> tuple[int, Header] | None:
    """The header the interpreter would read in ``grid`` (the index of its first row in
    ``grid.rows``, and its columns), or None: how ``tables.py`` tells a task table from the
    other tables of a file, by the same words, without reading it."""
    interpreter = _Interpreter(grid, options or Options())
    found = interpreter._find_header(interpreter._resolve())
    return (found[0], found[1]) if found is not None else None


class _Interpreter:
    def __init__(self, grid: Grid, options: Options):
        self.grid = grid
        self.options = options
        self.places = {row.line: row.where for row in grid.rows if row.where}
        self.c = Collector(grid.path, self.places)
        self.source = {row.line: row for row in grid.rows}
        self.position = {row.line: i for i, row in enumerate(grid.rows)}
        self.blank_lines: frozenset[int] = frozenset()
        self.group_column: int | None = None
        self.guessed_task: str | None = None
        self.task_free = 0
        """Columns of no known role beside a 序号 where no column is named as the task."""
        self.totals: list[Row] = []
        self.notes: list[str] = []
        self.arabic = False
        """The 序号 column numbers tasks 1, 2, 3: a row numbered 一、 there is a group."""
        self.has_merges = any(c.merged_from is not None for r in grid.rows for c in r.cells)
        self.decisions: list[Decision] = []
        self.kinds: dict[int, RowKind] = {}
        self.annex: list[str] | None = None
        """The row under the header numbering the columns or giving their measures."""
        self.wide_reported = False
        self.narrow: tuple[int, int] | None = None
        """(column, width) where only some lines cover a spanned header with two cells: the
        lines of the header's old width get an empty cell at that column."""
        """One message said that every line is one cell wider than the header."""

    def raw(self, line: int) -> str:
        """The source row as one line of text, for quoting under a message."""
        return "\t".join(cell.text for cell in self.source[line].cells)

    # -- merges ---------------------------------------------------------------------
    def _resolve(self) -> list[tuple[GridRow, list[str], list[str]]]:
        """Each row with (texts, how): how is "" (own), "down" (merged from a row above) or
        "right" (merged from a cell to the left in the same row)."""
        rows = self.grid.rows
        out: list[tuple[GridRow, list[str], list[str]]] = []
        for r, row in enumerate(rows):
            texts, how = [], []
            for cell in row.cells:
                if cell.merged_from is None:
                    texts.append(_flat(cell.text))
                    how.append("")
                    continue
                fr, fc = cell.merged_from
                origin = rows[fr].cells[fc] if fr < len(rows) and fc < len(rows[fr].cells) else None
                texts.append(_flat(origin.text) if origin is not None else "")
                how.append("down" if fr < r else "right")
            out.append((row, texts, how))
        return out

    # -- header ---------------------------------------------------------------------
    def run(self) -> Parsed:
        for note in self.grid.notes:
            # What the reader left out or guessed (a hidden sheet, the second table of a
            # page) is not published: staff should know before it goes out.
            self.c.warning(None, note)
        for where, note in self.grid.cell_notes:
            self.c.warning(None, note, where=where)
        rows = self._resolve()
        if self.options.header:
            rows = _with_header(rows, self.options.header)
        found = self._find_header(rows)
        if found is None:
            hint = self._hint(rows)
            guess = None if self.options.header else _headerless(rows)
            if guess is not None:
                line, suggested = guess
                entry = f"[{', '.join(suggested)}]"
                self.c.error(
                    line,
                    "找不到表头：从这一行起就是数据（第一列是按顺序的序号），原表发布时可能没有表头行。"
                    f"请对照原表，在 .yml 中写出各列的列名；按各列的内容看可能是 header: {entry}",
                    self.raw(line),
                    fix=Fix(
                        "header", entry, sure=False, note="按各列内容推测，请对照原表核对每一列"
                    ),
                )
                return Parsed(None, tuple(self.c.problems), hint)
            # Results (…取得成效) are never offered as the tasks, even in a list.
            asked = [
                n
                for n in (hint.candidates if hint is not None else ())
                if not _RESULT_RE.search(normalize_label(n))
            ][:4]
            self.c.error(
                hint.line if hint else None,
                "找不到表头：没有一行能认出任务列（如 序号、工作任务、项目内容、重点工作、实事名称）"
                "和至少另一列（责任单位、进展情况……）"
                + (
                    "。如这一行是表头，请在 .yml 中写明哪一列是任务，"
                    + "；".join(f"如是“{n}”列，写 columns: {{{n}: 任务}}" for n in asked)
                    if asked
                    else ""
                ),
                self.raw(hint.line) if hint else None,
            )
            return Parsed(None, tuple(self.c.problems), hint)
        start, header, raw_top, raw_sub = found
        title, title_line, preamble = self._preamble(rows[:start])
        body = rows[start + header.lines :]
        if self.narrow is not None:
            at, old = self.narrow
            body = [
                (row, [*texts[:at], "", *texts[at:]], [*how[:at], "", *how[at:]])
                if len(texts) <= old and len(texts) >= at
                else (row, texts, how)
                for row, texts, how in body
            ]
        if self.guessed_task is not None and self.task_free == 1:
            # A 序号 and other known columns, and one column of no known role: by elimination
            # it holds the tasks. Said, so staff confirm it.
            label = self.guessed_task
            self.c.warning(
                header.line,
                f"没有认出任务列：按“{label}”一列作任务发布（其他列都认得）；如不对，请在 .yml 中写 "
                f"columns: {{任务列的表头: 任务}}，如对，写 columns: {{{label}: 任务}}",
                fix=Fix("columns", f"{label}: 任务", note="读表结果中核对任务列"),
            )
            self.decisions.append(
                Decision(
                    f"列“{label}”",
                    Role.TASK.value,
                    Basis.HEADER,
                    "表中只有这一列不是本站认识的列",
                    header.line,
                    f"columns: {{{label}: 任务}}",
                )
            )
        elif self.guessed_task is not None:
            # A 序号 and other known columns but no task column by name: which column holds
            # the tasks is not guessed; staff choose, with the candidates listed.
            hint = self._hint(rows[start:])
            names = hint.candidates if hint else (self.guessed_task,)
            self.c.error(
                header.line,
                "没有认出任务列（表头中没有“工作任务”“项目名称”等列名）：请在 .yml 中写明哪一列是任务，"
                + "；".join(f"如是“{n}”列，写 columns: {{{n}: 任务}}" for n in names),
                self.raw(header.line),
            )
            return Parsed(None, tuple(self.c.problems), hint)
        before = header
        header = _refine(header, body[:_REFINE_ROWS])
        self._column_decisions(before, header)
        for extra in range(header.lines):
            self.kinds[rows[start + extra][0].line] = RowKind.HEADER
        seq_col = header.index(Role.SEQ)
        self.arabic = seq_col is not None and any(
            seq_col < len(texts) and texts[seq_col][:1].isdigit() for _, texts, _ in body
        )
        records, sections, cells = self._records(body, header, raw_top, raw_sub)
        if not records and not self.c.has_errors:
            self.c.error(header.line, "表头下面没有任何任务行")
        table = Table(
            path=self.grid.path,
            title=title or self.grid.title,
            title_line=title_line,
            header=header,
            records=tuple(records),
            sections=tuple(sections),
            lines_read=self.grid.lines_read or (rows[-1][0].line if rows else 0),
            cells=cells,
            preamble=tuple(preamble),
            date=self.grid.date,
            name=self.grid.name,
            places=self.places,
            blank_lines=self.blank_lines,
            group_column=self.group_column,
            totals=tuple(self.totals),
            notes=tuple(self.notes),
            decisions=tuple(self.decisions),
            row_kinds=dict(self.kinds),
        )
        return Parsed(table, tuple(self.c.problems))

    def _column_decisions(self, named: Header, header: Header) -> None:
        """One decision per column: its role and what it was read from."""
        for before, col in zip(named.columns, header.columns, strict=True):
            name = col.label or f"第 {col.index + 1} 列"
            role = col.role.value if col.role is not None else "原样显示"
            label = normalize_label(col.label)
            if label in self.options.columns:
                basis, evidence = Basis.YML, f"columns: {{{col.label}: {role}}}"
            elif before.role is not col.role:
                basis = Basis.CONTENT
                evidence = _CONTENT_EVIDENCE.get(col.role, "列中的内容")
            elif col.span is not None:
                first = header.columns[col.span].label
                basis, evidence = Basis.HEADER, f"表头“{first}”一格跨这一列"
            elif col.role is not None:
                basis, evidence = Basis.HEADER, f"列名“{col.label}”"
            else:
                basis, evidence = Basis.HEADER, "列名不是本站认识的列名"
            change = f"columns: {{{col.label}: 列名}}（列名见 README）" if col.label else None
            self.decisions.append(
                Decision(f"列“{name}”", role, basis, evidence, named.line, change, col.index, name)
            )

    def _find_header(
        self, rows: Sequence[tuple[GridRow, list[str], list[str]]]
    ) -> tuple[int, Header, tuple[str, ...], tuple[str, ...] | None] | None:
        for i, (row, texts, how) in enumerate(rows[:_HEADER_SCAN]):
            top = _header_labels(texts, how)
            if len({normalize_label(t) for t in top if t}) < 2:
                continue  # a title over the whole table, not labels
            if any(len(normalize_label(t)) > 40 for t in top):
                continue  # a data line, not labels
            sub: list[str] | None = None
            if i + 1 < len(rows):
                _, ntexts, nhow = rows[i + 1]
                if self._is_sub_header(top, how, ntexts, nhow):
                    sub = _header_labels(ntexts, nhow, below=True)
            header = self._header(row.line, top, sub)
            if header is None and sub is not None:
                header = self._header(row.line, top, None)
                sub = None
            if header is not None:
                widened = self._widen(rows[i + header.lines :], header, top, sub)
                if widened is not None:
                    header, top, sub = widened
                for _ in range(2):  # column numbers, then measures, or either
                    if i + header.lines < len(rows):
                        header = self._annex(header, rows[i + header.lines])
                return i, header, tuple(top), tuple(sub) if sub is not None else None
        return None

    def _annex(self, header: Header, row: tuple[GridRow, list[str], list[str]]) -> Header:
        """A row under the header that numbers the columns (1 2 3) or gives their measures
        (万元, %): part of the header; a measure joins its column's name, 计划投资（万元）."""
        line, texts, how = row[0].line, row[1], row[2]
        own = [(j, t) for j, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""]
        cells = [t for _, t in own]
        if _column_numbers(cells):
            return replace(header, lines=header.lines + 1)
        if self.annex is not None or not _measures_row(cells):
            return header
        self.annex = cells
        measures = {j: "".join(t.split()).strip(_BRACKETS) for j, t in own}
        columns = tuple(
            replace(col, label=f"{col.label}（{measures[col.index]}）")
            if col.index in measures and measures[col.index] not in col.label
            else col
            for col in header.columns
        )
        self.decisions.append(
            Decision(
                f"第 {line} 行",
                "表头的一部分：各列的计量单位，写在列名后",
                Basis.CONTENT,
                "这一行只有计量单位（" + "、".join(measures.values()) + "）",
                line,
            )
        )
        names = header.names | {normalize_label(c.label) for c in columns}
        return Header(header.line, columns, header.lines + 1, names)

    def _widen(
        self,
        body: Sequence[tuple[GridRow, list[str], list[str]]],
        header: Header,
        top: list[str],
        sub: list[str] | None,
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """A text export whose header cell spanned two data columns: every line is one cell
        wider than the header. Read it where the lines show which cell, else ask once."""
        if self.has_merges:
            return None  # formats that keep merges say which cell spans which columns
        width = len(header.columns)
        wider: list[list[str]] = []
        misfits: list[tuple[int, str]] = []
        # Lines of one cell more, the last perhaps empty: a few lines whose spanned cell the
        # source table had split in two (岳阳市: a project and its indicator under 考核指标).
        split: list[tuple[int, list[str]]] = []
        short: list[list[str]] = []
        data = 0
        for row, texts, how in body[:_REFINE_ROWS]:
            own = [j for j, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""]
            if len(own) < 2:
                continue  # a group's row or a note, not a data line
            data += 1
            if len(texts) == width + 1:
                split.append((row.line, list(texts)))
            if own[-1] == width:
                wider.append([*texts[: width + 1], *[""] * (width + 1 - len(texts))])
            elif own[-1] > width:
                return None  # more than one cell over: each line is reported
            elif len(texts) < width:
                short.append(texts)
                if (bad := _misfit(header, texts)) is not None:
                    misfits.append((row.line, bad))
        if len(misfits) >= 2 and len(misfits) * 2 >= data:
            # Lines one cell short whose last cells do not fit their columns (a narrative under
            # 是否达序): two header cells stand over one column of the lines. Read where staff
            # said which two (joined:); else asked once, with the pairs the lines fit.
            return self._joined(header, top, sub, short, misfits)
        roles = [col.role for col in header.columns]
        declared = [
            col.index
            for col in header.columns
            if col.label and normalize_label(col.label) in self.options.spans
        ]
        # Only where lines differ in length does a line's length say anything: grids padded
        # to one width (Word, a header with an empty last cell) leave every line as wide.
        ragged = len(top) <= width and 2 <= len(split) < data
        if wider and ragged and (len(wider) < 2 or len(wider) * 2 < data):
            return self._split_span(header, top, sub, split, declared, body)
        if len(wider) < 2 or len(wider) * 2 < data:
            return None
        candidates = declared or span_candidates(roles, wider)
        if len(candidates) != 1:
            self.wide_reported = True
            names = [header.columns[k].label for k in candidates]
            ask = _ask_spans(names, "跨两列的表头")
            self.c.error(
                header.line,
                f"{len(wider)} 行都比表头多 1 个单元格：原表中有一格表头跨两列，文本导出时丢了合并，"
                + ("看不出是哪一格" if not names else f"可能是{'、'.join(f'“{n}”' for n in names)}")
                + f"。请在 .yml 中{ask}",
                self.raw(header.line),
            )
            return None
        k = candidates[0]
        label = header.columns[k].label
        found = self._spanned(header, top, sub, k, f"{label}（计量单位）")
        if found is None:
            return None
        widened, new_top, new_sub = found
        self.decisions.append(
            Decision(
                f"表头“{label}”",
                "跨两列：数字和它的计量单位",
                Basis.YML if declared else Basis.CONTENT,
                f"{len(wider)} 行都比表头多 1 格，这一格下是数字、下一格是计量单位"
                f"（如“{wider[0][k]}”“{wider[0][k + 1]}”）",
                header.line,
                f"spans: [{label}]",
            )
        )
        return widened, new_top, new_sub

    def _joined(
        self,
        header: Header,
        top: list[str],
        sub: list[str] | None,
        short: list[list[str]],
        misfits: list[tuple[int, str]],
    ) -> tuple[Header, list[str], list[str] | None] | None:
        columns = header.columns
        declared = [
            k
            for k in range(len(columns) - 1)
            if normalize_label(columns[k].label) in self.options.joined
            and normalize_label(columns[k + 1].label) in self.options.joined
        ]
        if len(declared) == 1 and sub is None:
            k = declared[0]
            first, second = columns[k].label, columns[k + 1].label
            new_top = [*top[: k + 1], *top[k + 2 :]]
            joined = self._header(header.line, new_top, None)
            if joined is not None:
                cols = list(joined.columns)
                cols[k] = replace(cols[k], label=f"{first}、{second}")
                self.decisions.append(
                    Decision(
                        f"表头“{first}”“{second}”",
                        "两格表头下是同一列",
                        Basis.YML,
                        f"{len(short)} 行都比表头少 1 格",
                        header.line,
                        f"joined: [{first}, {second}]",
                    )
                )
                names = joined.names | {normalize_label(second)}
                return Header(joined.line, tuple(cols), joined.lines, names), new_top, None
        self.wide_reported = True
        scores = {
            # The one cell stands under both headers: it must fit either.
            k: min(
                sum(_fit_score(_without(header, k + 1), texts) for texts in short),
                sum(_fit_score(_without(header, k), texts) for texts in short),
            )
            for k in range(len(columns) - 1)
            if columns[k].label and columns[k + 1].label
        }
        best = max(scores.values(), default=0)
        pairs = [
            (columns[k].label, columns[k + 1].label)
            for k, score in scores.items()
            if score == best and best > 0
        ]
        ask = "；".join(f"如是“{a}”“{b}”，写 joined: [{a}, {b}]" for a, b in pairs)
        self.c.error(
            header.line,
            f"{len(misfits)} 行都比表头少单元格，按位置读时内容对不上列（如第 {misfits[0][0]} 行"
            f"的“{misfits[0][1]}”一列）：表头中有两格在原表里下面只有一列"
            + (
                f"。按各行的内容看，请在 .yml 中{ask}"
                if pairs
                else "。请核对表头，把属于同一列的两格表头合成一格，再发布"
            ),
            self.raw(header.line),
            fix=tuple(
                Fix("joined", f"{a}, {b}", sure=False, note="读表结果中核对") for a, b in pairs
            ),
        )
        return None

    def _spanned(
        self, header: Header, top: list[str], sub: list[str] | None, k: int, second_label: str
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """The header with column ``k`` over two data columns, the second named ``second_label``
        and shown under that name."""
        new_top = [*top[: k + 1], "", *top[k + 1 :]]
        new_sub = [*sub[: k + 1], "", *sub[k + 1 :]] if sub is not None else None
        widened = self._header(header.line, new_top, new_sub)
        if widened is None:
            return None
        columns = list(widened.columns)
        second = columns[k + 1]
        columns[k + 1] = HeaderColumn(second.index, second_label, None, True, second.span)
        return Header(widened.line, tuple(columns), widened.lines, widened.names), new_top, new_sub

    def _split_span(
        self,
        header: Header,
        top: list[str],
        sub: list[str] | None,
        split: list[tuple[int, list[str]]],
        declared: list[int],
        body: Sequence[tuple[GridRow, list[str], list[str]]],
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """A few lines one cell wider than the header, the others not: the source table split
        one header's cell in two on those lines only. Read where staff said which header
        (``spans:``); else asked once, never line by line."""
        lines = "、".join(str(line) for line, _ in split[:8]) + ("……" if len(split) > 8 else "")
        if len(declared) != 1:
            self.wide_reported = True
            roles = [col.role for col in header.columns]
            narrow = [t for _, t, _ in body[:_REFINE_ROWS] if len(t) == len(header.columns)]
            names = [
                header.columns[k].label
                for k in split_candidates(roles, [t for _, t in split], narrow)
            ]
            ask = _ask_spans(names, "分成两格的表头")
            self.c.error(
                header.line,
                f"第 {lines} 行比表头多 1 个单元格，其他行不多：原表中这几行把一格表头下的内容分成了两格"
                "（文本导出时丢了合并）"
                + (
                    f"，按各列的内容看是“{names[0]}”"
                    if len(names) == 1
                    else f"，可能是{'、'.join(f'“{n}”' for n in names)}"
                    if names
                    else "，看不出是哪一格表头"
                )
                + f"。请核对原表，在 .yml 中{ask}",
                self.raw(header.line),
                fix=tuple(Fix("spans", n, sure=False, note="读表结果中核对") for n in names),
            )
            return None
        k = declared[0]
        label = header.columns[k].label
        found = self._spanned(header, top, sub, k, f"{label}（细项）")
        if found is None:
            return None
        widened, new_top, new_sub = found
        # Lines of the header's width hold the spanned cell whole: the second column is empty.
        self.narrow = (k + 1, len(header.columns))
        self.decisions.append(
            Decision(
                f"表头“{label}”",
                "在部分行中跨两格：这些行的第二格是细项，其他行一格写全",
                Basis.YML,
                f"第 {lines} 行比表头多 1 格，其他行不多",
                header.line,
                f"spans: [{label}]",
            )
        )
        return widened, new_top, new_sub

    def _is_sub_header(
        self, top: Sequence[str], top_how: Sequence[str], texts: Sequence[str], how: Sequence[str]
    ) -> bool:
        own = [(i, t) for i, t in enumerate(texts) if t and how[i] == ""]
        if not own:
            return False
        if any(
            len(normalize_label(t)) > _SUB_LABEL_MAX or _SEQ_RE.match(normalize_label(t))
            for _, t in own
        ):
            return False
        if len(own) == 1 and (
            _SECTION_RE.match(normalize_label(own[0][1])) or _COUNTED_RE.search(own[0][1])
        ):
            return False  # the first group's row (一、民生实事), not labels
        if any(how[i] == "down" for i in range(len(how))):
            return True  # cells of the top line reach down into this one: one header
        if any(how[i] == "right" for i in range(len(how))):
            return False  # a cell spread across the line: a group's row or a title
        if any(h == "right" for h in top_how):
            # The top line has a group over sub-columns: labels sit under the group.
            return all(
                i < len(top_how) and (top_how[i] == "right" or _groups(top_how, i)) for i, _ in own
            )
        # Text exports lose merges: a line of short labels, each under an empty top cell
        # (a group's continuation) or a known sub-label (已完成、未完成、类别); or, where one of
        # them sits under an empty top cell, sub-columns of no known name (数量、投资).
        labelled = 0
        under_empty = False
        for i, t in own:
            above = top[i] if i < len(top) else ""
            under_empty = under_empty or not above
            if roles_of(t, self.options.columns) or not above:
                labelled += 1
        return labelled == len(own) or (under_empty and len(own) >= 2)

    def _header(self, line: int, top: Sequence[str], sub: Sequence[str] | None) -> Header | None:
        width = max(len(top), len(sub or ()))
        top = [_label_text(t) for t in top] + [""] * (width - len(top))
        low = [_label_text(t) for t in sub or ()] + [""] * (width - len(sub or ()))
        last_named = max((i for i in range(width) if top[i] or low[i]), default=-1)
        labels: list[str] = []
        candidates: list[tuple[Role, ...]] = []
        spans: list[int | None] = []
        names: set[str] = set()
        group, group_start = "", 0
        for index in range(width):
            upper, lower = top[index], low[index]
            span: int | None = None
            if upper and (index == 0 or upper != top[index - 1] or lower):
                group, group_start = upper, index
            elif upper and not lower:
                span = group_start  # the cell of the line above spans this column too
            elif not upper and lower and sub is not None:
                upper = group  # a merged cell of the first line spans this column
            elif not upper and not lower and group and index <= last_named:
                upper, span = group, group_start  # a text export lost the merge
            if lower and normalize_label(lower) == normalize_label(upper):
                lower = ""  # a cell merged over both lines
            tries = [upper + lower, lower, upper] if lower else [upper]
            names.update(normalize_label(t) for t in tries if t)
            roles: tuple[Role, ...] = ()
            label = upper + lower
            for candidate in tries:
                if candidate and (roles := roles_of(candidate, self.options.columns)):
                    label = candidate
                    break
            if lower and label == upper:
                # The group names the role (本月进展情况), the sub-label which of its columns
                # this is (前期手续): both are shown, or two columns read as one name.
                label = f"{upper}（{lower}）"
            labels.append(label)
            candidates.append(roles if span is None else ())
            spans.append(span)
        assigned = assign_roles(candidates)
        if Role.TASK not in assigned and Role.SEQ in assigned:
            # A 序号 and at least two other known columns, but no task column by name (市 州,
            # 民生项目): the first column of no role that is not a span is taken as the task,
            # and said so, so an office's new table still publishes.
            known = sum(1 for r in assigned if r is not None)
            free = [
                i for i in range(width) if assigned[i] is None and labels[i] and spans[i] is None
            ]
            unknown = [i for i in free if not candidates[i]]
            # Two known columns do only where they leave one column, which then is the task
            # by elimination (序号 | 2022年预期目标 | 责任单位).
            if free and (known >= 3 or (known == 2 and len(free) == 1 and len(unknown) == 1)):
                first = (unknown or free)[0]
                assigned[first] = Role.TASK
                self.guessed_task = labels[first]
                self.task_free = len(unknown)
        if Role.TASK not in assigned or sum(1 for r in assigned if r is not None) < 2:
            return None
        columns = []
        for i in range(width):
            known = bool(roles_of(labels[i], self.options.columns)) if labels[i] else False
            columns.append(HeaderColumn(i, labels[i], assigned[i], known, spans[i]))
        # Trailing unnamed empty columns are export noise, not data.
        while columns and not columns[-1].label:
            columns.pop()
        return Header(line, tuple(columns), 2 if sub is not None else 1, frozenset(names))

    def _hint(self, rows: Sequence[tuple[GridRow, list[str], list[str]]]) -> HeaderHint | None:
        """Where the header most likely is, and which columns could hold the tasks.

        A column is suggested only on clear evidence: its lines open with numbers in order
        (14. 15. 16.), or it is the one column of no known role whose name does not speak of
        results (…成效, …情况). Otherwise every candidate is listed for staff to choose."""
        for i, (row, texts, how) in enumerate(rows[:_HEADER_SCAN]):
            labels = _header_labels(texts, how)
            short = [t for t in labels if t and len(normalize_label(t)) <= 12]
            # One cell merged across the line (单位：万元) is a note, not three labels.
            if len(set(short)) < 3 or len(short) < len([t for t in labels if t]):
                continue
            below = [btexts for _, btexts, _ in rows[i + 1 : i + 30]]
            lengths = [sum(len(b[j]) for b in below if j < len(b)) for j in range(len(labels))]
            numbered = {j for j in range(len(labels)) if _numbered_in_order(below, j)}
            candidates = []
            for j, t in enumerate(labels):
                roles = roles_of(t, self.options.columns) if t else ()
                if not t or not lengths[j] or set(roles) & _NOT_TASK_ROLES:
                    continue
                cells = ["".join(b[j].split()) for b in below if j < len(b) and b[j].strip()]
                if cells and all(_AMOUNT_RE.match(c) for c in cells):
                    continue  # figures (57, 82.5, 78.9%) are never the tasks
                candidates.append(j)
            free = [j for j in candidates if not roles_of(labels[j], self.options.columns)]
            plain = [j for j in free if not _RESULT_RE.search(normalize_label(labels[j]))]
            ranked = sorted(
                candidates,
                key=lambda j: (j not in numbered, j not in plain, j not in free, -lengths[j]),
            )
            clear = [j for j in candidates if j in numbered]
            if len(clear) != 1:
                clear = plain if len(plain) == 1 and not numbered else []
            task = clear[0] if clear else None
            return HeaderHint(
                row.line,
                tuple(labels),
                labels[task] if task is not None else None,
                tuple(labels[j] for j in ranked),
            )
        return None

    # -- above the header -----------------------------------------------------------
    def _preamble(
        self, rows: Sequence[tuple[GridRow, list[str], list[str]]]
    ) -> tuple[str | None, int | None, list[str]]:
        title: str | None = None
        title_line: int | None = None
        preamble: list[str] = []
        for row, texts, how in rows:
            own = [t for t, h in zip(texts, how, strict=True) if t and h == ""]
            if not own:
                continue
            if len(own) >= 3 and _SEQ_RE.match(normalize_label(own[0])):
                self.c.error(
                    row.line,
                    "表头之前有数据行（表头应在数据之前，含任务列和责任单位等列）",
                    self.raw(row.line),
                )
                continue
            text = " ".join(own)
            if title is None and len(own) == 1 and not _NOT_TITLE_RE.match(normalize_label(text)):
                title = _TITLE_MARK_RE.sub("", text).strip()
                title_line = row.line
                self.kinds[row.line] = RowKind.TITLE
            else:
                preamble.append(text)
                self.kinds[row.line] = RowKind.PREAMBLE
        return title, title_line, preamble

    # -- the data lines -------------------------------------------------------------
    def _records(
        self,
        body: Sequence[tuple[GridRow, list[str], list[str]]],
        header: Header,
        top: tuple[str, ...],
        sub: tuple[str, ...] | None,
    ) -> tuple[list[Record], list[str], int]:
        width = len(header.columns)
        seq_col = header.index(Role.SEQ)
        task_col = header.index(Role.TASK)
        assert task_col is not None
        section_col = header.index(Role.SECTION)
        declared = self._declared_merges(header)
        top_sig = tuple(normalize_label(t) for t in top if t)
        sub_sig = tuple(normalize_label(t) for t in sub if t) if sub else None

        records: list[list[Row]] = []
        meta: list[tuple[str, str | None, bool]] = []  # seq, section, seq_in_text
        sections: list[str] = []
        section: str | None = None
        cells = 0
        skip_sub = False
        previous: list[str] | None = None  # the last data line's cells, for declared merges
        above: dict[int, str] = {}  # watched column → its last filled text
        blank_runs: dict[int, list[tuple[int, str]]] = {}  # column → [(line, text above)]
        watch = self._blank_watch(header)
        body_index = {row.line: i for i, (row, _, _) in enumerate(body)}
        grouped = self._grouped_layout(body, header)
        if grouped is not None:
            self.group_column = header.index(Role.SEQ)
            # The column's decision says what it numbers, as the preview shows it.
            self.decisions = [
                replace(
                    d,
                    choice=Role.SECTION.value,
                    basis=Basis.CONTENT,
                    evidence="有序号的行只写了分组的名称（见下）",
                )
                if d.column == self.group_column and d.subject.startswith("列")
                else d
                for d in self.decisions
            ]

        firsts = {sig[0] for sig in (top_sig, sub_sig) if sig}
        for row, texts, how in body:
            # Every data line passes here with its long narratives: a line is compared with
            # the header only when its first cell could be the header's first label.
            first = next((t for t in texts if t), "")
            sig: tuple[str, ...] = ()
            if skip_sub or (len(first) <= 20 and normalize_label(first) in firsts):
                sig = tuple(
                    normalize_label(t)
                    for t, h in zip(texts, how, strict=True)
                    if t and h != "right"
                )
            if skip_sub:
                skip_sub = False
                if sub_sig is not None and sig == sub_sig:
                    self.kinds[row.line] = RowKind.REPEATED_HEADER
                    continue
            if sig and sig == top_sig:
                skip_sub = sub_sig is not None
                self.kinds[row.line] = RowKind.REPEATED_HEADER
                continue  # the header again, on the next page
            if self._looks_like_header(texts, header):
                i = body_index[row.line]
                nxt = body[i + 1] if i + 1 < len(body) else None
                sub2 = None
                if nxt is not None and self._is_sub_header(texts, how, nxt[1], nxt[2]):
                    sub2 = _header_labels(nxt[1], nxt[2], below=True)
                again = self._header(row.line, _header_labels(texts, how), sub2)
                if again is not None and sub2 is not None and _roles(again) != _roles(header):
                    again, sub2 = self._header(row.line, _header_labels(texts, how), None), None
                if again is not None:
                    skip_sub = sub2 is not None
                    if sub2 is not None:
                        sub_sig = tuple(normalize_label(t) for t in nxt[1] if t) if nxt else None
                    self.kinds[row.line] = RowKind.REPEATED_HEADER
                    if _roles(again) != _roles(header):
                        self.c.error(
                            row.line,
                            f"表头与第 {header.line} 行的表头不一致："
                            + " | ".join(col.label for col in again.columns),
                            self.raw(row.line),
                        )
                    continue
            if len(texts) > width:
                extra = [
                    t for t, h in zip(texts[width:], how[width:], strict=True) if t and h == ""
                ]
                if extra and self.wide_reported:
                    continue  # said once for the whole table
                if extra:
                    self.c.error(
                        row.line,
                        f"这一行有 {width + len(extra)} 个单元格，表头只有 {width} 列",
                        self.raw(row.line),
                    )
                    continue
                texts, how = texts[:width], how[:width]
            short = len(texts)
            texts = texts + [""] * (width - short)
            how = how + [""] * (width - short)
            own_filled = [t for t, h in zip(texts, how, strict=True) if t and h == ""]
            if not own_filled:
                continue  # nothing of its own: the remainder of merged cells
            if _column_numbers(own_filled) or own_filled == self.annex:
                # 1 2 3 … numbering the columns, or the measures row again on a later page.
                self.kinds[row.line] = RowKind.REPEATED_HEADER
                continue
            cells += len(own_filled)

            first_own = next((t for t, h in zip(texts, how, strict=True) if t and h == ""), "")
            if (
                records
                and _NOTE_RE.match(normalize_label(first_own))
                and not _SEQ_RE.match(normalize_label(first_own))
            ):
                # Notes under the table are shown on the report page, not read as tasks.
                self.notes.append(
                    " ".join(t for t, h in zip(texts, how, strict=True) if t and h == "")
                )
                self.kinds[row.line] = RowKind.NOTE
                continue
            if self._is_total(texts, how, header):
                self.totals.append(Row(row.line, tuple(texts), tuple(h == "down" for h in how)))
                self.kinds[row.line] = RowKind.TOTAL
                continue
            if grouped is not None:
                kind = self._grouped_kind(texts, how, header, grouped)
            else:
                kind = self._classify(texts, how, header)
            if (
                short < width
                and kind is not _Kind.SECTION
                and not self.has_merges
                and not self.wide_reported  # said once for the whole table
            ):
                # A section row is one merged cell across the table: short by nature.
                self.c.warning(
                    row.line,
                    f"这一行只有 {short} 个单元格，表头有 {width} 列，已在末尾补空",
                    self.raw(row.line),
                )
            if kind is _Kind.SECTION:
                section = "、".join(own_filled) if len(own_filled) > 1 else own_filled[0]
                if len(own_filled) > 1 and _CN_SEQ_RE.match(normalize_label(own_filled[0])):
                    section = own_filled[0].rstrip("、.．") + "、" + "".join(own_filled[1:])
                if section not in sections:
                    sections.append(section)
                self.kinds[row.line] = RowKind.SECTION
                previous = None
                above.clear()
                continue
            if kind is _Kind.BAD_SEQ:
                self.c.error(row.line, f"序号“{texts[seq_col or 0]}”不是数字", self.raw(row.line))
                continue

            # Declared merges of text exports: a blank cell takes the text above it.
            merged = [h == "down" for h in how]
            if previous is not None:
                for col in declared:
                    if not texts[col] and previous[col]:
                        texts[col] = previous[col]
                        merged[col] = True
            seq_own = seq_col is not None and not merged[seq_col] and bool(texts[seq_col])
            if kind is _Kind.GROUP_TASK:
                # The group starts here, named by its lead unit (or group cell); the row's
                # project is its first task, numbered by its own marker.
                section = self._group_name(texts, header)
                if section not in sections:
                    sections.append(section)
                kind, seq_own = _Kind.TASK, False
            task_own = bool(texts[task_col]) and not merged[task_col]
            if kind is _Kind.TASK and not task_own and records:
                if not texts[task_col]:
                    # A numbered line under a project whose name cell was merged and lost.
                    blank_runs.setdefault(task_col, []).append((row.line, meta[-1][0]))
                label = texts[seq_col] if seq_own and seq_col is not None else None
                records[-1].append(Row(row.line, tuple(texts), tuple(merged), label))
                self.kinds[row.line] = RowKind.STEP
            elif kind is _Kind.TASK:
                for col in watch:
                    if texts[col]:
                        above[col] = texts[col]
                    elif not merged[col] and col in above:
                        blank_runs.setdefault(col, []).append((row.line, above[col]))
                if section_col is not None and texts[section_col]:
                    section = texts[section_col]
                    if section not in sections:
                        sections.append(section)
                if seq_own and seq_col is not None:
                    seq, in_text = texts[seq_col], False
                else:
                    seq, in_text = self._seq_from_text(texts[task_col], len(records) + 1)
                if not texts[task_col]:
                    self.c.error(
                        row.line,
                        f"序号 {seq} 的任务内容为空，上方也没有任务可以接续",
                        self.raw(row.line),
                    )
                records.append([Row(row.line, tuple(texts), tuple(merged))])
                meta.append((seq, section, in_text))
                self.kinds[row.line] = RowKind.TASK
            elif not records:
                self.c.error(
                    row.line,
                    "续行上方没有任务（序号和任务栏为空，但前面没有任务行）",
                    self.raw(row.line),
                )
                continue
            else:
                records[-1].append(Row(row.line, tuple(texts), tuple(merged)))
                self.kinds[row.line] = RowKind.STEP
            previous = texts

        self._report_blank_runs(blank_runs, header)
        self.blank_lines = frozenset(line for items in blank_runs.values() for line, _ in items)
        return self._keyed(records, meta, sections), sections, cells

    def _grouped_layout(
        self, body: Sequence[tuple[GridRow, list[str], list[str]]], header: Header
    ) -> str | None:
        """A project list grouped under numbered rows: 序号 一、二 on rows that only name a
        group (a lead unit, a category), the projects numbered （一）（二） in the task column
        with their own units or progress, their sub-items 1. 2. under them. Returns the
        projects' numbering style, or None for any other layout."""
        seq_col, task_col = header.index(Role.SEQ), header.index(Role.TASK)
        if seq_col is None or task_col is None:
            return None
        groups = projects = carrying = 0
        styles: list[str] = []
        for _, texts, how in body:
            own = {j for j, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""}
            if not own:
                continue
            style = _marker_style(texts[task_col]) if task_col in own else None
            if seq_col in own:
                groups += 1
                if style is not None:
                    styles.append(style)
                    carrying += 1  # the group's row holds its first project as well
                elif not own <= {seq_col, task_col, header.index(Role.SECTION)}:
                    return None  # a numbered row with its own units or progress is a task
                continue
            if style is None:
                continue
            styles.append(style)
            if own - {task_col}:
                projects += 1
        if not groups or not projects or not styles:
            return None
        top = styles[0]
        if carrying and (
            _seq_style(next(t[seq_col] for _, t, h in body if t[seq_col] and h[seq_col] == ""))
            != "一"
            or top not in ("(一)", "(1)", "①")
        ):
            return None  # 1 | (1)…: the numbers of the 序号 column are the tasks
        self.decisions.append(
            Decision(
                "有序号的行",
                f"分组；任务列中以“{top}”编号的行是各项任务，其他编号的行是任务的步骤",
                Basis.CONTENT,
                f"{groups} 个有序号的行只写了名称，没有单位和进展；其下 {projects} 行以"
                "（一）（二）或 1. 2. 编号、写有单位或进展",
            )
        )
        return top

    def _grouped_kind(
        self, texts: Sequence[str], how: Sequence[str], header: Header, top: str
    ) -> _Kind:
        seq_col, task_col = header.index(Role.SEQ), header.index(Role.TASK)
        assert seq_col is not None and task_col is not None
        project = bool(
            texts[task_col] and how[task_col] == "" and _marker_style(texts[task_col]) == top
        )
        if texts[seq_col] and how[seq_col] == "":
            return _Kind.GROUP_TASK if project else _Kind.SECTION
        return _Kind.TASK if project else _Kind.CONTINUATION

    def _group_name(self, texts: Sequence[str], header: Header) -> str:
        """The group's number and name as a section is named: 三、区教体局. The number is
        the 序号 cell's text, shown nowhere else."""
        seq_col = header.index(Role.SEQ)
        number = texts[seq_col].rstrip("、.．") if seq_col is not None else ""
        for role in (Role.SECTION, Role.LEAD_UNITS, Role.UNITS):
            col = header.index(role)
            if col is not None and texts[col]:
                return f"{number}、{texts[col]}" if number else texts[col]
        return number

    def _seq_from_text(self, text: str, position: int) -> tuple[str, bool]:
        m = _TEXT_MARK_RE.match(text)
        if m:
            return m.group(0).strip().rstrip(".．、"), True
        return str(position), False

    def _keyed(
        self,
        records: list[list[Row]],
        meta: list[tuple[str, str | None, bool]],
        sections: list[str],
    ) -> list[Record]:
        in_text = [m[2] for m in meta]
        if any(in_text):
            # Numbers read from the task text count only where every task has a distinct
            # one; otherwise (18.立足… twice, some unnumbered) tasks are numbered in order
            # and a leading 18. is the work report's article number.
            text_keys = [seq_key(seq) for seq, _, marked in meta if marked]
            in_sections = [(sec, seq_key(seq)) for seq, sec, _ in meta]
            restarts = bool(sections) and len(set(in_sections)) == len(in_sections)
            if not all(in_text) or (len(set(text_keys)) < len(text_keys) and not restarts):
                meta = [(str(i + 1), sec, False) for i, (_, sec, _) in enumerate(meta)]
        keys = [seq_key(seq) for seq, _, _ in meta]
        styles = [_seq_style(seq) for seq, _, _ in meta]
        if len(set(keys)) < len(keys) and len(set(styles)) > 1:
            # Two levels of numbering in one column (1, (1), (2), 2, (1)): a lower-level
            # item is keyed under the item above it of the first level.
            top, parent = styles[0], ""
            for i, style in enumerate(styles):
                if style == top:
                    parent = keys[i]
                elif parent:
                    keys[i] = f"{parent}-{keys[i]}"
        if len(set(keys)) < len(keys) and sections:
            # Numbering that starts again in each section: the section's number goes first.
            section_no = {s: str(i + 1) for i, s in enumerate(sections)}
            keys = [
                f"{section_no[sec]}-{key}" if sec in section_no else key
                for key, (_, sec, _) in zip(keys, meta, strict=True)
            ]
        seen: dict[str, tuple[int, str]] = {}
        out = []
        for rows, key, (seq, sec, marked) in zip(records, keys, meta, strict=True):
            line = rows[0].line
            if key in seen:
                first_line, first_seq = seen[key]
                self.c.error(
                    line,
                    f"序号 {seq} 与第 {first_line} 行的序号 {first_seq} 重复",
                    self.raw(line),
                )
                continue
            seen[key] = (line, seq)
            out.append(Record(seq, key, sec, tuple(rows), marked))
        return out

    def _classify(self, texts: Sequence[str], how: Sequence[str], header: Header) -> _Kind:
        seq_col = header.index(Role.SEQ)
        task_col = header.index(Role.TASK)
        section_col = header.index(Role.SECTION)
        assert task_col is not None
        own = [i for i, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""]
        spread = [i for i, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == "right"]
        down = [i for i, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == "down"]
        front = (0, seq_col, task_col, section_col)
        if len(own) == 1 and not down:
            # One text across the row (a merged cell), or one lone cell that names a group.
            label = normalize_label(texts[own[0]])
            if spread:
                return _Kind.SECTION
            if own[0] in front and (_SECTION_RE.match(label) or _COUNTED_RE.search(label)):
                return _Kind.SECTION
            if (
                own[0] in (0, seq_col, section_col)
                and own[0] != task_col
                and not _SEQ_RE.match(label)
            ):
                return _Kind.SECTION
        if (
            self.arabic
            and seq_col is not None
            and set(own) <= {seq_col, task_col}
            and seq_col in own
            and _CN_SEQ_RE.match(normalize_label(texts[seq_col]))
        ):
            # 一 | 稳住经济基本盘（3项） over tasks numbered 1, 2, 3: a group's row.
            return _Kind.SECTION
        if seq_col is not None and texts[seq_col]:
            if how[seq_col] == "down":
                return _Kind.CONTINUATION  # the number's cell spans this line: same task
            if _SEQ_RE.match(normalize_label(texts[seq_col])):
                return _Kind.TASK
            return _Kind.BAD_SEQ
        if seq_col is None and texts[task_col] and how[task_col] == "":
            return _Kind.TASK
        # With a 序号 column, a line without a number adds to the task above: another
        # indicator or sub-item, or its merged number lost in a text export.
        return _Kind.CONTINUATION

    def _is_total(self, texts: Sequence[str], how: Sequence[str], header: Header) -> bool:
        """A 合计 / 全省 line: the table's total, not a task (it is shown on the report page)."""
        task_col = header.index(Role.TASK)
        seq_col = header.index(Role.SEQ)
        assert task_col is not None
        if seq_col is not None and texts[seq_col] and how[seq_col] == "":
            return bool(_TOTAL_RE.match(normalize_label(texts[seq_col])))
        label = normalize_label(texts[task_col]) if how[task_col] == "" else ""
        return bool(_TOTAL_RE.match(label))

    def _looks_like_header(self, texts: Sequence[str], header: Header) -> bool:
        # Every data line passes here with its long narratives: look at the task cell only.
        task_col = header.index(Role.TASK)
        assert task_col is not None
        cell = texts[task_col] if task_col < len(texts) else ""
        if not 0 < len(cell) <= 20 or Role.TASK not in roles_of(cell, self.options.columns):
            return False
        seq_col = header.index(Role.SEQ)
        seq = (
            normalize_label(texts[seq_col]) if seq_col is not None and seq_col < len(texts) else ""
        )
        return not _SEQ_RE.match(seq) if seq else True

    def _declared_merges(self, header: Header) -> list[int]:
        cols = []
        for col in header.columns:
            names = {normalize_label(col.label)}
            if col.role is not None:
                names.add(col.role.value)
            if names & self.options.merged:
                cols.append(col.index)
        return cols

    def _blank_watch(self, header: Header) -> list[int]:
        """Columns whose blank cell under a filled one is worth a word: a lost merge is likely."""
        watch = []
        for role in (Role.UNITS, Role.LEAD_UNITS, Role.SECTION, Role.LEADER):
            col = header.index(role)
            if col is None:
                continue
            names = {normalize_label(header.columns[col].label), role.value}
            if not names & self.options.blank:
                watch.append(col)
        return watch

    def _report_blank_runs(self, runs: Mapping[int, list[tuple[int, str]]], header: Header) -> None:
        task_col = header.index(Role.TASK)
        for col, items in sorted(runs.items()):
            label = header.columns[col].label
            # One message per run of consecutive data lines.
            groups: list[list[tuple[int, str]]] = []
            for line, above in items:
                if (
                    groups
                    and groups[-1][-1][1] == above
                    and self._adjacent(groups[-1][-1][0], line)
                ):
                    groups[-1].append((line, above))
                else:
                    groups.append([(line, above)])
            for group in groups:
                first, last = group[0][0], group[-1][0]
                count = len(group)
                if col == task_col:
                    message = (
                        f"{count} 行有序号但“{label}”为空，已作为上一项任务（序号 {group[0][1]}）的续行；"
                        f"如是合并单元格，请在 .yml 中写 merged: [{label}]"
                    )
                else:
                    message = (
                        f"{count} 行的“{label}”为空（上方为“{_clip(group[0][1])}”）：如是合并单元格，"
                        f"请在 .yml 中写 merged: [{label}]，空格将沿用上方的内容；如是有意留空，写 blank: [{label}]"
                    )
                self.c.warning(
                    first,
                    message,
                    end_line=last,
                    fix=(
                        Fix("merged", label, sure=False, note="只在原表这些格是合并单元格时保留"),
                        Fix("blank", label, sure=False, note="只在原表这些格有意留空时保留"),
                    ),
                )

    def _adjacent(self, a: int, b: int) -> bool:
        """Whether two data lines are near enough to belong to one run (continuation lines
        of a task may lie between them)."""
        return self.position[b] - self.position[a] <= 3


_REFINE_ROWS = 400
# Roles whose column never holds the task text, whatever its content.
_NOT_TASK_ROLES = {
    Role.SEQ,
    Role.UNITS,
    Role.LEAD_UNITS,
    Role.SUPPORT_UNITS,
    Role.LEADER,
    Role.OFFICE,
    Role.SUPERVISION,
    Role.DEADLINE,
    Role.FIGURE,
    Role.STATUS,
    Role.MARK_DONE,
    Role.MARK_NOT_DONE,
}
# A column named for what was achieved is not the task, however long its texts.
_RESULT_RE = re.compile(r"成效|情况|进展|结果|完成|落实|成果|问题|措施|备注|说明")


_HEADER_WHERE = ".yml 中的 header"


def _with_header(
    rows: list[tuple[GridRow, list[str], list[str]]], names: Sequence[str]
) -> list[tuple[GridRow, list[str], list[str]]]:
    """The rows with staff's header (``header:``) above the first line of several cells: a
    title above it stays a title."""
    first = next((i for i, (_, t, _) in enumerate(rows) if sum(1 for x in t if x) >= 2), 0)
    row = GridRow(0, _HEADER_WHERE, tuple(Cell(name) for name in names))
    texts = [_flat(name) for name in names]
    return [*rows[:first], (row, texts, [""] * len(texts)), *rows[first:]]


_INTEGER_RE = re.compile(r"^\d{1,4}$")


def _headerless(
    rows: Sequence[tuple[GridRow, list[str], list[str]]],
) -> tuple[int, list[str]] | None:
    """A table whose first lines of several cells are already data — its first column numbers
    them 1, 2, 3 — and the header each column's content suggests, for staff to confirm. None
    where the lines do not say so clearly."""
    data = [(row, texts) for row, texts, _ in rows if sum(1 for t in texts if t) >= 3]
    if len(data) < 3:
        return None
    numbers = [texts[0] for _, texts in data]
    if not all(_INTEGER_RE.match(n) for n in numbers) or [int(n) for n in numbers[:3]] != [
        int(numbers[0]) + k for k in range(3)
    ]:
        return None
    from .model import status_of_word

    width = max(len(texts) for _, texts in data)
    names = ["序号"]
    long_columns = 0
    for j in range(1, width):
        cells = [texts[j] for _, texts in data if j < len(texts) and texts[j]]
        if not cells:
            names.append("备注")
        elif all(status_of_word(c) is not None for c in cells):
            names.append("完成状态")
        elif all(_unit_like(c) for c in cells):
            names.append("责任单位")
        elif sum(len(c) for c in cells) / len(cells) >= 12:
            names.append(("任务", "进展情况")[min(long_columns, 1)])
            long_columns += 1
        else:
            return None  # a column nothing here can name: no suggestion beats a wrong one
    if long_columns not in (1, 2) or names.count("进展情况") > 1:
        return None
    return data[0][0].line, names


def _unit_like(text: str) -> bool:
    words = [w for w in re.split(r"[、,，;；/\s]+", text) if w]
    return bool(words) and all(len(w) <= 15 and _BODY_END_RE.search(w) for w in words)


# A responsible body's name in a column with no header: 县教育局, 县残联, 城关镇.
_BODY_END_RE = re.compile(r"(局|委|办|院|会|中心|公司|政府|部|街道|镇|乡|联|所|站|队|处)$")


def _numbered_in_order(lines: Sequence[Sequence[str]], index: int) -> bool:
    """Whether the column's lines open with numbers that go up (14. 15. 16.)."""
    numbers = []
    for cells in lines:
        text = cells[index] if index < len(cells) else ""
        if not text:
            continue
        m = _TEXT_MARK_RE.match(text)
        if m is None:
            return False
        key = seq_key(m.group(0).strip().rstrip(".．、"))
        numbers.append(int(key) if key.isdigit() else -1)
    return len(numbers) >= 2 and all(b > a >= 0 for a, b in itertools.pairwise(numbers))


_AMOUNT_RE = re.compile(r"^[约近超]?\d+(?:\.\d+)?\s*[%％]?[^\d\s，,。；;]{0,4}$")
_MONTH_RE = re.compile(r"(\d{1,2})\s*月")


def _last_month(label: str) -> int | None:
    """The last month a column's name speaks of: 截至6月底 → 6, 1-7月 → 7, 7月工作计划 → 7."""
    months = _MONTH_RE.findall(label)
    return int(months[-1]) if months and 1 <= int(months[-1]) <= 12 else None


_CONTENT_EVIDENCE: Mapping[Role | None, str] = {
    Role.ACTUAL: "列中是数量（6453人、3个），不是叙述：是对照目标完成的数",
    Role.NEXT_STEPS: "列名中的月份在进展情况的月份之后：是下一步的计划",
    Role.PROGRESS: "几列进展情况中月份最晚的一列：本期的进展",
    Role.FIGURE: "六成以上的格以百分数开头（80%……）",
    Role.STATUS: "每一格都是完成状态的词（已完成、推进中……）",
    Role.TASK: "每个编号的行在这一列各有自己的名称或文字",
    Role.TARGET: "与项目名称并列的较长文字：项目要完成的内容",
    Role.SECTION: "表头一格跨两列：前一列合并在多行之上，是分组",
    Role.UNITS: "表中没有责任单位列，这一列的每一格都是科室或单位的名称",
    None: "另一列才是任务：这一列按原列名显示",
}
"""Data lines looked at to tell what a column holds: enough for any office's habits."""
_PERCENT_START_RE = re.compile(r"^\s*\d+(?:\.\d+)?\s*[%％]")


def _refine(header: Header, body: Sequence[tuple[GridRow, list[str], list[str]]]) -> Header:
    """Roles the header names leave open, settled by what the columns hold."""
    from .model import status_of_word

    columns = list(header.columns)
    taken = {c.role for c in columns if c.role is not None}

    def values(index: int) -> list[str]:
        return [
            texts[index]
            for _, texts, how in body
            if index < len(texts) and texts[index] and how[index] != "down"
        ]

    def give(index: int, role: Role | None, known: bool = True) -> None:
        col = columns[index]
        columns[index] = HeaderColumn(col.index, col.label, role, known, col.span)
        if role is not None:
            taken.add(role)

    # A header cell spanning the task column and the next: with a 序号 column the first
    # holds the project and the rest its indicator lines; without one, the first is the
    # group (merged down, lost in text exports) and the next is the task.
    task = header.index(Role.TASK)
    seq = header.index(Role.SEQ)
    if task is not None and seq is not None:
        # With a 序号: if the numbers change more often than the first column (the project
        # merged over several numbered lines, each with its own indicator), each numbered
        # line is a task and the project is a grouping shown with it.
        span = [c.index for c in columns if c.span == task]
        numbered = (
            [
                (texts, how)
                for _, texts, how in body
                if seq < len(texts) and texts[seq] and how[seq] == "" and span[0] < len(texts)
            ]
            if span
            else []
        )
        shared = sum(1 for texts, how in numbered if not texts[task] or how[task] == "down")
        if numbered and shared * 2 > len(numbered):
            give(task, None)
            give(span[0], Role.TASK)
    elif task is not None:
        span = [c.index for c in columns if c.span == task]
        if span:
            filled = sum(
                1 for _, texts, how in body if task < len(texts) and texts[task] and how[task] == ""
            )
            rows = sum(1 for _, texts, _ in body if span[0] < len(texts) and texts[span[0]])
            if rows and filled < rows:
                give(task, Role.SECTION if Role.SECTION not in taken else None)
                give(span[0], Role.TASK)
    # 项目名称 beside 主要内容 (both names of a task column): the first was read as a group;
    # where each numbered line has a name of its own, it names the project, and the longer
    # text is what the project is to deliver.
    section = next((c for c in columns if c.role is Role.SECTION), None)
    if (
        task is not None
        and seq is not None
        and section is not None
        and Role.TASK in roles_of(section.label)
        and section.index < task
    ):
        numbered = [
            (texts, how)
            for _, texts, how in body
            if seq < len(texts) and texts[seq] and how[seq] == "" and section.index < len(texts)
        ]
        own = [texts[section.index] for texts, how in numbered if how[section.index] == ""]
        if numbered and len(own) == len(numbered) and len(set(own)) == len(own) and all(own):
            give(section.index, Role.TASK)
            give(task, Role.TARGET if Role.TARGET not in taken else None)
    # 1-7月实际完成情况 beside a 目标任务: where the column holds amounts (6453人, 3个), not
    # narratives, it is what was done against the target. With the target inside the task's
    # text (上海: 新增4000张养老床位 | 4385 | 110%) as well, where no amount is a percentage.
    if Role.ACTUAL not in taken:
        for col in columns:
            if col.role is Role.PROGRESS:
                found = values(col.index)
                amounts = [
                    v
                    for v in found
                    if _AMOUNT_RE.match("".join(v.split()))
                    and (Role.TARGET in taken or not re.search(r"[%％]", v))
                ]
                if len(found) >= 2 and len(amounts) >= 0.8 * len(found):
                    give(col.index, Role.ACTUAL)
                    break
    # Two columns of progress by period (1-10月推进情况, 1-11月推进情况): the latest is this
    # period's; the earlier one is the previous period's, shown under its own name.
    by_month = [
        (month, c)
        for c in columns
        if Role.PROGRESS in roles_of(c.label) and (month := _last_month(c.label)) is not None
    ]
    if len(by_month) >= 2 and len({m for m, _ in by_month}) == len(by_month):
        latest = max(by_month, key=lambda pair: pair[0])[1]
        for _, col in by_month:
            give(col.index, Role.PROGRESS if col is latest else None)
    # 7月工作计划 in a table of progress 截至6月底: the plan of the next month is next steps.
    progress_month = max(
        (m for c in columns if c.role is Role.PROGRESS and (m := _last_month(c.label))),
        default=None,
    )
    if progress_month is not None and Role.NEXT_STEPS not in taken:
        for col in columns:
            if col.role is Role.PLAN and _last_month(col.label) == progress_month % 12 + 1:
                give(col.index, Role.NEXT_STEPS)
    # A narrative column that holds figures (当前进度: 80%(…)) is the figure.
    for col in columns:
        if col.role is Role.PROGRESS and Role.FIGURE not in taken:
            found = values(col.index)
            if found and sum(1 for v in found if _PERCENT_START_RE.match(v)) >= 0.6 * len(found):
                give(col.index, Role.FIGURE)
    # A column of nothing but status words states the status.
    if Role.STATUS not in taken and header.index(Role.MARK_DONE) is None:
        for col in columns:
            if col.role in (Role.PROGRESS, Role.REMARKS, None) and col.span is None:
                found = values(col.index)
                # Words, not only 是/否 or marks: those say nothing without their column's name.
                words = [v for v in found if v not in ("是", "否", "✓", "√", "×")]
                if len(found) >= 2 and words and all(status_of_word(v) for v in found):
                    give(col.index, Role.STATUS)
                    break
    # A town's table names its offices (科室) as the responsible units.
    office = next((c for c in columns if c.role is Role.OFFICE), None)
    if office is not None and not taken & {Role.UNITS, Role.LEAD_UNITS}:
        give(office.index, Role.UNITS)
    # No units column, and a 备注 holding nothing but names of bodies (岳阳市: 人力资源社会
    # 保障局, 岳阳电力公司): there the table names who is responsible.
    if not taken & {Role.UNITS, Role.LEAD_UNITS}:
        named = [
            c
            for c in columns
            if c.role in (Role.REMARKS, None)
            and len(found := values(c.index)) >= 3
            and all(_unit_like(v) and not is_person("".join(v.split())) for v in found)
        ]
        if len(named) == 1:
            give(named[0].index, Role.UNITS)
    return Header(header.line, tuple(columns), header.lines, header.names)


_UNIT_NAME_END_RE = re.compile(r"(局|委|办|厅|院|中心|公司|政府|街道|管委会)$")
_SENTENCE_RE = re.compile(r"\d|。|[,，][^,，]{6,}")
_UNIT_ROLES = (Role.UNITS, Role.LEAD_UNITS, Role.SUPPORT_UNITS)


def _column_numbers(cells: Sequence[str]) -> bool:
    """A row numbering the columns: 1 2 3 4 (or 01 02 03) in order, at least three."""
    flat = ["".join(c.split()) for c in cells]
    return (
        len(flat) >= 3
        and all(c.isdigit() and len(c) <= 2 for c in flat)
        and [int(c) for c in flat] == list(range(int(flat[0]), int(flat[0]) + len(flat)))
        and int(flat[0]) <= 1
    )


_BRACKETS = "()（）[]【】"


def _measures_row(cells: Sequence[str]) -> bool:
    """A row under the header giving each column's measure: 万元, (%), 个, 亩."""
    from .spans import is_measure

    flat = ["".join(c.split()).strip(_BRACKETS) for c in cells]
    return len(flat) >= 2 and all(c and (is_measure(c) or c in ("单位", "计量单位")) for c in flat)


def _fit_score(header: Header, texts: Sequence[str]) -> int:
    """How well a line's cells fit the columns they would stand under: a person under the
    leaders, names of bodies under the units, a number under 序号, a status word under the
    status; less one for a cell that cannot be there."""
    from .model import status_of_word

    score = -1 if _misfit(header, texts) is not None else 0
    for col, text in zip(header.columns, texts, strict=False):
        flat = "".join(text.split())
        if not flat:
            continue
        if col.role is Role.LEADER:
            score += 1 if is_person(flat) else -1
        elif col.role in _UNIT_ROLES:
            score += 1 if _unit_like(flat) else -1
        elif col.role is Role.SEQ:
            score += 1 if _INTEGER_RE.match(flat) else -1
        elif col.role is Role.TASK and _INTEGER_RE.match(flat):
            score -= 1
        elif col.role in (Role.STATUS, Role.MARK_DONE, Role.MARK_NOT_DONE):
            score += 1 if status_of_word(flat) is not None or flat in ("是", "否") else -1
    return score


def _ask_spans(names: Sequence[str], unknown: str) -> str:
    """The spans: line for each candidate header, or the line to fill in."""
    if not names:
        return f"写 spans: [{unknown}]"
    return "；".join(f"如是“{n}”，写 spans: [{n}]" for n in names)


def _without(header: Header, index: int) -> Header:
    """The header with one column taken out: the columns after it move one to the left."""
    kept = [col for col in header.columns if col.index != index]
    return replace(header, columns=tuple(replace(col, index=i) for i, col in enumerate(kept)))


def _misfit(header: Header, texts: Sequence[str]) -> str | None:
    """The label of the first column whose cell on this short line cannot be what the column
    holds (a sentence under a status, figure or deadline column), or None."""
    from .model import status_of_word

    for col, text in zip(header.columns, texts, strict=False):
        flat = "".join(text.split())
        if col.role is Role.LEADER and _UNIT_NAME_END_RE.search(flat) and not is_person(flat):
            return col.label  # a unit's name where the people are
        if col.role in _UNIT_ROLES and len(flat) > 8 and _SENTENCE_RE.search(flat):
            return col.label  # a sentence with figures where the units are
        if not flat or len(flat) <= 12:
            continue
        if col.role is Role.STATUS and status_of_word(flat) is None:
            return col.label
        if col.role in (Role.FIGURE, Role.DEADLINE, Role.SEQ, Role.MARK_DONE, Role.MARK_NOT_DONE):
            return col.label
    return None


def _marker_style(text: str) -> str | None:
    """How the number opening a task text is written: (1), 1., ①, (一), 一、; None if none."""
    m = _TEXT_MARK_RE.match(text)
    if m is None or m.lastindex is None:
        return None
    return ("(1)", "1.", "①", "(一)", "一、")[m.lastindex - 1]


def strip_marker(text: str) -> tuple[str, str] | None:
    """A task text opening with its number: (the number without its dot, the text after)."""
    m = _TEXT_MARK_RE.match(text)
    if m is None or not text[m.end() :].strip():
        return None
    return m.group(0).strip().rstrip(".．、"), text[m.end() :].strip()


def _label_text(text: str) -> str:
    """A header cell as shown: markup removed, lines joined, spaces collapsed."""
    if "<" in text:
        text = html.unescape(_TAG_RE.sub("", text))
    return " ".join(text.split())


def _groups(how: Sequence[str], index: int) -> bool:
    """Whether the top-line cell at ``index`` starts a group (the next cell is merged into it)."""
    return index + 1 < len(how) and how[index + 1] == "right"


def _roles(header: Header) -> tuple[Role | None, ...]:
    return tuple(col.role for col in header.columns)


def _flat(text: str) -> str:
    return text.strip()


def _header_labels(texts: Sequence[str], how: Sequence[str], below: bool = False) -> list[str]:
    """The labels of a header line; a cell merged from the left repeats its group's label, one
    merged down from the line above is blank (it belongs to the line above)."""
    labels = []
    for t, h in zip(texts, how, strict=True):
        if h == "down" and below:
            labels.append("")
        else:
            labels.append(t)
    return labels


def _clip(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "Header",
    "HeaderColumn",
    "HeaderHint",
    "Options",
    "Parsed",
    "Record",
    "Row",
    "Table",
    "chinese_number",
    "find_header",
    "parse_file",
    "parse_grid",
    "parse_text",
    "seq_key",
    "strip_marker",
]
