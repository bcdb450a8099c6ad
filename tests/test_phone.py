"""The site as citizens use it, at 360 px and at 1280 px: filters that filter, a number that
connects, an operator they can trust, text they can read, one vocabulary."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, make_project, mkdocs_build

REPORT = "reports/2024-anqing-industry-q3/"
PROVINCE_TASK = "reports/2023-province-key-tasks/11/"  # the longest task text of the seeds
WIDTHS = [pytest.param(360, id="360px"), pytest.param(1280, id="1280px")]


@pytest.fixture(params=WIDTHS)
def at(request: pytest.FixtureRequest, browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 500 else 900})
    page = context.new_page()
    page.width = width  # type: ignore[attr-defined]
    yield page
    context.close()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def visible_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Sequence numbers of the task rows a person can see (not merely not [hidden])."""
    return page.eval_on_selector_all(
        "table.gk-tasks tbody tr",
        "rows => rows.filter(r => r.getBoundingClientRect().height > 0)"
        ".map(r => r.querySelector('td.gk-seq').textContent)",
    )


def focusable_rows(page) -> int:  # type: ignore[no-untyped-def]
    """Task links reachable by Tab: a hidden card must not take focus."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.gk-tasks td.gk-text a')]
          .filter(a => { a.focus(); return document.activeElement === a; }).length"""
    )


# -- 1. filters ---------------------------------------------------------------------------
def test_filters_hide_cards_and_take_them_out_of_the_tab_order(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + REPORT)
    assert len(visible_rows(at)) == 17 and focusable_rows(at) == 17
    status = at.locator("#gk-filter-status")
    labels = status.locator("option").all_inner_texts()
    assert labels[0] == "全部（17）"
    assert "推进中（2）" in labels and "已完成（15）" in labels
    status.select_option("in-progress")
    assert visible_rows(at) == ["19", "22"]
    assert focusable_rows(at) == 2
    assert at.locator(".gk-filter-empty").is_hidden()


def test_one_tap_shows_the_tasks_not_stated_as_done(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + REPORT)
    button = at.get_by_role("button", name=re.compile("只看尚未完成或未写明的"))
    assert "（2 项）" in button.inner_text()
    button.click()
    assert visible_rows(at) == ["19", "22"]
    assert "status=open" in at.url


def test_an_empty_result_says_so(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + REPORT + "?status=in-progress&unit=安庆石化")
    assert visible_rows(at) == []
    assert at.get_by_text("没有符合条件的任务").is_visible()
    assert at.locator(".gk-filter-count").inner_text() == "显示 0 / 17 项"


# -- 2. a number that connects ------------------------------------------------------------
def test_phone_numbers_are_dialled_with_the_area_code(site_dir: Path) -> None:
    page = soup(site_dir / "reports/2024-anqing-industry-q3/1/index.html")
    tel = page.select_one(".gk-summary a[href^='tel:']")
    assert tel is not None and tel["href"] == "tel:05565515812"
    assert tel.get_text() == "0556-5515812"
    # The provincial table lists no phone, and nothing is invented for it.
    province = soup(site_dir / "reports/2023-province-key-tasks/1/index.html")
    assert not province.select("a[href^='tel:']")
    assert "原表没有列出这项任务的监督电话" in province.select_one(".gk-summary").get_text()


def test_a_general_contact_stands_in_where_the_table_lists_no_phone(tmp_path: Path) -> None:
    from builder.load import load_site
    from builder.render import Renderer

    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "reports/x.txt").write_text(
        "县民生实事\n序号\t实事名称\t牵头单位\t监督电话\n1\t新建学校\t县教育局\t\n2\t新建公园\t县住建局\t7654321\n",
        encoding="utf-8",
    )
    (data / "reports/x.yml").write_text(
        "area_code: 0577\ncontact: 12345\nsource_note: 测试\n", encoding="utf-8"
    )
    pages = {p.path: p.markdown for p in Renderer(load_site(data).site).pages()}
    assert (
        '原表没有列出这项任务的监督电话；可以拨打 <a href="tel:12345">12345</a>'
        in pages["reports/x/1.md"]
    )
    assert '<a href="tel:05777654321">0577-7654321</a>' in pages["reports/x/2.md"]


def test_the_about_page_tells_the_truth_about_phones(site_dir: Path) -> None:
    text = soup(site_dir / "about/index.html").select_one("article").get_text()
    assert "原表没有列出的" in text and "连同区号" in text


# -- 3. an operator they can trust ------------------------------------------------------
def test_footer_names_the_operator_not_the_theme(site_dir: Path) -> None:
    for path in (site_dir / "index.html", site_dir / REPORT / "index.html"):
        footer = soup(path).select_one("footer")
        assert footer is not None
        text = footer.get_text()
        assert "主办单位" in text and "联系方式" in text
        assert "Material for MkDocs" not in text


def test_a_chinese_404_with_links_home_and_to_search(site_dir: Path) -> None:
    page = soup(site_dir / "404.html")
    assert page.html is not None and page.html.get("lang") == "zh-CN"
    assert page.select_one("article h1").get_text(strip=True) == "没有找到这个页面"
    links = {a.get_text(strip=True): a["href"] for a in page.select("article a")}
    # From the root of the host that serves it (the path of site_url), whatever the depth of
    # the missing address and wherever the site is served before it moves to site_url.
    assert links["回到首页"] == "/"
    assert links["搜索任务"] == "/?q="
    assert links["按报告查看"] == "/reports/"


def test_site_url_makes_sitemap_canonical_and_share_metadata(site_dir: Path) -> None:
    sitemap = ET.parse(site_dir / "sitemap.xml").getroot()
    locations = [e.text or "" for e in sitemap.iter() if e.tag.endswith("loc")]
    assert len(locations) > 50
    assert all(u.startswith("https://gongkai.example.com/") for u in locations)
    task = soup(site_dir / "reports/2024-anqing-industry-q3/19/index.html")
    canonical = task.select_one("link[rel=canonical]")
    assert canonical is not None
    assert canonical["href"] == "https://gongkai.example.com/reports/2024-anqing-industry-q3/19/"
    description = task.select_one("meta[name=description]")["content"]
    assert "完成状态：正在推进" in description and "责任单位：市经济和信息化局" in description
    assert task.select_one("meta[property='og:description']")["content"] == description
    assert task.select_one("meta[property='og:title']")["content"]


def test_reports_show_their_date_and_source_or_say_why_not(tmp_path: Path, site_dir: Path) -> None:
    from builder.load import read_data

    shipped = soup(site_dir / REPORT / "index.html").select_one("article").get_text()
    assert "发布日期：原表未注明" in shipped and "原文出处：样例表格" in shipped
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "reports/x.txt").write_text(
        "序号\t工作任务\t责任单位\n1\t任务\t省科技厅\n", encoding="utf-8"
    )
    said = [p.message for p in read_data(data).warnings]
    assert any("报告没有发布日期，也没有原文网址" in m for m in said)
    (data / "reports/x.yml").write_text(
        "published: 2024-10-15\nsource: https://example.com/x.pdf\n", encoding="utf-8"
    )
    assert not any("没有发布日期" in p.message for p in read_data(data).warnings)


# -- 4. readable everywhere ---------------------------------------------------------------
def test_tables_are_styled_at_desktop_width_and_cards_on_phones(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    for path, table in (
        (REPORT, "table.gk-tasks"),
        ("reports/", "table.gk-index"),
        ("units/", "table.gk-index"),
    ):
        at.goto(site_url + path)
        display = at.eval_on_selector(f"{table} tbody tr", "r => getComputedStyle(r).display")
        if at.width < 500:
            assert display in ("block", "flex"), (path, display)
            assert at.evaluate("document.documentElement.scrollWidth") <= at.width, path
        else:
            assert display == "table-row", (path, display)
            padding = at.eval_on_selector(
                f"{table} tbody td", "c => getComputedStyle(c).paddingLeft"
            )
            border = at.eval_on_selector(
                f"{table} tbody tr", "r => getComputedStyle(r).borderTopStyle"
            )
            assert padding != "0px" and border != "none", path


def test_status_units_and_phone_are_on_the_first_screen(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    for path in ("reports/2024-anqing-industry-q3/4/", PROVINCE_TASK):
        at.goto(site_url + path)
        height = at.viewport_size["height"]
        for selector in (".gk-summary__units", ".gk-summary__phone"):
            box = at.locator(selector).bounding_box()
            assert box is not None and box["y"] + box["height"] <= height, (path, selector, box)
    at.goto(site_url + "reports/2024-anqing-industry-q3/4/")
    box = at.locator(".gk-summary__status").bounding_box()
    assert box is not None and box["y"] + box["height"] <= at.viewport_size["height"]


ELDER_SAMPLES = {
    "h1": "article h1",
    "h2": "article h2",
    "table": "table.gk-steps td",
    "text": "article p",
    "chart": ".gk-chart__label",
    "badge": ".gk-status",
}


def test_elder_mode_makes_every_text_at_least_1_3_times_larger(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    def sizes() -> dict[str, float]:
        found = {}
        for name, selector in ELDER_SAMPLES.items():
            if at.locator(selector).count():
                found[name] = at.eval_on_selector(
                    selector, "e => parseFloat(getComputedStyle(e).fontSize)"
                )
        return found

    for path in ("reports/2024-anqing-industry-q3/4/", REPORT):
        at.goto(site_url + path)
        at.evaluate("localStorage.removeItem('gk-elder')")
        at.reload()
        normal = sizes()
        at.get_by_role("button", name="长者模式").click()
        larger = sizes()
        for name, size in normal.items():
            assert larger[name] >= 1.3 * size - 0.01, (path, name, size, larger[name])
        assert at.evaluate("document.documentElement.scrollWidth") <= at.width, path
        at.get_by_role("button", name="长者模式").click()
    # The search dialog's box and results grow too.
    at.goto(site_url + "?q=专精特新")
    box = at.get_by_placeholder("搜索任务、单位或任意词语")
    result = at.locator(".gk-search__results a").first
    result.wait_for()
    normal = [
        box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"),
        result.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"),
    ]
    at.evaluate("document.documentElement.classList.add('gk-elder')")
    larger = [
        box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"),
        result.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"),
    ]
    for before, after in zip(normal, larger, strict=True):
        assert after >= 1.3 * before - 0.01, (normal, larger)


def test_print_shows_site_address_and_date_and_no_relative_targets(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + "reports/2024-anqing-industry-q3/4/")
    at.emulate_media(media="print")
    head = at.locator(".gk-print-head")
    assert head.is_visible()
    text = head.inner_text()
    assert "政府工作报告任务公开" in text
    assert "https://gongkai.example.com/reports/2024-anqing-industry-q3/4/" in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text)
    printed = at.evaluate(
        """() => [...document.querySelectorAll('article a')]
          .map(a => getComputedStyle(a, '::after').content)
          .filter(c => c && c !== 'none' && c !== 'normal')"""
    )
    assert not any("../" in c or c.startswith('" (reports') for c in printed), printed


# -- 6. one vocabulary, honest counts -----------------------------------------------------
def test_one_phrase_for_no_status_and_the_offices_own_words(site_dir: Path) -> None:
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for old in ("未标注", "未列状态", "原表未列完成状态"):
            assert old not in text, (path, old)
    task = soup(site_dir / "reports/2024-anqing-industry-q3/19/index.html")
    badge = task.select_one(".gk-summary .gk-status")
    assert badge is not None and badge.get_text() == "正在推进"
    assert "gk-status--in-progress" in badge["class"]


def test_units_index_counts_not_stated_and_orders_by_level(site_dir: Path) -> None:
    page = soup(site_dir / "units/index.html")
    rows = page.select("table.gk-index tbody tr")
    names = [r.select_one("td a").get_text() for r in rows]
    assert names.index("省发展改革委") < names.index("合肥市政府") < names.index("市经济和信息化局")
    province = next(r for r in rows if r.select_one("td a").get_text() == "省科技厅")
    cells = {td["data-label"]: td.get_text() for td in province.select("td[data-label]")}
    # Its table states no status: no row of zeros, only the count of 未写明状态.
    assert cells["已完成"] == cells["推进中"] == "—" and cells["未写明状态"] == cells["任务"] != "0"
    stated = next(r for r in rows if r.select_one("td a").get_text() == "市经济和信息化局")
    cells = {td["data-label"]: td.get_text() for td in stated.select("td[data-label]")}
    assert cells["进度滞后"] == "0"  # a table that states statuses: its zeros are facts


def test_staff_details_are_folded_under_one_block(site_dir: Path) -> None:
    task = soup(site_dir / "reports/2024-anqing-industry-q3/4/index.html")
    details = task.select("article details.gk-source")
    assert len(details) == 1 and not details[0].has_attr("open")
    inside = details[0].get_text()
    assert "原表写法" in inside and "任务编号" in inside and "原表第" in inside
    outside = task.select_one("article").get_text().replace(inside, "")
    assert "任务编号" not in outside and "原表写法" not in outside
    report = soup(site_dir / REPORT / "index.html")
    assert "数据核对" in report.select_one("article details.gk-source").get_text()


def test_periods_are_written_one_way(site_dir: Path) -> None:
    home = soup(site_dir / "index.html").select_one("article").get_text()
    assert "2023 年度" in home and "2024 年三季度" in home


def test_the_shipped_site_builds_strict_with_these_pages(tmp_path: Path) -> None:
    # The README's build: every page above comes from it.
    project = make_project(tmp_path)
    assert mkdocs_build(project, "--strict").returncode == 0
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8").count("site_url:") == 1


# -- 2, 3, 6 as a reader meets them, in the browser at both widths -------------------------
def test_what_a_reader_sees_first_and_last(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + "reports/2024-anqing-industry-q3/19/")
    phone = at.locator(".gk-summary a[href^='tel:']")
    assert phone.is_visible() and phone.get_attribute("href") == "tel:05565515812"
    badge = at.locator(".gk-summary .gk-status")
    assert badge.inner_text() == "正在推进"
    # 原表信息 is folded: its content shows only when asked for.
    details = at.locator("details.gk-source")
    assert at.get_by_text("任务编号").is_hidden()
    details.locator("summary").click()
    assert at.get_by_text("任务编号").is_visible()
    footer = at.locator("footer .gk-operator")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible() and "主办单位" in footer.inner_text()
    at.goto(site_url + "404.html")  # what a web server sends for a missing page
    assert at.locator("article h1").inner_text() == "没有找到这个页面"
    at.goto(site_url + "units/")
    first = at.locator("table.gk-index tbody tr td a").first
    assert first.inner_text().startswith("省")
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width
