"""Stage 3: a parsed table and its ``.yml`` → a Report of Tasks and Steps.

Every cell is given to the role its column has; cells of no role are kept under their
column's name. Nothing is computed that the table does not state: a status is the office's
word (mapped to a small set only for counting), a progress figure is the stated figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from .clean import Cleaned, clean_cell, collapse
from .columns import Role, normalize_label
from .errors import Collector, Fix
from .header import Header
from .meta import ReportMeta
from .model import (
    Column,
    Field,
    Figure,
    Reconciliation,
    Report,
    SourceRow,
    Status,
    Step,
    Task,
    opening_status,
    status_of_word,
)
from .numbering import strip_marker
from .parse import Record, Row, Table
from .privacy import check_privacy
from .reading import ColumnReading, Reading
from .units import Registry, Scope, split_persons

_ARTICLE_RE = re.compile(r"^(\d{1,3})[.．、]\s*(?=\D)")
_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")
_PERIOD_RE = re.compile(
    r"(第?[一二三四1-4]季度|[上下]半年|1\s*[-—–~至]\s*\d{1,2}\s*月|\d{1,2}\s*月份?|年度|全年|年终)"
)
_PERCENT_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s*[%％]")
_DEFAULT_SHEET_RE = re.compile(r"^(?:Sheet|工作表)\s*\d*$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")
_PERCENT_ONLY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")
_BRACKET_RE = re.compile(r"[(（]([^()（）]{2,8})[)）]")
# A rate a narrative states in so many words; a bare percentage in a narrative is too often
# something else (增长9%, 70%以上) to be read as the task's progress.
_STATED_RATE_RE = re.compile(
    r"(?:完成率|完成进度|(?:^|(?<=[,，;；。:：]))(?:已经?|累计)?完成|总体进度|形象进度|工程进度|项目进度|整体进度|进度|占[^，。,;；\d]{0,6}(?:任务|目标|计划)的)"
    r"(?:已|为|约|达到?|已达到?)*\s*"
    r"(?P<figure>(?P<number>\d+(?:\.\d+)?)\s*[%％])"
)
_DATE_RE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")
_LEADER_SEP_RE = re.compile(r"[、,，;；/]+")

# Roles of a task as a whole: read from the task's first line and any text its own
# continuation lines add. The others are per line (step).
_TASK_ROLES = frozenset(
    {
        Role.SEQ,
        Role.TASK,
        Role.SECTION,
        Role.UNITS,
        Role.LEAD_UNITS,
        Role.SUPPORT_UNITS,
        Role.LEADER,
        Role.OFFICE,
        Role.SUPERVISION,
    }
)
_STATUS_ROLES = (Role.MARK_DONE, Role.MARK_NOT_DONE, Role.STATUS)
_FIELD_ROLES = frozenset(
    {
        Role.PLAN,
        Role.PROGRESS,
        Role.TARGET,
        Role.ACTUAL,
        Role.DEADLINE,
        Role.PROBLEMS,
        Role.NEXT_STEPS,
        Role.PLACE,
        Role.REMARKS,
        Role.EXTRA,
        None,
    }
)


@dataclass
class _UnknownUnits:
    """Unknown unit names of one report: one warning each, with a count and first lines."""

    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, names: Sequence[str], line: int) -> None:
        for name in names:
            self.lines.setdefault(name, []).append(line)

    def report(self, c: Collector, region: str | None) -> None:
        for name, lines in self.lines.items():
            shown = "、".join(str(n) for n in lines[:3]) + ("…" if len(lines) > 3 else "")
            entry = f"{{name: {name}, region: {region}}}" if region else f"{{name: {name}}}"
            c.warning(
                lines[0],
                f"责任单位“{name}”不在单位名录 data/units.yml 中（{len(lines)} 处，第 {shown} 行）："
                "已作为单独的单位发布，如是简称或错别字请在名录中加为别名",
                fix=Fix(
                    "units",
                    entry,
                    sure=False,
                    note="核对单位名称；是简称的，写成已有单位的 aliases",
                ),
            )


def build_report(
    slug: str, table: Table, meta: ReportMeta, registry: Registry, c: Collector
) -> Report:
    header = table.header
    status_cols = [col for col in header.columns if col.role in _STATUS_ROLES]
    # Titles, groups and notes are cells too: cleaned like every cell, so markup never shows
    # as text and an entity shows as the character it stands for.
    title = meta.title or _clean_line(table.title)
    if not title:
        c.warning(
            None,
            "表格没有标题行，yml 中也没有 title：以文件名作标题",
            fix=Fix("title", "", sure=False, note="原表或原网页的标题"),
        )
        title = slug
    if table.name and not _DEFAULT_SHEET_RE.match(table.name) and table.name not in title:
        title = f"{title}（{table.name}）"
    # The table's own title line first: a title set in the .yml may leave out the period.
    titles = " ".join(t for t in (table.title, title, *table.preamble) if t)
    year = meta.year
    if year is None and (m := _YEAR_RE.search(titles)):
        year = int(m.group(1))
    period = meta.period
    if period is None and (m := _PERIOD_RE.search(titles)):
        period = re.sub(r"\s+", "", m.group(1)).removeprefix("第")
    published = meta.published
    if published is None and table.date and (d := _DATE_RE.search(table.date)):
        try:
            published = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        except ValueError:
            published = None

    for col in header.columns:
        if col.role is None and not col.known:
            name = col.label or f"第 {col.index + 1} 列"
            c.warning(
                header.line,
                f"未知的列“{name}”：按原样显示在任务页上；如无误，请在 .yml 中写 columns: {{{name}: 原样}}，"
                "如是本站认识的列，写 columns: {" + name + ": 列名}（列名见 README 的列表）",
                fix=Fix(
                    "columns", f"{name}: 原样", note="读表结果中核对：是本站认识的列时改成它的列名"
                ),
            )

    if published is None and not meta.source and not meta.source_note:
        c.warning(
            None,
            "报告没有发布日期，也没有原文网址：读者无法核对。请在 .yml 中写 published 和 source；"
            "确实没有时，写 source_note 说明（如 source_note: 样例数据，原文未公开）",
            fix=(
                Fix("published", "", sure=False, note="发布日期，如 2024-10-15"),
                Fix("source", "", sure=False, note="原文网址"),
            ),
        )
    scope = registry.scope(meta.region)
    unknown = _UnknownUnits()
    row_numbers = _data_row_numbers(table)
    tasks = [
        _build_task(slug, record, table, meta.region, scope, unknown, row_numbers, c, meta.statuses)
        for record in table.records
    ]
    unknown.report(c, meta.region)
    unit_names = {
        name
        for col in header.columns
        if col.role in (Role.UNITS, Role.LEAD_UNITS)
        for name in (normalize_label(col.label), col.role.value)
    }
    if not unit_names & meta.blank:  # units left blank on purpose, as the .yml says
        _check_units_present(tasks, header, table.blank_lines, c)
    check_privacy(table, meta.public_numbers, c)

    has_status = bool(status_cols) or any(s.status is not None for t in tasks for s in t.steps)
    if has_status and not status_cols:
        # Statuses read from narratives: a line that states none is "not stated".
        tasks = [_unmarked_where_silent(t) for t in tasks]
    step_columns: list[Column] = []
    status_column = Column(Role.STATUS, "完成状态", -1)
    task_col = header.index(Role.TASK)
    for col in header.columns:
        label = col.label or f"第 {col.index + 1} 列"
        if col.role in _STATUS_ROLES:
            if status_column not in step_columns:
                step_columns.append(status_column)
        elif col.role is Role.FIGURE or col.role in _FIELD_ROLES:
            step_columns.append(Column(col.role, label, col.index))
        elif col.index == task_col and any(
            f.role is Role.TASK for t in tasks for s in t.steps for f in s.fields
        ):
            step_columns.append(Column(Role.TASK, label, col.index))  # the lines' own items
    if has_status and status_column not in step_columns:
        step_columns.insert(0, status_column)
    # A target and what was done are read together: the actual goes right after the target.
    target = next((c for c in step_columns if c.role is Role.TARGET), None)
    actual = next((c for c in step_columns if c.role is Role.ACTUAL), None)
    if target is not None and actual is not None:
        step_columns.remove(actual)
        step_columns.insert(step_columns.index(target) + 1, actual)
    units = {u for t in tasks for u in t.unit_keys}
    return Report(
        slug=slug,
        path=table.path,
        title=title,
        source_title=_clean_line(table.title),
        region=meta.region,
        issuer=meta.issuer,
        year=year,
        period=period,
        published=published,
        source_url=meta.source,
        has_status=has_status,
        step_columns=tuple(step_columns),
        sections=tuple(dict.fromkeys(_clean_line(x) or x for x in table.sections)),
        tasks=tuple(tasks),
        reconciliation=Reconciliation(
            rows_read=len(row_numbers),
            tasks=len(tasks),
            steps=sum(len(t.steps) for t in tasks),
            cells=table.cells,
            units=len(units),
        ),
        preamble=tuple(_clean_line(x) or x for x in table.preamble),
        notes=tuple(_clean_line(x) or x for x in table.notes),
        totals=tuple(
            tuple(
                (col.label or f"第 {col.index + 1} 列", collapse(_plain(row.cells[col.index])))
                for col in header.columns
                if row.cells[col.index]
            )
            for row in table.totals
        ),
        status_column="、".join(col.label for col in status_cols) or None,
        source_note=meta.source_note,
        area_code=meta.area_code,
        contact=meta.contact,
        has_supporting=header.index(Role.SUPPORT_UNITS) is not None or _lead_and_units(header),
        units_label=_label(header, Role.UNITS) or _label(header, Role.LEAD_UNITS),
        meta_path=meta.path,
        declared_series=meta.series,
        pins=meta.pins,
        reading=Reading(
            tuple(
                ColumnReading(
                    col.index,
                    col.label,
                    Role.SECTION if col.index == table.group_column else col.role,
                )
                for col in header.columns
            ),
            table.decisions,
            table.row_kinds,
            header.line,
        ),
    )


def _label(header: Header, role: Role) -> str | None:
    index = header.index(role)
    return header.columns[index].label if index is not None else None


def _data_row_numbers(table: Table) -> dict[int, int]:
    lines = sorted({row.line for record in table.records for row in record.rows})
    return {line: i + 1 for i, line in enumerate(lines)}


def _lead_and_units(header: Header) -> bool:
    return (
        header.index(Role.LEAD_UNITS) is not None
        and header.index(Role.UNITS) is not None
        and header.index(Role.SUPPORT_UNITS) is None
    )


def _task_level(record: Record, index: int | None) -> str:
    """A task-level cell: the first line's, with the text its own continuation lines add."""
    if index is None:
        return ""
    first = record.rows[0].cells[index]
    values = [first] + [row.own(index) for row in record.rows[1:]]
    return " ".join(dict.fromkeys(v for v in values if v))


def _build_task(
    slug: str,
    record: Record,
    table: Table,
    region: str | None,
    scope: Scope,
    unknown: _UnknownUnits,
    row_numbers: dict[int, int],
    c: Collector,
    custom: Mapping[str, Status],
) -> Task:
    header = table.header
    index = header.index
    task_col = index(Role.TASK)
    # The task's own words are its first line's; a continuation line's words in the task
    # column name that line (an indicator, a sub-item) and are shown with it.
    parts = [record.rows[0].cells[task_col]] if task_col is not None else []
    if task_col is not None:
        for row in record.rows[1:]:
            own = [i for i in range(len(row.cells)) if row.own(i)]
            if own == [task_col]:
                parts.append(row.cells[task_col])  # the task's words run on to this line
    text = collapse(_plain("".join(parts)))
    article = None
    if record.seq_in_text and (marked := strip_marker(text)) is not None:
        text = marked[1]  # the number is the task's 序号, shown as such
    elif not record.seq_in_text and (m := _ARTICLE_RE.match(text)):
        article, text = m.group(1), text[m.end() :]

    # 牵头单位 beside 责任单位 (and no 配合单位): the 责任单位 cell names the lead again with
    # the units that work with it, which support it.
    both = _lead_and_units(table.header)
    unit_cells = [
        "" if both else _task_level(record, index(Role.UNITS)),
        _task_level(record, index(Role.LEAD_UNITS)),
        _task_level(record, index(Role.UNITS if both else Role.SUPPORT_UNITS)),
    ]
    units: list[str] = []
    offices: list[str] = []
    persons: list[str] = []
    marked_support: list[str] = []
    rewritten = False
    for cell in unit_cells[:2]:
        split = scope.split(_lines(cell))
        names = [u for u in split.names if _is_name(u)]
        if split.lead and len(split.lead) < len(names) and index(Role.SUPPORT_UNITS) is None:
            # *市发改委、市财政局: the marked units lead, the others support them.
            marked_support.extend(u for u in names if u not in split.lead)
            names = [u for u in names if u in split.lead]
        units.extend(u for u in names if u not in units)
        offices.extend(o for o in split.offices if o not in offices)
        persons.extend(p for p in split.persons if p not in persons)
        unknown.add([u for u in split.unknown if _is_name(u)], record.line)
        rewritten = (
            rewritten
            or scope.rewrites(_lines(cell))
            or not all(map(_is_name, split.names))
            or bool(split.lead or split.persons)
            # A cell that names no unit (/, —) is still the office's word: shown as written.
            or bool(_lines(cell).strip() and not split.names and not split.offices)
        )
    support = scope.split(_lines(unit_cells[2]))
    persons.extend(p for p in support.persons if p not in persons)
    unknown.add([u for u in support.unknown if _is_name(u)], record.line)
    offices.extend(o for o in support.offices if o not in offices)
    rewritten = (
        rewritten
        or scope.rewrites(_lines(unit_cells[2]))
        or not all(map(_is_name, support.names))
        or bool(_lines(unit_cells[2]).strip() and not support.names and not support.offices)
    )
    office_cell = collapse(_plain(_task_level(record, index(Role.OFFICE))))
    if office_cell:
        offices.extend(o for o in _LEADER_SEP_RE.split(office_cell) if o and o not in offices)
    # A person's name is padded to the width of three characters (路 军); lines separate people.
    leader_cell = _lines(_task_level(record, index(Role.LEADER))).replace("\n", "、")
    leaders = tuple(
        dict.fromkeys(
            [
                *(
                    person
                    for p in _LEADER_SEP_RE.split(leader_cell)
                    if p.strip()
                    for person in split_persons("".join(p.split()))
                ),
                *persons,
            ]
        )
    )

    if leader_cell.strip() and not leaders:
        # A leader cell that names no one (/, —) is still the office's word: shown as written.
        leaders = (collapse(leader_cell),)

    steps: list[Step] = []
    for position, row in enumerate(record.rows):
        steps.append(
            _build_step(
                row, position, row_numbers[row.line], table, c, steps[-1] if steps else None, custom
            )
        )

    section = record.section
    return Task(
        report_slug=slug,
        seq=record.seq,
        key=record.key,
        line=record.line,
        row=row_numbers[record.line],
        article=article,
        text=text,
        region=region,
        units=tuple(units),
        supporting_units=tuple(
            dict.fromkeys(
                u for u in (*marked_support, *support.names) if u not in units and _is_name(u)
            )
        ),
        offices=tuple(offices),
        leaders=leaders,
        supervision=collapse(_plain(_task_level(record, index(Role.SUPERVISION)))) or None,
        section=_clean_line(section) or section,
        steps=tuple(steps),
        units_as_written=" / ".join(collapse(_plain(u)) for u in unit_cells if u)
        if rewritten
        else None,
        source=tuple(SourceRow(row.line, row.cells) for row in record.rows),
    )


def _lines(cell: str) -> str:
    """A cell's text with its paragraphs on separate lines (units and people are listed so)."""
    return clean_cell(cell).text if "<" in cell or "&" in cell else cell


_NAME_RE = re.compile(r"[^\W\d_]")


def _is_name(piece: str) -> bool:
    """A unit name has letters; a stray number or mark left in a unit cell is not a unit."""
    return bool(_NAME_RE.search(piece))


def _clean_line(text: str | None) -> str | None:
    return collapse(_plain(text)) if text else text


def _plain(cell: str) -> str:
    """A cell meant as plain words (units, names, phones): its text without markup."""
    return clean_cell(cell).text if "<" in cell or "&" in cell else cell


def _build_step(
    row: Row,
    position: int,
    ordinal: int,
    table: Table,
    c: Collector,
    previous: Step | None,
    custom: Mapping[str, Status],
) -> Step:
    header = table.header

    def cleaned(index: int) -> Cleaned:
        result = clean_cell(row.cells[index])
        for what in result.dropped:
            c.warning(row.line, f"单元格中的 {what} 不安全，已删除（只发布文字）")
        return result

    fields: list[Field] = []
    figure: Figure | None = None
    task_col = header.index(Role.TASK)
    for col in header.columns:
        within = position > 0 and bool(row.merged) and row.merged[col.index]
        label = col.label or f"第 {col.index + 1} 列"
        if col.index == task_col:
            own = [i for i in range(len(row.cells)) if row.own(i)]
            if position > 0 and row.own(col.index) and own != [task_col]:
                fields.append(Field(Role.TASK, label, cleaned(col.index), column=col.index))
        elif col.role is Role.FIGURE:
            text = collapse(_plain(row.cells[col.index])) if not within else ""
            read = _figure(text, label) if figure is None else None
            figure = figure or read
            if text and read is None:
                fields.append(Field(Role.FIGURE, label, cleaned(col.index), column=col.index))
        elif col.role in _FIELD_ROLES:
            value = cleaned(col.index) if not within else clean_cell("")
            fields.append(
                Field(
                    col.role,
                    label,
                    value,
                    merged=(within and bool(row.cells[col.index]))
                    or _lost_merge(col.role, value, previous),
                    column=col.index,
                )
            )
    mark, status, source, word = _status(row, header, c, custom)
    progress = next((f for f in fields if f.role is Role.PROGRESS), None)
    if status is None and progress is not None and (opening := opening_status(progress.value.text)):
        mark, status, source = opening[0], opening[1], f"{progress.label}开头"
        word = opening[0]
    if status is None:
        # A remark that is a status word (超额完成), a figure's bracketed word (22%(严重滞后)),
        # a figure column holding a word (已完成): what the office states, where it states it.
        stated = [(f.value.text, f.label) for f in fields if f.role is Role.REMARKS]
        if figure is not None and (bracketed := _bracketed_status(figure.text)):
            stated.append((bracketed, header.columns[header.index(Role.FIGURE) or 0].label))
        stated += [(f.value.text, f.label) for f in fields if f.role is Role.FIGURE]
        for said, where in stated:
            if (found := status_of_word(said)) is not None:
                mark = word = said
                status, source = found, where
                break
    if figure is None:
        # Spreadsheet exports put a merged cell's figure in its first column (实际完成情况:
        # 100%); a narrative may state the rate in words (完成率47.23%, 进度达60%).
        for f in fields:
            only = _PERCENT_ONLY_RE.match(f.value.text)
            if f.role in (Role.PROGRESS, Role.ACTUAL) and only:
                figure = Figure(f.value.text, float(only.group(1)), f.label)
                break
    # What an 实际完成 cell holds decides what it says: a rate (the merged figure above) or a
    # sentence (a remark on the delay) is not an amount done.
    fields = [
        replace(f, role=Role.FIGURE if figure is not None and figure.text == f.value.text else None)
        if f.role is Role.ACTUAL
        and f.value.text
        and (
            (figure is not None and figure.text == f.value.text)
            or (len(f.value.text) > 12 and not _AMOUNT_RE.match("".join(f.value.text.split())))
        )
        else f
        for f in fields
    ]
    if figure is None:
        for f in fields:
            rates = list(_STATED_RATE_RE.finditer(f.value.text)) if f.role is Role.PROGRESS else []
            if len(rates) == 1:  # two rates (开工…87.9%；竣工…51%) are not one task's figure
                m = rates[0]
                figure = Figure(m.group("figure"), float(m.group("number")), f.label)
                break
    return Step(
        line=row.line,
        row=ordinal,
        label=row.label,
        kind=collapse(_plain(_cell(row, header.index(Role.STEP_KIND)))) or None,
        mark=mark,
        status=status,
        status_source=source,
        word=word,
        figure=figure,
        fields=tuple(fields),
    )


def _lost_merge(role: Role | None, value: Cleaned, previous: Step | None) -> bool:
    """An empty 落实情况 under a filled one in the same task: in text exports a merged cell
    (one account of what was done for both lines) arrives as an empty cell."""
    if role is not Role.PROGRESS or value.text or previous is None:
        return False
    above = previous.field(Role.PROGRESS)
    return above is not None and (bool(above.value.text) or above.merged)


def _cell(row: Row, index: int | None) -> str:
    return row.cells[index] if index is not None and index < len(row.cells) else ""


def _figure(text: str, label: str) -> Figure | None:
    """The figure a progress cell states; None for a cell that states no number (a merged
    narrative spilled into the column), which is then shown as text."""
    m = _PERCENT_RE.search(text)
    if m and m.start() < 12:
        return Figure(text, float(m.group(1)), label)
    if _NUMBER_RE.match(text):
        percent = any(mark in label for mark in ("%", "％", "率", "比例"))
        return Figure(text, float(text) if percent else None, label)
    return None


def _bracketed_status(text: str) -> str | None:
    for m in _BRACKET_RE.finditer(text):
        if status_of_word(m.group(1)):
            return m.group(1)
    return None


_AMOUNT_RE = re.compile(r"^[约近超共计累]*\d[\d.,]*\s*[%％]?[^\d\s，,。；;]{0,6}$")
_NO_STATUS = frozenset({"—", "-", "－", "/", "／", "——", "无", "\\"})
_ON_SCHEDULE_RE = re.compile(r"序时|时序|进度|达序|按序|按期|按时")


def _status(
    row: Row, header: Header, c: Collector, custom: Mapping[str, Status]
) -> tuple[str | None, Status | None, str | None, str | None]:
    """The line's status: (mark as shown, status, where read, the office's word)."""
    found: list[tuple[str, Status | None, str, str]] = []
    for role, in_not_done in (
        (Role.MARK_DONE, False),
        (Role.MARK_NOT_DONE, True),
        (Role.STATUS, False),
    ):
        col = header.index(role)
        if col is None:
            continue
        word = collapse(_plain(row.cells[col]))
        if not word or word in _NO_STATUS:
            continue  # — or / in a status column: nothing stated
        label = header.columns[col].label
        status: Status | None
        if word in custom:
            status = custom[word]
        elif word in ("是", "否") and _ON_SCHEDULE_RE.search(label):
            # 是否达到序时进度: 是 is on schedule, 否 is behind — not done / not done.
            status = Status.IN_PROGRESS if word == "是" else Status.BEHIND
        else:
            status = status_of_word(word, in_not_done_column=in_not_done)
        if status is None:
            c.warning(
                row.line,
                f"不认识的完成状态“{word}”：原样显示，按“未写明状态”计数",
                fix=Fix(
                    "statuses",
                    f"{word}: 推进中",
                    sure=False,
                    note="这个词算作哪一类：已完成、推进中、进度滞后、未完成",
                ),
            )
        shown = word
        said = word
        if word in ("是", "否"):
            said = shown = f"{label}：{word}"  # 是 alone says nothing without its question
        elif role is not Role.STATUS and len(word) <= 2:
            shown = f"{word}（{label}）"
            said = label  # a ✓ in the 已完成 column says 已完成
        found.append((shown, status, label, said))
    if not found:
        if any(col.role in _STATUS_ROLES for col in header.columns):
            return None, Status.UNMARKED, None, None
        return None, None, None, None
    mark = "；".join(shown for shown, _, _, _ in found)
    statuses = {s for _, s, _, _ in found if s is not None}
    source = "、".join(dict.fromkeys(label for _, _, label, _ in found))
    said = "；".join(dict.fromkeys(w for _, _, _, w in found))
    if len(statuses) > 1:
        c.warning(row.line, f"同一行标注了相互矛盾的状态：{mark}")
        return mark, Status.UNMARKED, source, said
    return mark, (statuses.pop() if statuses else Status.UNMARKED), source, said


def _unmarked_where_silent(task: Task) -> Task:
    if all(s.status is not None for s in task.steps):
        return task
    steps = tuple(
        s if s.status is not None else replace(s, status=Status.UNMARKED) for s in task.steps
    )
    return replace(task, steps=steps)


def _check_units_present(
    tasks: Sequence[Task], header: Header, reported: frozenset[int], c: Collector
) -> None:
    """Never a task silently without its unit: one warning per run of such tasks."""
    if all(header.index(r) is None for r in (Role.UNITS, Role.LEAD_UNITS)):
        return
    run: list[Task] = []

    def flush() -> None:
        if run:
            seqs = "、".join(t.seq for t in run[:5]) + ("…" if len(run) > 5 else "")
            c.warning(
                run[0].line,
                f"{len(run)} 项任务没有责任单位（序号 {seqs}）：任务页上写明“原表未列责任单位”",
                end_line=run[-1].line,
            )
            run.clear()

    for task in tasks:
        if not task.units and not task.supporting_units and task.line not in reported:
            run.append(task)
        else:
            flush()
    flush()
