"""Stage 2: a cell's text (plain or with embedded HTML) → safe Markdown and plain text.

Nothing in a cell may become markup on the site except what this module writes itself:
every character of the cell's own text is escaped for Markdown and HTML, and of embedded
HTML only the structure is kept (paragraphs, line breaks, list items, http(s)/mailto/tel links).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from bs4.element import (
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

from .frozen import by_constructor

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACE_RE = re.compile(r"\s+")

# Elements whose content is code or controls, never text meant for a reader.
DROPPED_ELEMENTS = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "template",
        "noscript",
        "link",
        "meta",
        "base",
        "svg",
        "math",
        "textarea",
        "select",
        "button",
        "input",
        "canvas",
        "audio",
        "video",
        "source",
    ]
)
_BREAK = frozenset(
    [
        "p",
        "div",
        "li",
        "br",
        "tr",
        "table",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "pre",
        "hr",
    ]
)
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")

# Python-Markdown's backslash-escapable characters; <, > and & become entities instead,
# and | too, because the tables extension reads it inside any line.
_MD_ESCAPES = {
    **{ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!"},
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
}
# A regex, not str.translate: translate looks up every character of Chinese text in a dict
# (at 10,000 tasks: 1.6 s of a 10 s load), the regex only visits the few it replaces.
_MD_SPECIAL_RE = re.compile("[" + re.escape("".join(_MD_ESCAPES)) + "]")

# An item marker: 1–2 digits and . ． or 、, at the start or after a sentence break
# (_marker_re makes one for each number).
# Without a marker numbered 2 there is no list: most cells are ruled out by one search.
_SECOND_MARKER_RE = re.compile(r"(?<![0-9０-９.．])[0０]?[2２][.．、]")
_BREAK_BEFORE = "。；;！!？?：:，,)）]】"
_YEAR_AFTER_RE = re.compile(r"\s*(?:19|20)\d\d(?!\d)")
_LINK_TOKEN = "\ue000"
_LINK_RE = re.compile(f"{_LINK_TOKEN}(\\d+){_LINK_TOKEN}")


@dataclass(frozen=True, slots=True)
class _Link:
    __reduce__ = by_constructor

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned cell. ``text``, ``markdown`` and ``html`` are made each time they are asked
    for, and not kept: a page shows a cell in one of the two, and a copy kept per cell would
    grow the model by the site's text once again (a cell of one paragraph, most of them, has
    its text as its only string: joining one part gives that part back, not a copy)."""

    __reduce__ = by_constructor

    blocks: tuple[tuple[int | None, tuple[str, ...]], ...] = ()
    """Paragraphs (number None) and list items, links as placeholders into ``links``."""
    links: tuple[_Link, ...] = field(default=(), repr=False)
    dropped: tuple[str, ...] = ()
    """What was removed for safety (e.g. ``<script>``), so the caller can warn about it."""

    @property
    def text(self) -> str:
        """The text a reader sees, paragraphs separated by newlines (item numbers not
        included)."""
        blocks, links = self.blocks, self.links
        if len(blocks) == 1 and len(blocks[0][1]) == 1 and not links:
            return blocks[0][1][0]
        return "\n".join(_plain(part, links) for _, parts in blocks for part in parts)

    @property
    def markdown(self) -> str:
        """Safe Markdown: paragraphs and ordered lists, all source characters escaped."""
        return _markdown(self.blocks, self.links)

    @property
    def html(self) -> str:
        """The same as HTML, for raw-HTML contexts such as table cells."""
        return _html(self.blocks, self.links)


@dataclass
class _Block:
    number: int | None  # list item number, or None for a paragraph
    parts: list[str]  # paragraphs; several when an item continues over paragraphs


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows every character literally."""
    return _MD_SPECIAL_RE.sub(_md_escape, text)


def _md_escape(match: re.Match[str]) -> str:
    return _MD_ESCAPES[match.group()]


def collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, the last an ellipsis where the text is cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_html(cell: str) -> bool:
    return _TAG_RE.search(cell) is not None


def decode_entities(text: str) -> str:
    """``&lt;`` → ``<``, ``&#x4E01;`` → ``丁``: entities a CMS wrote, ended by ``;``. A bare ``&``
    (R&D, A&B) is text, and so is ``&copy`` without its ``;``."""
    if "&" not in text:
        return text
    return ENTITY_RE.sub(lambda m: html.unescape(m.group()), text)


ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def clean_cell(cell: str) -> Cleaned:
    """Clean one cell. Plain text is taken as text, its entities as the characters they stand
    for; a cell with HTML tags is read as HTML, as a browser would."""
    links: list[_Link] = []
    dropped: list[str] = []
    if not has_html(cell):
        paragraphs = [collapse(decode_entities(cell))]
    elif _FLAT_P_RE.fullmatch(cell) is not None:
        paragraphs = _flat_paragraphs(cell)
    else:
        paragraphs = _html_paragraphs(cell, links, dropped)
    paragraphs = [p for p in paragraphs if p]
    blocks = tuple((b.number, tuple(b.parts)) for b in _number_items(paragraphs))
    return Cleaned(blocks=blocks, links=tuple(links), dropped=tuple(dropped))


# What the tables' narratives almost always are: text and <p>…</p>, nothing nested, no
# attributes, no entities (the HTML parser keeps some at the very end as written). Read
# here without building a tree (bs4 was the largest cost of loading a large site);
# tests/test_fast_paths.py checks that this gives what _html_paragraphs gives.
_FLAT_P_RE = re.compile(r"(?:[^<&]*<p>[^<&]*</p>)*[^<&]*")
_P_TAG_RE = re.compile(r"</?p>")


def _flat_paragraphs(cell: str) -> list[str]:
    paragraphs = []
    for piece in _P_TAG_RE.split(cell):
        text = collapse(piece)
        if text:
            paragraphs.append(text)
    return paragraphs


def _html_paragraphs(cell: str, links: list[_Link], dropped: list[str]) -> list[str]:
    soup = BeautifulSoup(cell, "html.parser")
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = collapse("".join(buffer))
        if text:
            paragraphs.append(text)
        buffer.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in DROPPED_ELEMENTS:
                dropped.append(f"<{name}>")
                continue
            if name == "img":
                dropped.append("<img>")
                alt = collapse(str(child.get("alt") or ""))
                if alt:
                    buffer.append(f"[图片：{alt}]")
                continue
            if name in _BREAK:
                flush()
                walk(child)
                flush()
                continue
            if name == "a":
                text = collapse(child.get_text())
                href = str(child.get("href") or "").strip()
                if href.lower().startswith(_SAFE_SCHEMES) and text:
                    links.append(_Link(text, href))
                    buffer.append(f"{_LINK_TOKEN}{len(links) - 1}{_LINK_TOKEN}")
                    continue
                if href:
                    dropped.append(f"链接 {href[:40]}")
            walk(child)

    walk(soup)
    flush()
    return paragraphs


def _number_items(paragraphs: list[str]) -> list[_Block]:
    """Split paragraphs at inline item markers ``1.… 2.…`` numbered 1, 2, 3… in order."""
    if not any(_SECOND_MARKER_RE.search(p) for p in paragraphs):
        return [_Block(None, [p]) for p in paragraphs]  # no "2." anywhere: not a list
    return _split_items(paragraphs)


def _split_items(paragraphs: list[str]) -> list[_Block]:
    pieces: list[tuple[int | None, str, bool]] = []  # number, text, starts a new paragraph
    expected = 1
    for paragraph in paragraphs:
        cuts: list[tuple[int, int, int]] = []  # start, end, number
        position = 0
        # Look only for the next number: a narrative has many other "12.3" and "1-7月".
        while (match := _marker_re(expected).search(paragraph, position)) is not None:
            start, end = match.span()
            position = start + 1
            if not _at_break(paragraph, start):
                continue
            if paragraph[end : end + 1].isdigit() and not _YEAR_AFTER_RE.match(paragraph, end):
                continue  # 2.56亿元 is a number, 2.2023 年 is item 2
            cuts.append((start, end, expected))
            expected += 1
            position = end
        position = 0
        current: int | None = None
        first = True
        for start, end, n in cuts:
            text = paragraph[position:start].strip()
            if text:
                pieces.append((current, text, first))
                first = False
            current, position = n, end
        pieces.append((current, paragraph[position:].strip(), first))

    if expected <= 2:
        # A lone "1." is not a list; keep the text exactly as written.
        return [_Block(None, [p]) for p in paragraphs]
    blocks: list[_Block] = []
    for number, text, new_paragraph in pieces:
        if number is not None and (not blocks or blocks[-1].number != number):
            blocks.append(_Block(number, [text] if text else []))
        elif blocks and blocks[-1].number is not None:
            # Text after an item, up to the next marker, belongs to that item.
            if new_paragraph or not blocks[-1].parts:
                blocks[-1].parts.append(text)
            else:
                blocks[-1].parts[-1] += " " + text
        elif text:
            blocks.append(_Block(None, [text]))
    return blocks


_MARKERS: dict[int, re.Pattern[str]] = {}


def _marker_re(number: int) -> re.Pattern[str]:
    """The item marker with this number: 1–2 ASCII or full-width digits, not inside a longer
    number, then . ． or 、."""
    pattern = _MARKERS.get(number)
    if pattern is None and number > 99:
        pattern = _MARKERS[number] = re.compile("(?!)")  # never: markers have 1–2 digits
    if pattern is None:
        digits = "".join(f"[{d}{chr(ord(d) + 0xFEE0)}]" for d in str(number))
        zero = "[0０]?" if number < 10 else ""
        pattern = re.compile(f"(?<![0-9０-９.．]){zero}{digits}[.．、]")
        _MARKERS[number] = pattern
    return pattern


def _at_break(text: str, index: int) -> bool:
    """Whether a marker at ``index`` starts the text, follows a space or a sentence break."""
    i = index
    while i and text[i - 1].isspace():
        i -= 1
    return i == 0 or i != index or text[i - 1] in _BREAK_BEFORE


_Blocks = tuple[tuple[int | None, tuple[str, ...]], ...]


def _markdown(blocks: _Blocks, links: Sequence[_Link]) -> str:
    out: list[str] = []
    for number, block_parts in blocks:
        parts = [_inline(part, links) for part in block_parts if part]
        if number is None:
            out.append("\n\n".join(parts))
            continue
        first, *more = parts or ["&nbsp;"]
        item = f"{number}. {first}"
        for part in more:
            item += "\n\n    " + part
        out.append(item)
    # Consecutive list items form one list; anything else is its own paragraph.
    lines: list[str] = []
    for index, chunk in enumerate(out):
        if index:
            both_items = blocks[index][0] is not None and blocks[index - 1][0] is not None
            lines.append("\n" if both_items and "\n\n" not in out[index - 1] else "\n\n")
        lines.append(chunk)
    return "".join(lines)


def _html(blocks: _Blocks, links: Sequence[_Link]) -> str:
    out: list[str] = []
    in_list = False
    for number, block_parts in blocks:
        parts = "".join(f"<p>{_inline_html(part, links)}</p>" for part in block_parts if part)
        if number is None:
            if in_list:
                out.append("</ol>")
                in_list = False
            out.append(parts)
            continue
        if not in_list:
            out.append("<ol>")
            in_list = True
        out.append(f"<li>{parts}</li>")
    if in_list:
        out.append("</ol>")
    return "".join(out)


def _inline_html(text: str, links: Sequence[_Link]) -> str:
    out = []
    for part in _split_links(text, links):
        if isinstance(part, int):
            link = links[part]
            href = html.escape(link.href.replace(" ", "%20"), quote=True)
            out.append(f'<a href="{href}">{html.escape(link.text)}</a>')
        else:
            out.append(html.escape(part))
    return "".join(out)


def _split_links(text: str, links: Sequence[_Link]) -> list[str | int]:
    """The text with each link's token read as the link's index. A cell may hold the token's
    character itself (a private-use character, as symbol fonts leave them): that is text."""
    parts: list[str | int] = []
    position = 0
    for token in _LINK_RE.finditer(text):
        index = int(token.group(1))
        if index >= len(links) or token.start() < position:
            continue
        if token.start() > position:
            parts.append(text[position : token.start()])
        parts.append(index)
        position = token.end()
    if position < len(text):
        parts.append(text[position:])
    return parts


def _inline(text: str, links: Sequence[_Link]) -> str:
    out = []
    for part in _split_links(text, links):
        if isinstance(part, int):
            link = links[part]
            href = link.href.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
            out.append(f"[{escape_markdown(link.text)}](<{href}>)")
        else:
            out.append(escape_markdown(part))
    return "".join(out)


def _plain(text: str, links: Sequence[_Link]) -> str:
    if not links:
        return text
    return "".join(links[p].text if isinstance(p, int) else p for p in _split_links(text, links))
