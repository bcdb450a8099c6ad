"""Comma- or tab-separated values with quoting (``.csv``), as Excel, WPS and CMS exports write them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import limits, text
from .base import Cell, Grid, GridRow, ReadError
from .cells import text_cell

# The lines the delimiter is judged on: a title line and the header are enough, and a cell
# further down that holds a tab must not turn a comma file into a tab file.
_SNIFF_LINES = 5
# A quoted cell running over more lines than this is more likely a quote never closed
# (which swallows every row after it into one cell) than a real cell.
_LONG_RECORD_LINES = 20


def delimiter_of(lines: list[str]) -> str:
    # A Chinese table has few ASCII commas in its header but many in its text cells, so
    # the header lines decide, and any tab there means the file is tab-separated (Excel's
    # "Unicode text" and copy-paste exports are).
    head = [line for line in lines if line.strip()][:_SNIFF_LINES]
    return "\t" if any("\t" in line for line in head) else ","


def read(path: Path) -> list[Grid]:
    content = text.read_text(path)
    text.check_lines(path, content)
    return read_content(path, content, delimiter_of(text.split_lines(content)))


def read_content(path: Path, content: str, delimiter: str) -> list[Grid]:
    # newline="" hands the csv module the line ends untouched, so that a quoted cell keeps
    # its own line ends, and lines are counted at CR/LF only, as text.split_lines does.
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows = []
    notes = []
    start = 1
    counter = limits.Counter(path)
    try:
        for record in reader:
            # line_num is the line the record ends on; a quoted cell with line ends in it
            # makes the record start earlier, and that start is what staff look for.
            counter.row(start)
            counter.columns(len(record), start, "这一行")
            for column, value in enumerate(record, 1):
                counter.cell(value, f"这一行第 {column} 列的单元格", start)
            cells = tuple(Cell(text_cell(value)) for value in record)
            if any(cell.text for cell in cells):
                rows.append(GridRow(start, None, cells))
            if reader.line_num - start + 1 > _LONG_RECORD_LINES:
                notes.append(
                    f"第 {start} 行起的一行数据跨了 {reader.line_num - start + 1} 行"
                    "（引号内的换行），请检查是否少了结尾的英文引号"
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"CSV 格式错误（{exc}），请检查英文引号是否成对", path, start) from None
    return [Grid(path=path, rows=tuple(rows), lines_read=reader.line_num, notes=tuple(notes))]
