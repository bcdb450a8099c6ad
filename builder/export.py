"""Open data: each report as CSV and JSON, the whole data set as one JSON, every field documented."""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import STATUS_ORDER, Report, Site, Status, Step, Task, count_statuses

if TYPE_CHECKING:
    from .paths import Urls

# One description per field, in output order; the 开放数据 page is generated from these.
REPORT_FIELDS: Mapping[str, str] = {
    "slug": "报告标识，也是网址中的一段，如 2024-anqing-industry-q3",
    "title": "报告标题（原表的标题，或发布单位补充的标题）",
    "region": "所属地区（同名单位按地区区分），未注明时为空",
    "issuer": "发布单位，未注明时为空",
    "year": "年份",
    "period": "期间，如 年度、三季度、1-9月",
    "published": "发布日期 YYYY-MM-DD，未注明时为空",
    "source_url": "原始文件的网址，未注明时为空",
    "has_status": "原表是否写明完成状态（状态栏、已完成栏，或进展情况开头的“已完成。”）；为 false 时各任务的 status 均为空",
    "columns": "原表中逐行显示的列，按原表顺序：role 本站对这一列的统一叫法（如 计划、进展情况），label 原表列名",
    "sections": "原表中的分组，按出现顺序",
    "counts": "按完成状态统计的任务数（done 已完成、in-progress 推进中、behind 进度滞后、not-done 未完成、unmarked 未写明状态，含原表没有状态一栏的任务）",
    "reconciliation": "数据核对：读取的数据行 rows_read、任务 tasks、步骤 steps、非空单元格 cells、责任单位 units",
    "series": "所属系列（同一发布单位同一张表的各期报告）的标识，网址 series/标识/；不属于任何系列时为空",
    "period_end": "期间的截止日期 YYYY-MM-DD（由期间或“截至”日期得出，用于各期排序），无法判断时为空",
    "previous_report": "同一系列中上一期报告的标识，第一期或不属于系列时为空",
    "tasks": "任务列表，每项的字段见下表",
}
TASK_FIELDS: Mapping[str, str] = {
    "id": "稳定的任务标识：报告标识-序号",
    "url": "任务页网址（相对于网站根目录）",
    "report": "所属报告的标识",
    "seq": "原表序号（原样）",
    "source_row": "任务在原表中是第几个数据行（表头之后从 1 数起；与文件格式无关）",
    "article": "政府工作报告中的条目号（原表任务文字开头的“18.”），没有时为空",
    "section": "所属分组，没有时为空",
    "text": "任务内容（不含条目号）",
    "units": "责任单位（牵头单位），名称已按单位名录统一",
    "supporting_units": "配合单位",
    "offices": "责任科室（原表【】中的内容或责任科室栏）",
    "leaders": "责任领导（人名，原表所写）",
    "supervision": "监督方式 / 监督电话",
    "deadline": "完成时限（原表所写）",
    "figure": "原表所写的进度数字（如 85%），各行各有数字时为空；从不由本站计算",
    "status": "任务的完成状态（各行中最靠后的一种），原表未写明状态时为空",
    "status_label": "完成状态的中文",
    "marks": "原表对这项任务的状态原文，如 ✓（已完成）、正在推进",
    "series_task": "这项任务的固定链接（相对于网站根目录，始终显示最新一期），不属于系列时为空",
    "previous_task": "上一期（或上一次列出它的一期）中对应的任务编号 id；本期新增或不属于系列时为空",
    "steps": "步骤列表（原表中这项任务的每一行），每项的字段见下表",
}
STEP_FIELDS: Mapping[str, str] = {
    "row": "这一行在原表中是第几个数据行",
    "label": "这一行自己的序号（一个项目下按指标编号的行），没有时为空",
    "kind": "步骤类别，如 进度安排、施工图；原表无此栏时为空",
    "mark": "原表的完成状态原文",
    "status": "这一行的完成状态",
    "status_label": "完成状态的中文",
    "status_source": "状态读自哪里：原表的列名，或“落实情况开头”之类",
    "figure": "这一行原表所写的进度数字",
    "plan": "本期计划（计划栏的文字）",
    "progress": "进展情况 / 落实情况的文字",
    "progress_merged": "为 true 表示原表此格为合并单元格，与上一行共用进展情况",
    "deadline": "完成时限",
    "cells": "这一行逐行显示的各栏：原表列名 → 文字（含目标、完成数、存在问题、下步计划、备注及本站不认识的列）",
}
CSV_FIELDS: Mapping[str, str] = {
    "task_id": TASK_FIELDS["id"],
    "report": TASK_FIELDS["report"],
    "series": REPORT_FIELDS["series"],
    "period": REPORT_FIELDS["period"],
    "previous_task_id": TASK_FIELDS["previous_task"],
    "seq": TASK_FIELDS["seq"],
    "article": TASK_FIELDS["article"],
    "section": TASK_FIELDS["section"],
    "text": TASK_FIELDS["text"],
    "units": "责任单位，以“、”分隔",
    "supporting_units": "配合单位，以“、”分隔",
    "offices": "责任科室，以“、”分隔",
    "leaders": "责任领导，以“、”分隔",
    "supervision": TASK_FIELDS["supervision"],
    "task_status": TASK_FIELDS["status"],
    "step_row": STEP_FIELDS["row"],
    "step_kind": STEP_FIELDS["kind"],
    "plan": STEP_FIELDS["plan"],
    "mark": STEP_FIELDS["mark"],
    "step_status": STEP_FIELDS["status"],
    "figure": STEP_FIELDS["figure"],
    "progress": STEP_FIELDS["progress"],
    "progress_merged": STEP_FIELDS["progress_merged"],
    "deadline": STEP_FIELDS["deadline"],
    "cells": "这一行的各栏，JSON 对象：原表列名 → 文字",
}


def _status(status: Status | None) -> tuple[str | None, str | None]:
    return (status.value, status.label) if status is not None else (None, None)


def step_json(step: Step) -> dict[str, Any]:
    status, label = _status(step.status)
    return {
        "row": step.row,
        "label": step.label,
        "kind": step.kind,
        "mark": step.mark,
        "status": status,
        "status_label": label,
        "status_source": step.status_source,
        "figure": step.figure.text if step.figure is not None else None,
        "plan": step.plan.text if step.plan is not None else None,
        "progress": step.progress.text if step.progress is not None else None,
        "progress_merged": step.progress_merged,
        "deadline": step.deadline,
        "cells": {f.label: f.value.text for f in step.fields},
    }


@dataclass(frozen=True)
class SeriesLinks:
    """Where a report and its tasks stand in their series, for the open data."""

    series: str | None = None
    period_end: str | None = None
    previous_report: str | None = None
    series_tasks: Mapping[str, str] = field(default_factory=dict)
    """Task id → its series address (a URL)."""
    previous_tasks: Mapping[str, str] = field(default_factory=dict)
    """Task id → the id of the task it continues."""


def task_json(task: Task, url: str, links: SeriesLinks = SeriesLinks()) -> dict[str, Any]:
    status, label = _status(task.status)
    return {
        "id": task.id,
        "url": url,
        "report": task.report_slug,
        "seq": task.seq,
        "source_row": task.row,
        "article": task.article,
        "section": task.section,
        "text": task.text,
        "units": list(task.units),
        "supporting_units": list(task.supporting_units),
        "offices": list(task.offices),
        "leaders": list(task.leaders),
        "supervision": task.supervision,
        "deadline": task.deadline,
        "figure": task.figure.text if task.figure is not None else None,
        "status": status,
        "status_label": label,
        "marks": list(task.marks),
        "series_task": links.series_tasks.get(task.id),
        "previous_task": links.previous_tasks.get(task.id),
        "steps": [step_json(step) for step in task.steps],
    }


def report_json(report: Report, urls: Urls, links: SeriesLinks = SeriesLinks()) -> dict[str, Any]:
    counts = count_statuses(report.tasks)
    return {
        "slug": report.slug,
        "title": report.title,
        "region": report.region,
        "issuer": report.issuer,
        "year": report.year,
        "period": report.period,
        "published": report.published.isoformat() if report.published else None,
        "source_url": report.source_url,
        "has_status": report.has_status,
        "columns": [
            {"role": c.role.value if c.role else None, "label": c.label}
            for c in report.step_columns
        ],
        "sections": list(report.sections),
        "counts": {s.value: counts[s] for s in STATUS_ORDER} if report.has_status else None,
        "reconciliation": vars(report.reconciliation),
        "series": links.series,
        "period_end": links.period_end,
        "previous_report": links.previous_report,
        "tasks": [task_json(task, urls.task(task), links) for task in report.tasks],
    }


def site_json(site: Site, reports: Sequence[dict[str, Any]], urls: Urls) -> dict[str, Any]:
    """All data; ``reports``: report_json of each of the site's reports, in order."""
    return {
        "reports": list(reports),
        "series": [
            {
                "id": s.id,
                "name": s.name,
                "reports": [r.slug for r in s.reports],
                "tasks": [
                    {
                        "url": urls.thread(thread),
                        "periods": [t.id for t in thread.tasks],
                    }
                    for thread in s.threads
                ],
            }
            for s in site.series
        ],
        "units": [
            {
                "name": unit.name,
                "region": unit.region,
                "aliases": list(unit.aliases),
                "in_registry": unit.known,
                "tasks": [task.id for task in unit.tasks],
            }
            for unit in site.units
        ],
    }


def all_json(site: Site, reports: Sequence[bytes], urls: Urls) -> Iterator[bytes]:
    """The file of all data in parts: the same bytes as ``dumps(site_json(...))``.
    ``reports``: each report's ``dumps(report_json(...))``, compressed by zlib, in order."""
    rest = dumps(site_json(site, [], urls))
    head = b'{"reports":[]'
    assert rest.startswith(head)  # "reports" is site_json's first key
    yield b'{"reports":['
    for i, compressed in enumerate(reports):
        yield (b"," if i else b"") + zlib.decompress(compressed).removesuffix(b"\n")
    yield b"]" + rest[len(head) :]


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
                "series": data["series"] or "",
                "period": report.period or "",
                "previous_task_id": task_data["previous_task"] or "",
                "seq": task.seq,
                "article": task.article or "",
                "section": task.section or "",
                "text": task.text,
                "units": "、".join(task.units),
                "supporting_units": "、".join(task.supporting_units),
                "offices": "、".join(task.offices),
                "leaders": "、".join(task.leaders),
                "supervision": task.supervision or "",
                "task_status": task.status.value if task.status else "",
                "step_row": s["row"],
                "step_kind": step.kind or "",
                "plan": s["plan"] or "",
                "mark": step.mark or "",
                "step_status": s["status"] or "",
                "figure": s["figure"] or "",
                "progress": s["progress"] or "",
                "progress_merged": "true" if step.progress_merged else "false",
                "deadline": step.deadline or "",
                "cells": json.dumps(s["cells"], ensure_ascii=False) if s["cells"] else "",
            }
            writer.writerow([row[field] for field in CSV_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")
