"""PDF files with a text layer (what Word, WPS and Excel print or export): their ruled tables.

pdfplumber finds the cells from the ruling lines the table is drawn with; every character is
then placed by its position: in a cell, in a line above or under the tables, in the page's
running header or footer, or — said as a warning with its page — nowhere. A scan has no
characters at all, and is refused: the build does no OCR.

A table that goes on over pages is one grid, its repeated header left to the interpreter,
which skips a header it has seen; tables with text between them are grids of their own, the
lines above each first, as for a Word file (which table is the report is decided after the
readers, ``tables.py``).
"""

from __future__ import annotations

import html
import io
import logging
import re
import unicodedata
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import text
from .base import Cell, Grid, ReadError
from .cells import RawRow, join_paragraphs, tidy

MAX_PAGES = 2000
"""A table of more pages is not a progress table; reading it would take minutes."""
MAX_CHARACTERS = 5_000_000
"""About 2,500 full pages of Chinese: beyond it the file is a book, not a table."""

_ABOVE_KEPT = 6
"""Lines above the first table read as the table's top (附件1, its title, （截至…）, 单位：万元),
as for a Word file; more lines above are the document's, and are said as a warning."""

_HEAD_ROWS = 3
"""Rows at the top of a table that a continued table may repeat (a title row, a two-line
header)."""

_DAMAGED_PAGE = "内容没有读出或只读出一部分：请从原文件重新导出 PDF"
_HINT = "请使用原 Word/Excel 文件，或从原文件重新导出 PDF"
_SCAN_HINT = (
    "本站不做文字识别（OCR）：请向发布单位索取 Word/Excel 原件，"
    "或用 WPS、Adobe Acrobat 等识别文字后另存为 .docx，再放在这里"
)

# Printed page numbers: 3, - 3 -, 第 3 页, 第3页 共10页, 3/10, Page 3 of 10.
_PAGE_NUMBER_RE = re.compile(
    r"^[-—–·\s]*(?:第?\s*\d+\s*页?(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|\d+\s*[/／]\s*\d+|"
    r"page\s*\d+(?:\s*of\s*\d+)?)[-—–·\s]*$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
# A paragraph ends in these: a line that ends in one, with room left for the next line's
# first word, ended its paragraph rather than wrapped.
_PARAGRAPH_END = "。；;！!？?：:"
_CELL_MARGIN = 5.4
_MARGIN = 0.12
"""Running headers and footers sit in the top and bottom 12% of a page."""


def read(path: Path) -> list[Grid]:
    data = text.read_bytes(path)
    with _damage_noted() as damaged:
        try:
            grids = _grids(path, _read_pages(path, data))
        except ReadError as exc:
            if damaged and not exc.message.startswith("无法读取"):
                # Nothing (or no table) came out of streams that did not decode.
                raise ReadError(f"无法读取 PDF 文件：文件已损坏（{_HINT}）", path) from None
            raise
    if damaged and not any(note.endswith(_DAMAGED_PAGE) for note in grids[0].notes):
        note = "PDF 文件有损坏之处，部分内容可能没有读出：请核对发布的内容，或从原文件重新导出 PDF"
        grids = [replace(grid, notes=(note, *grid.notes)) for grid in grids]
    return grids


@contextmanager
def _damage_noted() -> Iterator[list[str]]:
    """The streams pdfminer could not decode, as it logs them; its other remarks (a missing
    CropBox…) it works around. Neither is logged to staff in English: what matters is said
    in our own messages."""
    damaged: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name.startswith("pdfminer.pdftypes") and record.levelno >= logging.WARNING:
                damaged.append(record.getMessage())

    logger = logging.getLogger("pdfminer")
    handler = Handler()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield damaged
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


# -- geometry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """The reading direction of a page or a cell: text runs along (dx, dy) on the page (y
    pointing down), and its lines follow each other along the perpendicular (-dy, dx)."""

    dx: int = 1
    dy: int = 0

    def along(self, x: float, y: float) -> float:
        return x * self.dx + y * self.dy

    def across(self, x: float, y: float) -> float:
        return -x * self.dy + y * self.dx

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, ...]:
        """A page box as (start, first, end, last) in this frame."""
        us = (self.along(x0, top), self.along(x1, bottom))
        vs = (self.across(x0, top), self.across(x1, bottom))
        return min(us), min(vs), max(us), max(vs)


def _direction(char: dict[str, Any]) -> _Frame:
    a, b = char["matrix"][0], char["matrix"][1]
    # PDF space has y up; the page as pdfplumber gives it has y down.
    if abs(a) >= abs(b):
        return _Frame(1 if a >= 0 else -1, 0)
    return _Frame(0, -1 if b > 0 else 1)


def _dominant(chars: Iterable[dict[str, Any]]) -> _Frame:
    counts = Counter(_direction(char) for char in chars if not char["text"].isspace())
    return counts.most_common(1)[0][0] if counts else _Frame()


@dataclass(frozen=True)
class _Char:
    text: str
    u: float
    """Centre along the page's reading direction."""
    v: float
    """Centre across it (increasing down the page as it is read)."""
    width: float
    height: float
    size: float
    frame: _Frame
    x: float
    y: float

    def half(self, direction: _Frame) -> float:
        """Half the character's extent along ``direction``."""
        return (self.width if direction.dy == 0 else self.height) / 2


def _slanted(char: dict[str, Any]) -> bool:
    """Text set at an angle (a watermark across the page), not along either axis."""
    a, b = abs(char["matrix"][0]), abs(char["matrix"][1])
    return bool(min(a, b) > 0.2 * max(a, b))


def _chars(chars: Iterable[dict[str, Any]], frame: _Frame) -> list[_Char]:
    out = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        own = _direction(char)
        width, height = char["x1"] - char["x0"], char["bottom"] - char["top"]
        out.append(
            _Char(
                char["text"],
                frame.along(x, y),
                frame.across(x, y),
                width,
                height,
                # The font size is the glyph's extent across its own line (pdfminer's
                # "size" of a turned glyph is its advance).
                (height if own.dy == 0 else width) or 10.0,
                own,
                x,
                y,
            )
        )
    return out


# -- text ---------------------------------------------------------------------------------


def _is_wide(ch: str) -> bool:
    """Chinese characters and full-width punctuation: no space separates them from a
    neighbour, and a line may break between any two of them."""
    return unicodedata.east_asian_width(ch) in "WF"


@dataclass(frozen=True)
class _Line:
    text: str
    start: float
    end: float
    v: float
    size: float
    spaced: bool = False
    """The line ends in a space: the word before it ended there (a line break in
    Chinese text that was typed with a space, 举办 2024)."""
    lead: float = 0.0
    """The length of the line's first word: what the line above had to leave room for."""


def _lines(chars: Sequence[_Char]) -> list[_Line]:
    return _reading(chars)[0]


def _reading(chars: Sequence[_Char]) -> tuple[list[_Line], _Frame]:
    """Characters as lines of text in reading order, and the direction they were read in.

    The direction is the one most glyphs run in (text turned in a cell, or a page printed
    sideways). Chinese set vertically (Word's 文字方向 in a narrow cell) keeps its glyphs
    upright and stacks them: of the two readings of upright glyphs, the one whose lines hold
    their characters closer together is the text.
    """
    if not chars:
        return [], _Frame()
    counts = Counter(c.frame for c in chars if not c.text.isspace()).most_common(1)
    direction = counts[0][0] if counts else _Frame()
    lines, spread = _lines_along(chars, direction)
    if direction == _Frame():
        stacked, stacked_spread = _lines_along(chars, _Frame(0, 1))
        if stacked_spread < spread:
            return stacked, _Frame(0, 1)
    return lines, direction


def _lines_along(chars: Sequence[_Char], direction: _Frame) -> tuple[list[_Line], float]:
    """The lines of text running in ``direction``, and how far apart their characters are
    on average, overlapping or apart (in character sizes; infinite where no line has two)."""
    placed = sorted(
        ((direction.across(c.x, c.y), direction.along(c.x, c.y), c) for c in chars),
        key=lambda item: (item[0], item[1]),
    )
    groups: list[list[tuple[float, float, _Char]]] = []
    for item in placed:
        # A line's characters share a centre line within half a character (a CJK and a
        # Latin glyph of one line differ by a little, two lines by a whole line height).
        if groups and item[0] - groups[-1][0][0] <= groups[-1][0][2].size * 0.5:
            groups[-1].append(item)
        else:
            groups.append([item])
    lines = []
    gaps: list[float] = []
    for group in groups:
        group.sort(key=lambda item: item[1])
        pieces: list[str] = []
        previous: tuple[float, _Char] | None = None
        for _, u, char in group:
            if char.text.isspace():
                if pieces and pieces[-1] != " ":
                    pieces.append(" ")
                continue
            if previous is not None:
                gap = (u - char.half(direction)) - (previous[0] + previous[1].half(direction))
                gaps.append(abs(gap) / char.size)
                last = previous[1].text[-1:]
                # LibreOffice and Word set a narrow gap between Chinese and Latin text
                # (0.2 em); a typed space is wider. Between two Latin letters any gap is a space.
                wide = _is_wide(last) or _is_wide(char.text[:1])
                if pieces[-1] != " " and gap > char.size * (0.26 if wide else 0.15):
                    pieces.append(" ")
            pieces.append(char.text)
            previous = (u, char)
        shown = [(u, c) for _, u, c in group if not c.text.isspace()]
        if shown:
            start = shown[0][0] - shown[0][1].half(direction)
            lines.append(
                _Line(
                    "".join(pieces).strip(),
                    start,
                    shown[-1][0] + shown[-1][1].half(direction),
                    group[0][0],
                    max(c.size for _, _, c in group),
                    spaced=pieces[-1] == " ",
                    lead=_lead(shown, direction) - start,
                )
            )
    spread = sum(gaps) / len(gaps) if gaps else float("inf")
    return lines, spread


# What may not begin a line (Chinese line breaking rules): it goes down with the character
# before it.
_NO_START = set("，。、；：！？）」』”’》〉】,.;:!?)%")


def _lead(shown: Sequence[tuple[float, _Char]], direction: _Frame) -> float:
    """Where the line's first unbreakable piece ends: one Chinese character, or a run of
    Latin letters and digits, with the punctuation that may not start a line after it."""
    index = 0
    if not _is_wide(shown[0][1].text[:1]):
        while (
            index + 1 < len(shown)
            and not _is_wide(shown[index + 1][1].text[:1])
            and shown[index + 1][1].text not in _NO_START
        ):
            index += 1
    while index + 1 < len(shown) and shown[index + 1][1].text in _NO_START:
        index += 1
    u, char = shown[index]
    return u + char.half(direction)


def _join(before: str, after: str) -> str:
    """Two lines of one paragraph: a line break inside Chinese text is no space, one between
    Latin words is."""
    if not before or not after:
        return before + after
    if _is_wide(before[-1]) or _is_wide(after[0]) or before.endswith(("-", "/")):
        return before + after
    return f"{before} {after}"


def _paragraphs(lines: Sequence[_Line], right: float | None = None) -> list[str]:
    """A cell's lines as its paragraphs. Lines wrap to the cell's width (``right``, where its
    text may end): a line that ends a sentence with room left for the next line's first
    word ended its paragraph there; one that had no room for it wrapped."""
    if not lines:
        return []
    edge = max(line.end for line in lines)
    if right is not None:
        edge = max(edge, right)
    paragraphs = [lines[0].text]
    for previous, line in pairwise(lines):
        ends = previous.text.endswith(tuple(_PARAGRAPH_END))
        # A tenth of a character: glyph boxes and the cell's margin are not exact.
        if ends and edge - previous.end >= line.lead - previous.size * 0.1:
            paragraphs.append(line.text)
        elif previous.spaced:
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
    return paragraphs


# -- pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    """One cell of a ruled table: the grid positions it covers and the characters in it."""

    row: int
    column: int
    rows: int
    columns: int
    end: float
    """Where the cell's frame ends along the page's reading direction (its right rule)."""
    last: float
    """Where it ends across it (its bottom rule)."""
    chars: list[_Char] = field(default_factory=list)

    def text(self) -> str:
        lines, direction = _reading(self.chars)
        # Text runs to the right rule less the cell's margin (Word's and LibreOffice's
        # default is 0.19 cm, 5.4 pt) where it runs the way the page is read.
        right = self.end - _CELL_MARGIN if direction == _Frame() else None
        return join_paragraphs(_paragraphs(lines, right))

    def full(self) -> bool:
        """Whether the cell's text may go on over a page: it reaches the bottom rule, and
        fills its width where it is a single line (a short word alone has ended)."""
        if not self.chars:
            return False
        bottom = max(char.v + char.size / 2 for char in self.chars)
        size = max(char.size for char in self.chars)
        # A line that does not fit goes over to the next page, leaving up to a line's height
        # and the cell's margin free above the rule.
        if self.last - bottom >= 2 * size:
            return False
        lines, direction = _reading(self.chars)
        if len(lines) > 1 or direction != _Frame():
            return True
        # A line may end short of the margin by a number too long to fit after it.
        return self.end - _CELL_MARGIN - lines[0].end < 3 * size


@dataclass(frozen=True)
class _Table:
    first: float
    """Where the table starts and ends across the reading direction (its top and bottom)."""
    last: float
    start: float
    end: float
    columns: tuple[float, ...]
    """Where the rules between columns are, along the reading direction."""
    rows: tuple[float, ...]
    """Where the rules between rows are, across it."""
    boxes: list[_Box]

    @property
    def height(self) -> int:
        return len(self.rows) - 1

    def matrix(self) -> list[list[_Box | None]]:
        width = len(self.columns) - 1
        grid: list[list[_Box | None]] = [[None] * width for _ in range(self.height)]
        for box in self.boxes:
            for r in range(box.row, box.row + box.rows):
                for c in range(box.column, box.column + box.columns):
                    if grid[r][c] is None:
                        grid[r][c] = box
        return grid


@dataclass(frozen=True)
class _Page:
    number: int
    tables: list[_Table]
    lines: list[_Line]
    """Text lines outside every table, top to bottom."""
    stray: list[_Line]
    """Text inside a table's frame but in none of its cells."""
    extent: float
    """The page's length across the reading direction (its height as read)."""
    scanned: bool = False
    slanted: str = ""
    """Text set at an angle, left out (a watermark)."""
    damaged: bool = False
    """A content stream of the page does not decode: its text is missing, or part of it."""
    characters: int = 0
    unmapped: int = 0
    """Characters whose font says only which glyph they are, not which character (pdfminer
    gives "(cid:12)" for them)."""


def _open(path: Path, data: bytes) -> Any:
    import pdfplumber

    if b"%PDF-" not in data[:1024]:
        raise ReadError(f"无法读取 PDF 文件：文件内容不是 PDF 格式（{_HINT}）", path)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - the page tree is read here, where a broken file shows
    except Exception as exc:  # pdfminer fails on a broken file in many ways
        raise ReadError(f"无法读取 PDF 文件：{_problem(exc)}", path) from None
    return pdf


def _problem(exc: Exception) -> str:
    """Why a PDF did not open, in words staff can act on, as for a Word or Excel file."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfplumber wraps what pdfminer raises.
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return "文件设置了打开密码（请用不设密码的 PDF，或原 Word/Excel 文件）"
    if isinstance(cause, PDFEncryptionError):
        return f"文件的加密方式无法读取（{_HINT}）"
    return f"文件已损坏（{type(cause).__name__}）（{_HINT}）"


def _read_pages(path: Path, data: bytes) -> list[_Page]:
    pdf = _open(path, data)
    with pdf:
        count = len(pdf.pages)
        if count > MAX_PAGES:
            raise ReadError(
                f"PDF 有 {count} 页，超过本站读取的上限 {MAX_PAGES} 页：请只保留表格所在的页",
                path,
            )
        pages = []
        characters = 0
        for number, page in enumerate(pdf.pages, 1):
            try:
                read_page = _read_page(page, number)
                characters += len(page.chars)
            except Exception as exc:  # a damaged content stream
                raise ReadError(f"无法读取 PDF 文件：第 {number} 页{_problem(exc)}", path) from None
            finally:
                page.close()
            if characters > MAX_CHARACTERS:
                raise ReadError(
                    f"PDF 的文字超过本站读取的上限 {MAX_CHARACTERS:,} 个字符（到第 {number} 页）："
                    "这不像一份任务表，请只保留表格所在的页",
                    path,
                )
            pages.append(read_page)
    unmapped = sum(page.unmapped for page in pages)
    if unmapped > 0.1 * sum(page.characters for page in pages):
        raise ReadError(
            "PDF 的文字读不出来：所用字体没有字符对照表（从这个 PDF 复制出的文字也是乱码），"
            f"和扫描件一样只能靠文字识别。{_HINT}",
            path,
        )
    if not any(page.lines or page.tables or page.stray for page in pages):
        if any(page.scanned for page in pages):
            raise ReadError(f"这是扫描件：PDF 里只有图片，没有文字。{_SCAN_HINT}", path)
        raise ReadError(f"PDF 中没有文字：各页是空白的，或文件已损坏（{_HINT}）", path)
    return pages


def _damaged(page: Any) -> bool:
    """Whether a content stream of the page does not decode: pdfminer then reads nothing, or
    only the part before the damage, and says so only in its log, if at all."""
    from pdfminer.pdftypes import PDFStream, resolve1

    for reference in page.page_obj.contents:
        stream = resolve1(reference)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        filters = stream.get_filters()
        if filters and getattr(filters[0][0], "name", None) in ("FlateDecode", "Fl"):
            try:
                zlib.decompress(stream.rawdata)
            except zlib.error:
                return True
    return False


def _read_page(page: Any, number: int) -> _Page:
    damaged = _damaged(page)
    slanted = [c for c in page.chars if _slanted(c)]
    level = [c for c in page.chars if not _slanted(c)]
    visible = [c for c in level if not c["text"].isspace()]
    frame = _dominant(visible)
    chars = _chars(level, frame)
    _, _, _, extent = frame.box(0, 0, page.width, page.height)
    extent -= frame.box(0, 0, page.width, page.height)[1]
    watermark = "".join(c["text"] for c in slanted).strip()
    if not visible:
        return _Page(
            number,
            [],
            [],
            [],
            extent,
            scanned=bool(page.images) and not damaged,
            slanted=watermark,
            damaged=damaged,
        )
    tables = []
    for found in page.find_tables():
        tables.append(_table(found.cells, frame))
    tables.sort(key=lambda t: (t.first, t.start))
    outside: list[_Char] = []
    stray: list[_Char] = []
    for char in chars:
        placed = False
        for table in tables:
            if table.first <= char.v <= table.last and table.start <= char.u <= table.end:
                placed = True
                if not _place(table, char):
                    stray.append(char)
                break
        if not placed:
            outside.append(char)
    return _Page(
        number,
        tables,
        _lines(outside),
        _lines(stray),
        extent,
        slanted=watermark,
        characters=len(visible),
        unmapped=sum(c["text"].startswith("(cid:") for c in visible),
        damaged=damaged,
    )


def _table(cells: Sequence[tuple[float, float, float, float]], frame: _Frame) -> _Table:
    boxes = [frame.box(*cell) for cell in cells]
    us = _rules(value for box in boxes for value in (box[0], box[2]))
    vs = _rules(value for box in boxes for value in (box[1], box[3]))
    out = []
    for u0, v0, u1, v1 in boxes:
        column, row = _index(us, u0), _index(vs, v0)
        out.append(
            _Box(
                row,
                column,
                max(1, _index(vs, v1) - row),
                max(1, _index(us, u1) - column),
                u1,
                v1,
            )
        )
    return _Table(vs[0], vs[-1], us[0], us[-1], tuple(us), tuple(vs), out)


def _rules(values: Iterable[float]) -> list[float]:
    """The distinct positions of a table's rules (cells' edges meet within a point)."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > 1.0:
            out.append(value)
    return out


def _index(rules: Sequence[float], value: float) -> int:
    return max(0, bisect_right(rules, value + 1.0) - 1)


def _place(table: _Table, char: _Char) -> bool:
    column = bisect_right(table.columns, char.u) - 1
    row = bisect_right(table.rows, char.v) - 1
    for box in table.boxes:
        if box.row <= row < box.row + box.rows and box.column <= column < box.column + box.columns:
            box.chars.append(char)
            return True
    return False


# -- the document -------------------------------------------------------------------------


def _furniture(pages: Sequence[_Page]) -> set[tuple[int, int]]:
    """(page, line index) of the running headers, footers and page numbers: lines in a page's
    margin that are a page number, or that recur (digits aside) in the margin of another page."""
    margins: dict[tuple[int, int], str] = {}
    for page in pages:
        for index, line in enumerate(page.lines):
            if line.v < page.extent * _MARGIN or line.v > page.extent * (1 - _MARGIN):
                margins[(page.number, index)] = _DIGITS_RE.sub("#", line.text.replace(" ", ""))
    pages_of: dict[str, set[int]] = {}
    for (number, _), shape in margins.items():
        pages_of.setdefault(shape, set()).add(number)
    return {
        key
        for key, shape in margins.items()
        if _PAGE_NUMBER_RE.match(shape.replace("#", "1")) or len(pages_of[shape]) > 1
    }


@dataclass(frozen=True)
class _Row:
    cells: list[Cell]
    where: str
    full: list[bool] = field(default_factory=list)
    """For each cell, whether its text reaches the bottom of its frame."""


def _grids(path: Path, pages: Sequence[_Page]) -> list[Grid]:
    """One grid per table, in page order. A table that goes on over pages is one table; text
    between two tables (附件2 and its title, 二、下半年工作) starts another, its lines above
    it as for a Word file. The notes are about the document: each grid has them all."""
    with_tables = [page.number for page in pages if page.tables]
    if not with_tables:
        raise ReadError(
            "PDF 中没有找到带表格线的表格：本站只读取画有表格线的 PDF 表格（Word、WPS、"
            f"加了边框的 Excel 表格导出的 PDF）。{_HINT}",
            path,
        )
    first_page, last_page = with_tables[0], with_tables[-1]
    furniture = _furniture(pages)
    notes: list[str] = []
    rows: list[_Row] = []
    left_out: dict[int, list[str]] = {}
    above: list[tuple[str, str]] = []
    between: list[tuple[str, str, int]] = []
    """Lines after a table that another table follows: the next table's top."""
    groups: list[tuple[list[_Row], int, list[tuple[int, int]]]] = []
    """Each finished table: its rows, how many of them are lines above it, and the (page,
    column count) of its parts."""
    kept_above = 0
    parts: list[tuple[int, int]] = []
    previous: tuple[_Page, _Table] | None = None
    head: list[list[str]] | None = None
    for page in pages:
        if page.scanned:
            notes.append(
                f"第 {page.number} 页只有图片、没有文字（扫描件），未读取：本站不做文字识别"
            )
            continue
        numbers = _row_numbers(page)
        content: list[_Line | _Table] = [
            line for i, line in enumerate(page.lines) if (page.number, i) not in furniture
        ]
        content.extend(page.tables)
        content.sort(key=lambda item: item.v if isinstance(item, _Line) else item.first)
        for position, item in enumerate(content):
            if isinstance(item, _Line):
                where = f"第 {page.number} 页 第 {numbers[id(item)]} 行"
                if page.number == first_page and not rows:
                    above.append((item.text, where))
                elif page.number > last_page or (
                    page.number == last_page and item.v > page.tables[-1].last
                ):
                    rows.append(_Row([Cell(item.text)], where))  # notes under the table
                else:
                    between.append((item.text, where, page.number))
                continue
            if not rows:
                kept = above[-_ABOVE_KEPT:]
                for line, _ in above[: len(above) - len(kept)]:
                    left_out.setdefault(page.number, []).append(line)
                rows.extend(_Row([Cell(line)], where) for line, where in kept)
                kept_above = len(kept)
                # Lines on pages before the first table's are the document's, not its top.
                for line, _, number in between:
                    left_out.setdefault(number, []).append(line)
                between = []
            elif between:
                groups.append((rows, kept_above, parts))
                kept_between = between[-_ABOVE_KEPT:]
                for line, _, number in between[: len(between) - len(kept_between)]:
                    left_out.setdefault(number, []).append(line)
                rows = [_Row([Cell(line)], where) for line, where, _ in kept_between]
                kept_above, parts, head, between = len(kept_between), [], None, []
            parts.append((page.number, len(item.columns) - 1))
            table_rows = _table_rows(item, page.number, numbers[id(item)], len(rows))
            if head is None:
                head = [[cell.text for cell in row.cells] for row in table_rows[:_HEAD_ROWS]]
            if previous is not None and position == 0 and _goes_on(previous, page, item, furniture):
                # A repeated header stays: the interpreter skips a header it has seen.
                start = 0
                while start < len(table_rows) and [c.text for c in table_rows[start].cells] in head:
                    start += 1
                if start < len(table_rows) and _splits(rows[-1], table_rows[start]):
                    _continue_row(rows, table_rows[start], len(rows) - 1)
                    boundary = len(rows) + start
                    del table_rows[start]
                    table_rows = [_renumber(row, boundary) for row in table_rows]
            rows.extend(table_rows)
            previous = (page, item)
        for stray in page.stray:
            left_out.setdefault(page.number, []).append(stray.text)
        if page.damaged:
            notes.append(f"第 {page.number} 页已损坏，{_DAMAGED_PAGE}")
        if page.slanted:
            notes.append(
                f"第 {page.number} 页有斜排的文字（多为水印），未读取：“{page.slanted[:30]}”"
            )
    groups.append((rows, kept_above, parts))
    for line, _, number in between:
        left_out.setdefault(number, []).append(line)
    for _, _, table_parts in groups:
        first = table_parts[0][1]
        other = sorted({number for number, width in table_parts if width != first})
        if other:
            shown = "、".join(str(n) for n in other[:10]) + ("等" if len(other) > 10 else "")
            notes.append(
                f"第 {shown} 页的表格与第一张表格的列数（{first} 列）不同：如是 Excel 表格太宽、"
                "打印时分成了左右两半，请在 Excel 的页面设置中选“将所有列调整为一页”后重新导出 PDF"
            )
    for number, lines in sorted(left_out.items()):
        shown = "”“".join(line[:30] for line in lines[:3])
        more = f"等 {len(lines)} 行" if len(lines) > 3 else ""
        notes.append(f"第 {number} 页有不在表格中的文字，未读取：“{shown}”{more}")
    grids = []
    done = 0
    for number, (group_rows, lines_above, _) in enumerate(groups, start=1):
        # Row numbers run on through the document: a table joined to the one before it
        # keeps them apart.
        raw = [RawRow(done + i + 1, row.where, row.cells) for i, row in enumerate(group_rows)]
        done += len(raw)
        grids.append(
            Grid(
                path=path,
                rows=tidy(raw),
                lines_read=len(raw),
                notes=tuple(notes),
                table=number,
                above=lines_above,
            )
        )
    return grids


def _row_numbers(page: _Page) -> dict[int, int]:
    """Each line's and each table's first row number on the page, counting from its top as a
    reader counts: a line of text is a row, a table row is a row, the running header too."""
    items: list[_Line | _Table] = [*page.lines, *page.tables]
    items.sort(key=lambda item: item.v if isinstance(item, _Line) else item.first)
    numbers: dict[int, int] = {}
    n = 1
    for item in items:
        numbers[id(item)] = n
        n += item.height if isinstance(item, _Table) else 1
    return numbers


def _goes_on(
    previous: tuple[_Page, _Table], page: _Page, table: _Table, furniture: set[tuple[int, int]]
) -> bool:
    """Whether ``table``, first on its page, goes on from the table that ended the page before."""
    before, last = previous
    return (
        before.number == page.number - 1
        and last is before.tables[-1]
        and _last_on_page(before, last, furniture)
        and len(last.columns) == len(table.columns)
    )


def _last_on_page(page: _Page, table: _Table, furniture: set[tuple[int, int]]) -> bool:
    return not any(
        line.v > table.last
        for i, line in enumerate(page.lines)
        if (page.number, i) not in furniture
    )


def _table_rows(table: _Table, page: int, first_number: int, offset: int) -> list[_Row]:
    """The table's rows; merged_from indexes the document's rows (``offset`` before these)."""
    matrix = table.matrix()
    rows = []
    for r, boxes in enumerate(matrix):
        cells = []
        for c, box in enumerate(boxes):
            if box is None:
                cells.append(Cell(""))
            elif (box.row, box.column) == (r, c):
                cells.append(Cell(box.text()))
            else:
                cells.append(Cell("", merged_from=(offset + box.row, box.column)))
        full = [box is not None and box.full() for box in boxes]
        rows.append(_Row(cells, f"第 {page} 页 第 {first_number + r} 行", full))
    return rows


def _splits(last: _Row, first: _Row) -> bool:
    """Whether the first row of a table that goes on at the top of a page is the rest of the
    row the previous page ended with (Word lets a row break across pages).

    It is when it has text only under cells whose text ran to the bottom of the page (or
    are merged from above), and none under a cell that had ended: a row broken over a page
    goes on in its long cells, while its short ones (序号, 类别, a ✓) are complete above.
    """
    if len(last.cells) != len(first.cells) or len(last.full) != len(last.cells):
        return False
    own = [i for i, cell in enumerate(first.cells) if cell.text]
    ended = [
        i
        for i, cell in enumerate(last.cells)
        if cell.text and not last.full[i] and not first.cells[i].merged_from
    ]
    return (
        bool(own)
        and bool(ended)
        and all(last.full[i] or last.cells[i].merged_from for i in own)
        and not any(first.cells[i].text for i in ended)
    )


def _continue_row(rows: list[_Row], rest: _Row, index: int) -> None:
    """Joins the rest of a row broken over a page to the row's cells (or their merges' origin)."""
    for c, cell in enumerate(rest.cells):
        if not cell.text:
            continue
        r, col = rows[index].cells[c].merged_from or (index, c)
        origin = rows[r].cells[col]
        rows[r].cells[col] = Cell(_join_cells(origin.text, cell.text))


def _join_cells(before: str, after: str) -> str:
    """A cell's text on one page and its rest on the next: the last paragraph above runs on
    into the first below."""
    texts, more = _unjoin(before), _unjoin(after)
    if not texts or not more:
        return before or after
    texts[-1] = _join(texts[-1], more[0])
    return join_paragraphs([*texts, *more[1:]])


def _unjoin(text: str) -> list[str]:
    """The paragraphs of a cell's text as :func:`join_paragraphs` wrote it."""
    if len(text) > 7 and text.startswith("<p>") and text.endswith("</p>"):
        return [html.unescape(part) for part in text[3:-4].split("</p><p>")]
    return [text] if text else []


def _renumber(row: _Row, boundary: int) -> _Row:
    """A row's merges after the row at ``boundary`` was joined to the row before it."""
    cells = []
    for cell in row.cells:
        if cell.merged_from is not None and cell.merged_from[0] >= boundary:
            cell = Cell("", merged_from=(cell.merged_from[0] - 1, cell.merged_from[1]))
        cells.append(cell)
    return _Row(cells, row.where, row.full)
