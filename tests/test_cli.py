from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_shipped_data_is_clean() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "data/reports/2023-province-key-tasks.txt：33 项任务，33 个步骤，8 个责任单位，0 条警告"
        in result.stdout
    )
    assert (
        "data/reports/2024-anqing-industry-q3.txt：17 项任务，34 个步骤，8 个责任单位，0 条警告"
        in result.stdout
    )


def test_check_lists_every_problem_and_fails(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(
        "序号\t工作事项\t责任单位\n1\t甲\t省科技厅\n1\t乙\t省科技厅\n", encoding="utf-8"
    )
    (reports / "b.txt").write_text("没有表头\n说明\t随便\n", encoding="utf-8")
    (reports / "c.txt").write_text("序号\t工作事项\t责任单位\n1\t丙\t省新设局\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    out = result.stdout
    assert f"{reports / 'a.txt'}:3: 错误：序号 1 与第 2 行的序号 1 重复" in out
    # One error for a table without a header, not one per line above it.
    assert f"{reports / 'b.txt'}: 错误：找不到表头" in out
    assert out.count(f"{reports / 'b.txt'}") == 2  # the error and the summary line
    assert f"{reports / 'c.txt'}:2: 警告：责任单位“省新设局”不在单位名录" in out
    assert f"{reports / 'c.txt'}：1 项任务，1 个步骤，1 个责任单位，3 条警告" in out
    assert "共 3 份报告，2 处错误" in out
    assert "Traceback" not in result.stderr


def test_render_writes_the_plugin_pages(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    result = run("render", "data", str(out), "--content", "content")
    assert result.returncode == 0, result.stderr
    tasks = list((out / "reports").glob("*/[0-9]*.md"))
    assert len(tasks) == 50
    assert (out / "units" / "市经济和信息化局.md").exists()
    home = (out / "index.md").read_text(encoding="utf-8")
    assert "## 完成情况" in home and "## 全部报告" in home and "gongkai:overview" not in home


def test_render_writes_the_files_of_the_built_site(
    tmp_path: Path, shipped_build: tuple[Path, object]
) -> None:
    """The two doors give one build: every file that is not a page (downloads, feeds, the
    search index) is what `mkdocs build` published for the same data, byte for byte."""
    site = shipped_build[0]
    project = site.parent
    out = tmp_path / "docs"
    result = run("render", "data", str(out), "--content", "content", cwd=project)
    assert result.returncode == 0, result.stderr
    written = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    generated = {
        p.relative_to(site).as_posix()
        for folder in ("downloads", "feeds", "search")
        for p in (site / folder).rglob("*")
        if p.is_file()
    }
    assert generated and generated <= written.keys()
    assert {"downloads/gongkai-all.json", "feeds/changes.xml", "search/meta.json"} <= generated
    for path, data in written.items():
        assert (site / path).read_bytes() == data, path
    # Feeds link to the address of mkdocs.yml, as the site's do.
    assert b"https://gongkai.example.com/reports/" in written["feeds/reports.xml"]


def test_render_takes_the_settings_of_another_config(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text(
        "site_name: 某市政府\nsite_url: !ENV [GONGKAI_UNSET_URL, https://example.org/sub/]\n"
        "use_directory_urls: false\n"
        "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:x.y\n"
        "plugins:\n  - gongkai:\n      search: false\n",
        encoding="utf-8",
    )
    out = tmp_path / "docs"
    result = run("render", "data", str(out), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert not (out / "search").exists()
    feed = (out / "feeds/reports.xml").read_text(encoding="utf-8")
    assert "<title>某市政府：新报告</title>" in feed
    assert "https://example.org/sub/reports/2024-anqing-industry-q3/index.html" in feed
    data = (out / "downloads/2024-anqing-industry-q3.json").read_text(encoding="utf-8")
    assert '"url":"reports/2024-anqing-industry-q3/1.html"' in data


def test_broken_yml_is_a_named_error_not_a_traceback(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "units.yml").write_text("units: [", encoding="utf-8")
    (reports / "a.txt").write_text("序号\t工作事项\n1\t任务\n", encoding="utf-8")
    (reports / "a.yml").write_text("published: 2024-13-01\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'units.yml'}:1: 错误：YAML 格式有误" in result.stdout
    assert (
        f"{reports / 'a.yml'}:1: 错误：published 应为日期 YYYY-MM-DD，而不是“2024-13-01”"
        in result.stdout
    )
    assert f"{reports / 'a.txt'}：有 1 处错误（含同名 .yml），不能发布" in result.stdout
    assert "Traceback" not in result.stderr


# A reader with a defect of ours, registered for made-up extensions in the process that runs
# `check` or `mkdocs build`: everything after the registry is the real load path.
DEFECTIVE = """
import sys
from builder import readers
from builder.readers import Cell, Grid, GridRow, text


def second_table(path):
    return [text.read(path)[1]]  # a reader sure that every file holds two tables


def lost_text(path):
    grid = text.read(path)[0]
    rows = tuple(
        GridRow(row.line, row.where, tuple(Cell(None) if c.text == "甲" else c for c in row.cells))
        for row in grid.rows
    )
    return [Grid(path=path, rows=rows)]  # a cell without its text, which nothing expects


readers.READERS[".boom"] = second_table
readers.READERS[".bad"] = lost_text
if sys.argv[1] == "check":
    from builder.__main__ import main

    sys.exit(main(sys.argv[1:]))
from mkdocs.__main__ import cli

cli(sys.argv[1:])
"""


def defective_data(root: Path) -> Path:
    data = root / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text((ROOT / "data/units.yml").read_text(encoding="utf-8"))
    table = "序号\t工作事项\t责任单位\n1\t甲\t省科技厅\n"
    (data / "reports/a.boom").write_text(table, encoding="utf-8")
    (data / "reports/b.bad").write_text(table, encoding="utf-8")
    (data / "reports/c.txt").write_text(table, encoding="utf-8")
    return data


DEFECT_A = "data/reports/a.boom: 错误：读取或解读这份表时出错：IndexError: list index out of range（这是本站的缺陷，请报告）"
DEFECT_B = "data/reports/b.bad: 错误：读取或解读这份表时出错：TypeError: "


def test_a_defect_while_reading_names_the_file_in_check(tmp_path: Path) -> None:
    defective_data(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", DEFECTIVE, "check", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert DEFECT_A in lines
    assert any(
        line.startswith(DEFECT_B) and line.endswith("（这是本站的缺陷，请报告）") for line in lines
    )
    # The other table is read as ever: the defect is said, not spread.
    assert any(
        line.startswith("data/reports/c.txt：1 项任务，1 个步骤，1 个责任单位") for line in lines
    )


def test_a_defect_while_reading_stops_mkdocs_build_with_the_file_named(tmp_path: Path) -> None:
    from conftest import make_project

    project = make_project(tmp_path, defective_data(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", DEFECTIVE, "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert DEFECT_A in result.stderr
    assert DEFECT_B in result.stderr
    assert not (project / "site").exists()
