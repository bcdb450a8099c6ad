"""Stage 1: a report table as text → header, sections and task records (raw cell text).

The format is what offices export from Word/WPS/PDF: one row per line, cells separated by
TAB, a title line, the header repeated on every page (sometimes over two lines), records
spanning several lines. See ``shared/notes/reports.md``.
"""

from __future__ import annotations

import codecs
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .columns import Column, meaning_of, normalize_label
from .errors import Collector, GongkaiError, Problem


class ParseError(GongkaiError):
    """A file that cannot be read as a table at all."""


@dataclass(frozen=True)
class HeaderColumn:
    index: int
    label: str
    """The header text as the table writes it (both lines of a two-line header merged)."""
    meaning: Column | None
    """None for a column the synonym table does not know; such columns are kept and shown."""


@dataclass(frozen=True)
class Header:
    line: int
    columns: tuple[HeaderColumn, ...]

    def index(self, meaning: Column) -> int | None:
        return self._indexes.get(meaning)

    @cached_property
    def _indexes(self) -> dict[Column, int]:
        indexes: dict[Column, int] = {}
        for col in self.columns:
            if col.meaning is not None:
                indexes.setdefault(col.meaning, col.index)
        return indexes

    @property
    def signature(self) -> tuple[tuple[Column | None, str], ...]:
        return tuple((c.meaning, normalize_label(c.label)) for c in self.columns)


@dataclass(frozen=True)
class Row:
    """One line of the table, its cells aligned with the header's columns."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """A task: the line with its 序号 and the continuation lines under it."""

    seq: str
    section: str | None
    rows: tuple[Row, ...]

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


@dataclass(frozen=True)
class Parsed:
    table: Table | None
    problems: tuple[Problem, ...]


class _Kind(enum.Enum):
    TASK = 1
    CONTINUATION = 2
    SECTION = 3
    BAD_SEQ = 4


_SEQ_RE = re.compile(r"^\d+(?:[.\-－]\d+)*[.．、]?$")
_SECTION_RE = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）])"
)
_TITLE_MARK_RE = re.compile(r"^#+\s*")


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"无法读取文件：{exc.strerror}", path) from None
    if not data.strip():
        raise ParseError("文件是空的", path)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", path)
    if b"\x00" in data:
        raise ParseError("不是文本文件（含有 NUL 字节），请导出为 UTF-8 或 GBK 文本", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode(data, "gb18030", path)


def _decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8 文本", path, line
        ) from None
    if any(ch in text for ch in "\x00\ufffe"):
        raise ParseError("不是文本文件", path)
    return text


def parse_file(path: Path, column_overrides: Mapping[str, str] | None = None) -> Parsed:
    """Parse one report file; every problem is collected, none raised."""
    try:
        text = read_text(path)
    except ParseError as exc:
        return Parsed(None, (_as_problem(exc, path),))
    return parse_text(text, path, column_overrides)


def _as_problem(exc: ParseError, path: Path) -> Problem:
    c = Collector(path)
    c.error(exc.line, exc.message)
    return c.problems[0]


# Control characters other than TAB are never data; they come from broken exports.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def split_line(line: str) -> list[str]:
    return [cell.strip() for cell in _CONTROL_RE.sub(" ", line).split("\t")]


def parse_text(text: str, path: Path, column_overrides: Mapping[str, str] | None = None) -> Parsed:
    c = Collector(path)
    # Only CR/LF end a line, as in the editors staff use: str.splitlines() would also
    # break at \x1c-\x1e, \x85 and \u2028 and shift every line number after them.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a line
    overrides = {normalize_label(k): v for k, v in (column_overrides or {}).items()}

    title: str | None = None
    title_line: int | None = None
    header: Header | None = None
    records: list[Record] = []
    sections: list[str] = []
    section: str | None = None
    current: tuple[str, int, list[Row], str | None] | None = None  # seq, line, rows, section
    seen_seq: dict[str, int] = {}
    cells_read = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            seq, _, rows, sec = current
            records.append(Record(seq, sec, tuple(rows)))
            current = None

    i = 0
    while i < len(lines):
        lineno = i + 1
        raw = split_line(lines[i])
        i += 1
        if not any(raw):
            continue

        if header is None:
            if _looks_like_header(raw):
                header, consumed = _read_header(raw, lines, i, lineno, overrides, c)
                i += consumed
                continue
            filled = [cell for cell in raw if cell]
            if title is None and len(filled) == 1:
                title = _TITLE_MARK_RE.sub("", filled[0]).strip()
                title_line = lineno
            else:
                c.error(
                    lineno, "表头之前有数据行（找不到含“序号”和任务列的表头行）", lines[lineno - 1]
                )
            continue

        if _looks_like_header(raw):
            again, consumed = _read_header(raw, lines, i, lineno, overrides, c)
            i += consumed
            if again.signature != header.signature:
                c.error(
                    lineno,
                    f"表头与第 {header.line} 行的表头不一致："
                    + " | ".join(col.label for col in again.columns),
                    lines[lineno - 1],
                )
            continue

        width = len(header.columns)
        if len(raw) > width:
            if any(raw[width:]):
                c.error(
                    lineno,
                    f"这一行有 {len(raw)} 个单元格，表头只有 {width} 列",
                    lines[lineno - 1],
                )
                continue
            raw = raw[:width]
        short = len(raw)
        raw = raw + [""] * (width - len(raw))
        cells_read += sum(1 for cell in raw if cell)

        row = Row(lineno, tuple(raw))
        kind = _classify(raw, header)
        if short < width and kind is not _Kind.SECTION:
            # A section row is one merged cell across the table: short by nature.
            c.warning(
                lineno,
                f"这一行只有 {short} 个单元格，表头有 {width} 列，已在末尾补空",
                lines[lineno - 1],
            )
        if kind is _Kind.SECTION:
            close()
            section = next(cell for cell in raw if cell)
            sections.append(section)
        elif kind is _Kind.TASK:
            close()
            seq = _seq_of(raw, header)
            if seq in seen_seq:
                c.error(lineno, f"序号 {seq} 重复（第 {seen_seq[seq]} 行已有）", lines[lineno - 1])
            else:
                seen_seq[seq] = lineno
            current = (seq, lineno, [row], section)
        elif kind is _Kind.CONTINUATION:
            if current is None:
                c.error(
                    lineno,
                    "续行上方没有任务（序号为空，但前面没有带序号的任务行）",
                    lines[lineno - 1],
                )
            else:
                current[2].append(row)
        else:
            seq_cell = raw[header.index(Column.SEQ) or 0]
            c.error(lineno, f"序号“{seq_cell}”不是数字", lines[lineno - 1])
    close()

    if header is None:
        c.error(
            None,
            "找不到表头：没有一行同时含有“序号”和任务列（工作事项、目标任务、重点任务、工作任务、任务内容）",
        )
        return Parsed(None, tuple(c.problems))
    if not records and not c.has_errors:
        c.error(header.line, "表头下面没有任何任务行")
    table = Table(
        path=path,
        title=title,
        title_line=title_line,
        header=header,
        records=tuple(records),
        sections=tuple(sections),
        lines_read=len(lines),
        cells=cells_read,
    )
    return Parsed(table, tuple(c.problems))


def _looks_like_header(cells: Sequence[str]) -> bool:
    # Every data line passes through here, with its long narratives: normalise only what
    # could be the 序号 label first.
    if not any(normalize_label(cell) == "序号" for cell in cells if "序" in cell and "号" in cell):
        return False
    return any(meaning_of(cell) is Column.TASK for cell in cells if cell)


def _read_header(
    top: list[str],
    lines: Sequence[str],
    next_index: int,
    lineno: int,
    overrides: Mapping[str, str],
    c: Collector,
) -> tuple[Header, int]:
    """Read a header starting at ``top``; returns it and how many extra lines it used."""
    bottom: list[str] | None = None
    if next_index < len(lines):
        candidate = split_line(lines[next_index])
        if _is_sub_header(candidate, top):
            bottom = candidate
    width = max(len(top), len(bottom or []))
    top = top + [""] * (width - len(top))
    sub = (bottom or []) + [""] * (width - len(bottom or []))

    columns: list[HeaderColumn] = []
    group = ""
    for index in range(width):
        upper, lower = top[index], sub[index]
        if upper:
            group = upper
        elif lower:
            # A merged cell of the first line spans this column: its text is the group.
            upper = group
        label, meaning = _resolve(upper, lower, overrides)
        columns.append(HeaderColumn(index, label, meaning))

    # Trailing unnamed empty columns are export noise, not data.
    while columns and not columns[-1].label:
        columns.pop()
    seen: set[Column] = set()
    unique: list[HeaderColumn] = []
    for col in columns:
        if col.meaning is not None and col.meaning in seen:
            # A second column of the same meaning is kept as an extra column, shown by its name.
            col = HeaderColumn(col.index, col.label, None)
        if col.meaning is not None:
            seen.add(col.meaning)
        unique.append(col)
    for col in unique:
        if col.meaning is None:
            name = col.label or f"第 {col.index + 1} 列"
            c.warning(lineno, f"未知的列“{name}”：按原样显示在任务页上")
    return Header(lineno, tuple(unique)), (1 if bottom is not None else 0)


def _resolve(upper: str, lower: str, overrides: Mapping[str, str]) -> tuple[str, Column | None]:
    candidates = [upper + lower, lower, upper] if lower else [upper]
    for candidate in candidates:
        if candidate:
            meaning = meaning_of(candidate, overrides)
            if meaning is not None:
                return candidate, meaning
    return (upper + lower), None


def _is_sub_header(cells: Sequence[str], top: Sequence[str]) -> bool:
    filled = [(i, cell) for i, cell in enumerate(cells) if cell]
    if not filled:
        return False
    seq_index = next(i for i, cell in enumerate(top) if normalize_label(cell) == "序号")
    if seq_index < len(cells) and cells[seq_index]:
        return False
    return all(meaning_of(cell) is not None for _, cell in filled)


def _seq_of(cells: Sequence[str], header: Header) -> str:
    index = header.index(Column.SEQ)
    assert index is not None
    return normalize_label(cells[index]).rstrip(".．、")


def _classify(cells: Sequence[str], header: Header) -> _Kind:
    seq_index = header.index(Column.SEQ)
    assert seq_index is not None
    seq = normalize_label(cells[seq_index])
    filled = [cell for cell in cells if cell]
    if seq:
        if _SEQ_RE.match(seq):
            return _Kind.TASK
        if len(filled) == 1:
            return _Kind.SECTION
        return _Kind.BAD_SEQ
    if len(filled) == 1 and _SECTION_RE.match(filled[0]):
        return _Kind.SECTION
    return _Kind.CONTINUATION
