"""check --write on a new office's first table: the .yml it writes, and what staff still write
by hand, measured on every table of the corpus."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import yaml
from test_corpus import CORPUS, TABLES, _registry, column_mismatches, mismatches

from builder.__main__ import main
from builder.errors import Fix
from builder.load import read_data
from builder.sidecar import MARKER, updated

HAND = ("published", "source", "region", "title")
"""What only staff know: when and where the table was published, where the office is, and
a title where the page gave none."""


def _write(data: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--write", str(data)])
    return out.getvalue()


def test_every_corpus_table_publishes_with_the_written_yml_and_a_few_lines_by_hand(
    tmp_path: Path,
) -> None:
    """From no .yml at all: check --write, then staff add what only they know (from the
    corpus .yml: date, address, place, a missing title) and keep the commented lines they
    confirm (a lost merge the corpus .yml also declares). The table then reads as the person
    read it, with no warning left."""
    by_hand: dict[str, int] = {}
    for table in TABLES:
        data = tmp_path / table.stem
        (data / "reports").mkdir(parents=True)
        shutil.copy(CORPUS / "units.yml", data / "units.yml")
        shutil.copy(table, data / "reports" / table.name)
        _write(data)
        meta = data / "reports" / (table.stem + ".yml")
        written = meta.read_text(encoding="utf-8") if meta.exists() else ""
        sure, _, suggested = written.partition(MARKER)
        corpus = yaml.safe_load(table.with_suffix(".yml").read_text(encoding="utf-8")) or {}
        lines = [f"{key}: {corpus[key]}" for key in HAND if corpus.get(key) is not None]
        for line in suggested.splitlines():
            key = line.removeprefix("# ").split(":", 1)[0]
            if key == "merged" and key in corpus:
                lines.append(f"merged: {corpus['merged']}")  # confirmed, as the corpus has it
        meta.write_text(sure + "".join(line + "\n" for line in lines), encoding="utf-8")
        by_hand[table.stem] = len(lines)
        result = read_data(data)
        assert [str(p) for p in result.problems] == [], table.name
        (report,) = result.reports
        expect = yaml.safe_load(table.with_suffix(".expect.yml").read_text(encoding="utf-8"))
        assert mismatches(report, expect, _registry()) + column_mismatches(report, expect) == []
    counts = sorted(by_hand.values())
    print("lines written by hand per corpus table:", counts)
    assert max(counts) <= 4


def test_staff_lines_are_kept_and_a_second_run_changes_nothing() -> None:
    existing = "region: 安徽省安庆市   # 员工写的\ncolumns: {分值: 原样}\n"
    fixes = [
        Fix("columns", "备考: 原样"),
        Fix("columns", "分值: 原样"),
        Fix("merged", "牵头单位", sure=False, note="只在合并单元格时保留"),
        Fix("merged", "责任领导", sure=False),
        Fix("published", "", sure=False, note="发布日期"),
        Fix("units", "{name: 市某中心}", sure=False),
    ]
    first = updated(existing, fixes)
    assert first.text.startswith(
        "region: 安徽省安庆市   # 员工写的\ncolumns: {分值: 原样, 备考: 原样}\n"
    )
    assert "# merged: [牵头单位, 责任领导]   # 只在合并单元格时保留" in first.text
    assert "#   - {name: 市某中心}" in first.text
    assert (first.sure, first.to_check) == (1, 3)
    # Staff confirm one suggestion in place; the next run keeps it and writes the rest again.
    taken = first.text.replace("# published:    # 发布日期", "published: 2024-10-15")
    second = updated(taken, [f for f in fixes if f.key not in ("published",)])
    assert "published: 2024-10-15" in second.text.split(MARKER)[0]
    assert second.text.count(MARKER) == 1
    assert updated(second.text, [f for f in fixes if f.key != "published"]).text == second.text
