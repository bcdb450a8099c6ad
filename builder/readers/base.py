"""The grid every reader yields: rows of cells with their merges and source positions.

Each file format has its own small reader (``text``, ``csv``, ``xlsx``, ``docx``, ``html``);
everything after the readers works on a :class:`Grid` and never opens a file, so a table
reads the same whichever format an office saved it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GongkaiError


class ReadError(GongkaiError):
    """A file that cannot be read as a table at all (wrong format, empty, unreadable)."""


@dataclass(frozen=True)
class Cell:
    """One position of the grid."""

    text: str
    """The cell's content. Paragraphs inside a cell are kept as ``<p>…</p>`` (escaped text
    inside), as web CMS exports write them; text formats keep whatever markup the cell has."""
    merged_from: tuple[int, int] | None = None
    """For a position covered by another cell's merge (rowspan/colspan, vMerge/gridSpan,
    merged ranges): the (row, column) grid index of the cell that holds the text. Its own
    ``text`` is then ``""``. None for a cell of its own — and always None in text formats,
    where a merge is indistinguishable from an empty cell."""


@dataclass(frozen=True)
class GridRow:
    line: int
    """Increasing position in the source: the line of a text file, the row of a sheet, the
    source line of an HTML ``<tr>``, a running row number in a .docx."""
    where: str | None
    """How a message names this row when a line number alone is not what staff see, e.g.
    ``Sheet1 第 7 行`` or ``表 1 第 7 行``; None where ``path:line`` says it."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Grid:
    """One table as read from one file (or one sheet of a workbook)."""

    path: Path
    rows: tuple[GridRow, ...]
    name: str | None = None
    """The sheet's name where a workbook holds several tables; None otherwise."""
    title: str | None = None
    """A title found outside the grid (the paragraph above a .docx table, an HTML page's
    heading); the interpreter prefers a title line inside the grid."""
    date: str | None = None
    """A publication date found outside the grid (an HTML page's 发布时间), as written."""
    lines_read: int = 0
    """Lines (rows) of the source looked at, for the reconciliation on the report page."""
    notes: tuple[str, ...] = field(default=())
    """Things the reader noticed and the staff should know (not errors)."""
    cell_notes: tuple[tuple[str, str], ...] = field(default=())
    """Such things about one cell, as (where, note): ``("Sheet1!C7", "…")``."""
    table: int | None = None
    """The table's number in the file, in source order (表 1, 表 2…), where the reader tells
    several tables of one file apart (Word, PDF, web pages); None where a grid is a whole file or
    sheet. Which of them is the report is decided after the readers (``tables.py``)."""
    above: int = 0
    """How many of the first rows are lines written above the table (a Word file's paragraphs:
    附件1, its title, 单位：万元), not rows of it."""
