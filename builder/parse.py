"""Stage 1: a grid of cells (from any reader) → header, sections and task records.

Format-blind: the readers in ``readers/`` turn .txt, .csv, .xlsx, .docx and .html into the
same grid; this module finds the header by the meaning of its cells, reads one- and
two-line headers, skips repeated headers, tells task rows from continuation lines and
section rows, and spreads merged cells over the rows they span. See ``shared/notes/reports.md``.
"""

from __future__ import annotations

import enum
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .columns import Role, assign_roles, normalize_label, roles_of
from .errors import Collector, Problem
from .readers import Grid, GridRow, ReadError, read


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
    """The column that most likely holds the tasks (the longest texts under the header)."""


@dataclass(frozen=True)
class Options:
    """What a report's ``.yml`` tells the interpreter."""

    columns: Mapping[str, Role] = field(default_factory=dict)
    """Normalised header name → role."""
    merged: frozenset[str] = frozenset()
    """Normalised header names (or role names) of columns whose blank cells fill down."""


class _Kind(enum.Enum):
    TASK = 1
    CONTINUATION = 2
    SECTION = 3
    BAD_SEQ = 4


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


class _Interpreter:
    def __init__(self, grid: Grid, options: Options):
        self.grid = grid
        self.options = options
        self.places = {row.line: row.where for row in grid.rows if row.where}
        self.c = Collector(grid.path, self.places)
        self.source = {row.line: row for row in grid.rows}
        self.position = {row.line: i for i, row in enumerate(grid.rows)}
        self.blank_lines: frozenset[int] = frozenset()
        self.guessed_task: str | None = None
        self.totals: list[Row] = []
        self.notes: list[str] = []
        self.arabic = False
        """The 序号 column numbers tasks 1, 2, 3: a row numbered 一、 there is a group."""
        self.has_merges = any(c.merged_from is not None for r in grid.rows for c in r.cells)

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
        found = self._find_header(rows)
        if found is None:
            hint = self._hint(rows)
            self.c.error(
                hint.line if hint else None,
                "找不到表头：没有一行能认出任务列（如 序号、工作任务、项目内容、重点工作、实事名称）"
                "和至少另一列（责任单位、进展情况……）",
                self.raw(hint.line) if hint else None,
            )
            return Parsed(None, tuple(self.c.problems), hint)
        start, header, raw_top, raw_sub = found
        if self.guessed_task is not None:
            label = self.guessed_task
            self.c.warning(
                header.line,
                f"没有认出任务列：按“{label}”一列作任务发布；如不对，请在 .yml 中写 columns: "
                f"{{任务列的表头: 任务}}，如对，写 columns: {{{label}: 任务}}",
            )
        title, title_line, preamble = self._preamble(rows[:start])
        body = rows[start + header.lines :]
        header = _refine(header, body[:_REFINE_ROWS])
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
            totals=tuple(self.totals),
            notes=tuple(self.notes),
        )
        return Parsed(table, tuple(self.c.problems))

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
                return i, header, tuple(top), tuple(sub) if sub is not None else None
        return None

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
            if known >= 3 and free:
                assigned[free[0]] = Role.TASK
                self.guessed_task = labels[free[0]]
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
        """The likeliest header line of a table whose task column has an unknown name."""
        for i, (row, texts, how) in enumerate(rows[:_HEADER_SCAN]):
            labels = _header_labels(texts, how)
            short = [t for t in labels if t and len(normalize_label(t)) <= 12]
            if len(short) < 3 or len(short) < len([t for t in labels if t]):
                continue
            below = rows[i + 1 : i + 30]
            lengths = [0] * len(labels)
            for _, btexts, _ in below:
                for j, t in enumerate(btexts[: len(labels)]):
                    lengths[j] += len(t)
            free = [
                j
                for j, t in enumerate(labels)
                if t and not roles_of(t, self.options.columns) and lengths[j]
            ]
            task = max(free, key=lambda j: lengths[j]) if free else None
            return HeaderHint(row.line, tuple(labels), labels[task] if task is not None else None)
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
            else:
                preamble.append(text)
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
                    continue
            if sig and sig == top_sig:
                skip_sub = sub_sig is not None
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
            cells += len(own_filled)
            if not own_filled:
                continue  # nothing of its own: the remainder of merged cells

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
                continue
            if self._is_total(texts, how, header):
                self.totals.append(Row(row.line, tuple(texts), tuple(h == "down" for h in how)))
                continue
            kind = self._classify(texts, how, header)
            if short < width and kind is not _Kind.SECTION and not self.has_merges:
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
            task_own = bool(texts[task_col]) and not merged[task_col]
            if kind is _Kind.TASK and not task_own and records:
                if not texts[task_col]:
                    # A numbered line under a project whose name cell was merged and lost.
                    blank_runs.setdefault(task_col, []).append((row.line, meta[-1][0]))
                label = texts[seq_col] if seq_own and seq_col is not None else None
                records[-1].append(Row(row.line, tuple(texts), tuple(merged), label))
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
            elif not records:
                self.c.error(
                    row.line,
                    "续行上方没有任务（序号和任务栏为空，但前面没有任务行）",
                    self.raw(row.line),
                )
                continue
            else:
                records[-1].append(Row(row.line, tuple(texts), tuple(merged)))
            previous = texts

        self._report_blank_runs(blank_runs, header)
        self.blank_lines = frozenset(line for items in blank_runs.values() for line, _ in items)
        return self._keyed(records, meta, sections), sections, cells

    def _seq_from_text(self, text: str, position: int) -> tuple[str, bool]:
        m = _TEXT_MARK_RE.match(text)
        if m:
            return m.group(0).strip(), True
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
            if not all(in_text) or len(set(text_keys)) < len(text_keys):
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
            if col is not None:
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
                        f"请在 .yml 中写 merged: [{label}]，空格将沿用上方的内容；否则按空发布"
                    )
                self.c.warning(first, message, end_line=last)

    def _adjacent(self, a: int, b: int) -> bool:
        """Whether two data lines are near enough to belong to one run (continuation lines
        of a task may lie between them)."""
        return self.position[b] - self.position[a] <= 3


_REFINE_ROWS = 400
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
    return Header(header.line, tuple(columns), header.lines, header.names)


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
    "parse_file",
    "parse_grid",
    "parse_text",
    "seq_key",
]
