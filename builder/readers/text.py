"""Tab-separated text, as offices export a table from Word/WPS/PDF (``.txt``, ``.tsv``)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from . import limits
from .base import Cell, Grid, GridRow, ReadError

# Control characters other than TAB are never data; they come from broken exports.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def read_bytes(path: Path) -> bytes:
    data = limits.read_file(path)
    if not data.strip():
        raise ReadError("文件是空的", path)
    return data


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK — what Windows tools write."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", path)
    if b"\x00" in data:
        raise ReadError("不是文本文件（含有 NUL 字节），请导出为 UTF-8 或 GBK 文本", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode(data, "gb18030", path)


def read_text(path: Path) -> str:
    return decode(read_bytes(path), path)


def _decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(
            "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8 文本", path, line
        ) from None
    if any(ch in text for ch in "\x00\ufffe"):
        raise ReadError("不是文本文件", path)
    return text


def split_lines(text: str) -> list[str]:
    # Only CR/LF end a line, as in the editors staff use: str.splitlines() would also
    # break at \x1c-\x1e, \x85 and \u2028 and shift every line number after them.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a line
    return lines


def split_line(line: str, separator: str = "\t") -> list[str]:
    return [cell.strip() for cell in _CONTROL_RE.sub(" ", line).split(separator)]


def grid_of_rows(path: Path, rows: list[list[str]], lines_read: int) -> Grid:
    """A grid of text rows, numbered from line 1; blank rows are kept out (they separate pages)."""
    out = []
    for index, cells in enumerate(rows):
        if any(cells):
            out.append(GridRow(index + 1, None, tuple(Cell(text) for text in cells)))
    return Grid(path=path, rows=tuple(out), lines_read=lines_read)


def has_quoted_line_breaks(lines: list[str]) -> bool:
    """Whether the file holds a cell with line breaks the way Excel's "Unicode text" export
    writes one: the last cell of a line opens a quote, the first cell of a later line closes
    it, the lines between have no TAB. Only then are quotes read as quoting: in other text
    exports a cell starting with ASCII quotes ("小巨人"企业) is data."""
    opened = False
    for line in lines:
        fields = line.split("\t")
        if opened:
            head = fields[0]
            if _odd_quotes(head) and head.rstrip().endswith('"'):
                return True
            if len(fields) > 1 or _odd_quotes(line):
                opened = False  # not a cell running on: quotes are data here
        if not opened:
            last = fields[-1]
            opened = last.startswith('"') and _odd_quotes(last)
    return False


def _odd_quotes(text: str) -> bool:
    return text.replace('""', "").count('"') % 2 == 1


def check_lines(path: Path, content: str) -> None:
    """Refuse a text far beyond any real table before it is split into lines and cells: every
    line of a text export is a row, every TAB starts a column."""
    ends = content.count("\n") + content.count("\r") - content.count("\r\n")
    if ends > limits.MAX_ROWS:
        raise ReadError(
            f"文件超过 {limits.MAX_ROWS:,} 行（本站的上限；真实的任务表最多几千行）"
            "：请检查是否有大量空行或把表格拆成几个文件",
            path,
            limits.MAX_ROWS + 1,
        )


def read(path: Path) -> list[Grid]:
    content = read_text(path)
    check_lines(path, content)
    lines = split_lines(content)
    if has_quoted_line_breaks(lines):
        from . import delimited

        return delimited.read_content(path, content, "\t")
    counter = limits.Counter(path)
    rows = []
    for number, line in enumerate(lines, 1):
        counter.row(number)
        counter.columns(line.count("\t") + 1, number, "这一行")
        cells = split_line(line)
        if len(line) > limits.MAX_CELL_CHARS:
            for column, cell in enumerate(cells, 1):
                counter.cell(cell, f"这一行第 {column} 列的单元格", number)
        rows.append(cells)
    return [grid_of_rows(path, rows, len(lines))]
