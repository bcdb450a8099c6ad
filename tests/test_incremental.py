"""A build after a change takes the unchanged pages from the published site (incremental.py),
and what it publishes is byte for byte what a full build of the same data gives."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_project, mkdocs_build, plugin_option

# MkDocs writes the build day into the sitemap and every page's print footer: one day for all.
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}
SERIES = "2024-province-y-0001"
"""The latest period of the synthetic data's one series (1-6月, 1-9月, 年度)."""
ALONE = "2024-city-q1-0002"
"""A report in no series."""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four reports of benchmarks/synth.py: a series of three periods and one on its own."""
    data = tmp_path_factory.mktemp("synth") / "data"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/synth.py"), str(data), "--tasks", "100", "--seed", "1"],
        check=True, capture_output=True,
    )  # fmt: skip
    assert {p.stem for p in (data / "reports").glob("*.txt")} == {
        ALONE,
        SERIES,
        "2024-province-m1-6-0001",
        "2024-province-m1-9-0001",
    }
    return data


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build(project: Path) -> str:
    done = mkdocs_build(project, "--strict", env=ENV)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _reused(log: str) -> int:
    found = re.search(r"增量生成：(\d+) 个页面与上次发布的相同", log)
    return int(found.group(1)) if found else 0


def _assert_as_full_build(project: Path, tmp_path: Path, name: str) -> None:
    """The published site of ``project`` is, file for file, a full build of its data."""
    fresh = tmp_path / f"full-{name}"
    fresh.mkdir()
    shutil.copy(project / "mkdocs.yml", fresh / "mkdocs.yml")
    for folder in ("content", "overrides", "data"):
        shutil.copytree(project / folder, fresh / folder)
    _build(fresh)
    assert not (project / "site.staging").exists()
    built, full = _tree(project / "site"), _tree(fresh / "site")
    assert sorted(built) == sorted(full), name
    different = [path for path in full if built[path] != full[path]]
    assert not different, (name, different[:10])


def _move(data: Path, stem: str, to: Path) -> None:
    to.mkdir(exist_ok=True)
    for path in data.glob(f"reports/{stem}.*"):
        shutil.move(path, to / path.name)


def test_each_change_publishes_what_a_full_build_gives(synthetic: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "incremental", synthetic)
    data, aside = project / "data", tmp_path / "aside"
    _move(data, ALONE, aside)
    _move(data, SERIES, aside)
    assert _reused(_build(project)) == 0
    assert (project / ".gongkai-cache").is_dir() and not (project / "site/.gongkai-cache").exists()

    def add(stem: str) -> None:
        for path in aside.glob(f"{stem}.*"):
            shutil.copy(path, data / "reports" / path.name)

    def change_yml() -> None:
        yml = data / f"reports/{ALONE}.yml"
        text = yml.read_text(encoding="utf-8")
        assert "published: 2024-04-25" in text
        yml.write_text(text.replace("2024-04-25", "2024-05-08"), encoding="utf-8")

    def delete() -> None:
        for path in data.glob(f"reports/{ALONE}.*"):
            path.unlink()

    steps = [
        ("a-new-table", lambda: add(ALONE)),
        ("the-next-period", lambda: add(SERIES)),
        ("a-changed-yml", change_yml),
        ("a-deleted-table", delete),
        ("nothing", lambda: None),
    ]
    kept = project / "site/reports/2024-province-m1-6-0001/2/index.html"
    # Its report's downloads, made from the same tables, are taken as they are too, and so
    # is the page of a unit found only in that report's series.
    downloads = [project / f"site/downloads/2024-province-m1-6-0001.{x}" for x in ("json", "csv")]
    downloads.append(project / "site/units/省财政厅/index.html")
    for name, change in steps:
        change()
        inode = kept.stat().st_ino
        inodes = [path.stat().st_ino for path in downloads]
        pages = len(list((project / "site").rglob("index.html")))
        reused = _reused(_build(project))
        # Some pages are taken from the published site, never all (the overviews change).
        assert 0 < reused < pages, (name, reused, pages)
        _assert_as_full_build(project, tmp_path, name)
        # The cache holds what this site was built from, not every table it ever had.
        tables = len(list((project / ".gongkai-cache/tables").iterdir()))
        assert tables == len(list(data.glob("reports/*.txt"))), name
        if name != "the-next-period":  # its series' pages change with the next period
            # The same file, linked from the site that was published into its successor.
            assert kept.stat().st_ino == inode, name
            assert [path.stat().st_ino for path in downloads] == inodes, name


def test_a_changed_configuration_or_override_builds_everything(
    synthetic: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, synthetic)
    _build(project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: 政府工作报告任务公开", "site_name: 任务公开网"
        ),
        encoding="utf-8",
    )
    assert _reused(_build(project)) == 0
    assert "任务公开网" in (project / f"site/reports/{ALONE}/1/index.html").read_text("utf-8")
    assert _reused(_build(project)) > 0
    main = project / "overrides/main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{# 改过 #}\n", encoding="utf-8")
    assert _reused(_build(project)) == 0
    _assert_as_full_build(project, tmp_path, "override")


def test_a_missing_or_broken_cache_or_another_site_builds_everything(
    synthetic: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, synthetic)
    _build(project)
    cache = project / ".gongkai-cache"
    (cache / "pages-site.json").write_text("{", encoding="utf-8")
    for table in (cache / "tables").iterdir():
        table.write_bytes(b"not a pickle")
    assert _reused(_build(project)) == 0
    _assert_as_full_build(project, tmp_path, "broken")
    shutil.rmtree(cache)
    assert _reused(_build(project)) == 0
    # A published site that is not the one the manifest describes (put back from a copy).
    copy = tmp_path / "copy"
    shutil.copytree(project / "site", copy)
    shutil.rmtree(project / "site")
    copy.rename(project / "site")
    assert _reused(_build(project)) == 0
    # A page gone from the published site is made again, not taken.
    (project / f"site/reports/{ALONE}/1/index.html").unlink()
    assert _reused(_build(project)) > 0
    _assert_as_full_build(project, tmp_path, "page-gone")


def test_a_failing_table_leaves_the_site_and_the_cache_untouched(
    synthetic: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, synthetic)
    _build(project)
    site, cache = _tree(project / "site"), _tree(project / ".gongkai-cache")
    (project / "data/reports/bad.txt").write_text(
        "序号\t工作事项\t责任单位\n1\t任务\t省科技厅\t多\n", encoding="utf-8"
    )
    failed = mkdocs_build(project, env=ENV)
    assert failed.returncode != 0 and "bad.txt" in failed.stderr
    assert _tree(project / "site") == site
    assert _tree(project / ".gongkai-cache") == cache
    (project / "data/reports/bad.txt").unlink()
    assert _reused(_build(project)) > 0


def test_a_province_sized_site_writes_its_files_in_the_build_process(
    synthetic: Path, tmp_path: Path
) -> None:
    """Above ``fork_limit`` task rows the downloads, feeds and search index are written by
    the build process itself, before the pages (no second copy of the model): the same site."""
    project = make_project(tmp_path, synthetic)
    plugin_option(project, "fork_limit: 0")
    _build(project)
    fresh = make_project(tmp_path / "forked", synthetic)
    _build(fresh)
    alone, forked = _tree(project / "site"), _tree(fresh / "site")
    assert sorted(alone) == sorted(forked)
    assert [p for p in forked if alone[p] != forked[p]] == []
    assert any(p.startswith("search/") for p in forked) and "downloads/gongkai-all.json" in forked


def test_search_terms_are_taken_from_the_last_build_only_for_unchanged_records(
    synthetic: Path, tmp_path: Path
) -> None:
    from builder.incremental import TermsCache
    from builder.load import load_site
    from builder.search import search_records, terms

    records = search_records(load_site(synthetic).site)
    first = TermsCache(tmp_path)
    assert [first.terms(r) for r in records] == [terms(r) for r in records]
    assert first.hits == 0
    first.stage()
    first.save()  # as after a publish
    again = TermsCache(tmp_path)
    assert [again.terms(r) for r in records] == [terms(r) for r in records]
    assert again.hits == len(records)
    # A record whose searched text changed is cut again, not answered with its old terms.
    changed = dataclasses.replace(records[-1], text=records[-1].text + "新增的词语")
    third = TermsCache(tmp_path)
    assert third.terms(changed) == terms(changed) and "词语" in third.terms(changed)
    assert third.hits == 0
    # A build that did not publish leaves the terms as they were.
    third.stage()
    third.discard()
    assert TermsCache(tmp_path).terms(records[0]) == terms(records[0])
