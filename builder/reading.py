"""How a table was read: each decision with its evidence, as plain data.

The interpreter records every reading decision here (which line is the header, what each
column is, which header cell spans two columns, which cells name persons or mark lead units)
with what it was decided from and the ``.yml`` line that changes it. ``check``, the staff
preview (读表结果) and the tests read this one record; nothing re-derives a decision to
explain it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from .columns import Role


class Basis(enum.Enum):
    """What a decision was made from."""

    HEADER = "表头的词"
    CONTENT = "列中的内容"
    YML = ".yml 中的写法"
    ORDER = "表中的顺序"


class RowKind(enum.Enum):
    """How a source line was read."""

    TITLE = "标题"
    PREAMBLE = "表上方的说明"
    HEADER = "表头"
    REPEATED_HEADER = "重复的表头"
    TASK = "任务"
    STEP = "步骤（续行）"
    SECTION = "分组"
    NOTE = "附注"
    TOTAL = "合计"
    EMPTY = "空行"


@dataclass(frozen=True)
class Decision:
    subject: str
    """What was decided about, in staff's words: 列“是否达到序时进度”、第 3 行的“张建国”."""
    choice: str
    """What it was read as."""
    basis: Basis
    evidence: str
    """The words or cells it was read from."""
    line: int | None = None
    change: str | None = None
    """The ``.yml`` line that reads it otherwise, where one does."""
    column: int | None = None
    """The column the decision is about, for decisions about one column's role."""
    label: str | None = None
    """That column's name as the table writes it."""


@dataclass(frozen=True)
class ColumnReading:
    index: int
    label: str
    role: Role | None
    """None for a column shown under its own name."""


@dataclass(frozen=True)
class Reading:
    """A report's reading as staff check it: columns with roles, decisions, each line's kind."""

    columns: tuple[ColumnReading, ...]
    decisions: tuple[Decision, ...]
    rows: Mapping[int, RowKind]
    header_line: int


__all__ = ["Basis", "ColumnReading", "Decision", "Reading", "RowKind"]
