"""A header cell over two data columns that a text export flattened.

Word and web tables say when a header cell spans two columns (gridSpan, colspan); a text
export does not: every data line then has one cell more than the header, consistently. Which
header cell spans two is read from what the lines hold — a column of figures followed by a
column of measures (``5 | 所``, ``800 | 元/月``), with every other column still holding what
its header names. Where more than one header cell would fit, nothing is guessed: the caller
asks staff with the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .columns import Role

_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)*\s*[%％]?$")
_SEQ_RE = re.compile(r"^[(（]?[0-9一二三四五六七八九十]{1,4}[)）.．、]?$")
# A measure written beside a figure: 所、元/月、万元、公里、%、个.
_MEASURE_RE = re.compile(
    r"^(?:[%％‰]|[万亿千百]?(?:元|人|户|个|所|家|座|套|间|张|辆|台|条|处|项|次|场|批|吨|亩|米|公里|千米|"
    r"平方米|㎡|床|名|支|件|宗|栋|幢|亿元|万元)(?:/[^\s/]{1,3})?|[^\s\d]{1,3}/[^\s\d]{1,3})$"
)
_UNIT_ROLES = {Role.UNITS, Role.LEAD_UNITS, Role.SUPPORT_UNITS, Role.OFFICE, Role.LEADER}
_FIGURE_ROLES = {Role.TARGET, Role.ACTUAL, Role.FIGURE}


def is_measure(text: str) -> bool:
    return bool(_MEASURE_RE.match("".join(text.split())))


def _fits(role: Role | None, value: str) -> bool:
    """Whether ``value`` can be what a column of ``role`` holds."""
    if not value:
        return True
    flat = "".join(value.split())
    if role is Role.SEQ:
        return bool(_SEQ_RE.match(flat))
    if role is Role.TASK:
        return not _NUMBER_RE.match(flat) and not is_measure(flat)
    if role in _UNIT_ROLES:
        return not _DIGIT_RE.search(flat[:1]) and not is_measure(flat)
    if role in _FIGURE_ROLES:
        return bool(_DIGIT_RE.search(flat)) or len(flat) > 4
    if role is Role.DEADLINE:
        return not is_measure(flat)
    return True


def span_candidates(roles: Sequence[Role | None], rows: Sequence[Sequence[str]]) -> list[int]:
    """The header columns that could span the extra data column of ``rows`` (each one cell
    wider than the header). A candidate ``k`` reads ``row[k]`` as the figure and ``row[k+1]``
    as its measure, and every other cell still fits the role of its header column."""
    width = len(roles)
    found = []
    for k in range(width):
        ok = True
        pairs = 0
        for row in rows:
            first, second = row[k], row[k + 1]
            if second and not (is_measure(second) or _NUMBER_RE.match("".join(second.split()))):
                ok = False
                break
            if first and second:
                pairs += 1
            shifted = [*row[: k + 1], *row[k + 2 :]]
            if not all(_fits(roles[j], shifted[j]) for j in range(width) if j != k):
                ok = False
                break
            if not _fits(roles[k], first):
                ok = False
                break
        if ok and pairs:
            found.append(k)
    return found


def split_candidates(
    roles: Sequence[Role | None], wide: Sequence[Sequence[str]], narrow: Sequence[Sequence[str]]
) -> list[int]:
    """The header columns that most likely cover two cells of the ``wide`` lines (a few lines
    one cell wider than the header, the ``narrow`` others not). Read with ``row[k]`` and
    ``row[k+1]`` under header ``k``, each cell of a wide line is held against what its column
    holds on the narrow lines (short figures, long text); the columns with the fewest cells
    out of place are the candidates. Staff confirm with ``spans:``: this only narrows the
    list they choose from."""
    width = len(roles)
    profiles = [_profile([row[j] for row in narrow if j < len(row)]) for j in range(width)]
    scores: list[tuple[int, int]] = []
    for k in range(width):
        misfits = 0
        for row in wide:
            for j in range(width):
                cells = [row[k], row[k + 1]] if j == k else [row[j] if j < k else row[j + 1]]
                misfits += sum(
                    1 for cell in cells if not (_fits(roles[j], cell) and profiles[j](cell))
                )
        scores.append((misfits, k))
    best = min(score for score, _ in scores)
    return [k for score, k in scores if score == best]


def _profile(cells: Sequence[str]):  # type: ignore[no-untyped-def]
    """What a column holds on most lines: a test for one more cell of it."""
    filled = ["".join(c.split()) for c in cells if c.strip()]
    if not filled:
        return lambda cell: True
    longest = max(len(c) for c in filled)
    figures = all(_DIGIT_RE.search(c) or c in "-—/" for c in filled)
    if longest <= 12:
        limit = max(2 * longest, 6)
        return lambda cell: (
            not cell.strip()
            or (
                len("".join(cell.split())) <= limit
                and (not figures or bool(_DIGIT_RE.search(cell)) or cell.strip() in "-—/")
            )
        )
    return lambda cell: not cell.strip() or len("".join(cell.split())) > 4


__all__ = ["is_measure", "span_candidates", "split_candidates"]
