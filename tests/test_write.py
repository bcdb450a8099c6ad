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

ASKED = ("spans", "joined", "header")
"""What check asks staff to settle, with the line it suggests from the cells."""


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
    by_confirming: dict[str, int] = {}
    for table in TABLES:
        data = tmp_path / table.stem
        (data / "reports").mkdir(parents=True)
        shutil.copy(CORPUS / "units.yml", data / "units.yml")
        shutil.copy(table, data / "reports" / table.name)
        meta = data / "reports" / (table.stem + ".yml")
        corpus = yaml.safe_load(table.with_suffix(".yml").read_text(encoding="utf-8")) or {}
        lines = [f"{key}: {corpus[key]}" for key in HAND if corpus.get(key) is not None]
        confirmed: list[str] = []
        # A second run after staff settled what check asked (which header spans two columns)
        # reads the table and writes the rest.
        for _ in range(2 if _asked(table) else 1):
            _confirm(table, data, meta, corpus, lines, confirmed)
        by_hand[table.stem] = len(lines)
        by_confirming[table.stem] = len(confirmed)
        result = read_data(data)
        assert [str(p) for p in result.problems] == [], table.name
        (report,) = result.reports
        expect = yaml.safe_load(table.with_suffix(".expect.yml").read_text(encoding="utf-8"))
        assert mismatches(report, expect, _registry()) + column_mismatches(report, expect) == []
    counts = sorted(by_hand.values())
    print("lines written by hand per corpus table:", counts)
    print("suggested lines confirmed per corpus table:", sorted(by_confirming.values()))
    assert max(counts) <= 4
    assert max(by_confirming.values()) <= 2


def _asked(table: Path) -> bool:
    expect = yaml.safe_load(table.with_suffix(".expect.yml").read_text(encoding="utf-8"))
    return bool(expect.get("asks"))


def _confirm(
    table: Path,
    data: Path,
    meta: Path,
    corpus: dict[str, object],
    lines: list[str],
    confirmed: list[str],
) -> None:
    """One run of check --write, then staff write their lines and confirm suggestions."""
    _write(data)
    written = meta.read_text(encoding="utf-8") if meta.exists() else ""
    sure, _, suggested = written.partition(MARKER)
    for line in suggested.splitlines():
        key, _, value = line.removeprefix("# ").partition(":")
        if key in ("merged", "blank") and key in corpus:
            entry = f"{key}: {corpus[key]}"  # confirmed as the corpus has it
            if entry not in confirmed:
                confirmed.append(entry)
        elif key in ASKED and key in corpus:
            # What only the table's reader could settle, suggested from the cells: staff
            # confirm the line, which must be the one the corpus .yml declares.
            shown = yaml.safe_load(value.split("   #")[0])
            assert shown == corpus[key], (table.name, key, shown)
            entry = line.removeprefix("# ").split("   #")[0]
            if entry not in confirmed:
                confirmed.append(entry)
    kept = set(sure.splitlines())
    added = [line for line in [*lines, *confirmed] if line not in kept]
    meta.write_text(sure + "".join(line + "\n" for line in added), encoding="utf-8")


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
