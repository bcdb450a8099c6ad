"""Personal data that must not be published by mistake: ID numbers and mobile numbers."""

from __future__ import annotations

import re

from .errors import Collector, Fix
from .parse import Table

_ID_RE = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])"
)
_MOBILE_RE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
_ELEVEN_DIGITS_RE = re.compile(r"\d{11}")  # in both of the above: one quick scan per cell
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_privacy(table: Table, allowed: frozenset[str], c: Collector) -> None:
    """Warn about what looks like a personal ID number or a mobile number in any cell."""
    for record in table.records:
        for row in record.rows:
            for index, cell in enumerate(row.cells):
                if not row.own(index) or not _ELEVEN_DIGITS_RE.search(cell):
                    continue  # a merged cell is checked on the line that holds it
                for match in _ID_RE.finditer(cell):
                    if _valid_id(match.group()) and match.group() not in allowed:
                        c.warning(
                            row.line,
                            f"疑似身份证号 {match.group()[:6]}…：请删除个人信息后再发布",
                        )
                for match in _MOBILE_RE.finditer(cell):
                    if match.group() not in allowed:
                        c.warning(
                            row.line,
                            f"疑似手机号 {match.group()[:3]}…{match.group()[-4:]}：如是公开的监督电话，"
                            "请在 .yml 的 public_numbers 中列出",
                            fix=Fix(
                                "public_numbers",
                                match.group(),
                                sure=False,
                                note="只在这是有意公开的号码（如监督电话）时保留",
                            ),
                        )


def _valid_id(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()
