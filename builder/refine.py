"""Stage 1b: roles a header's words leave open, settled by what the columns hold."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .columns import Role, roles_of
from .header import Header, HeaderColumn, unit_like
from .numbering import AMOUNT_RE
from .readers import GridRow
from .units import is_person

_MONTH_RE = re.compile(r"(\d{1,2})\s*月")


def _last_month(label: str) -> int | None:
    """The last month a column's name speaks of: 截至6月底 → 6, 1-7月 → 7, 7月工作计划 → 7."""
    months = _MONTH_RE.findall(label)
    return int(months[-1]) if months and 1 <= int(months[-1]) <= 12 else None


CONTENT_EVIDENCE: Mapping[Role | None, str] = {
    Role.ACTUAL: "列中是数量（6453人、3个），不是叙述：是对照目标完成的数",
    Role.NEXT_STEPS: "列名中的月份在进展情况的月份之后：是下一步的计划",
    Role.PROGRESS: "几列进展情况中月份最晚的一列：本期的进展",
    Role.FIGURE: "六成以上的格以百分数开头（80%……）",
    Role.STATUS: "每一格都是完成状态的词（已完成、推进中……）",
    Role.TASK: "每个编号的行在这一列各有自己的名称或文字",
    Role.TARGET: "与项目名称并列的较长文字：项目要完成的内容",
    Role.SECTION: "表头一格跨两列：前一列合并在多行之上，是分组",
    Role.UNITS: "表中没有责任单位列，这一列的每一格都是科室或单位的名称",
    None: "另一列才是任务：这一列按原列名显示",
}
"""Data lines looked at to tell what a column holds: enough for any office's habits."""
_PERCENT_START_RE = re.compile(r"^\s*\d+(?:\.\d+)?\s*[%％]")


def refine(header: Header, body: Sequence[tuple[GridRow, list[str], list[str]]]) -> Header:
    """Roles the header names leave open, settled by what the columns hold."""
    from .model import status_of_word

    columns = list(header.columns)
    taken = {c.role for c in columns if c.role is not None}

    def values(index: int) -> list[str]:
        return [
            texts[index]
            for _, texts, how in body
            if index < len(texts) and texts[index] and how[index] != "down"
        ]

    def give(index: int, role: Role | None, known: bool = True) -> None:
        col = columns[index]
        columns[index] = HeaderColumn(col.index, col.label, role, known, col.span)
        if role is not None:
            taken.add(role)

    # A header cell spanning the task column and the next: with a 序号 column the first
    # holds the project and the rest its indicator lines; without one, the first is the
    # group (merged down, lost in text exports) and the next is the task.
    task = header.index(Role.TASK)
    seq = header.index(Role.SEQ)
    if task is not None and seq is not None:
        # With a 序号: if the numbers change more often than the first column (the project
        # merged over several numbered lines, each with its own indicator), each numbered
        # line is a task and the project is a grouping shown with it.
        span = [c.index for c in columns if c.span == task]
        numbered = (
            [
                (texts, how)
                for _, texts, how in body
                if seq < len(texts) and texts[seq] and how[seq] == "" and span[0] < len(texts)
            ]
            if span
            else []
        )
        shared = sum(1 for texts, how in numbered if not texts[task] or how[task] == "down")
        if numbered and shared * 2 > len(numbered):
            give(task, None)
            give(span[0], Role.TASK)
    elif task is not None:
        span = [c.index for c in columns if c.span == task]
        if span:
            filled = sum(
                1 for _, texts, how in body if task < len(texts) and texts[task] and how[task] == ""
            )
            rows = sum(1 for _, texts, _ in body if span[0] < len(texts) and texts[span[0]])
            if rows and filled < rows:
                give(task, Role.SECTION if Role.SECTION not in taken else None)
                give(span[0], Role.TASK)
    # 项目名称 beside 主要内容 (both names of a task column): the first was read as a group;
    # where each numbered line has a name of its own, it names the project, and the longer
    # text is what the project is to deliver.
    section = next((c for c in columns if c.role is Role.SECTION), None)
    if (
        task is not None
        and seq is not None
        and section is not None
        and Role.TASK in roles_of(section.label)
        and section.index < task
    ):
        numbered = [
            (texts, how)
            for _, texts, how in body
            if seq < len(texts) and texts[seq] and how[seq] == "" and section.index < len(texts)
        ]
        own = [texts[section.index] for texts, how in numbered if how[section.index] == ""]
        if numbered and len(own) == len(numbered) and len(set(own)) == len(own) and all(own):
            give(section.index, Role.TASK)
            give(task, Role.TARGET if Role.TARGET not in taken else None)
    # 1-7月实际完成情况 beside a 目标任务: where the column holds amounts (6453人, 3个), not
    # narratives, it is what was done against the target. With the target inside the task's
    # text (上海: 新增4000张养老床位 | 4385 | 110%) as well, where no amount is a percentage.
    if Role.ACTUAL not in taken:
        for col in columns:
            if col.role is Role.PROGRESS:
                found = values(col.index)
                amounts = [
                    v
                    for v in found
                    if AMOUNT_RE.match("".join(v.split()))
                    and (Role.TARGET in taken or not re.search(r"[%％]", v))
                ]
                if len(found) >= 2 and len(amounts) >= 0.8 * len(found):
                    give(col.index, Role.ACTUAL)
                    break
    # Two columns of progress by period (1-10月推进情况, 1-11月推进情况): the latest is this
    # period's; the earlier one is the previous period's, shown under its own name.
    by_month = [
        (month, c)
        for c in columns
        if Role.PROGRESS in roles_of(c.label) and (month := _last_month(c.label)) is not None
    ]
    if len(by_month) >= 2 and len({m for m, _ in by_month}) == len(by_month):
        latest = max(by_month, key=lambda pair: pair[0])[1]
        for _, col in by_month:
            give(col.index, Role.PROGRESS if col is latest else None)
    # 7月工作计划 in a table of progress 截至6月底: the plan of the next month is next steps.
    progress_month = max(
        (m for c in columns if c.role is Role.PROGRESS and (m := _last_month(c.label))),
        default=None,
    )
    if progress_month is not None and Role.NEXT_STEPS not in taken:
        for col in columns:
            if col.role is Role.PLAN and _last_month(col.label) == progress_month % 12 + 1:
                give(col.index, Role.NEXT_STEPS)
    # A narrative column that holds figures (当前进度: 80%(…)) is the figure.
    for col in columns:
        if col.role is Role.PROGRESS and Role.FIGURE not in taken:
            found = values(col.index)
            if found and sum(1 for v in found if _PERCENT_START_RE.match(v)) >= 0.6 * len(found):
                give(col.index, Role.FIGURE)
    # A column of nothing but status words states the status.
    if Role.STATUS not in taken and header.index(Role.MARK_DONE) is None:
        for col in columns:
            if col.role in (Role.PROGRESS, Role.REMARKS, None) and col.span is None:
                found = values(col.index)
                # Words, not only 是/否 or marks: those say nothing without their column's name.
                words = [v for v in found if v not in ("是", "否", "✓", "√", "×")]
                if len(found) >= 2 and words and all(status_of_word(v) for v in found):
                    give(col.index, Role.STATUS)
                    break
    # A town's table names its offices (科室) as the responsible units.
    office = next((c for c in columns if c.role is Role.OFFICE), None)
    if office is not None and not taken & {Role.UNITS, Role.LEAD_UNITS}:
        give(office.index, Role.UNITS)
    # No units column, and a 备注 holding nothing but names of bodies (岳阳市: 人力资源社会
    # 保障局, 岳阳电力公司): there the table names who is responsible.
    if not taken & {Role.UNITS, Role.LEAD_UNITS}:
        named = [
            c
            for c in columns
            if c.role in (Role.REMARKS, None)
            and len(found := values(c.index)) >= 3
            and all(unit_like(v) and not is_person("".join(v.split())) for v in found)
        ]
        if len(named) == 1:
            give(named[0].index, Role.UNITS)
    return Header(header.line, tuple(columns), header.lines, header.names)
