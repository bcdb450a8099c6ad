"""The builder's fast paths give exactly what the general code gives.

Loading a large site spends most of its time in a few places, which have a quick route for
the common case (clean.py). These properties pin each quick route to the general one.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.clean import (
    _FLAT_P_RE,
    _at_break,
    _flat_paragraphs,
    _html_paragraphs,
    _number_items,
    _split_items,
    escape_markdown,
    has_html,
)

# Text as tables have it, with what HTML entities and list markers are made of.
PIECES = [
    *"推进项目完成 \t\n1234567890０１２２.．、。；;:，&#;amplt<>/p\ue000",
    "&amp;",
    "&lt;",
    "&#x4e2d;",
    "&nbsp",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(TEXT, st.booleans()), max_size=6), TEXT)
def test_flat_paragraph_cells_read_as_the_html_parser_reads_them(
    pieces: list[tuple[str, bool]], tail: str
) -> None:
    cell = "".join(f"<p>{text}</p>" if in_p else text for text, in_p in pieces) + tail
    if has_html(cell) and _FLAT_P_RE.fullmatch(cell):
        links: list[object] = []
        assert _flat_paragraphs(cell) == _html_paragraphs(cell, links, [])  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXT.filter(str.strip), max_size=4))
def test_cells_without_a_second_marker_are_not_lists(paragraphs: list[str]) -> None:
    assert _number_items(paragraphs) == _split_items(paragraphs)


@given(st.text())
def test_markdown_escaping_matches_a_per_character_table(text: str) -> None:
    table = {
        **{ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
    }
    assert escape_markdown(text) == "".join(table.get(ch, ch) for ch in text)


def _cuts_by_scanning(paragraph: str, expected: int) -> list[int]:
    """Where markers are cut by reading every 1–2 digit number in turn (the plain way)."""
    cuts = []
    for match in re.finditer(r"(?<![0-9０-９.．])([0-9０-９]{1,2})[.．、]", paragraph):
        end = match.end()
        if int(match.group(1)) != expected or not _at_break(paragraph, match.start()):
            continue
        if paragraph[end : end + 1].isdigit() and not re.match(
            r"\s*(?:19|20)\d\d(?!\d)", paragraph[end:]
        ):
            continue
        cuts.append(match.start())
        expected += 1
    return cuts


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_looking_for_the_next_number_finds_what_scanning_every_number_finds(text: str) -> None:
    numbered = [block for block in _split_items([text]) if block.number is not None]
    cuts = _cuts_by_scanning(text, 1)
    assert len(numbered) == (len(cuts) if len(cuts) >= 2 else 0)
