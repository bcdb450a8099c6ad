"""Stage 1a: which row of the grid is the header, and what each column is by its words.

Format-blind, as all of the interpreter. ``parse.py`` reads the lines under the header;
``refine.py`` settles from the columns' content what the header's words leave open.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from .columns import Role, assign_roles, normalize_label, roles_of
from .errors import Collector, Fix
from .numbering import (
    AMOUNT_RE,
    COUNTED_RE,
    INTEGER_RE,
    SECTION_RE,
    SEQ_RE,
    TAG_RE,
    flat,
    numbered_in_order,
)
from .readers import Cell, GridRow
from .reading import Basis, Decision
from .spans import span_candidates, split_candidates
from .units import is_person


@dataclass(frozen=True)
class HeaderColumn:
    index: int
    label: str
    """The header text as the table writes it (both lines of a two-line header joined)."""
    role: Role | None
    """None for a column no role fits; it is kept and shown under its own name."""
    known: bool = True
    """The name is one the synonym table knows (a second 目标任务, the second half of a
    split 项目内容): kept under its name without a warning."""
    span: int | None = None
    """For a column under a header cell that spans several columns (项目内容 over a project
    and its indicators): the index of the span's first column."""


@dataclass(frozen=True)
class Header:
    line: int
    columns: tuple[HeaderColumn, ...]
    lines: int = 1
    """1, or 2 for a two-line header (a group over sub-columns)."""
    names: frozenset[str] = frozenset()
    """Every name a ``.yml`` may use for a column: each line's label and the two joined."""

    def index(self, role: Role) -> int | None:
        return self._indexes.get(role)

    @cached_property
    def _indexes(self) -> dict[Role, int]:
        indexes: dict[Role, int] = {}
        for col in self.columns:
            if col.role is not None:
                indexes.setdefault(col.role, col.index)
        return indexes

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(normalize_label(c.label) for c in self.columns)


@dataclass(frozen=True)
class HeaderHint:
    """Where a header that was not recognised most likely is, for the ``.yml`` suggestion."""

    line: int
    labels: tuple[str, ...]
    task_label: str | None
    """The column that holds the tasks where the lines say so clearly (their texts numbered
    1. 2. 3. in order); None where they do not."""
    candidates: tuple[str, ...] = ()
    """Every column that could hold the tasks, most likely first, for staff to choose."""


@dataclass(frozen=True)
class Options:
    """What a report's ``.yml`` tells the interpreter."""

    columns: Mapping[str, Role] = field(default_factory=dict)
    """Normalised header name → role."""
    merged: frozenset[str] = frozenset()
    """Normalised header names (or role names) of columns whose blank cells fill down."""
    spans: frozenset[str] = frozenset()
    """Normalised header names of cells that span two data columns in a text export."""
    blank: frozenset[str] = frozenset()
    """Normalised header names (or role names) of columns left blank on purpose under a
    filled cell: published empty, without the word about a lost merge."""
    header: tuple[str, ...] = ()
    """The header row of a table published without one, as staff wrote it (``header:``)."""
    joined: frozenset[str] = frozenset()
    """Normalised names of two header cells over one column of the lines (``joined:``)."""


_HEADER_SCAN = 40
"""Rows looked at for a header: a table's header sits under at most a title and a few notes."""
_SUB_LABEL_MAX = 16


REFINE_ROWS = 400
# Roles whose column never holds the task text, whatever its content.
_NOT_TASK_ROLES = {
    Role.SEQ,
    Role.UNITS,
    Role.LEAD_UNITS,
    Role.SUPPORT_UNITS,
    Role.LEADER,
    Role.OFFICE,
    Role.SUPERVISION,
    Role.DEADLINE,
    Role.FIGURE,
    Role.STATUS,
    Role.MARK_DONE,
    Role.MARK_NOT_DONE,
}
# A column named for what was achieved is not the task, however long its texts.
RESULT_RE = re.compile(r"成效|情况|进展|结果|完成|落实|成果|问题|措施|备注|说明")


_HEADER_WHERE = ".yml 中的 header"


def with_header(
    rows: list[tuple[GridRow, list[str], list[str]]], names: Sequence[str]
) -> list[tuple[GridRow, list[str], list[str]]]:
    """The rows with staff's header (``header:``) above the first line of several cells: a
    title above it stays a title."""
    first = next((i for i, (_, t, _) in enumerate(rows) if sum(1 for x in t if x) >= 2), 0)
    row = GridRow(0, _HEADER_WHERE, tuple(Cell(name) for name in names))
    texts = [flat(name) for name in names]
    return [*rows[:first], (row, texts, [""] * len(texts)), *rows[first:]]


def headerless(
    rows: Sequence[tuple[GridRow, list[str], list[str]]],
) -> tuple[int, list[str]] | None:
    """A table whose first lines of several cells are already data — its first column numbers
    them 1, 2, 3 — and the header each column's content suggests, for staff to confirm. None
    where the lines do not say so clearly."""
    data = [(row, texts) for row, texts, _ in rows if sum(1 for t in texts if t) >= 3]
    if len(data) < 3:
        return None
    numbers = [texts[0] for _, texts in data]
    if not all(INTEGER_RE.match(n) for n in numbers) or [int(n) for n in numbers[:3]] != [
        int(numbers[0]) + k for k in range(3)
    ]:
        return None
    from .model import status_of_word

    width = max(len(texts) for _, texts in data)
    names = ["序号"]
    long_columns = 0
    for j in range(1, width):
        cells = [texts[j] for _, texts in data if j < len(texts) and texts[j]]
        if not cells:
            names.append("备注")
        elif all(status_of_word(c) is not None for c in cells):
            names.append("完成状态")
        elif all(unit_like(c) for c in cells):
            names.append("责任单位")
        elif sum(len(c) for c in cells) / len(cells) >= 12:
            names.append(("任务", "进展情况")[min(long_columns, 1)])
            long_columns += 1
        else:
            return None  # a column nothing here can name: no suggestion beats a wrong one
    if long_columns not in (1, 2) or names.count("进展情况") > 1:
        return None
    return data[0][0].line, names


def unit_like(text: str) -> bool:
    words = [w for w in re.split(r"[、,，;；/\s]+", text) if w]
    return bool(words) and all(len(w) <= 15 and _BODY_END_RE.search(w) for w in words)


# A responsible body's name in a column with no header: 县教育局, 县残联, 城关镇.
_BODY_END_RE = re.compile(r"(局|委|办|院|会|中心|公司|政府|部|街道|镇|乡|联|所|站|队|处)$")


_UNIT_NAME_END_RE = re.compile(r"(局|委|办|厅|院|中心|公司|政府|街道|管委会)$")
_SENTENCE_RE = re.compile(r"\d|。|[,，][^,，]{6,}")
_UNIT_ROLES = (Role.UNITS, Role.LEAD_UNITS, Role.SUPPORT_UNITS)


def column_numbers(cells: Sequence[str]) -> bool:
    """A row numbering the columns: 1 2 3 4 (or 01 02 03) in order, at least three."""
    flat = ["".join(c.split()) for c in cells]
    return (
        len(flat) >= 3
        and all(c.isdigit() and len(c) <= 2 for c in flat)
        and [int(c) for c in flat] == list(range(int(flat[0]), int(flat[0]) + len(flat)))
        and int(flat[0]) <= 1
    )


_BRACKETS = "()（）[]【】"


def _measures_row(cells: Sequence[str]) -> bool:
    """A row under the header giving each column's measure: 万元, (%), 个, 亩."""
    from .spans import is_measure

    flat = ["".join(c.split()).strip(_BRACKETS) for c in cells]
    return len(flat) >= 2 and all(c and (is_measure(c) or c in ("单位", "计量单位")) for c in flat)


def _fit_score(header: Header, texts: Sequence[str]) -> int:
    """How well a line's cells fit the columns they would stand under: a person under the
    leaders, names of bodies under the units, a number under 序号, a status word under the
    status; less one for a cell that cannot be there."""
    from .model import status_of_word

    score = -1 if _misfit(header, texts) is not None else 0
    for col, text in zip(header.columns, texts, strict=False):
        flat = "".join(text.split())
        if not flat:
            continue
        if col.role is Role.LEADER:
            score += 1 if is_person(flat) else -1
        elif col.role in _UNIT_ROLES:
            score += 1 if unit_like(flat) else -1
        elif col.role is Role.SEQ:
            score += 1 if INTEGER_RE.match(flat) else -1
        elif col.role is Role.TASK and INTEGER_RE.match(flat):
            score -= 1
        elif col.role in (Role.STATUS, Role.MARK_DONE, Role.MARK_NOT_DONE):
            score += 1 if status_of_word(flat) is not None or flat in ("是", "否") else -1
    return score


def _ask_spans(names: Sequence[str], unknown: str) -> str:
    """The spans: line for each candidate header, or the line to fill in."""
    if not names:
        return f"写 spans: [{unknown}]"
    return "；".join(f"如是“{n}”，写 spans: [{n}]" for n in names)


def _without(header: Header, index: int) -> Header:
    """The header with one column taken out: the columns after it move one to the left."""
    kept = [col for col in header.columns if col.index != index]
    return replace(header, columns=tuple(replace(col, index=i) for i, col in enumerate(kept)))


def _misfit(header: Header, texts: Sequence[str]) -> str | None:
    """The label of the first column whose cell on this short line cannot be what the column
    holds (a sentence under a status, figure or deadline column), or None."""
    from .model import status_of_word

    for col, text in zip(header.columns, texts, strict=False):
        flat = "".join(text.split())
        if col.role is Role.LEADER and _UNIT_NAME_END_RE.search(flat) and not is_person(flat):
            return col.label  # a unit's name where the people are
        if col.role in _UNIT_ROLES and len(flat) > 8 and _SENTENCE_RE.search(flat):
            return col.label  # a sentence with figures where the units are
        if not flat or len(flat) <= 12:
            continue
        if col.role is Role.STATUS and status_of_word(flat) is None:
            return col.label
        if col.role in (Role.FIGURE, Role.DEADLINE, Role.SEQ, Role.MARK_DONE, Role.MARK_NOT_DONE):
            return col.label
    return None


def _label_text(text: str) -> str:
    """A header cell as shown: markup removed, lines joined, spaces collapsed."""
    if "<" in text:
        text = html.unescape(TAG_RE.sub("", text))
    return " ".join(text.split())


def _groups(how: Sequence[str], index: int) -> bool:
    """Whether the top-line cell at ``index`` starts a group (the next cell is merged into it)."""
    return index + 1 < len(how) and how[index + 1] == "right"


def roles(header: Header) -> tuple[Role | None, ...]:
    return tuple(col.role for col in header.columns)


def header_labels(texts: Sequence[str], how: Sequence[str], below: bool = False) -> list[str]:
    """The labels of a header line; a cell merged from the left repeats its group's label, one
    merged down from the line above is blank (it belongs to the line above)."""
    labels = []
    for t, h in zip(texts, how, strict=True):
        if h == "down" and below:
            labels.append("")
        else:
            labels.append(t)
    return labels


class HeaderReader:
    """Finds a table's header: which row, one or two lines, the role of each column by its
    words, a header cell over two data columns or two over one, a header staff wrote for a
    table published without one, and which column could hold the tasks when none is named.
    Decisions go into the interpreter's list; problems into its collector."""

    def __init__(
        self,
        options: Options,
        c: Collector,
        decisions: list[Decision],
        raw: Callable[[int], str],
        has_merges: bool,
    ) -> None:
        self.options = options
        self.c = c
        self.decisions = decisions
        self.raw = raw
        self.has_merges = has_merges
        self.annex: list[str] | None = None
        """The row under the header numbering the columns or giving their measures."""
        self.wide_reported = False
        """One message said that the lines and the header do not have the same width."""
        self.narrow: tuple[int, int] | None = None
        """(column, width) where only some lines cover a spanned header with two cells: the
        lines of the header's old width get an empty cell at that column."""
        self.guessed_task: str | None = None
        self.task_free = 0
        """Columns of no known role beside a 序号 where no column is named as the task."""

    def find(
        self, rows: Sequence[tuple[GridRow, list[str], list[str]]]
    ) -> tuple[int, Header, tuple[str, ...], tuple[str, ...] | None] | None:
        for i, (row, texts, how) in enumerate(rows[:_HEADER_SCAN]):
            top = header_labels(texts, how)
            if len({normalize_label(t) for t in top if t}) < 2:
                continue  # a title over the whole table, not labels
            if any(len(normalize_label(t)) > 40 for t in top):
                continue  # a data line, not labels
            sub: list[str] | None = None
            if i + 1 < len(rows):
                _, ntexts, nhow = rows[i + 1]
                if self.is_sub_header(top, how, ntexts, nhow):
                    sub = header_labels(ntexts, nhow, below=True)
            header = self.named(row.line, top, sub)
            if header is None and sub is not None:
                header = self.named(row.line, top, None)
                sub = None
            if header is not None:
                widened = self._widen(rows[i + header.lines :], header, top, sub)
                if widened is not None:
                    header, top, sub = widened
                for _ in range(2):  # column numbers, then measures, or either
                    if i + header.lines < len(rows):
                        header = self._annex(header, rows[i + header.lines])
                return i, header, tuple(top), tuple(sub) if sub is not None else None
        return None

    def _annex(self, header: Header, row: tuple[GridRow, list[str], list[str]]) -> Header:
        """A row under the header that numbers the columns (1 2 3) or gives their measures
        (万元, %): part of the header; a measure joins its column's name, 计划投资（万元）."""
        line, texts, how = row[0].line, row[1], row[2]
        own = [(j, t) for j, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""]
        cells = [t for _, t in own]
        if column_numbers(cells):
            return replace(header, lines=header.lines + 1)
        if self.annex is not None or not _measures_row(cells):
            return header
        self.annex = cells
        measures = {j: "".join(t.split()).strip(_BRACKETS) for j, t in own}
        columns = tuple(
            replace(col, label=f"{col.label}（{measures[col.index]}）")
            if col.index in measures and measures[col.index] not in col.label
            else col
            for col in header.columns
        )
        self.decisions.append(
            Decision(
                f"第 {line} 行",
                "表头的一部分：各列的计量单位，写在列名后",
                Basis.CONTENT,
                "这一行只有计量单位（" + "、".join(measures.values()) + "）",
                line,
            )
        )
        names = header.names | {normalize_label(c.label) for c in columns}
        return Header(header.line, columns, header.lines + 1, names)

    def _widen(
        self,
        body: Sequence[tuple[GridRow, list[str], list[str]]],
        header: Header,
        top: list[str],
        sub: list[str] | None,
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """A text export whose header cell spanned two data columns: every line is one cell
        wider than the header. Read it where the lines show which cell, else ask once."""
        if self.has_merges:
            return None  # formats that keep merges say which cell spans which columns
        width = len(header.columns)
        wider: list[list[str]] = []
        misfits: list[tuple[int, str]] = []
        # Lines of one cell more, the last perhaps empty: a few lines whose spanned cell the
        # source table had split in two (岳阳市: a project and its indicator under 考核指标).
        split: list[tuple[int, list[str]]] = []
        short: list[list[str]] = []
        data = 0
        for row, texts, how in body[:REFINE_ROWS]:
            own = [j for j, (t, h) in enumerate(zip(texts, how, strict=True)) if t and h == ""]
            if len(own) < 2:
                continue  # a group's row or a note, not a data line
            data += 1
            if len(texts) == width + 1:
                split.append((row.line, list(texts)))
            if own[-1] == width:
                wider.append([*texts[: width + 1], *[""] * (width + 1 - len(texts))])
            elif own[-1] > width:
                return None  # more than one cell over: each line is reported
            elif len(texts) < width:
                short.append(texts)
                if (bad := _misfit(header, texts)) is not None:
                    misfits.append((row.line, bad))
        if len(misfits) >= 2 and len(misfits) * 2 >= data:
            # Lines one cell short whose last cells do not fit their columns (a narrative under
            # 是否达序): two header cells stand over one column of the lines. Read where staff
            # said which two (joined:); else asked once, with the pairs the lines fit.
            return self._joined(header, top, sub, short, misfits)
        roles = [col.role for col in header.columns]
        declared = [
            col.index
            for col in header.columns
            if col.label and normalize_label(col.label) in self.options.spans
        ]
        # Only where lines differ in length does a line's length say anything: grids padded
        # to one width (Word, a header with an empty last cell) leave every line as wide.
        ragged = len(top) <= width and 2 <= len(split) < data
        if wider and ragged and (len(wider) < 2 or len(wider) * 2 < data):
            return self._split_span(header, top, sub, split, declared, body)
        if len(wider) < 2 or len(wider) * 2 < data:
            return None
        candidates = declared or span_candidates(roles, wider)
        if len(candidates) != 1:
            self.wide_reported = True
            names = [header.columns[k].label for k in candidates]
            ask = _ask_spans(names, "跨两列的表头")
            self.c.error(
                header.line,
                f"{len(wider)} 行都比表头多 1 个单元格：原表中有一格表头跨两列，文本导出时丢了合并，"
                + ("看不出是哪一格" if not names else f"可能是{'、'.join(f'“{n}”' for n in names)}")
                + f"。请在 .yml 中{ask}",
                self.raw(header.line),
            )
            return None
        k = candidates[0]
        label = header.columns[k].label
        found = self._spanned(header, top, sub, k, f"{label}（计量单位）")
        if found is None:
            return None
        widened, new_top, new_sub = found
        self.decisions.append(
            Decision(
                f"表头“{label}”",
                "跨两列：数字和它的计量单位",
                Basis.YML if declared else Basis.CONTENT,
                f"{len(wider)} 行都比表头多 1 格，这一格下是数字、下一格是计量单位"
                f"（如“{wider[0][k]}”“{wider[0][k + 1]}”）",
                header.line,
                f"spans: [{label}]",
            )
        )
        return widened, new_top, new_sub

    def _joined(
        self,
        header: Header,
        top: list[str],
        sub: list[str] | None,
        short: list[list[str]],
        misfits: list[tuple[int, str]],
    ) -> tuple[Header, list[str], list[str] | None] | None:
        columns = header.columns
        declared = [
            k
            for k in range(len(columns) - 1)
            if normalize_label(columns[k].label) in self.options.joined
            and normalize_label(columns[k + 1].label) in self.options.joined
        ]
        if len(declared) == 1 and sub is None:
            k = declared[0]
            first, second = columns[k].label, columns[k + 1].label
            new_top = [*top[: k + 1], *top[k + 2 :]]
            joined = self.named(header.line, new_top, None)
            if joined is not None:
                cols = list(joined.columns)
                cols[k] = replace(cols[k], label=f"{first}、{second}")
                self.decisions.append(
                    Decision(
                        f"表头“{first}”“{second}”",
                        "两格表头下是同一列",
                        Basis.YML,
                        f"{len(short)} 行都比表头少 1 格",
                        header.line,
                        f"joined: [{first}, {second}]",
                    )
                )
                names = joined.names | {normalize_label(second)}
                return Header(joined.line, tuple(cols), joined.lines, names), new_top, None
        self.wide_reported = True
        scores = {
            # The one cell stands under both headers: it must fit either.
            k: min(
                sum(_fit_score(_without(header, k + 1), texts) for texts in short),
                sum(_fit_score(_without(header, k), texts) for texts in short),
            )
            for k in range(len(columns) - 1)
            if columns[k].label and columns[k + 1].label
        }
        best = max(scores.values(), default=0)
        pairs = [
            (columns[k].label, columns[k + 1].label)
            for k, score in scores.items()
            if score == best and best > 0
        ]
        ask = "；".join(f"如是“{a}”“{b}”，写 joined: [{a}, {b}]" for a, b in pairs)
        self.c.error(
            header.line,
            f"{len(misfits)} 行都比表头少单元格，按位置读时内容对不上列（如第 {misfits[0][0]} 行"
            f"的“{misfits[0][1]}”一列）：表头中有两格在原表里下面只有一列"
            + (
                f"。按各行的内容看，请在 .yml 中{ask}"
                if pairs
                else "。请核对表头，把属于同一列的两格表头合成一格，再发布"
            ),
            self.raw(header.line),
            fix=tuple(
                Fix("joined", f"{a}, {b}", sure=False, note="读表结果中核对") for a, b in pairs
            ),
        )
        return None

    def _spanned(
        self, header: Header, top: list[str], sub: list[str] | None, k: int, second_label: str
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """The header with column ``k`` over two data columns, the second named ``second_label``
        and shown under that name."""
        new_top = [*top[: k + 1], "", *top[k + 1 :]]
        new_sub = [*sub[: k + 1], "", *sub[k + 1 :]] if sub is not None else None
        widened = self.named(header.line, new_top, new_sub)
        if widened is None:
            return None
        columns = list(widened.columns)
        second = columns[k + 1]
        columns[k + 1] = HeaderColumn(second.index, second_label, None, True, second.span)
        return Header(widened.line, tuple(columns), widened.lines, widened.names), new_top, new_sub

    def _split_span(
        self,
        header: Header,
        top: list[str],
        sub: list[str] | None,
        split: list[tuple[int, list[str]]],
        declared: list[int],
        body: Sequence[tuple[GridRow, list[str], list[str]]],
    ) -> tuple[Header, list[str], list[str] | None] | None:
        """A few lines one cell wider than the header, the others not: the source table split
        one header's cell in two on those lines only. Read where staff said which header
        (``spans:``); else asked once, never line by line."""
        lines = "、".join(str(line) for line, _ in split[:8]) + ("……" if len(split) > 8 else "")
        if len(declared) != 1:
            self.wide_reported = True
            roles = [col.role for col in header.columns]
            narrow = [t for _, t, _ in body[:REFINE_ROWS] if len(t) == len(header.columns)]
            names = [
                header.columns[k].label
                for k in split_candidates(roles, [t for _, t in split], narrow)
            ]
            ask = _ask_spans(names, "分成两格的表头")
            self.c.error(
                header.line,
                f"第 {lines} 行比表头多 1 个单元格，其他行不多：原表中这几行把一格表头下的内容分成了两格"
                "（文本导出时丢了合并）"
                + (
                    f"，按各列的内容看是“{names[0]}”"
                    if len(names) == 1
                    else f"，可能是{'、'.join(f'“{n}”' for n in names)}"
                    if names
                    else "，看不出是哪一格表头"
                )
                + f"。请核对原表，在 .yml 中{ask}",
                self.raw(header.line),
                fix=tuple(Fix("spans", n, sure=False, note="读表结果中核对") for n in names),
            )
            return None
        k = declared[0]
        label = header.columns[k].label
        found = self._spanned(header, top, sub, k, f"{label}（细项）")
        if found is None:
            return None
        widened, new_top, new_sub = found
        # Lines of the header's width hold the spanned cell whole: the second column is empty.
        self.narrow = (k + 1, len(header.columns))
        self.decisions.append(
            Decision(
                f"表头“{label}”",
                "在部分行中跨两格：这些行的第二格是细项，其他行一格写全",
                Basis.YML,
                f"第 {lines} 行比表头多 1 格，其他行不多",
                header.line,
                f"spans: [{label}]",
            )
        )
        return widened, new_top, new_sub

    def is_sub_header(
        self, top: Sequence[str], top_how: Sequence[str], texts: Sequence[str], how: Sequence[str]
    ) -> bool:
        own = [(i, t) for i, t in enumerate(texts) if t and how[i] == ""]
        if not own:
            return False
        if any(
            len(normalize_label(t)) > _SUB_LABEL_MAX or SEQ_RE.match(normalize_label(t))
            for _, t in own
        ):
            return False
        if len(own) == 1 and (
            SECTION_RE.match(normalize_label(own[0][1])) or COUNTED_RE.search(own[0][1])
        ):
            return False  # the first group's row (一、民生实事), not labels
        if any(how[i] == "down" for i in range(len(how))):
            return True  # cells of the top line reach down into this one: one header
        if any(how[i] == "right" for i in range(len(how))):
            return False  # a cell spread across the line: a group's row or a title
        if any(h == "right" for h in top_how):
            # The top line has a group over sub-columns: labels sit under the group.
            return all(
                i < len(top_how) and (top_how[i] == "right" or _groups(top_how, i)) for i, _ in own
            )
        # Text exports lose merges: a line of short labels, each under an empty top cell
        # (a group's continuation) or a known sub-label (已完成、未完成、类别); or, where one of
        # them sits under an empty top cell, sub-columns of no known name (数量、投资).
        labelled = 0
        under_empty = False
        for i, t in own:
            above = top[i] if i < len(top) else ""
            under_empty = under_empty or not above
            if roles_of(t, self.options.columns) or not above:
                labelled += 1
        return labelled == len(own) or (under_empty and len(own) >= 2)

    def named(self, line: int, top: Sequence[str], sub: Sequence[str] | None) -> Header | None:
        width = max(len(top), len(sub or ()))
        top = [_label_text(t) for t in top] + [""] * (width - len(top))
        low = [_label_text(t) for t in sub or ()] + [""] * (width - len(sub or ()))
        last_named = max((i for i in range(width) if top[i] or low[i]), default=-1)
        labels: list[str] = []
        candidates: list[tuple[Role, ...]] = []
        spans: list[int | None] = []
        names: set[str] = set()
        group, group_start = "", 0
        for index in range(width):
            upper, lower = top[index], low[index]
            span: int | None = None
            if upper and (index == 0 or upper != top[index - 1] or lower):
                group, group_start = upper, index
            elif upper and not lower:
                span = group_start  # the cell of the line above spans this column too
            elif not upper and lower and sub is not None:
                upper = group  # a merged cell of the first line spans this column
            elif not upper and not lower and group and index <= last_named:
                upper, span = group, group_start  # a text export lost the merge
            if lower and normalize_label(lower) == normalize_label(upper):
                lower = ""  # a cell merged over both lines
            tries = [upper + lower, lower, upper] if lower else [upper]
            names.update(normalize_label(t) for t in tries if t)
            roles: tuple[Role, ...] = ()
            label = upper + lower
            for candidate in tries:
                if candidate and (roles := roles_of(candidate, self.options.columns)):
                    label = candidate
                    break
            if lower and label == upper:
                # The group names the role (本月进展情况), the sub-label which of its columns
                # this is (前期手续): both are shown, or two columns read as one name.
                label = f"{upper}（{lower}）"
            labels.append(label)
            candidates.append(roles if span is None else ())
            spans.append(span)
        assigned = assign_roles(candidates)
        if Role.TASK not in assigned and Role.SEQ in assigned:
            # A 序号 and at least two other known columns, but no task column by name (市 州,
            # 民生项目): the first column of no role that is not a span is taken as the task,
            # and said so, so an office's new table still publishes.
            known = sum(1 for r in assigned if r is not None)
            free = [
                i for i in range(width) if assigned[i] is None and labels[i] and spans[i] is None
            ]
            unknown = [i for i in free if not candidates[i]]
            # Two known columns do only where they leave one column, which then is the task
            # by elimination (序号 | 2022年预期目标 | 责任单位).
            if free and (known >= 3 or (known == 2 and len(free) == 1 and len(unknown) == 1)):
                first = (unknown or free)[0]
                assigned[first] = Role.TASK
                self.guessed_task = labels[first]
                self.task_free = len(unknown)
        if Role.TASK not in assigned or sum(1 for r in assigned if r is not None) < 2:
            return None
        columns = []
        for i in range(width):
            known = bool(roles_of(labels[i], self.options.columns)) if labels[i] else False
            columns.append(HeaderColumn(i, labels[i], assigned[i], known, spans[i]))
        # Trailing unnamed empty columns are export noise, not data.
        while columns and not columns[-1].label:
            columns.pop()
        return Header(line, tuple(columns), 2 if sub is not None else 1, frozenset(names))

    def hint(self, rows: Sequence[tuple[GridRow, list[str], list[str]]]) -> HeaderHint | None:
        """Where the header most likely is, and which columns could hold the tasks.

        A column is suggested only on clear evidence: its lines open with numbers in order
        (14. 15. 16.), or it is the one column of no known role whose name does not speak of
        results (…成效, …情况). Otherwise every candidate is listed for staff to choose."""
        for i, (row, texts, how) in enumerate(rows[:_HEADER_SCAN]):
            labels = header_labels(texts, how)
            short = [t for t in labels if t and len(normalize_label(t)) <= 12]
            # One cell merged across the line (单位：万元) is a note, not three labels.
            if len(set(short)) < 3 or len(short) < len([t for t in labels if t]):
                continue
            below = [btexts for _, btexts, _ in rows[i + 1 : i + 30]]
            lengths = [sum(len(b[j]) for b in below if j < len(b)) for j in range(len(labels))]
            numbered = {j for j in range(len(labels)) if numbered_in_order(below, j)}
            candidates = []
            for j, t in enumerate(labels):
                roles = roles_of(t, self.options.columns) if t else ()
                if not t or not lengths[j] or set(roles) & _NOT_TASK_ROLES:
                    continue
                cells = ["".join(b[j].split()) for b in below if j < len(b) and b[j].strip()]
                if cells and all(AMOUNT_RE.match(c) for c in cells):
                    continue  # figures (57, 82.5, 78.9%) are never the tasks
                candidates.append(j)
            free = [j for j in candidates if not roles_of(labels[j], self.options.columns)]
            plain = [j for j in free if not RESULT_RE.search(normalize_label(labels[j]))]
            ranked = sorted(
                candidates,
                key=lambda j: (j not in numbered, j not in plain, j not in free, -lengths[j]),
            )
            clear = [j for j in candidates if j in numbered]
            if len(clear) != 1:
                clear = plain if len(plain) == 1 and not numbered else []
            task = clear[0] if clear else None
            return HeaderHint(
                row.line,
                tuple(labels),
                labels[task] if task is not None else None,
                tuple(labels[j] for j in ranked),
            )
        return None
