"""End-to-end: the shipped data built with the real `mkdocs build --strict`, checked in the HTML."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, data_with, make_project, mkdocs_build

REPORTS = {"2023-province-key-tasks": 33, "2024-anqing-industry-q3": 17}
HEADER_WORDS = {"序号", "类别", "已完成", "未完成", "季度", "季度类别"}
SEPARATORS = re.compile(r"[,，、【】\s]+")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article_text(path: Path) -> str:
    """The page's article text without whitespace, each ordered-list item with its number."""
    doc = soup(path)
    article = doc.select_one("article")
    assert article is not None, path
    for ol in article.find_all("ol"):
        for n, li in enumerate(ol.find_all("li", recursive=False), start=1):
            li.insert(0, f"{n}.")
    return re.sub(r"\s+", "", article.get_text())


def task_pages(site: Path, slug: str) -> dict[str, Path]:
    return {p.parent.name: p for p in (site / "reports" / slug).glob("*/index.html")}


def test_every_task_has_a_page(site_dir: Path) -> None:
    for slug, count in REPORTS.items():
        assert len(task_pages(site_dir, slug)) == count
    assert sum(len(task_pages(site_dir, s)) for s in REPORTS) == 50


def test_build_logs_what_it_published(shipped_build: tuple[Path, object]) -> None:
    _, result = shipped_build
    log = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert "报告 2023-province-key-tasks：发布 33 项任务、8 个责任单位" in log
    assert "报告 2024-anqing-industry-q3：发布 17 项任务、8 个责任单位" in log
    assert "WARNING" not in log


def _source_records(path: Path) -> dict[str, list[list[str]]]:
    """Cells of each task as the file has them, read without the project's parser."""
    records: dict[str, list[list[str]]] = defaultdict(list)
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if (
            not any(cells)
            or cells[0] == "序号"
            or (len([c for c in cells if c]) == 1 and current is None)
        ):
            continue
        if not cells[0] and all(c in HEADER_WORDS for c in cells if c):
            continue
        if cells[0]:
            current = cells[0]
        assert current is not None
        records[current].append(cells)
    return records


@pytest.mark.parametrize("slug", sorted(REPORTS))
def test_every_source_cell_appears_on_its_task_page(site_dir: Path, slug: str) -> None:
    pages = task_pages(site_dir, slug)
    records = _source_records(ROOT / "data" / "reports" / f"{slug}.txt")
    assert sorted(records) == sorted(pages)
    checked = 0
    for seq, rows in records.items():
        text = article_text(pages[seq])
        for row in rows:
            for cell in row[1:]:
                plain = BeautifulSoup(cell, "html.parser").get_text() if "<" in cell else cell
                for segment in SEPARATORS.split(plain):
                    if not segment:
                        continue
                    # A leading article number "18." is shown as "第 18 条" beside the text.
                    m = re.match(r"^(\d{1,3})[.．](\D.*)$", segment)
                    if m and segment not in text:
                        assert f"第{m.group(1)}条" in text, (seq, segment)
                        segment = m.group(2)
                    assert segment in text, f"{slug} 序号 {seq}: {segment!r} not on its page"
                    checked += 1
    assert checked > 300


def test_title_lines_appear_on_report_pages(site_dir: Path) -> None:
    for slug in REPORTS:
        first = next(
            line
            for line in (ROOT / "data/reports" / f"{slug}.txt")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip()
        )
        title = re.sub(r"\s+", "", first.lstrip("#"))
        assert title in article_text(site_dir / "reports" / slug / "index.html")


EXPECTED_UNIT_TASKS = {
    "市财政局(市国资委)": {"2024-anqing-industry-q3/22"},
    "合肥市政府": {"2023-province-key-tasks/11"},
    "安庆石化": {"2024-anqing-industry-q3/4"},
    "安庆高新区管委会": {"2024-anqing-industry-q3/4", "2024-anqing-industry-q3/6"},
    "市发展改革委": {"2024-anqing-industry-q3/19", "2024-anqing-industry-q3/30"},
    "相关县(市、区)政府": {"2024-anqing-industry-q3/18"},
    "市招商中心": {"2024-anqing-industry-q3/5"},
    "省发展改革委": {f"2023-province-key-tasks/{n}" for n in (2, 4, 5, 6, 11, 12, 14, 31)},
    "省经济和信息化厅": {f"2023-province-key-tasks/{n}" for n in range(1, 34)},
    "市经济和信息化局": {
        f"2024-anqing-industry-q3/{n}"
        for n in (1, 4, 5, 6, 8, 9, 10, 11, 12, 18, 19, 22, 23, 25, 29, 30, 31)
    },
}


def _linked_tasks(page: Path, site: Path) -> set[str]:
    found = set()
    for a in soup(page).select("article a[href]"):
        target = (page.parent / unquote(a["href"])).resolve()
        rel = target.relative_to(site.resolve()).as_posix().strip("/")
        if re.fullmatch(r"reports/[^/]+/[^/]+", rel):
            found.add(rel.removeprefix("reports/"))
    return found


@pytest.mark.parametrize("unit", sorted(EXPECTED_UNIT_TASKS))
def test_unit_pages_list_exactly_their_tasks(site_dir: Path, unit: str) -> None:
    page = site_dir / "units" / unit / "index.html"
    assert _linked_tasks(page, site_dir) == EXPECTED_UNIT_TASKS[unit]


def test_units_index_and_task_pages_link_both_ways(site_dir: Path) -> None:
    unit_pages = sorted((site_dir / "units").glob("*/index.html"))
    assert len(unit_pages) == 16
    for unit_page in unit_pages:
        for task in _linked_tasks(unit_page, site_dir):
            task_page = site_dir / "reports" / task / "index.html"
            links = {unquote(a["href"]) for a in soup(task_page).select("article a[href]")}
            assert any(f"units/{unit_page.parent.name}/" in link for link in links), (
                unit_page,
                task,
            )


def test_task_page_shows_its_facts(site_dir: Path) -> None:
    page = soup(site_dir / "reports/2024-anqing-industry-q3/4/index.html")
    h1 = page.select_one("article h1")
    assert (
        h1 is not None
        and h1.get_text(strip=True) == "加快推进安庆石化轻烃资源综合利用及高端材料项目"
    )
    tel = page.select_one('article a[href^="tel:"]')
    # The table's 7-digit number, dialled with 安庆's area code from the report's .yml.
    assert tel is not None and tel["href"] == "tel:05565515029"
    assert tel.get_text() == "0556-5515029"
    text = article_text(site_dir / "reports/2024-anqing-industry-q3/4/index.html")
    for expected in (
        "序号：4",
        "责任科室：产业科",
        "进度安排",
        "施工图",
        "第三季度",
        "已完成",
        "✓",
    ):
        assert expected in text
    province = article_text(site_dir / "reports/2023-province-key-tasks/2/index.html")
    assert "报告条目：第18条" in province
    # The provincial table has no status column: none is invented, and the page says so.
    for word in ("已完成", "推进中", "未完成"):
        assert word not in province
    assert "未写明状态（原表没有完成状态一栏）" in province


def test_report_page_lists_tasks_with_status(site_dir: Path) -> None:
    page = soup(site_dir / "reports/2024-anqing-industry-q3/index.html")
    rows = page.select("table.gk-tasks tbody tr")
    assert len(rows) == 17
    statuses = [r["data-status"] for r in rows]
    assert statuses.count("in-progress") == 2 and statuses.count("done") == 15
    province = soup(site_dir / "reports/2023-province-key-tasks/index.html")
    assert len(province.select("table.gk-tasks tbody tr")) == 33
    # No status column: no task states one, and the count says so in one phrase.
    assert [b.get_text() for b in province.select(".gk-status")] == ["未写明状态"]
    assert not province.select("table.gk-tasks .gk-status")


def test_no_markup_leaks_as_text(site_dir: Path) -> None:
    for page in site_dir.glob("reports/**/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "&lt;p&gt;" not in html and "&lt;/p&gt;" not in html, page


def test_sidebar_stays_small(site_dir: Path) -> None:
    page = soup(site_dir / "reports/2024-anqing-industry-q3/4/index.html")
    nav_links = page.select("nav.md-nav--primary a.md-nav__link")
    assert len(nav_links) <= 10


def test_home_lists_reports_with_counts(site_dir: Path) -> None:
    text = article_text(site_dir / "index.html")
    assert "2023年省政府重点工作完成情况" in text
    assert "市工信局2024年政府工作报告任务三季度完成情况" in text


def test_broken_table_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text(
        (ROOT / "data/units.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (data / "reports/bad.txt").write_text(
        "序号\t工作事项\t责任单位\t完成情况\n1\t任务\t省科技厅\t完成\t多一格\n", encoding="utf-8"
    )
    project = make_project(tmp_path / "p", data)
    site = project / "site"
    site.mkdir()
    (site / "published.html").write_text("old", encoding="utf-8")
    result = mkdocs_build(project, "--strict")
    assert result.returncode != 0
    assert "data/reports/bad.txt:2: 错误：这一行有 5 个单元格，表头只有 4 列" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "published.html").read_text(encoding="utf-8") == "old"


_data_with = data_with


def test_warnings_fail_the_strict_build_only(tmp_path: Path) -> None:
    data = _data_with(
        tmp_path, "标题\n序号\t工作事项\t责任单位\t完成状态\n1\t任务\t省新设局\t大部完成\n"
    )
    project = make_project(tmp_path / "p", data)
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0
    assert "data/reports/x.txt:3: 警告：责任单位“省新设局”不在单位名录" in strict.stderr
    assert "data/reports/x.txt:3: 警告：不认识的完成状态“大部完成”" in strict.stderr
    assert mkdocs_build(project).returncode == 0


def test_text_lost_between_table_and_page_fails_the_build_naming_the_cell(tmp_path: Path) -> None:
    # A theme override that drops the page body, as a broken template would.
    data = _data_with(tmp_path, "标题\n序号\t工作事项\t责任单位\n1\t任务甲乙\t省科技厅\n")
    project = make_project(tmp_path / "p", data)
    main = project / "overrides/main.html"
    main.write_text(
        main.read_text(encoding="utf-8") + "\n{% block content %}<h1>x</h1>{% endblock %}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "data/reports/x.txt:3: 错误：单元格的文字没有出现在任务页上" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_metadata_from_yml_reaches_the_pages(tmp_path: Path) -> None:
    from builder.load import load_site
    from builder.render import Renderer

    data = _data_with(
        tmp_path, "2024 年某局三季度完成情况\n序号\t工作事项\t责任单位\n1\t任务\t省科技厅\n"
    )
    (data / "reports/x.yml").write_text(
        "issuer: 某局\npublished: 2024-10-15\nsource: https://www.example.gov.cn/a.pdf\ntitle: 改过的标题\n",
        encoding="utf-8",
    )
    site = load_site(data).site
    report = site.reports[0]
    assert (report.year, report.period, report.title) == (2024, "三季度", "改过的标题")
    pages = {p.path: p.markdown for p in Renderer(site).pages()}
    assert "数据截至 2024-10-15（报告发布日期）" in pages["reports/x/1.md"]
    assert (
        "原表标题" in pages["reports/x/index.md"]
        and "2024 年某局三季度完成情况" in pages["reports/x/index.md"]
    )
    assert 'href="https://www.example.gov.cn/a.pdf"' in pages["reports/x/index.md"]
