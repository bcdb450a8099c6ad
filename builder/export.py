"""Open data: each report as CSV and JSON, the whole data set as one JSON, every field documented."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .model import STATUS_ORDER, Report, Site, Status, Step, Task, count_statuses

# One description per field, in output order; the 开放数据 page is generated from these.
REPORT_FIELDS: Mapping[str, str] = {
    "slug": "报告标识，也是网址中的一段，如 2024-anqing-industry-q3",
    "title": "报告标题（原表标题行，或 .yml 中的 title）",
    "issuer": "发布单位（来自 .yml，原表未写时为空）",
    "year": "年份",
    "period": "期间，如 年度、三季度",
    "published": "发布日期 YYYY-MM-DD（来自 .yml，未提供时为空）",
    "source_url": "原始文件网址（来自 .yml，未提供时为空）",
    "has_status": "原表是否有完成状态栏；为 false 时各任务的 status 均为空",
    "plan_label": "计划栏的原表列名，如 第三季度",
    "progress_label": "完成情况栏的原表列名，如 落实情况",
    "sections": "原表中的分组行，按出现顺序",
    "counts": "按完成状态统计的任务数（done 已完成、in-progress 推进中、not-done 未完成、unmarked 未标注）",
    "reconciliation": "数据核对：读取行数 lines_read、任务 tasks、步骤 steps、非空单元格 cells、责任单位 units",
    "tasks": "任务列表，每项的字段见下表",
}
TASK_FIELDS: Mapping[str, str] = {
    "id": "稳定的任务标识：报告标识-序号",
    "url": "任务页网址（相对于网站根目录）",
    "report": "所属报告的标识",
    "seq": "原表序号",
    "source_line": "任务在原表文件中的行号",
    "article": "政府工作报告中的条目号（原表任务文字开头的“18.”），没有时为空",
    "section": "所属分组，没有时为空",
    "text": "任务内容（不含条目号）",
    "units": "责任单位（牵头单位），名称已按单位名录统一",
    "supporting_units": "配合单位",
    "offices": "责任科室（原表【】中的内容）",
    "supervision": "监督方式 / 监督电话",
    "status": "任务的完成状态（各步骤中最靠后的一种），原表无状态栏时为空",
    "status_label": "完成状态的中文",
    "marks": "原表对这项任务的标注原文，如 ✓（已完成）、正在推进",
    "steps": "步骤列表（原表中这项任务的每一行），每项的字段见下表",
}
STEP_FIELDS: Mapping[str, str] = {
    "line": "这一行在原表文件中的行号",
    "kind": "步骤类别，如 进度安排、施工图；原表无此栏时为空",
    "plan": "本期计划（计划栏的文字）",
    "mark": "原表的完成标注原文",
    "status": "这一行的完成状态",
    "status_label": "完成状态的中文",
    "progress": "完成情况 / 落实情况的文字",
    "progress_merged": "为 true 表示原表此格为合并单元格，与上一行共用完成情况",
    "deadline": "完成时限",
    "extras": "原表中本站不认识的列：列名 → 文字，原样保留",
}
CSV_FIELDS: Mapping[str, str] = {
    "task_id": TASK_FIELDS["id"],
    "report": TASK_FIELDS["report"],
    "seq": TASK_FIELDS["seq"],
    "article": TASK_FIELDS["article"],
    "section": TASK_FIELDS["section"],
    "text": TASK_FIELDS["text"],
    "units": "责任单位，以“、”分隔",
    "supporting_units": "配合单位，以“、”分隔",
    "offices": "责任科室，以“、”分隔",
    "supervision": TASK_FIELDS["supervision"],
    "task_status": TASK_FIELDS["status"],
    "step_line": STEP_FIELDS["line"],
    "step_kind": STEP_FIELDS["kind"],
    "plan": STEP_FIELDS["plan"],
    "mark": STEP_FIELDS["mark"],
    "step_status": STEP_FIELDS["status"],
    "progress": STEP_FIELDS["progress"],
    "progress_merged": STEP_FIELDS["progress_merged"],
    "deadline": STEP_FIELDS["deadline"],
    "extras": "本站不认识的列，JSON 对象：列名 → 文字",
}


def _status(status: Status | None) -> tuple[str | None, str | None]:
    return (status.value, status.label) if status is not None else (None, None)


def step_json(step: Step) -> dict[str, Any]:
    status, label = _status(step.status)
    return {
        "line": step.line,
        "kind": step.kind,
        "plan": step.plan.text if step.plan is not None else None,
        "mark": step.mark,
        "status": status,
        "status_label": label,
        "progress": step.progress.text if step.progress is not None else None,
        "progress_merged": step.progress_merged,
        "deadline": step.deadline,
        "extras": {extra.label: extra.value.text for extra in step.extras},
    }


def task_json(task: Task, url: str) -> dict[str, Any]:
    status, label = _status(task.status)
    return {
        "id": task.id,
        "url": url,
        "report": task.report_slug,
        "seq": task.seq,
        "source_line": task.line,
        "article": task.article,
        "section": task.section,
        "text": task.text,
        "units": list(task.units),
        "supporting_units": list(task.supporting_units),
        "offices": list(task.offices),
        "supervision": task.supervision,
        "status": status,
        "status_label": label,
        "marks": list(task.marks),
        "steps": [step_json(step) for step in task.steps],
    }


def report_json(report: Report, task_url: Any) -> dict[str, Any]:
    counts = count_statuses(report.tasks)
    return {
        "slug": report.slug,
        "title": report.title,
        "issuer": report.issuer,
        "year": report.year,
        "period": report.period,
        "published": report.published.isoformat() if report.published else None,
        "source_url": report.source_url,
        "has_status": report.has_status,
        "plan_label": report.plan_label,
        "progress_label": report.progress_label,
        "sections": list(report.sections),
        "counts": {s.value: counts[s] for s in STATUS_ORDER} if report.has_status else None,
        "reconciliation": vars(report.reconciliation),
        "tasks": [task_json(task, task_url(task)) for task in report.tasks],
    }


def site_json(site: Site, reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """All data; ``reports``: report_json of each of the site's reports, in order."""
    return {
        "reports": list(reports),
        "units": [
            {
                "name": unit.name,
                "aliases": list(unit.aliases),
                "in_registry": unit.known,
                "tasks": [task.id for task in unit.tasks],
            }
            for unit in site.units
        ],
    }


def dumps(data: Any) -> bytes:
    # Compact: json's indenting encoder is pure Python and was a fifth of the builder stage.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def report_csv(report: Report, data: Mapping[str, Any]) -> bytes:
    """One row per step; UTF-8 with BOM so that Excel shows the Chinese text.
    ``data``: the report's report_json, whose step fields the rows reuse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for task, task_data in zip(report.tasks, data["tasks"], strict=True):
        for step, s in zip(task.steps, task_data["steps"], strict=True):
            row = {
                "task_id": task.id,
                "report": task.report_slug,
                "seq": task.seq,
                "article": task.article or "",
                "section": task.section or "",
                "text": task.text,
                "units": "、".join(task.units),
                "supporting_units": "、".join(task.supporting_units),
                "offices": "、".join(task.offices),
                "supervision": task.supervision or "",
                "task_status": task.status.value if task.status else "",
                "step_line": step.line,
                "step_kind": step.kind or "",
                "plan": s["plan"] or "",
                "mark": step.mark or "",
                "step_status": s["status"] or "",
                "progress": s["progress"] or "",
                "progress_merged": "true" if step.progress_merged else "false",
                "deadline": step.deadline or "",
                "extras": json.dumps(s["extras"], ensure_ascii=False) if s["extras"] else "",
            }
            writer.writerow([row[field] for field in CSV_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")
