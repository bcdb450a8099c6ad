"""What the readers share: how a cell's paragraphs are written, and how a merged grid is tidied."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .base import Cell, GridRow

# Control characters are never data; they come from broken exports. Line ends are not in
# here: they separate paragraphs, and are dealt with before this runs.
_CONTROL_RE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
_LINE_END_RE = re.compile("\r\n|\r|\n")


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """One cell's text from its paragraphs, as :class:`~.base.Cell` keeps it.

    Empty paragraphs are dropped. A single paragraph stays as it is, so that a cell that
    already carries markup (a CMS export's ``<p>…</p>``) is not escaped twice; several become
    ``<p>…</p><p>…</p>`` with their text escaped, the way web CMS exports write a cell.
    """
    kept = [text for text in (_CONTROL_RE.sub(" ", p).strip() for p in paragraphs) if text]
    if len(kept) == 1:
        return kept[0]
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in kept)


def text_cell(value: str) -> str:
    """A cell written as plain text, where a line end inside it starts a new paragraph."""
    return join_paragraphs(_LINE_END_RE.split(value))


# What an old binary Office file (.doc/.xls, or one saved with a password) begins with.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office_problem(
    data: bytes, exc: Exception, *, old: str, new: str, noun: str, program: str
) -> str:
    """Why an Office file did not open, in words staff can act on: an old or
    password-protected file, something else renamed, or a damaged file.
    E.g. old=".doc", new=".docx", noun="文档", program="Word"."""
    if data.startswith(_OLE_SIGNATURE):
        return f"这是旧版 {old} 格式，或是设置了打开密码的{noun}"
    if not data.startswith(b"PK"):
        return f"文件内容不是 {new} 格式"
    return f"文件已损坏或不是 {program} {noun}（{type(exc).__name__}）"


@dataclass(frozen=True)
class RawRow:
    """A row as a reader finds it, before empty rows and columns are dropped.

    ``merged_from`` of its cells indexes the list of raw rows, not the grid.
    """

    line: int
    where: str | None
    cells: Sequence[Cell]


def tidy(raw: Sequence[RawRow]) -> tuple[GridRow, ...]:
    """Rectangular grid rows from raw rows: what every format with merges needs.

    - rows are padded to one length, so a column index means the same in every row;
    - a merge whose top-left cell is empty is no merge at all (its positions become plain
      empty cells), so every ``merged_from`` left points at a cell with text;
    - rows with no text of their own are left out (blank rows, and rows whose positions
      are all covered by merges from above: those say nothing the row above does not);
    - trailing columns with no text are cut (a ``gridAfter``, a title merged across
      columns no data reaches);
    - ``merged_from`` is renumbered to the rows kept.
    """
    width = max((len(row.cells) for row in raw), default=0)
    matrix = [[*row.cells, *[Cell("")] * (width - len(row.cells))] for row in raw]

    def origin_text(cell: Cell) -> str:
        if cell.merged_from is None:
            return cell.text
        r, c = cell.merged_from
        origin = matrix[r][c] if r < len(matrix) and c < width else Cell("")
        return origin.text if origin.merged_from is None else ""

    matrix = [
        [Cell("") if cell.merged_from and not origin_text(cell) else cell for cell in cells]
        for cells in matrix
    ]
    kept = [index for index, cells in enumerate(matrix) if any(c.text for c in cells)]
    new_index = {old: new for new, old in enumerate(kept)}
    used = max(
        (c + 1 for index in kept for c, cell in enumerate(matrix[index]) if cell.text),
        default=0,
    )
    rows = []
    for index in kept:
        cells = []
        for cell in matrix[index][:used]:
            if cell.merged_from is not None:
                r, c = cell.merged_from
                cell = Cell("", merged_from=(new_index[r], c))
            cells.append(cell)
        rows.append(GridRow(raw[index].line, raw[index].where, tuple(cells)))
    return tuple(rows)
