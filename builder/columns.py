"""What a header cell means: the synonym table of the report tables' column names."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping


class Column(enum.Enum):
    """The meanings a column can have. A column with none of them is kept as an extra column."""

    SEQ = "序号"
    TASK = "任务"
    UNITS = "责任单位"
    LEAD_UNITS = "牵头单位"
    SUPPORT_UNITS = "配合单位"
    SUPERVISION = "监督方式"
    STEP_KIND = "季度类别"
    PLAN = "计划"
    PROGRESS = "落实情况"
    MARK_DONE = "已完成"
    MARK_NOT_DONE = "未完成"
    STATUS = "完成状态"
    DEADLINE = "完成时限"


SYNONYMS: Mapping[str, Column] = {
    "序号": Column.SEQ,
    "工作事项": Column.TASK,
    "目标任务": Column.TASK,
    "重点任务": Column.TASK,
    "工作任务": Column.TASK,
    "任务内容": Column.TASK,
    "主要任务": Column.TASK,
    "责任单位": Column.UNITS,
    "责任分工": Column.UNITS,
    "责任部门": Column.UNITS,
    "牵头单位": Column.LEAD_UNITS,
    "牵头部门": Column.LEAD_UNITS,
    "配合单位": Column.SUPPORT_UNITS,
    "配合部门": Column.SUPPORT_UNITS,
    "监督方式": Column.SUPERVISION,
    "监督电话": Column.SUPERVISION,
    "季度类别": Column.STEP_KIND,
    "类别": Column.STEP_KIND,
    "完成情况": Column.PROGRESS,
    "落实情况": Column.PROGRESS,
    "进展情况": Column.PROGRESS,
    "推进情况": Column.PROGRESS,
    "已完成": Column.MARK_DONE,
    "未完成": Column.MARK_NOT_DONE,
    "完成状态": Column.STATUS,
    "完成时限": Column.DEADLINE,
}

# The plan column is named after the period it plans for.
_PLAN_RE = re.compile(r"^(第?[一二三四1-4]季度|年度目标|全年目标|上半年|下半年|年度计划)$")

_SPACE_RE = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """Header text as compared: no spaces, half-width parentheses."""
    return _SPACE_RE.sub("", text).replace("（", "(").replace("）", ")")


def meaning_of(label: str, overrides: Mapping[str, str] | None = None) -> Column | None:
    """The meaning of a header label, or None for a column the synonym table does not know.

    ``overrides`` maps a report's own header names to a name of the synonym table
    (from the report's ``.yml``), e.g. ``{"推进情况说明": "落实情况"}``.
    """
    key = normalize_label(label)
    if overrides and key in overrides:
        key = normalize_label(overrides[key])
    if key in SYNONYMS:
        return SYNONYMS[key]
    if _PLAN_RE.match(key):
        return Column.PLAN
    return None
