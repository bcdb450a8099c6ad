"""Word documents (``.docx``, also what WPS 文字 saves as .docx): one grid per table.

The table's XML is walked rather than python-docx's ``Table.rows``: a merge is only visible
in ``w:gridSpan``/``w:vMerge``/``w:gridBefore``, and the grid positions must come out as
Word lays them out, one per column of the table's grid.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from . import limits, text
from .base import Cell, Grid, ReadError
from .cells import RawRow, join_paragraphs, office_problem, tidy

_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_VAL = qn("w:val")
# Wrappers Word puts around blocks, rows or cells (content controls, custom XML): what is
# inside them belongs to the level they stand at.
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
# Inside a paragraph: text that is not shown (deleted or moved-away revisions, field
# codes) and text boxes/drawings, whose paragraphs are not the cell's text.
_HIDDEN = {
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:instrText"),
    qn("w:delText"),
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:object"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
    qn("w:txbxContent"),
}
_BREAKS = {qn("w:br"), qn("w:cr")}
_SPACES = {qn("w:tab"), qn("w:ptab")}
_DIGITS_RE = re.compile(r"\s*(\d+)")
# A table row in the document's XML (any namespace prefix), and the part holding the body.
_ROW_TAG_RE = re.compile(rb"<(?:\w+:)?tr[\s>/]")
_BODY = re.compile(r"^word/document\d*\.xml$")

Element = Any  # lxml elements: python-docx's oxml classes carry no useful types here


_ABOVE_KEPT = 6
"""Paragraphs above a table (since the table before it) read as lines of the table's top
(附件1, its title, （截至…）, 单位：万元); a longer preface above them is the document's."""


def read(path: Path) -> list[Grid]:
    body = _load(path).element.body
    above: list[str] = []
    grids: list[Grid] = []
    line = 0
    title: str | None = None
    counter = limits.Counter(path)
    for block in _children(body, {_P, _TBL}):
        if block.tag == _P:
            paragraph = " ".join(_paragraph_lines(block)).strip()
            if paragraph:
                above.append(paragraph)
            continue
        number = len(grids) + 1
        # The lines right above the table go first, so the interpreter tells its title
        # from the notes around it, as in every other format.
        kept = above[-_ABOVE_KEPT:]
        named = "表格" if number == 1 else f"表 {number} "
        raw = [
            RawRow(line + n, f"{named}上方第 {n} 段", (Cell(paragraph),))
            for n, paragraph in enumerate(kept, start=1)
        ]
        raw.extend(_table_rows(block, number, len(raw), line + len(raw), counter))
        line += len(raw)
        # A table right under another (no paragraph between) has the title of the one above.
        title = kept[-1] if kept else title
        grids.append(
            Grid(
                path=path,
                rows=tidy(raw),
                title=title,
                lines_read=len(raw),
                table=number,
                above=len(kept),
            )
        )
        above = []
    if not grids:
        raise ReadError("文件中没有表格", path)
    return grids


def _load(path: Path) -> Any:
    data = text.read_bytes(path)
    # python-docx reads every part of the file into memory before anything else.
    limits.check_zip(path, data)
    rows = sum(len(_ROW_TAG_RE.findall(chunk)) for _, chunk in limits.part_chunks(data, _BODY))
    if rows > limits.MAX_ROWS:
        raise ReadError(
            f"文件中的表格共有 {rows:,} 行，超过本站的上限 {limits.MAX_ROWS:,} 行"
            "（真实的任务表最多几千行）：请检查是否存错了文件，或把表格拆成几个文件",
            path,
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx fails on a broken file in many ways (zip, XML, …)
        detail = office_problem(data, exc, old=".doc", new=".docx", noun="文档", program="Word")
        raise ReadError(
            f"无法读取 Word 文件：{detail}（如是 .doc 或 WPS 文字，请另存为 .docx）", path
        ) from None


def _children(element: Element, tags: set[str]) -> Iterator[Element]:
    """The children of ``element`` with one of ``tags``, looking through wrappers."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _table_rows(
    table: Element, number: int, first_index: int, first_line: int, counter: limits.Counter
) -> list[RawRow]:
    """The rows of one table; ``first_index`` is the raw index of its first row in the grid,
    ``first_line`` the running row number of the document before it."""
    rows: list[RawRow] = []
    for i, tr in enumerate(_children(table, {_TR}), start=1):
        where = f"表 {number} 第 {i} 行"
        counter.row()
        above: Sequence[Cell] = rows[-1].cells if rows else ()
        cells: list[Cell] = [Cell("")] * _row_property(tr, "w:gridBefore")
        for tc in _children(tr, {_TC}):
            counter.columns(len(cells), where=where)
            span = max(1, _tc_property(tc, "w:gridSpan"))
            start = len(cells)
            origins = [
                _vertical_origin(tc, above, first_index + len(rows) - 1, start + k)
                for k in range(span)
            ]
            if origins[0] is not None:
                cells.extend(Cell("", merged_from=origin) for origin in origins)
                continue
            if _is_continue(tc, "w:hMerge") and cells:
                # Old Word's horizontal merge: this cell is the left one's continuation.
                left = cells[-1].merged_from or (first_index + len(rows), len(cells) - 1)
                cells.extend(Cell("", merged_from=left) for _ in range(span))
                continue
            cell = Cell(join_paragraphs(_cell_paragraphs(tc)))
            counter.cell(cell.text, f"{where}第 {start + 1} 列的单元格")
            cells.append(cell)
            origin = (first_index + len(rows), start)
            cells.extend(Cell("", merged_from=origin) for _ in range(span - 1))
        counter.columns(len(cells), where=where)
        rows.append(RawRow(first_line + len(rows) + 1, where, cells))
    return rows


def _vertical_origin(
    tc: Element, above: Sequence[Cell], above_index: int, column: int
) -> tuple[int, int] | None:
    """Where a ``vMerge`` continuation cell's text is: the restart cell above it, if any."""
    if not _is_continue(tc, "w:vMerge") or column >= len(above):
        return None
    cell = above[column]
    return cell.merged_from if cell.merged_from is not None else (above_index, column)


def _is_continue(tc: Element, name: str) -> bool:
    properties = tc.find(qn("w:tcPr"))
    merge = properties.find(qn(name)) if properties is not None else None
    # A merge element without w:val continues the merge above (or to the left); only
    # val="restart" starts one.
    return merge is not None and merge.get(_VAL, "continue") != "restart"


def _tc_property(tc: Element, name: str) -> int:
    properties = tc.find(qn("w:tcPr"))
    return _int_val(properties.find(qn(name)) if properties is not None else None)


def _row_property(tr: Element, name: str) -> int:
    properties = tr.find(qn("w:trPr"))
    return _int_val(properties.find(qn(name)) if properties is not None else None)


def _int_val(element: Element | None) -> int:
    match = _DIGITS_RE.match(element.get(_VAL, "") if element is not None else "")
    # Word caps a table at 63 columns; a larger number is a broken file, not a wider table.
    return min(int(match.group(1)), 63) if match else 0


def _cell_paragraphs(tc: Element) -> list[str]:
    """The lines of a cell, including those of tables nested in it (their rows are not rows
    of the grid, but their text is this cell's content)."""
    lines: list[str] = []
    for paragraph in _descendant_paragraphs(tc):
        lines.extend(_paragraph_lines(paragraph))
    return lines


def _descendant_paragraphs(element: Element) -> Iterator[Element]:
    for child in element:
        if child.tag == _P:
            yield child
        elif child.tag not in _HIDDEN and isinstance(child.tag, str):
            yield from _descendant_paragraphs(child)


def _paragraph_lines(paragraph: Element) -> list[str]:
    """A paragraph's shown text; a line break inside it starts a new line, as it does on paper."""
    lines = [""]

    def walk(element: Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _HIDDEN:
                continue
            if tag == qn("w:t"):
                lines[-1] += child.text or ""
            elif tag in _BREAKS:
                lines.append("")
            elif tag in _SPACES:
                lines[-1] += " "
            elif tag == qn("w:noBreakHyphen"):
                lines[-1] += "-"
            else:
                walk(child)

    walk(paragraph)
    return lines
