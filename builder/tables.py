"""Which table of a file is the report, where a Word file, a PDF or a web page holds several.

The readers give each table they can tell apart as a grid of its own, numbered in source
order (``Grid.table``). This step, blind to the format, decides from the tables alone:

- consecutive tables are one table where the evidence says so: the same header row (Word
  documents split a long table at page breaks, offices repeat the header), or no header,
  the same columns and the numbering going on from the table above;
- tables that are not task tables (a page's 索引号/发布机构 block, a form of two rows, a
  header with no rows under it) are named and left out, with the reason;
- the one task table left is read, and a decision says which and why; between several the
  step does not guess: one error lists each, with the ``table: N`` line that reads it.

Whether a table has a task header is asked of the interpreter (``parse.find_header``): a
table counts as a task table here by the same words it is then read by.
"""

from __future__ import annotations

import enum
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .clean import collapse, shorten
from .columns import Role
from .errors import Collector, Fix, Problem
from .header import Header, Options
from .meta import ReportMeta
from .parse import find_header
from .readers import Cell, Grid, GridRow
from .reading import Basis, Decision

SUBJECT = "文件中的表格"
"""The subject of the decision about which table was read (``check`` prints its evidence)."""

_SMALL = 2
"""A table of at most this many rows and no header is a form or a page's 索引号 block."""
_LISTED = 6
"""Tables described one by one in a message; the rest are counted."""
_LABELS = 4
"""Header labels shown for a table; more are "…"."""

# A line between two tables that says the second goes on from the first: 续表, （续）, 续上表,
# 重点任务表（续）.
_CONTINUED_RE = re.compile(
    r"^(?:[(（]?\s*续\s*(?:上?表\s*\d*)?\s*[)）]?|.{0,40}[(（]\s*续(?:上?表)?\s*\d*\s*[)）])[:：]?$"
)
# A line between two parts of one list that names the next part: 二、下半年工作, （三）民生实事,
# 第二部分. It is kept as a row (the interpreter reads it as a section); other lines are not.
_PART_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分类项章])"
)
_NUMBER_RE = re.compile(r"^(\d{1,5})[.．、]?$")
_TAG_RE = re.compile(r"<[^>]*>")


class Kind(enum.Enum):
    TASK = "任务表"
    HEADER_ONLY = "只有表头，没有数据行"
    SMALL = "认不出表头，行数太少"
    UNKNOWN = "认不出表头（没有任务列和另一列）"


@dataclass(frozen=True)
class Candidate:
    """A table of the file as it may be read: one table, or one and its continuations."""

    numbers: tuple[int, ...]
    """The tables read as this one: its own number, then its continuations'."""
    grid: Grid
    header: tuple[int, Header] | None
    """Where the interpreter finds the header (row index in ``grid.rows``), None if nowhere."""
    rows: int
    """Rows of the table (and its continuations); lines written above them not counted."""

    @property
    def number(self) -> int:
        return self.numbers[0]

    @property
    def kind(self) -> Kind:
        if self.header is not None:
            start, header = self.header
            return Kind.TASK if len(self.grid.rows) > start + header.lines else Kind.HEADER_ONLY
        return Kind.SMALL if self.rows <= _SMALL else Kind.UNKNOWN

    @property
    def width(self) -> int:
        return len(self.grid.rows[-1].cells) if self.grid.rows else 0

    def name(self) -> str:
        more = "、".join(f"表 {n}" for n in self.numbers[1:])
        return f"表 {self.number}" + (f" 及续表 {more}" if more else "")

    def describe(self) -> str:
        """表 1（序号 | 工作任务 | 牵头单位 | …，12 行，第一项“…”）, for staff to tell it apart."""
        parts = []
        top = self.grid.rows[self.grid.above] if self.rows else None
        if top is not None and top.where is None:
            # A web page's tables have no names staff see: the line of the page says where.
            parts.append(f"第 {top.line} 行起")
        elif top is not None and top.where and not top.where.startswith("表 "):
            parts.append(f"{top.where}起")  # a PDF's: 第 2 页 第 3 行
        if self.header is not None:
            parts.append(_labels([column.label for column in self.header[1].columns]))
        elif top is not None:
            parts.append("首行：" + _labels(_own(top.cells)))
        parts.append(f"{self.rows} 行")
        if (first := self.first_task()) is not None:
            parts.append(f"第一项“{first}”")
        if self.kind is not Kind.TASK:
            parts.append(f"不是任务表：{self.kind.value}")
        return f"{self.name()}（{'，'.join(parts)}）"

    def first_task(self) -> str | None:
        if self.header is None:
            return None
        start, header = self.header
        column = header.index(Role.TASK)
        if column is None:
            return None
        label = collapse(header.columns[column].label)
        for row in self.grid.rows[start + header.lines :]:
            if column < len(row.cells) and row.cells[column].merged_from is None:
                text = _plain(row.cells[column].text)
                if text and text != label:
                    return shorten(text, 20)
        return None


@dataclass(frozen=True)
class Choice:
    """The grids to read, what stopped the reading, and the decisions taken."""

    grids: tuple[Grid, ...]
    problems: tuple[Problem, ...] = ()
    decisions: tuple[Decision, ...] = ()


def choose(path: Path, grids: Sequence[Grid], options: Options, meta: ReportMeta) -> Choice:
    """The table of ``path`` to read, from the grids its reader gave."""
    meta_path = meta.path or path.with_suffix(".yml")
    numbered = [grid for grid in grids if grid.table is not None]
    if not numbered:
        if meta.table is None:
            return Choice(tuple(grids))
        c = Collector(meta_path)
        sheets = "；工作簿中的工作表用 sheet: 选" if any(grid.name for grid in grids) else ""
        c.error(
            meta.table_line,
            f"table: 只用于有几个表格的 Word、PDF 文件和网页，这个文件读作一张表：请删去这一行{sheets}",
        )
        return Choice((), tuple(c.problems))
    if len(numbered) == 1 and meta.table in (None, 1):
        return Choice(tuple(numbered))
    candidates, joins = _candidates(numbered, options, meta.table)
    found = f"文件中有 {len(numbered)} 个表格：{_listing(candidates)}"
    tasks = [candidate for candidate in candidates if candidate.kind is Kind.TASK]
    if meta.table is not None:
        chosen = next((x for x in candidates if x.number == meta.table), None)
        if chosen is None:
            c = Collector(meta_path)
            c.error(
                meta.table_line,
                f"table: {meta.table}：文件中没有表 {meta.table}。{found}",
                fix=_fixes(tasks or candidates),
            )
            return Choice((), tuple(c.problems))
        others = [x for x in tasks if x is not chosen]
        why = f"读取的是{chosen.name()}，因为 .yml 中写了 table: {meta.table}"
        basis, line = Basis.YML, meta.table_line
    else:
        unknown = [candidate for candidate in candidates if candidate.kind is Kind.UNKNOWN]
        if len(tasks) == 1:
            chosen = tasks[0]
            why = f"读取的是{chosen.name()}，因为只有它是任务表（认出了表头，表头下有数据行）"
        elif not tasks and len(unknown) == 1:
            chosen = unknown[0]
            why = (
                f"读取的是{chosen.name()}，因为其他表格只有表头或只有一两行；"
                "它的表头也没有认出来，见下面的问题"
            )
        else:
            among = tasks or unknown or candidates
            c = Collector(path)
            which = "个任务表" if tasks else "个表格，表头都没有认出来" if unknown else "个表格"
            c.error(
                None,
                f"{found}。其中有 {len(among)} {which}，本站不替您选：请在 .yml 中写要发布的一个，"
                + "；".join(f"{x.name()} 写 table: {x.number}" for x in among[:_LISTED])
                + ("……" if len(among) > _LISTED else ""),
                fix=_fixes(among),
            )
            return Choice((), tuple(c.problems))
        others = [x for x in tasks if x is not chosen]
        basis, line = Basis.HEADER, None
    grid = chosen.grid
    box = _title_box(candidates, chosen)
    if box is not None:
        grid = _under(box.grid, grid)
        why += f"；{box.name()} 只有一格文字，没有别的标题，读作{chosen.name()} 上方的行"
    decisions = [
        Decision(
            SUBJECT,
            chosen.name(),
            basis,
            f"{found}；{why}",
            line,
            f"table: {others[0].number}" if others else None,
        ),
        *(join for number, join in joins if number in chosen.numbers),
    ]
    c = Collector(path)
    for number in chosen.numbers[1:]:
        part = next(g for g in numbered if g.table == number)
        dropped = [
            text for text in _between(part) if not _CONTINUED_RE.match(text) and not _kept(text)
        ]
        if dropped:
            shown = "”“".join(shorten(text, 30) for text in dropped)
            c.warning(
                None,
                f"表 {number} 读作表 {chosen.number} 的续表，两表之间的文字“{shown}”不是表中的行，"
                "没有读取",
            )
    if chosen.kind is not Kind.TASK:
        # Its reading stops at the header, and a decision is only shown with a report read:
        # said here, so staff know which table the message under it is about.
        c.warning(None, f"{found}；{why}")
    elif meta.table is None:
        for other in candidates:
            if other.kind is Kind.UNKNOWN and other.width == chosen.width:
                # Same columns, no header, numbering not going on: perhaps more tasks, perhaps
                # not. Not read, and said, so staff look.
                c.warning(
                    None,
                    f"{other.describe()}与{chosen.name()} 列数相同，但没有表头、序号也"
                    f"没有接着{chosen.name()} 编，看不出是不是续表，没有读取：如要发布的是"
                    f"表 {other.number}，在 .yml 中写 table: {other.number}；如读取"
                    f"{chosen.name()}是对的，写 "
                    f"table: {chosen.number}",
                    fix=_fixes([chosen, other]),
                )
    return Choice((grid,), tuple(c.problems), tuple(decisions))


def _title_box(candidates: Sequence[Candidate], chosen: Candidate) -> Candidate | None:
    """The table right above ``chosen`` where it is a box of one line or two of text (a title
    put in a table) and nothing else gives the table a title."""
    index = next(i for i, x in enumerate(candidates) if x is chosen)
    if index == 0 or chosen.grid.title is not None or chosen.grid.above:
        return None
    box = candidates[index - 1]
    if box.kind is not Kind.SMALL or box.numbers[-1] != chosen.number - 1 or not box.rows:
        return None
    lines = box.grid.rows[box.grid.above :]
    return box if all(len(_own(row.cells)) == 1 for row in lines) else None


def _under(box: Grid, grid: Grid) -> Grid:
    """``grid`` with the lines of ``box`` (a title put in a table) as its lines above."""
    width = max((len(row.cells) for row in grid.rows), default=1)
    lines = [
        GridRow(row.line, row.where, (text, *[Cell("")] * (width - 1)))
        for row in box.rows[box.above :]
        for text in row.cells
        if text.merged_from is None and text.text
    ]
    shifted = [
        GridRow(
            row.line,
            row.where,
            tuple(
                Cell("", (cell.merged_from[0] + len(lines), cell.merged_from[1]))
                if cell.merged_from is not None
                else cell
                for cell in row.cells
            ),
        )
        for row in grid.rows
    ]
    return replace(grid, rows=(*lines, *shifted), above=len(lines))


def _listing(candidates: Sequence[Candidate]) -> str:
    """Each table described, in the file's order; where a file has many (a page's nav bars
    and forms), the task tables first, and those beyond a few only counted."""
    small = {Kind.SMALL, Kind.HEADER_ONLY}
    ranked = sorted(candidates, key=lambda x: x.kind in small)
    described = {id(x) for x in ranked[:_LISTED]}
    shown = [x.describe() for x in candidates if id(x) in described]
    left = [x for x in candidates if id(x) not in described]
    if left:
        tasks = sum(1 for x in left if x.kind is Kind.TASK)
        among = f"，其中 {tasks} 个任务表" if tasks else "，都不是任务表"
        shown.append(f"另有 {len(left)} 个表格{among}")
    return "；".join(shown)


def _fixes(candidates: Sequence[Candidate]) -> list[Fix]:
    return [
        Fix("table", str(x.number), sure=False, note=x.describe()) for x in candidates[:_LISTED]
    ]


def _candidates(
    grids: Sequence[Grid], options: Options, start_at: int | None
) -> tuple[list[Candidate], list[tuple[int, Decision]]]:
    """The tables as they may be read, continuations joined to the table they go on from.

    ``start_at`` (``table:`` of the ``.yml``) starts a table of its own, joined or not."""
    candidates: list[Candidate] = []
    joins: list[tuple[int, Decision]] = []
    """Each joined table's number and the decision that joined it."""
    for grid in grids:
        header = find_header(grid, options)
        rows = len(grid.rows) - grid.above
        previous = candidates[-1] if candidates else None
        if previous is not None and grid.table != start_at:
            evidence = _continues(previous, grid, header)
            if evidence is not None:
                basis, why = evidence
                joined = _join(previous.grid, grid)
                candidates[-1] = Candidate(
                    (*previous.numbers, grid.table or 0),
                    joined,
                    previous.header,
                    previous.rows + rows,
                )
                decision = Decision(f"表 {grid.table}", f"表 {previous.number} 的续表", basis, why)
                joins.append((grid.table or 0, decision))
                continue
        candidates.append(Candidate((grid.table or 0,), grid, header, rows))
    return candidates, joins


def _continues(
    previous: Candidate, grid: Grid, header: tuple[int, Header] | None
) -> tuple[Basis, str] | None:
    """Why ``grid`` goes on from the table ``previous`` (its evidence), or None where it does
    not or the evidence is not clear."""
    if previous.header is None or grid.table != previous.numbers[-1] + 1:
        return None
    between = _between(grid)
    written = [text for text in between if not _CONTINUED_RE.match(text)]
    _, first_header = previous.header
    seq = first_header.index(Role.SEQ)
    last = _last_number(previous.grid, seq)
    name = f"表 {previous.number}"
    if header is not None:
        start, own = header
        if start != grid.above or own.signature != first_header.signature:
            return None
        first = _first_number(grid, seq, start + own.lines)
        going_on = last is not None and first == last + 1
        again = first is not None and last is not None and first <= last
        if again or (written and not going_on):
            # The numbering starts again, or a title (附件2, …) stands between the two and
            # the numbering does not say otherwise: another table with the same columns.
            return None
        said = f"；序号接着{name} 编（{last} 之后是 {first}）" if going_on else ""
        return Basis.HEADER, f"表头与{name} 的表头相同{said}" + _said_between(between, written)
    # Without a header: the same columns (a column with no text in this part is not there
    # after tidying, so fewer is the same) and the numbering going on.
    if not grid.rows or len(grid.rows[-1].cells) > previous.width:
        return None
    first = _first_number(grid, seq, grid.above)
    if last is None or first != last + 1:
        return None
    label = first_header.columns[seq].label if seq is not None else ""
    return Basis.CONTENT, (
        f"没有表头，列数不多于{name}，“{label}”列的序号接着{name} 编（{last} 之后是 {first}）"
        + _said_between(between, written)
    )


def _said_between(between: Sequence[str], written: Sequence[str]) -> str:
    kept = [text for text in written if _kept(text)]
    if kept:
        shown = "”“".join(shorten(text, 20) for text in kept)
        return f"；两表之间的“{shown}”读作表中的一行"
    return f"；两表之间写着“{between[-1]}”" if between else ""


def _between(grid: Grid) -> list[str]:
    """The lines written above a table (between it and the table before)."""
    return [_plain(row.cells[0].text) for row in grid.rows[: grid.above] if row.cells]


def _kept(line: str) -> bool:
    """Whether a line between two joined tables is kept as a row of the table."""
    return not _CONTINUED_RE.match(line) and bool(_PART_RE.match(line))


def _last_number(grid: Grid, column: int | None) -> int | None:
    if column is None:
        return None
    for row in reversed(grid.rows[grid.above :]):
        number = _number(row, column)
        if number is not None:
            return number
        if column < len(row.cells) and _own_text(row.cells[column]):
            return None  # 合计, a note: the numbering does not end in a number
    return None


def _first_number(grid: Grid, column: int | None, start: int) -> int | None:
    if column is None:
        return None
    for row in grid.rows[start:]:
        if column < len(row.cells) and _own_text(row.cells[column]):
            return _number(row, column)
    return None


def _number(row: GridRow, column: int) -> int | None:
    if column >= len(row.cells):
        return None
    match = _NUMBER_RE.match(unicodedata.normalize("NFKC", _own_text(row.cells[column])))
    return int(match.group(1)) if match else None


def _own_text(cell: Cell) -> str:
    return _plain(cell.text) if cell.merged_from is None else ""


def _join(first: Grid, then: Grid) -> Grid:
    """``then``'s rows under ``first``'s. Of the lines written between the two, those naming
    a part of the list (二、下半年工作) are kept as rows; 续表 and others are not."""
    kept = [
        index
        for index, row in enumerate(then.rows)
        if index >= then.above or _kept(_plain(row.cells[0].text))
    ]
    moved = {index: len(first.rows) + position for position, index in enumerate(kept)}
    width = max((len(row.cells) for row in first.rows), default=0)
    rows = []
    for index in kept:
        row = then.rows[index]
        cells = [
            Cell("", (moved[cell.merged_from[0]], cell.merged_from[1]))
            if cell.merged_from is not None
            else cell
            for cell in row.cells
        ]
        cells.extend(Cell("") for _ in range(width - len(cells)))
        rows.append(GridRow(row.line, row.where, tuple(cells)))
    return replace(
        first,
        rows=(*first.rows, *rows),
        lines_read=first.lines_read + then.lines_read,
        # A PDF's notes are about the document, on each of its tables: said once.
        notes=tuple(dict.fromkeys((*first.notes, *then.notes))),
        cell_notes=tuple(dict.fromkeys((*first.cell_notes, *then.cell_notes))),
    )


def _own(cells: Sequence[Cell]) -> list[str]:
    return [text for cell in cells if (text := _own_text(cell))]


def _labels(labels: Sequence[str]) -> str:
    shown = [shorten(collapse(label), 12) for label in labels if label][:_LABELS]
    more = " | …" if len([label for label in labels if label]) > _LABELS else ""
    return " | ".join(shown) + more


def _plain(text: str) -> str:
    return collapse(html.unescape(_TAG_RE.sub(" ", text)))


__all__ = ["SUBJECT", "Candidate", "Choice", "Kind", "choose"]
