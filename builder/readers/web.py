"""A government web page saved from a browser (``.html``, ``.htm``): its tables, one grid each.

Pages are read with Python's own ``html.parser``: it keeps each tag's source line (so a
message can point at the ``<tr>``) and takes the broken markup CMS templates write. It does
not close ``<td>``/``<tr>`` that the page leaves open, so cells are found by the row they
stand in, not by their place in the tree.
"""

from __future__ import annotations

import codecs
import datetime
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from . import limits, text
from .base import Cell, Grid, GridRow, ReadError
from .cells import RawRow, join_paragraphs, tidy

_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_IGNORED_CHARSETS = {
    "gbk", "gb2312", "gb18030", "utf-8", "utf8",
    "iso-8859-1", "latin1", "latin-1", "windows-1252", "us-ascii", "ascii",
}  # fmt: skip
_SPACE_RE = re.compile(r"\s+")
_ROW_TAG_RE = re.compile(rb"<tr[\s>]", re.I)
_SPAN_RE = re.compile(r"\s*(\d+)")
_DATE_RE = re.compile(
    r"(?:发布时间|发布日期|日期|时间)\s*[:：]\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
)
# A site name follows the page's own title in <title> after one of these.
_TITLE_SEPARATOR_RE = re.compile(r" - |_|\|")
_MIN_TITLE = 6
_MAX_TITLE = 100

# Never shown as the page's text.
_SKIP = {"script", "style", "template", "noscript", "head"}
# Tags that start a new line where a browser shows them.
_BLOCKS = {
    "address", "article", "blockquote", "br", "center", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
    "pre", "section", "table", "ul",
}  # fmt: skip
_CELLS = ["td", "th"]
_EACH_OUTSIDE = 20
"""Up to this many data tables, each table's title and date are read from the page without
that table (each a pass over the page). A page of more is read once without all of them:
otherwise a page of hundreds of small tables would take minutes."""
# HTML's own limits: a larger colspan is a typo, and would make every row that wide.
_MAX_COLSPAN = 1000


def read(path: Path) -> list[Grid]:
    raw = text.read_bytes(path)
    if len(raw) > limits.MAX_PAGE_BYTES:
        # A parsed page takes about forty times its size in memory: refused before parsing.
        raise ReadError(
            f"网页文件有 {len(raw) / limits.MB:,.0f} MB，超过本站的上限 "
            f"{limits.MAX_PAGE_BYTES // limits.MB} MB（保存的政府网页通常不到 1 MB）"
            "：请检查是否存错了文件，或只保存表格所在的网页",
            path,
        )
    tr_count = len(_ROW_TAG_RE.findall(raw))
    if tr_count > limits.MAX_ROWS:
        raise ReadError(
            f"网页中有 {tr_count:,} 个表格行（<tr>），超过本站的上限 {limits.MAX_ROWS:,} 行"
            "（真实的任务表最多几千行）：请检查是否存错了文件，或把表格拆成几个网页",
            path,
        )
    content = _decode(raw, path)
    # html.parser counts lines at "\n" only; a page saved with CR line ends would be line 1
    # throughout.
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    with warnings.catch_warnings():
        # An XHTML page (<?xml …?> first) is still best read as the HTML browsers read it,
        # and a tiny page may look like a file name to bs4: neither is a problem here.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(content, "html.parser")

    found: list[tuple[Tag, tuple[GridRow, ...], int, bool]] = []
    for table in soup.find_all("table"):
        # Layout tables hold other tables and are never read; a table with no text is a
        # spacer, not a table anyone sees.
        if table.find("table") is not None:
            continue
        rows = _table_rows(table)
        grid_rows = tidy(_expand(path, rows))
        if grid_rows:
            # A data table has at least two rows of several cells (a nav bar has one row, a
            # page's 索引号/发布机构 block mostly pairs).
            data = sum(len(cells) >= 3 for _, cells in rows) >= 2
            found.append((table, grid_rows, len(rows), data))
    if not any(data for *_, data in found):
        raise ReadError("网页中没有找到表格", path)
    data_tables = [table for table, *_, data in found if data]
    without_all = _outside(soup, data_tables) if len(data_tables) > _EACH_OUTSIDE else (None, None)
    grids = []
    for number, (table, grid_rows, read_rows, data) in enumerate(found, start=1):
        title = date = None
        if data:
            # The rest of the page is read without the table: a 时间 column or a <h1> in a
            # cell must not be taken for the page's date or title. Other tables stay: the
            # page's 成文日期 is often in a small table of its own.
            many = len(data_tables) > _EACH_OUTSIDE
            title, date = without_all if many else _outside(soup, [table])
        grids.append(
            Grid(
                path=path,
                rows=grid_rows,
                title=title,
                date=date,
                lines_read=read_rows,
                table=number,
            )
        )
    return grids


def _outside(soup: BeautifulSoup, tables: list[Tag]) -> tuple[str | None, str | None]:
    """The page's title and date, read with ``tables`` taken out."""
    stand_ins = []
    for table in tables:
        stand_in = soup.new_tag("template")
        table.replace_with(stand_in)
        stand_ins.append((stand_in, table))
    try:
        return _title(soup), _date(soup)
    finally:
        for stand_in, table in stand_ins:
            stand_in.replace_with(table)


def _decode(data: bytes, path: Path) -> str:
    # A UTF-8 page decodes as UTF-8 whatever its <meta> says (a browser saving a page may
    # re-encode it); GBK/GB2312 pages are what text.decode falls back to anyway (GB18030 is
    # a superset of both). Only another declared charset (Big5, …) needs the declaration; a
    # Western one on a Chinese page is a template's mistake, and would decode anything.
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return text.decode(data, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET_RE.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        if declared not in _IGNORED_CHARSETS:
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
    return text.decode(data, path)


def _table_rows(table: Tag) -> list[tuple[Tag, list[Tag]]]:
    """The table's rows and the cells of each, in source order.

    A cell belongs to the nearest ``<tr>`` above it in the tree: with ``<td>`` left open,
    html.parser nests the next cell inside it, and the next row inside the last cell.
    """
    rows: list[tuple[Tag, list[Tag]]] = []
    by_id: dict[int, list[Tag]] = {}
    for element in table.find_all(["tr", *_CELLS]):
        if element.name == "tr":
            cells: list[Tag] = []
            rows.append((element, cells))
            by_id[id(element)] = cells
        else:
            row = element.find_parent("tr")
            if row is not None and id(row) in by_id:
                by_id[id(row)].append(element)
    return rows


def _expand(path: Path, rows: list[tuple[Tag, list[Tag]]]) -> list[RawRow]:
    """Grid positions of rowspan/colspan, as a browser lays the table out."""
    grid: dict[tuple[int, int], Cell] = {}
    counter = limits.Counter(path, "网页中的表格")
    for r, (tr, cells) in enumerate(rows):
        counter.row(tr.sourceline)
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            # A rowspan past the last row ends with the table, as in a browser.
            rowspan = min(_span(cell.get("rowspan")), len(rows) - r)
            colspan = min(_span(cell.get("colspan")), _MAX_COLSPAN)
            # Checked before the spans are laid out: one cell may cover a million positions.
            counter.columns(c + colspan, tr.sourceline, "这一行")
            counter.positions(len(grid) + rowspan * colspan, tr.sourceline)
            text = join_paragraphs(_paragraphs(cell))
            counter.cell(text, f"这一行第 {c + 1} 列的单元格", tr.sourceline)
            grid[(r, c)] = Cell(text)
            for dr in range(rowspan):
                for dc in range(colspan):
                    # setdefault: where two cells' spans overlap (a broken table), the
                    # one placed first keeps the position, as browsers do.
                    grid.setdefault((r + dr, c + dc), Cell("", merged_from=(r, c)))
            c += colspan
    width = max((c + 1 for _, c in grid), default=0)
    out = []
    previous = 0
    for r, (tr, _) in enumerate(rows):
        previous = tr.sourceline or previous
        out.append(RawRow(previous, None, [grid.get((r, c), Cell("")) for c in range(width)]))
    return out


def _span(value: object) -> int:
    # "0" (to the end of the section) and junk count as 1; "2px" is 2, as browsers read it.
    match = _SPAN_RE.match(value) if isinstance(value, str) else None
    return max(1, int(match.group(1))) if match else 1


def _paragraphs(element: Tag) -> list[str]:
    """The element's text as a browser breaks it into lines, whitespace collapsed."""
    lines = [""]
    # A <td>/<tr> inside a cell is the next cell or row, left open by the page.
    for piece in _pieces(element, _SKIP | {"td", "th", "tr"}):
        if piece is None:
            lines.append("")
        else:
            lines[-1] += piece
    return [_SPACE_RE.sub(" ", line).strip() for line in lines]


def _pieces(root: Tag, skip: set[str]) -> Iterator[str | None]:
    """The shown text under ``root`` in source order, None where a line breaks.

    A loop, not recursion: tags a page leaves open nest everything after them, deeper than
    Python's recursion limit on a long page.
    """
    stack: list[PageElement | None] = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if node is None:
            yield None
        elif isinstance(node, Tag):
            if node.name in skip:
                continue
            if node.name in _BLOCKS:
                yield None
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            # PreformattedString: comments, CDATA, <!DOCTYPE>, <?…?>.
            yield str(node)


def _plain(element: Tag) -> str:
    return " ".join(line for line in _paragraphs(element) if line)


def _title(soup: BeautifulSoup) -> str | None:
    for heading in soup.find_all("h1"):
        if title := _plain(heading):
            return title
    for element in soup.find_all(class_=re.compile("title", re.I)):
        title = _plain(element)
        # A "title" class on a wrapper holds the whole article, not a title.
        if title and len(title) <= _MAX_TITLE:
            return title
    head = soup.find("title")
    if head is None:
        return None
    title = _SPACE_RE.sub(" ", head.get_text()).strip()
    # "任务进展情况_通知公告_某市人民政府": the page's own title is before the first
    # separator, unless that leaves too little to be a title ("通知 - …").
    for separator in _TITLE_SEPARATOR_RE.finditer(title):
        before = title[: separator.start()].strip()
        if len(before) >= _MIN_TITLE:
            return before
    return title or None


def _date(soup: BeautifulSoup) -> str | None:
    page = _SPACE_RE.sub(" ", " ".join(piece for piece in _pieces(soup, _SKIP) if piece))
    for match in _DATE_RE.finditer(page):
        year, month, day = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
