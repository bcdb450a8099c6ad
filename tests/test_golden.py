"""Golden tests for parse (with the model built on it) and clean: input file → expected JSON.

Refresh with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from dumping import dump_report

from builder.clean import clean_cell
from builder.load import load_file
from builder.units import load_registry

GOLDEN = Path(__file__).parent / "golden"
PARSE_CASES = sorted((GOLDEN / "parse").glob("*.txt"))
CLEAN_CASES = sorted((GOLDEN / "clean").glob("*.yml"))


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
    reports, found, _ = load_file(case, registry)
    actual = {
        "problems": [str(p).replace(str(case.parent) + "/", "") for p in found],
        "report": dump_report(reports[0] if reports else None),
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
