"""Nothing lost: every source cell's text must appear on the page published for it, in the
place published for it.

This deliberately shares nothing with clean.py but its list of dropped elements: it strips
markup from the source cell and from the published HTML with its own simple rules, so a loss
anywhere between the table and the HTML (parsing, cleaning, Markdown, templates) shows up as
a missing piece of text.

A cell is looked for where it belongs, not anywhere on the page: a short cell (✓, 是, 3) is
almost always somewhere on a page, so finding it anywhere proves nothing. A cell of a column
shown per line must be in that line's cell of the steps table (or under its heading, where a
task's one line is shown as text); any other cell of a line (序号, task, units, status) must be
outside the steps table or in that line's own row of it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .clean import DROPPED_ELEMENTS
from .columns import Role
from .errors import Collector, Problem
from .model import Column, Task

# A tag as a browser reads one: ``<`` and a letter open it, the first ``>`` closes it, so
# ``<scr<script>`` is one tag (named "scr<script"), not text followed by a script.
_TOKEN_RE = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_DROPPED_START_RE = re.compile(
    "<(?:" + "|".join(sorted(DROPPED_ELEMENTS)) + ")(?![A-Za-z0-9])", re.IGNORECASE
)
_TAG_RE = re.compile(r"<[^>]*>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
_OL_RE = re.compile(r"<ol\b[^>]*>(.*?)</ol>", re.DOTALL)
_LI_RE = re.compile(r"<li\b[^>]*>")
_SEPARATORS_RE = re.compile(r"[,，、;；/／【】]+")  # units.py splits unit cells at these too
_ARTICLE_RE = re.compile(r"^(\d{1,3})[.．、](\D.*)$")
_MARKER_RE = re.compile(r"^[(]?([0-9]{1,3}|[一二三四五六七八九十]{1,3}|[①-⑳])[).、]?")
_ARTICLE_START_RE = re.compile(r"<article\b[^>]*>")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HAS_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# The task page's parts, as render.py writes them: cells never hold a table or a heading
# (clean.py turns those into paragraphs), so the first closing tag ends the part.
_STEPS_RE = re.compile(r'<table class="gk-steps">.*?</table>', re.DOTALL)
_TBODY_RE = re.compile(r"<tbody>(.*?)</tbody>", re.DOTALL)
_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
_ROW_HEADING_RE = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_HEADING = -2
"""The key of a steps-table row's heading (its 类别 or number) among the row's cells."""
_CELL_RE = re.compile(r'<td\b[^>]*\bdata-col="(-?\d+)"[^>]*>(.*?)</td>', re.DOTALL)
_H2_RE = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.DOTALL)
_PERMALINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def page_text(page_html: str) -> str:
    """The text of a page's article, whitespace removed, ordered-list items numbered 1. 2. …"""
    return _text(_article(page_html))


def _text(page_html: str) -> str:
    """The text of a part of a page, as :func:`page_text` gives it."""

    def number(match: re.Match[str]) -> str:
        counter = iter(range(1, 10_000))
        return _LI_RE.sub(lambda _: f"{next(counter)}.", match.group(1))

    text = _OL_RE.sub(number, page_html)
    text = _TAG_RE.sub("", _COMMENT_RE.sub("", text))
    return unicodedata.normalize("NFKC", _SPACE_RE.sub("", html.unescape(text)))


def cell_text(cell: str) -> str:
    """A source cell's text with markup removed; a cell without tags keeps its text, with
    only ``;``-terminated entities read as the characters they stand for."""
    if _HAS_TAG_RE.search(cell):
        return html.unescape(_strip_markup(_COMMENT_RE.sub("", cell)))
    if "&" in cell:
        return _ENTITY_RE.sub(lambda m: html.unescape(m.group()), cell)
    return cell


def _strip_markup(cell: str) -> str:
    """The cell's text with each tag a space and dropped elements (scripts…) left out whole."""
    if _DROPPED_START_RE.search(cell) is None:
        return _TOKEN_RE.sub(" ", cell)  # no element to drop: every cell of a real table
    out: list[str] = []
    position = 0
    while (tag := _TOKEN_RE.search(cell, position)) is not None:
        out += [cell[position : tag.start()], " "]
        position = tag.end()
        name = tag.group(2).lower()
        if not tag.group(1) and name in DROPPED_ELEMENTS:
            end = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(cell, position)
            position = end.end() if end else len(cell)
    out.append(cell[position:])
    return "".join(out)


def missing_pieces(cell: str, text: str) -> list[str]:
    """Pieces of the cell (split at separators) that do not appear in the page text.

    A piece is first looked for with its spaces removed; only if that fails are its
    space-separated words looked for one by one (unit cells separate names by spaces).
    """
    missing: list[str] = []
    for chunk in _SEPARATORS_RE.split(cell_text(cell)):
        piece = _SPACE_RE.sub("", chunk)
        if not piece or _present(piece, text):
            continue
        missing.extend(word for word in chunk.split() if not _present(word, text))
    return missing


def _present(piece: str, text: str) -> bool:
    # Full-width and half-width punctuation read the same: （ and ( are one bracket.
    piece = unicodedata.normalize("NFKC", piece)
    if piece in text:
        return True
    # People padded and run together in one cell (陆 明俞 悦) are listed apart: 陆明、俞悦.
    if len(piece) <= 8 and piece in text.replace("、", ""):
        return True
    # A leading article number "18." is shown as "第 18 条" beside the task text.
    m = _ARTICLE_RE.match(piece)
    if m and m.group(2) in text and f"第{m.group(1)}条" in text:
        return True
    # A task's number opening its text ((一)建设…, 14.…) is shown as its 序号.
    m = _MARKER_RE.match(piece)
    return bool(m and piece[m.end() :] in text and m.group(1) in text)


@dataclass(frozen=True)
class _Places:
    """The texts of a task page's parts, as :func:`page_text` gives them."""

    outside: str
    """The page without its steps table: title, summary, facts, source details."""
    rows: tuple[dict[int, str], ...] | None
    """Per line of the task, the texts of its steps-table row by the table's column each
    cell shows (``data-col``; a column every line leaves empty is not shown); None where the
    page has no steps table."""
    sections: dict[str, str]
    """Where a task's one line is shown as text: each heading's text → the text under it."""


def _article(page_html: str) -> str:
    start = _ARTICLE_START_RE.search(page_html)
    end = page_html.rfind("</article>")
    if start and end > start.end():
        return page_html[start.end() : end]
    return page_html


def _places(article: str) -> _Places:
    table = _STEPS_RE.search(article)
    sections: dict[str, str] = {}
    if table is None:
        # A task's one line shown as text: each field under its heading.
        headings = list(_H2_RE.finditer(article))
        for n, heading in enumerate(headings):
            end = headings[n + 1].start() if n + 1 < len(headings) else len(article)
            name = _text(_PERMALINK_RE.sub("", heading.group(1)))
            sections[name] = sections.get(name, "") + _text(article[heading.end() : end])
        return _Places(_text(article), None, sections)
    body = _TBODY_RE.search(table.group())
    rows = tuple(
        {
            _HEADING: "".join(_text(th.group(1)) for th in _ROW_HEADING_RE.finditer(row.group(1))),
            **{
                int(cell.group(1)): _text(cell.group(2)) for cell in _CELL_RE.finditer(row.group(1))
            },
        }
        for row in _ROW_RE.finditer(body.group(1) if body else "")
    )
    return _Places(_text(article[: table.start()] + article[table.end() :]), rows, sections)


def verify_task_page(
    task: Task, page_html: str, path: Path, columns: Sequence[Column]
) -> list[Problem]:
    """Every cell of the task's source lines on its page, each where it belongs; ``columns``
    are the report's step columns, in the order the steps table shows them."""
    c = Collector(path)
    article = _article(page_html)
    places = _places(article)
    steps = {step.line: (n, step) for n, step in enumerate(task.steps)}
    shown = {column.index for column in columns if column.index >= 0}
    figures = {column.index for column in columns if column.role is Role.FIGURE}
    if places.rows is not None and len(places.rows) != len(task.steps):
        c.error(
            task.line,
            f"任务页的步骤表有 {len(places.rows)} 行，原表这项任务有 {len(task.steps)} 行："
            "页面与原表对不上（这是本站的缺陷，请报告）",
        )
        return c.problems
    whole: str | None = None
    for row in task.source:
        n, step = steps.get(row.line, (None, None))
        for index, cell in enumerate(row.cells):
            if not cell:
                continue
            field = next((f for f in step.fields if f.column == index), None) if step else None
            if n is None:
                # A line that is no step of its own: shown somewhere on the page.
                whole = _text(article) if whole is None else whole
                place = whole
            elif places.rows is None:
                place = (
                    places.sections.get(_SPACE_RE.sub("", field.label), "")
                    if field is not None
                    else places.outside
                )
            elif index in shown and field is not None and field.merged:
                # Shown once, in the first line of the merge: in this column, some line.
                place = "".join(r.get(index, "") for r in places.rows)
            elif index in shown and (
                field is not None or (index in figures and step is not None and step.figure)
            ):
                place = places.rows[n].get(index, "")
            else:
                place = places.outside + "".join(places.rows[n].values())
            for piece in missing_pieces(cell, place):
                c.error(
                    row.line,
                    f"单元格的文字没有出现在任务页上应在的位置（这是本站的缺陷，请报告）：“{piece[:40]}”",
                    cell,
                )
    return c.problems


def verify_report_page(
    title_line: str | None, lines: Iterable[str], page_html: str, path: Path
) -> Iterable[Problem]:
    """The table's title line and its lines that are not tasks (notes above the header,
    合计 lines) must appear on the report page."""
    c = Collector(path)
    text = page_text(page_html)
    for line in (title_line, *lines):
        if not line:
            continue
        for piece in missing_pieces(line, text):
            c.error(None, f"原表的文字没有出现在报告页上：“{piece[:40]}”", line)
    return c.problems
