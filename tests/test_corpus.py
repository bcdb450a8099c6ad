"""The corpus of real published tables is the specification of what the reader must read.

Each table under ``tests/corpus/`` comes with where it was published (``.source.yml``), what
staff would add to publish it (``.yml``), a person's reading of it written before any code
read it (``.expect.yml``) and the golden record of what the builder reads (``.golden.json``,
refreshed with ``--update-golden``).
"""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import make_project, mkdocs_build
from dumping import dump_report
from pdf_fixture import draw_formats_table

from builder.columns import Role
from builder.load import load_file
from builder.model import Report, Task
from builder.readers import READERS
from builder.units import Registry, load_registry

CORPUS = Path(__file__).parent / "corpus"
TABLES = sorted(p for p in CORPUS.iterdir() if p.suffix in READERS and ".golden" not in p.name)


def _registry() -> Registry:
    registry, problems = load_registry(CORPUS / "units.yml")
    assert problems == ()
    return registry


def _load(table: Path) -> tuple[list[Report], list[str]]:
    reports, found, _ = load_file(table, _registry())
    return reports, [str(p).replace(str(CORPUS) + "/", "") for p in found]


def _figure(task: Task) -> str | None:
    return task.figure.text if task.figure is not None else None


def mismatches(report: Report, expect: dict[str, Any], registry: Registry) -> list[str]:
    """How the builder's reading differs from the person's reading, one line each. Unit
    names are compared as the registry names them (an alias is the same unit)."""
    scope = registry.scope(report.region)
    out = []
    tasks = report.tasks
    if len(tasks) != expect["tasks"]:
        out.append(f"tasks: {len(tasks)} read, {expect['tasks']} expected")
    # A section name that comes back later is the same section (one group on the report page).
    sections = list(dict.fromkeys(str(s) for s in expect.get("sections") or []))
    if list(report.sections) != sections:
        out.append(f"sections: {list(report.sections)} read, {expect.get('sections')} expected")
    for item in expect.get("check") or []:
        n = item["n"]
        if n > len(tasks):
            out.append(f"task {n}: missing")
            continue
        task = tasks[n - 1]
        seen = {
            "text": task.text if not task.article else f"{task.article}.{task.text}",
            "units": list(task.units),
            "supporting_units": list(task.supporting_units),
            "leader": "、".join(task.leaders) or None,
            "status": "；".join(task.marks) or None,
            "progress_figure": _figure(task),
            "deadline": task.deadline,
            "lines": len(task.steps),
            "target": _first(task, Role.TARGET),
            "actual": _first(task, Role.ACTUAL),
        }
        for key, got in seen.items():
            want = item.get(key)
            if key == "text" or (key in ("target", "actual") and want is not None):
                want = _squash(str(want))
                got = _squash(str(got)) if got is not None else None
            if key in ("units", "supporting_units"):
                want = [scope.canonical(u) or _squash(u) for u in want or []]
                got = [_squash(u) for u in got or []]
            if key == "leader" and want is not None:
                names = want if isinstance(want, list) else str(want).replace(",", "、").split("、")
                want = "、".join(_squash(x) for x in names)
                got = "、".join(_squash(x) for x in str(got or "").split("、")) or None
            stated = key in ("status", "progress_figure") and want is not None and got is not None
            if stated and _squash(str(want)) in _squash(str(got)):
                continue  # the stated word or figure, within what the cell says
            if want != got:
                out.append(f"task {n} {key}: {got!r} read, {want!r} expected")
    return out


def _first(task: Task, role: Role) -> str | None:
    """The task's target or actual as a person states it for the task: the one text its lines
    give (None where its lines give several, one per indicator)."""
    # The column's cells on every line, also those read as something else (a sentence under
    # 已完成数 is not an amount, but it is that line's own result).
    labels = {f.label for step in task.steps if (f := step.field(role)) is not None}
    texts = []
    for step in task.steps:
        for field in step.fields:
            if field.label in labels and field.value.text and field.value.text not in texts:
                texts.append(field.value.text)
    if not any(step.field(role) is not None for step in task.steps):
        return None
    return texts[0] if len(texts) == 1 else None


# The person's words for a column's role (.expect.yml) and the roles that answer to them.
EXPECTED_ROLES: dict[str, set[Role | None]] = {
    "seq": {Role.SEQ},
    "task": {Role.TASK},
    "section": {Role.SECTION},
    "units": {Role.UNITS, Role.LEAD_UNITS},
    "lead_units": {Role.LEAD_UNITS, Role.UNITS, Role.OFFICE},
    "supporting_units": {Role.SUPPORT_UNITS, Role.UNITS},
    "leader": {Role.LEADER},
    "deadline": {Role.DEADLINE},
    "plan": {Role.PLAN},
    "progress": {Role.PROGRESS},
    "progress_figure": {Role.FIGURE},
    "target": {Role.TARGET},
    "actual": {Role.ACTUAL},
    "status": {Role.STATUS, Role.MARK_DONE, Role.MARK_NOT_DONE},
    "problems": {Role.PROBLEMS},
    "next_steps": {Role.NEXT_STEPS},
    "place": {Role.PLACE},
    "remarks": {Role.REMARKS},
    "supervision": {Role.SUPERVISION},
    "office": {Role.OFFICE},
    "kind": {Role.STEP_KIND},
    "other": {None, Role.EXTRA, Role.REMARKS, Role.STEP_KIND},
    "extra": {None, Role.EXTRA},
}


def column_mismatches(report: Report, expect: dict[str, Any]) -> list[str]:
    """Each column the person named, found by its header words in the order written, with the
    role the builder read for it."""
    assert report.reading is not None
    columns = [(_squash(c.label), c.role) for c in report.reading.columns]
    out = []
    used: set[int] = set()
    last = -1
    for item in expect.get("columns") or []:
        # A two-line header is written "group / column"; a header cell over two columns names
        # both; a column with no header of its own is written "".
        parts = [_squash(p) for p in str(item["header"]).split(" / ")]
        accepted = EXPECTED_ROLES[str(item["role"])]
        matching = [
            i
            for i, (label, _) in enumerate(columns)
            if i not in used
            and (all(p and p in label for p in parts) or (parts == [""] and i == last + 1))
        ]
        if not matching and len(parts) > 1:
            matching = [i for i, (label, _) in enumerate(columns) if parts[-1] == label]
        if not matching:
            out.append(f"column {item['header']}: not in the header read")
            continue
        found = next((i for i in matching if columns[i][1] in accepted), matching[0])
        used.add(found)
        last = found
        role = columns[found][1]
        if role not in accepted:
            got = role.value if role is not None else None
            out.append(f"column {item['header']}: {got!r} read, {item['role']!r} expected")
    return out


def _squash(text: str) -> str:
    return "".join(str(text).split())


@pytest.mark.parametrize("table", TABLES, ids=[p.stem for p in TABLES])
def test_corpus_table_reads_as_a_person_reads_it(table: Path, update_golden: bool) -> None:
    reports, problems = _load(table)
    assert reports, "\n".join(problems)
    expect = yaml.safe_load(table.with_suffix(".expect.yml").read_text(encoding="utf-8"))
    registry = _registry()
    assert mismatches(reports[0], expect, registry) + column_mismatches(reports[0], expect) == []
    actual = {"problems": problems, "report": dump_report(reports[0])}
    golden = table.with_name(table.stem + ".golden.json")
    text = json.dumps(actual, ensure_ascii=False, indent=1) + "\n"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: write it with --update-golden, review it"
    assert json.loads(golden.read_text(encoding="utf-8")) == actual


@pytest.mark.parametrize("table", TABLES, ids=[p.stem for p in TABLES])
def test_corpus_table_taken_from_the_table_cache_is_the_table_as_read(table: Path) -> None:
    """A later build takes an unchanged table from the cache (incremental.py), pickled: it
    must give the same reports, down to each cell's text, Markdown and HTML and what is
    worked out from a task's lines (status, figure, its units)."""
    reports, _ = _load(table)
    again = pickle.loads(pickle.dumps(reports, pickle.HIGHEST_PROTOCOL))
    assert again == reports
    assert [dump_report(r) for r in again] == [dump_report(r) for r in reports]
    for before, after in zip(reports, again, strict=True):
        for old, new in zip(before.tasks, after.tasks, strict=True):
            worked_out = ("id", "status", "figure", "stated", "unit_keys", "marks", "deadline")
            assert [getattr(new, name) for name in worked_out] == [
                getattr(old, name) for name in worked_out
            ]
            cells = [(f.value.text, f.value.html) for s in old.steps for f in s.fields]
            assert [(f.value.text, f.value.html) for s in new.steps for f in s.fields] == cells
            assert new.source == old.source


@pytest.mark.parametrize("table", TABLES, ids=[p.stem for p in TABLES])
def test_corpus_table_has_its_provenance(table: Path) -> None:
    source = yaml.safe_load(table.with_suffix(".source.yml").read_text(encoding="utf-8"))
    assert str(source["url"]).startswith("http")
    assert source["publisher"] and source["level"] in {"province", "city", "county", "town"}
    meta = table.with_suffix(".yml").read_text(encoding="utf-8")
    lines = [
        line for line in meta.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(lines) <= 10, "a corpus table must publish with a .yml of ten lines at most"


def test_corpus_is_broad() -> None:
    levels: dict[str, int] = {}
    for table in TABLES:
        source = yaml.safe_load(table.with_suffix(".source.yml").read_text(encoding="utf-8"))
        levels[source["level"]] = levels.get(source["level"], 0) + 1
    assert len(TABLES) >= 15
    assert {"city", "county", "town"} <= set(levels)
    assert {p.suffix for p in TABLES} >= {".txt", ".html"}


def _corpus_data(tmp: Path, with_yml: bool) -> Path:
    data = tmp / "data"
    (data / "reports").mkdir(parents=True)
    shutil.copy(CORPUS / "units.yml", data / "units.yml")
    for table in TABLES if with_yml else [t for t in TABLES if not _asks(t)]:
        shutil.copy(table, data / "reports" / table.name)
        if with_yml:
            shutil.copy(table.with_suffix(".yml"), data / "reports" / (table.stem + ".yml"))
    return data


def _asks(table: Path) -> str | None:
    """What check must ask staff before the table can be read (``asks`` in .expect.yml): a
    decision the cells alone do not settle, such as which header spans two columns."""
    expect = yaml.safe_load(table.with_suffix(".expect.yml").read_text(encoding="utf-8"))
    return expect.get("asks")


ASKING = [t for t in TABLES if _asks(t)]


@pytest.mark.parametrize("table", ASKING, ids=[p.stem for p in ASKING])
def test_corpus_table_that_needs_a_decision_is_refused_with_the_line_to_write(
    table: Path, tmp_path: Path
) -> None:
    """Without its .yml, the table is not read at all (never read shifted or guessed): one
    error names the decision and the .yml line the person's reading confirms."""
    shutil.copy(table, tmp_path / table.name)
    reports, found, _ = load_file(tmp_path / table.name, _registry())
    errors = [str(p) for p in found if "错误" in str(p)]
    assert reports == [] and len(errors) == 1, errors
    assert str(_asks(table)) in errors[0]


def test_corpus_publishes_under_strict_with_nothing_lost(tmp_path: Path) -> None:
    project = make_project(tmp_path, _corpus_data(tmp_path, with_yml=True))
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr[-6000:]
    site = project / "site"
    pages = sorted((site / "reports").glob("*/*/index.html"))
    assert len(pages) >= 150
    for table in TABLES:
        pages.append(site / "reports" / table.stem / "index.html")
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = doc.select_one("article")
        assert article is not None, path
        h1 = article.select_one("h1")
        assert h1 is not None and h1.get_text(strip=True), f"{path}: empty title"
        shown = article.get_text()
        # No cell's markup reaches the reader as text.
        for tag in ("<p>", "</p>", "<br", "&lt;", "&gt;", "&nbsp;", "&amp;"):
            assert tag not in shown, (path, tag)


def test_corpus_publishes_without_any_yml(tmp_path: Path) -> None:
    data = _corpus_data(tmp_path, with_yml=False)
    (data / "units.yml").unlink()
    project = make_project(tmp_path, data)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-6000:]
    assert "ERROR" not in result.stderr


FORMATS = CORPUS / "formats"
FORMAT_SUFFIXES = (".txt", ".csv", ".xlsx", ".docx", ".html")


def test_one_table_in_six_formats_gives_the_same_data(
    tmp_path: Path, print_pdf: Callable[[Path], Path]
) -> None:
    """The same table as .txt, .csv, .xlsx, .docx and .html, and as the PDF an office posts:
    the Word file and the Excel sheet printed by LibreOffice, and the table drawn by a second
    PDF producer (reportlab). The JSON downloads are the same bytes, and each file is offered
    for download as it was received."""
    stem = "2024-taishun-minsheng-4yue"
    sources = {suffix[1:]: FORMATS / (stem + suffix) for suffix in FORMAT_SUFFIXES}
    sources["word-pdf"] = print_pdf(FORMATS / f"{stem}.docx")
    sources["excel-pdf"] = print_pdf(FORMATS / f"{stem}.xlsx")
    sources["drawn-pdf"] = draw_formats_table(tmp_path / "drawn" / f"{stem}.pdf")
    downloads = {}
    for name, source in sources.items():
        suffix = source.suffix
        data = tmp_path / name / "data"
        (data / "reports").mkdir(parents=True)
        shutil.copy(CORPUS / "units.yml", data / "units.yml")
        shutil.copy(source, data / "reports" / (stem + suffix))
        shutil.copy(FORMATS / (stem + ".yml"), data / "reports" / (stem + ".yml"))
        project = make_project(tmp_path / name, data)
        result = mkdocs_build(project, "--strict")
        assert result.returncode == 0, (name, result.stderr[-3000:])
        site = project / "site"
        downloads[name] = (site / f"downloads/{stem}.json").read_bytes()
        received = (site / f"downloads/{stem}-source{suffix}").read_bytes()
        original = source.read_bytes()
        if suffix in (".txt", ".csv"):  # text tables: UTF-8 with a BOM for spreadsheet programs
            assert received == b"\xef\xbb\xbf" + original.removeprefix(b"\xef\xbb\xbf")
        else:
            assert received == original
    assert len(json.loads(downloads["txt"])["tasks"]) == 6
    differ = {name: _json_diff(downloads["txt"], data) for name, data in downloads.items()}
    assert not any(differ.values()), differ
    assert len(set(downloads.values())) == 1


def _json_diff(expected: bytes, got: bytes) -> list[str]:
    """The fields two JSON downloads differ in, by path: what a failure shows."""
    out: list[str] = []

    def walk(a: Any, b: Any, where: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{where}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            out.append(f"{where}: {a!r} != {b!r}")

    walk(json.loads(expected), json.loads(got), "")
    return out
