"""Stage 1: a grid of cells (from any reader) → header, sections and task records.

Format-blind: the readers in ``readers/`` turn .txt, .csv, .xlsx, .docx, .html and .pdf into
the same grid; ``tables.py`` picks the table of a file to read. Here ``header.py`` finds the
header by the meaning of its cells, ``refine.py`` settles from the columns' content what its
words leave open, and this module reads the lines under it: task rows, continuation lines,
groups and sections, totals and notes, repeated headers, merged cells spread over the rows
they span. ``numbering.py`` is how tables number their lines. See ``shared/notes/reports.md``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .columns import Role, normalize_label, roles_of
from .errors import Collector, Fix, Problem
from .header import (
    REFINE_ROWS,
    RESULT_RE,
    Header,
    HeaderHint,
    HeaderReader,
    Options,
    column_numbers,
    header_labels,
    headerless,
    roles,
    with_header,
)
from .numbering import (
    CN_SEQ_RE,
    COUNTED_RE,
    SECTION_RE,
    SEQ_RE,
    TEXT_MARK_RE,
    flat,
    marker_style,
    seq_key,
    seq_style,
)
from .readers import Grid, GridRow, ReadError, read
from .reading import Basis, Decision, RowKind
from .refine import CONTENT_EVIDENCE, refine


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


class _Kind(enum.Enum):
    TASK = 1
    CONTINUATION = 2
    SECTION = 3
    BAD_SEQ = 4
    GROUP_TASK = 5
    """A group's numbered row that also holds the group's first project (一 | 区住建局 | (一)…)."""


_TITLE_MARK_RE = re.compile(r"^#+\s*")
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
    found = interpreter.head.find(interpreter._resolve())
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
        self.totals: list[Row] = []
        self.notes: list[str] = []
        self.arabic = False
        """The 序号 column numbers tasks 1, 2, 3: a row numbered 一、 there is a group."""
        self.has_merges = any(c.merged_from is not None for r in grid.rows for c in r.cells)
        self.decisions: list[Decision] = []
        self.kinds: dict[int, RowKind] = {}
        self.head = HeaderReader(options, self.c, self.decisions, self.raw, self.has_merges)

    def raw(self, line: int) -> str:
        """The source row as one line of text, for quoting under a message."""
        return "\t".join(cell.text for cell in self.source[line].cells)

    # -- merges ---------------------------------------------------------------------
    def _resolve(self) -> list[tuple[GridRow, list[str], list[str]]]:
        """Each row with (texts, how): how is "" (own), "down" (merged from a row above) or
        "right" (merged from a cell to the left in the same row)."""
        rows = self.grid.rows
        out: list[tuple[GridRow, list[str], list[str]]] = []
        # One string for equal cells (a merged cell on every line it spans, the same unit,
        # deadline or status on many lines): the model keeps every line's cells, and at
        # 100,000 tasks the copies were some 60 MB.
        pool: dict[str, str] = {}
        for r, row in enumerate(rows):
            texts, how = [], []
            for cell in row.cells:
                if cell.merged_from is None:
                    text = flat(cell.text)
                    texts.append(pool.setdefault(text, text))
                    how.append("")
                    continue
                fr, fc = cell.merged_from
                origin = rows[fr].cells[fc] if fr < len(rows) and fc < len(rows[fr].cells) else None
                text = flat(origin.text) if origin is not None else ""
                texts.append(pool.setdefault(text, text))
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
            rows = with_header(rows, self.options.header)
        found = self.head.find(rows)
        if found is None:
            hint = self.head.hint(rows)
            guess = None if self.options.header else headerless(rows)
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
                if not RESULT_RE.search(normalize_label(n))
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
        if self.head.narrow is not None:
            at, old = self.head.narrow
            body = [
                (row, [*texts[:at], "", *texts[at:]], [*how[:at], "", *how[at:]])
                if len(texts) <= old and len(texts) >= at
                else (row, texts, how)
                for row, texts, how in body
            ]
        if self.head.guessed_task is not None and self.head.task_free == 1:
            # A 序号 and other known columns, and one column of no known role: by elimination
            # it holds the tasks. Said, so staff confirm it.
            label = self.head.guessed_task
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
        elif self.head.guessed_task is not None:
            # A 序号 and other known columns but no task column by name: which column holds
            # the tasks is not guessed; staff choose, with the candidates listed.
            hint = self.head.hint(rows[start:])
            names = hint.candidates if hint else (self.head.guessed_task,)
            self.c.error(
                header.line,
                "没有认出任务列（表头中没有“工作任务”“项目名称”等列名）：请在 .yml 中写明哪一列是任务，"
                + "；".join(f"如是“{n}”列，写 columns: {{{n}: 任务}}" for n in names),
                self.raw(header.line),
            )
            return Parsed(None, tuple(self.c.problems), hint)
        before = header
        header = refine(header, body[:REFINE_ROWS])
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
                evidence = CONTENT_EVIDENCE.get(col.role, "列中的内容")
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
            if len(own) >= 3 and SEQ_RE.match(normalize_label(own[0])):
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
                if nxt is not None and self.head.is_sub_header(texts, how, nxt[1], nxt[2]):
                    sub2 = header_labels(nxt[1], nxt[2], below=True)
                again = self.head.named(row.line, header_labels(texts, how), sub2)
                if again is not None and sub2 is not None and roles(again) != roles(header):
                    again, sub2 = self.head.named(row.line, header_labels(texts, how), None), None
                if again is not None:
                    skip_sub = sub2 is not None
                    if sub2 is not None:
                        sub_sig = tuple(normalize_label(t) for t in nxt[1] if t) if nxt else None
                    self.kinds[row.line] = RowKind.REPEATED_HEADER
                    if roles(again) != roles(header):
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
                if extra and self.head.wide_reported:
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
            if column_numbers(own_filled) or own_filled == self.head.annex:
                # 1 2 3 … numbering the columns, or the measures row again on a later page.
                self.kinds[row.line] = RowKind.REPEATED_HEADER
                continue
            cells += len(own_filled)

            first_own = next((t for t, h in zip(texts, how, strict=True) if t and h == ""), "")
            if (
                records
                and _NOTE_RE.match(normalize_label(first_own))
                and not SEQ_RE.match(normalize_label(first_own))
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
                and not self.head.wide_reported  # said once for the whole table
            ):
                # A section row is one merged cell across the table: short by nature.
                self.c.warning(
                    row.line,
                    f"这一行只有 {short} 个单元格，表头有 {width} 列，已在末尾补空",
                    self.raw(row.line),
                )
            if kind is _Kind.SECTION:
                section = "、".join(own_filled) if len(own_filled) > 1 else own_filled[0]
                if len(own_filled) > 1 and CN_SEQ_RE.match(normalize_label(own_filled[0])):
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
            style = marker_style(texts[task_col]) if task_col in own else None
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
            seq_style(next(t[seq_col] for _, t, h in body if t[seq_col] and h[seq_col] == ""))
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
            texts[task_col] and how[task_col] == "" and marker_style(texts[task_col]) == top
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
        m = TEXT_MARK_RE.match(text)
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
        styles = [seq_style(seq) for seq, _, _ in meta]
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
            if own[0] in front and (SECTION_RE.match(label) or COUNTED_RE.search(label)):
                return _Kind.SECTION
            if (
                own[0] in (0, seq_col, section_col)
                and own[0] != task_col
                and not SEQ_RE.match(label)
            ):
                return _Kind.SECTION
        if (
            self.arabic
            and seq_col is not None
            and set(own) <= {seq_col, task_col}
            and seq_col in own
            and CN_SEQ_RE.match(normalize_label(texts[seq_col]))
        ):
            # 一 | 稳住经济基本盘（3项） over tasks numbered 1, 2, 3: a group's row.
            return _Kind.SECTION
        if seq_col is not None and texts[seq_col]:
            if how[seq_col] == "down":
                return _Kind.CONTINUATION  # the number's cell spans this line: same task
            if SEQ_RE.match(normalize_label(texts[seq_col])):
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
        return not SEQ_RE.match(seq) if seq else True

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


def _clip(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "Parsed",
    "Record",
    "Row",
    "Table",
    "find_header",
    "parse_file",
    "parse_grid",
    "parse_text",
]
