"""Nothing lost: every source cell's text must appear on the page published for it.

This deliberately shares nothing with clean.py but its list of dropped elements: it strips
markup from the source cell and from the published HTML with its own simple rules, so a loss
anywhere between the table and the HTML (parsing, cleaning, Markdown, templates) shows up as
a missing piece of text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .clean import DROPPED_ELEMENTS
from .errors import Collector, Problem
from .model import Task

_DROP_RE = re.compile(
    r"<(" + "|".join(sorted(DROPPED_ELEMENTS)) + r")\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_TAG_RE = re.compile(r"<[^>]*>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
_OL_RE = re.compile(r"<ol\b[^>]*>(.*?)</ol>", re.DOTALL)
_LI_RE = re.compile(r"<li\b[^>]*>")
_SEPARATORS_RE = re.compile(r"[,，、;；【】]+")
_ARTICLE_RE = re.compile(r"^(\d{1,3})[.．、](\D.*)$")
_MARKER_RE = re.compile(r"^[(]?([0-9]{1,3}|[一二三四五六七八九十]{1,3}|[①-⑳])[).、]?")
_ARTICLE_START_RE = re.compile(r"<article\b[^>]*>")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HAS_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def page_text(page_html: str) -> str:
    """The text of a page's article, whitespace removed, ordered-list items numbered 1. 2. …"""
    start = _ARTICLE_START_RE.search(page_html)
    end = page_html.rfind("</article>")
    if start and end > start.end():
        page_html = page_html[start.end() : end]

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
        return html.unescape(_TAG_RE.sub(" ", _DROP_RE.sub(" ", _COMMENT_RE.sub("", cell))))
    if "&" in cell:
        return _ENTITY_RE.sub(lambda m: html.unescape(m.group()), cell)
    return cell


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


def verify_task_page(task: Task, page_html: str, path: Path) -> list[Problem]:
    c = Collector(path)
    text = page_text(page_html)
    for row in task.source:
        for cell in row.cells:
            if not cell:
                continue
            for piece in missing_pieces(cell, text):
                c.error(
                    row.line,
                    f"单元格的文字没有出现在任务页上（这是本站的缺陷，请报告）：“{piece[:40]}”",
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
