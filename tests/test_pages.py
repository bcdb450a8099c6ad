"""Issues 17.3 and 18.2: unit pages list each task once, at its latest period, newest report
first; long unit and report lists are split into numbered pages whose filters and counts cover
the whole list. Built from the series fixture (three periods of the shipped 三季度 table), once
as shipped and once with ``page_size: 5`` so that paging shows on small data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, make_project, mkdocs_build, plugin_option
from series_fixture import series_data

from builder.load import load_site
from builder.model import STATUS_ORDER, Status
from builder.paging import Group, paginate
from builder.render import Renderer

Q = "2024-anqing-industry-q"
UNIT = "units/市经济和信息化局/"
# The unit's tasks at their latest period: the 四季度 report's 17 and the two the 四季度 report
# no longer lists (三季度 30 and 31).
LATEST = {f"{Q}4/{n}" for n in (1, 4, 5, 6, 8, 9, 10, 11, 12, 18, 19, 22, 23, 25, 29, 30, 32)} | {
    f"{Q}3/30",
    f"{Q}3/31",
}


def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def _row_tasks(page: BeautifulSoup) -> list[str]:
    """The task each row of the page's lists links to, as ``report/序号``."""
    out = []
    for a in page.select("table.gk-tasks td.gk-text > a:first-child"):
        out.append(re.sub(r"^(\.\./)+reports/", "", unquote(a["href"])).strip("/"))
    return out


def _header_counts(page: BeautifulSoup) -> tuple[int, dict[str, int]]:
    """承担任务 N 项 and the 完成状态 counts at the top of a unit's page."""
    items = {li.strong.get_text(): li for li in page.select("article ul > li") if li.strong}
    total = int(re.search(r"(\d+) 项", items["承担任务"].get_text()).group(1))  # type: ignore[union-attr]
    counts = {}
    for badge in items["完成状态"].select(".gk-status"):
        status = badge["class"][1].removeprefix("gk-status--")
        counts[status] = int(re.match(r"\s*(\d+)", badge.next_sibling).group(1))  # type: ignore[union-attr, arg-type]
    return total, counts


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The series fixture built with five rows a page (a test-only use of ``page_size``)."""
    tmp = tmp_path_factory.mktemp("paged")
    project = make_project(tmp, series_data(tmp))
    plugin_option(project, "page_size: 5")
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    return project / "site"


# -- the model -------------------------------------------------------------------------------
def test_paginate_splits_groups_and_continues_them(tmp_path: Path) -> None:
    site = load_site(series_data(tmp_path)).site
    report = site.report(f"{Q}3")
    tasks = report.tasks
    groups = [
        Group("甲", tasks[:7], report),
        Group("空", (), report),
        Group("乙", tasks[7:12], report),
    ]
    pages = paginate(groups, 5)
    assert [p.number for p in pages] == [1, 2, 3]
    assert [[(s.group.title, len(s.tasks), s.continued) for s in p.slices] for p in pages] == [
        [("甲", 5, False)],
        [("甲", 2, True), ("空", 0, False), ("乙", 3, False)],
        [("乙", 2, True)],
    ]
    assert [(p.first, p.last) for p in pages] == [(1, 5), (6, 10), (11, 12)]
    assert pages[0].previous is None and pages[0].next == 2 and pages[2].next is None
    assert pages[1].facets["status"] == {"done": 10, "in-progress": 2}
    assert not paginate([Group("甲", tasks[:5], report)], 5)[0].split
    many = paginate([Group("甲", tasks, report)], 1)
    assert many[8].numbers() == [1, None, 7, 8, 9, 10, 11, None, 17]


def test_a_unit_lists_each_task_once_at_its_latest_period_newest_report_first(
    tmp_path: Path,
) -> None:
    site = load_site(series_data(tmp_path)).site
    renderer = Renderer(site)
    unit = next(u for u in site.units if u.name == "市经济和信息化局")
    groups = renderer.unit_groups(unit)
    assert [g.report.slug for g in groups] == [f"{Q}4", f"{Q}3"]
    listed = [f"{t.report_slug}/{t.key}" for g in groups for t in g.tasks]
    assert sorted(listed) == sorted(LATEST)
    assert len(listed) == len(site.current(unit.tasks)) == 19


# -- the built site --------------------------------------------------------------------------
def test_unit_page_rows_equal_its_counts_and_link_to_earlier_periods(series_site: Path) -> None:
    page = _soup(series_site, UNIT)
    rows = _row_tasks(page)
    assert sorted(rows) == sorted(LATEST)
    total, counts = _header_counts(page)
    assert total == len(rows) == 19
    statuses = [tr["data-status"] for tr in page.select("table.gk-tasks tbody tr")]
    assert counts == {s: statuses.count(s) for s in set(statuses)}
    # Newest report first; the task's earlier periods a tap away.
    headings = [h.get_text() for h in page.select("article h3")]
    assert headings[0].endswith("四季度完成情况") and headings[1].endswith("三季度完成情况")
    periods = page.select_one('tr:has(a[href$="q4/22/"]) a.gk-periods')
    assert periods is not None and periods.get_text() == "各期情况（3 期）"
    assert unquote(periods["href"]) == f"../../reports/{Q}4/22/#各期情况"
    task = _soup(series_site, f"reports/{Q}4/22")
    assert task.find("h2", id="各期情况") is not None
    # The unit's tasks of the table's other periods: those reports' lists, filtered to it.
    note = page.find("h3").find_next("p")
    links = [unquote(a["href"]) for a in note.select("a")]
    assert links == [
        f"../../reports/{Q}3/?unit=市经济和信息化局",
        f"../../reports/{Q}2/?unit=市经济和信息化局",
    ]
    # Short lists are not split: no page links, no rows file.
    assert not page.select(".gk-pages") and not (series_site / "lists").exists()


def test_an_earlier_report_says_which_period_is_the_latest(series_site: Path) -> None:
    note = _soup(series_site, f"reports/{Q}2").select_one(".gk-period-note")
    assert note is not None and "不是最新一期" in note.get_text()
    assert note.a["href"] == f"../../reports/{Q}4/"
    assert _soup(series_site, f"reports/{Q}4").select_one(".gk-period-note") is None


def test_long_lists_are_split_into_numbered_pages_with_stable_addresses(paged_site: Path) -> None:
    seen: list[str] = []
    for number in range(1, 5):
        path = UNIT if number == 1 else f"{UNIT}page/{number}/"
        page = _soup(paged_site, path)
        seen += _row_tasks(page)
        assert page.h1.get_text() == "市经济和信息化局" + (
            f"（第 {number} 页）" if number > 1 else ""
        )
        navs = page.select("nav.gk-pages")
        assert len(navs) == 2  # above and under the list
        current = navs[0].select_one("[aria-current=page]")
        assert current is not None and current.get_text() == str(number)
        numbers = [a.get_text() for a in navs[0].select("a[aria-label]")]
        assert numbers == [str(n) for n in range(1, 5) if n != number]
        # The counts at the top are the whole unit's on every page.
        assert _header_counts(page)[0] == 19
    assert not (paged_site / UNIT / "page/5").exists()
    assert sorted(seen) == sorted(LATEST)  # every task once, on one page
    report_pages = [p for p in (paged_site / f"reports/{Q}4/page").iterdir()]
    assert sorted(p.name for p in report_pages) == ["2", "3", "4"]
    last = _soup(paged_site, f"reports/{Q}4/page/4")
    here = paged_site / f"reports/{Q}4/page/4"
    previous = (here / last.select_one("a[rel=prev]")["href"]).resolve()
    assert previous == (paged_site / f"reports/{Q}4/page/3").resolve()
    assert last.select_one("a[rel=next]") is None
    # What belongs to the report once (附注, 数据核对) stays on its first page.
    assert last.select_one("details.gk-source") is None
    assert _soup(paged_site, f"reports/{Q}4").select_one("details.gk-source") is not None


def test_the_rows_files_hold_every_row_and_the_counts_match_the_header(paged_site: Path) -> None:
    page = _soup(paged_site, f"{UNIT}page/3")
    mount = page.select_one(".gk-list")
    assert mount is not None
    folder = paged_site / "lists/units/市经济和信息化局"
    assert (paged_site / UNIT / "page/3" / unquote(mount["data-rows"])).resolve() == folder
    facets = json.loads(mount["data-facets"])
    # One file a status, so that 只看尚未完成 does not read the done tasks.
    assert sorted(p.stem for p in folder.iterdir()) == sorted(facets["status"])
    seen = []
    for status, count in facets["status"].items():
        data = json.loads((folder / f"{status}.json").read_text(encoding="utf-8"))
        assert len(data["rows"]) == count
        for row in data["rows"]:
            url = data["groups"][row[1]][1] + row[5] + "/"
            assert (paged_site / url / "index.html").exists()
            seen.append((row[0], url.removeprefix("reports/").strip("/")))
    assert [position for position, _ in sorted(seen)] == list(range(19))
    assert sorted(task for _, task in seen) == sorted(LATEST)
    total, counts = _header_counts(page)
    assert int(mount["data-total"]) == total == sum(facets["status"].values())
    assert facets["status"] == counts
    report = paged_site / f"lists/reports/{Q}4"
    assert (
        sum(len(json.loads(p.read_text(encoding="utf-8"))["rows"]) for p in report.iterdir()) == 17
    )


# -- in a browser, at phone and desktop width --------------------------------------------------
@pytest.fixture(params=[360, 1280], ids=["360px", "1280px"])
def at(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 500 else 900})
    page = context.new_page()
    yield page
    context.close()


def _visible(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The tasks of the rows a person can see, as ``report/序号``."""
    return page.eval_on_selector_all(
        "table.gk-tasks tbody tr",
        "rows => rows.filter(r => r.getBoundingClientRect().height > 0)"
        ".map(r => decodeURI(r.querySelector('td.gk-text a').pathname)"
        ".replace(/^.*\\/reports\\//, '').replace(/\\/$/, ''))",
    )


def _open_count(counts: dict[str, int]) -> int:
    return sum(n for s, n in counts.items() if s != Status.DONE.value)


def test_unit_page_filters_count_what_the_header_counts(at, serve, series_site: Path) -> None:  # type: ignore[no-untyped-def]
    at.goto(serve(series_site) + quote(UNIT))
    total, counts = _header_counts(BeautifulSoup(at.content(), "html.parser"))
    assert sorted(_visible(at)) == sorted(LATEST)
    options = at.locator("#gk-filter-status option").all_inner_texts()
    assert options[0] == f"全部（{total}）"
    for status in STATUS_ORDER:
        if counts.get(status.value):
            assert f"{status.label}（{counts[status.value]}）" in options
    # The filter bar is above the whole list, under its own heading, not in one report's part.
    bar_heading = at.locator("form.gk-filters").evaluate(
        "f => { let e = f.closest('.gk-list'); while (e && !/^H[1-6]$/.test(e.tagName))"
        " e = e.previousElementSibling; return e && e.textContent; }"
    )
    assert bar_heading.startswith("承担的任务")
    button = at.get_by_role("button", name=re.compile("只看尚未完成或未写明的"))
    assert f"（{_open_count(counts)} 项）" in button.inner_text()
    button.click()
    shown = _visible(at)
    assert len(shown) == _open_count(counts) == 1
    assert shown == [f"{Q}4/19"]  # 22 is done in the latest period: not listed
    assert at.locator(".gk-filter-count").inner_text() == f"显示 1 / {total} 项"
    assert at.evaluate("document.documentElement.scrollWidth") <= at.viewport_size["width"]


def test_paging_links_and_filters_across_pages(at, serve, paged_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(paged_site)
    at.goto(base + quote(UNIT))
    first = _visible(at)
    assert len(first) == 5
    at.locator("nav.gk-pages").first.get_by_role("link", name="第 2 页").click()
    at.wait_for_url("**/page/2/")
    second = _visible(at)
    assert len(second) == 5 and not set(first) & set(second)
    at.get_by_role("link", name="下一页 ›").first.click()
    at.wait_for_url("**/page/3/")
    assert at.locator("nav.gk-pages [aria-current=page]").first.inner_text() == "3"
    assert at.evaluate("document.documentElement.scrollWidth") <= at.viewport_size["width"]
    # On page 3, 只看尚未完成 lists the unfinished tasks of every page, with the header's count.
    total, counts = _header_counts(BeautifulSoup(at.content(), "html.parser"))
    button = at.get_by_role("button", name=re.compile("只看尚未完成或未写明的"))
    assert f"（{_open_count(counts)} 项）" in button.inner_text()
    read: list[str] = []
    at.on("request", lambda r: read.append(r.url) if "/lists/" in r.url else None)
    button.click()
    at.wait_for_function(
        "document.querySelector('.gk-filter-count').textContent.startsWith('显示')"
    )
    assert _visible(at) == [f"{Q}4/19"]
    assert [url.rsplit("/", 1)[-1] for url in read] == ["in-progress.json"]  # not done.json
    assert (
        at.locator(".gk-filter-count").inner_text()
        == f"显示 1 / {total} 项（全部 4 页中符合条件的任务）"
    )
    assert not at.locator("nav.gk-pages").first.is_visible()
    # 已完成 from the whole list: every done task of all four pages.
    at.get_by_label("完成状态").select_option("done")
    at.wait_for_function(
        "document.querySelector('.gk-filter-count').textContent.startsWith('显示 18')"
    )
    assert len(_visible(at)) == counts["done"] == 18
    # A shared address restores the filter on any page; clearing brings the page back.
    shared = at.url
    assert "status=done" in shared
    at.goto("about:blank")
    at.goto(shared)
    at.wait_for_function(
        "document.querySelector('.gk-filter-count').textContent.startsWith('显示')"
    )
    assert len(_visible(at)) == 18
    at.get_by_role("button", name="清除筛选").click()
    assert len(_visible(at)) == 5 and at.locator("nav.gk-pages").first.is_visible()


def test_a_unit_filter_from_the_unit_page_works_on_a_split_report(
    at, serve, paged_site: Path
) -> None:  # type: ignore[no-untyped-def]
    at.goto(serve(paged_site) + quote(UNIT))
    at.get_by_role("link", name="2024 年三季度").first.click()
    at.wait_for_url("**/reports/2024-anqing-industry-q3/?unit=*")
    at.wait_for_function(
        "document.querySelector('.gk-filter-count').textContent.startsWith('显示')"
    )
    shown = _visible(at)
    assert len(shown) == 17 and all(s.startswith(f"{Q}3/") for s in shown)
    at.goto(serve(paged_site) + quote(f"reports/{Q}3/page/2/") + "?unit=安庆石化")
    at.wait_for_function(
        "document.querySelector('.gk-filter-count').textContent.startsWith('显示')"
    )
    assert _visible(at) == [f"{Q}3/4"]


@pytest.mark.parametrize("width", ["360", "1280"])
@pytest.mark.parametrize(
    ("page_type", "path", "marker"),
    [
        ("unit-page-2", f"{UNIT}page/2/", "nav.gk-pages"),
        ("unit-filtered-across-pages", f"{UNIT}page/2/?status=done", ".gk-list-results table"),
        ("report-page-3", f"reports/{Q}4/page/3/", "nav.gk-pages"),
    ],
)
def test_axe_on_split_lists(  # type: ignore[no-untyped-def]
    browser, serve, paged_site: Path, page_type: str, path: str, marker: str, width: str
) -> None:
    from test_accessibility import _check

    _check(browser, serve(paged_site), (path, marker), page_type, width)


def test_a_unit_in_many_series_charts_the_newest_and_lists_the_rest(tmp_path: Path) -> None:
    site = load_site(series_data(tmp_path)).site
    unit = next(u for u in site.units if u.name == "市经济和信息化局")
    parts = Renderer(site).parts
    assert parts.unit_moves("units/x.md", unit).count('<figure class="gk-moves">') == 1
    listed = parts.unit_moves("units/x.md", unit, charts=0)
    assert "gk-moves__bar" not in listed
    assert "另有 1 张表各期中有本单位的任务" in listed
    assert "2024 年四季度：已完成 16 项，推进中 1 项</li>" in listed


def test_tasks_of_a_table_without_status_count_as_not_stated_in_the_filter(
    tmp_path: Path, serve, browser
) -> None:  # type: ignore[no-untyped-def]
    # The unit's page counts them 未写明状态 at the top; the filter counts them the same way.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "reports/2024-city-plan.txt").write_text(
        "2024 年市工信局重点工作计划\n"
        "序号\t工作事项\t责任单位\t完成情况\n"
        "1\t推进工业互联网平台建设\t市经济和信息化局\t正在组织申报。\n"
        "2\t开展中小企业服务月活动\t市经济和信息化局\t已制定活动方案。\n",
        encoding="utf-8",
    )
    project = make_project(tmp_path / "p", data)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    _, counts = _header_counts(_soup(site, UNIT))
    assert counts == {"done": 15, "in-progress": 2, "unmarked": 2}
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(serve(site) + quote(UNIT))
        options = page.locator("#gk-filter-status option").all_inner_texts()
        assert "未写明状态（2）" in options and "全部（19）" in options
        page.get_by_role("button", name=re.compile("只看尚未完成或未写明的（4 项）")).click()
        assert sorted(_visible(page)) == sorted(
            ["2024-city-plan/1", "2024-city-plan/2", f"{Q}3/19", f"{Q}3/22"]
        )
        page.close()


def test_the_list_of_reports_is_split_too(tmp_path: Path) -> None:
    site = load_site(series_data(tmp_path)).site
    pages = {p.path: p.markdown for p in Renderer(site, page_size=3).pages()}
    first, second = pages["reports/index.md"], pages["reports/page/2.md"]
    assert "reports/page/3.md" not in pages
    assert (
        first.count('<td data-label="报告">') == 3 and second.count('<td data-label="报告">') == 1
    )
    assert "# 报告（第 2 页）" in second and "第 4–4 项，共 4 项（第 2 / 2 页）" in second
    assert 'aria-label="报告列表的页码（页面顶部）"' in first
    assert '<a rel="prev" href="../../../reports/">‹ 上一页</a>' in second
