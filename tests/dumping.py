"""What a report reads as, in a JSON-friendly form: the shape of the golden files."""

from __future__ import annotations

from typing import Any

from builder.model import Report


def dump_report(report: Report | None) -> Any:
    if report is None:
        return None
    return {
        "title": report.title,
        "region": report.region,
        "year": report.year,
        "period": report.period,
        "published": report.published.isoformat() if report.published else None,
        "has_status": report.has_status,
        "status_column": report.status_column,
        "step_columns": [[c.role.value if c.role else None, c.label] for c in report.step_columns],
        "sections": list(report.sections),
        "preamble": list(report.preamble),
        "reconciliation": vars(report.reconciliation),
        "tasks": [
            {
                "seq": t.seq,
                "key": t.key,
                "line": t.line,
                "article": t.article,
                "text": t.text,
                "units": list(t.units),
                "supporting_units": list(t.supporting_units),
                "offices": list(t.offices),
                "leaders": list(t.leaders),
                "supervision": t.supervision,
                "section": t.section,
                "status": t.status.value if t.status else None,
                "steps": [
                    {
                        "line": s.line,
                        "label": s.label,
                        "kind": s.kind,
                        "mark": s.mark,
                        "status": s.status.value if s.status else None,
                        "status_source": s.status_source,
                        "figure": [s.figure.text, s.figure.percent] if s.figure else None,
                        "fields": {
                            f.label: (f.value.markdown if not f.merged else "〃") for f in s.fields
                        },
                    }
                    for s in t.steps
                ],
            }
            for t in report.tasks
        ],
    }
