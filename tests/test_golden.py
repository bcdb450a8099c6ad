"""Golden tests for parse (with the model built on it) and clean: input file → expected JSON.

Refresh with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.clean import clean_cell
from builder.load import load_report
from builder.model import Report
from builder.units import load_registry

GOLDEN = Path(__file__).parent / "golden"
PARSE_CASES = sorted((GOLDEN / "parse").glob("*.txt"))
CLEAN_CASES = sorted((GOLDEN / "clean").glob("*.yml"))


def dump_report(report: Report | None) -> Any:
    if report is None:
        return None
    return {
        "title": report.title,
        "year": report.year,
        "period": report.period,
        "has_status": report.has_status,
        "plan_label": report.plan_label,
        "progress_label": report.progress_label,
        "sections": list(report.sections),
        "extra_labels": list(report.extra_labels),
        "reconciliation": vars(report.reconciliation),
        "tasks": [
            {
                "seq": t.seq,
                "line": t.line,
                "article": t.article,
                "text": t.text,
                "units": list(t.units),
                "supporting_units": list(t.supporting_units),
                "offices": list(t.offices),
                "supervision": t.supervision,
                "section": t.section,
                "status": t.status.value if t.status else None,
                "steps": [
                    {
                        "line": s.line,
                        "kind": s.kind,
                        "plan": s.plan.markdown if s.plan else None,
                        "mark": s.mark,
                        "status": s.status.value if s.status else None,
                        "progress": s.progress.markdown if s.progress else None,
                        "progress_merged": s.progress_merged,
                        "deadline": s.deadline,
                        "extras": {e.label: e.value.markdown for e in s.extras},
                    }
                    for s in t.steps
                ],
            }
            for t in report.tasks
        ],
    }


def check_golden(path: Path, actual: Any, update: bool) -> None:
    text = json.dumps(actual, ensure_ascii=False, indent=1) + "\n"
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"{path.name} did not exist; written, review it and run again")
    assert json.loads(path.read_text(encoding="utf-8")) == actual


@pytest.mark.parametrize("case", PARSE_CASES, ids=[p.stem for p in PARSE_CASES])
def test_parse_golden(case: Path, update_golden: bool) -> None:
    registry, problems = load_registry(GOLDEN / "units.yml")
    assert problems == ()
    report, found = load_report(case, registry)
    actual = {
        "problems": [str(p).replace(str(case), case.name) for p in found],
        "report": dump_report(report),
    }
    check_golden(case.with_suffix(".json"), actual, update_golden)


@pytest.mark.parametrize("case", CLEAN_CASES, ids=[p.stem for p in CLEAN_CASES])
def test_clean_golden(case: Path, update_golden: bool) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    cleaned = clean_cell(spec["input"])
    actual = {"markdown": cleaned.markdown, "text": cleaned.text, "dropped": list(cleaned.dropped)}
    expected_path = case.with_suffix(".json")
    check_golden(expected_path, actual, update_golden)


def test_golden_cases_exist() -> None:
    assert len(PARSE_CASES) >= 6 and len(CLEAN_CASES) >= 8
