"""Issue 17: the site as a reader meets it, in Chromium at 360 px and 1280 px — print, no
failing requests, a home page that answers, honest standing, who runs it, plain words, and a
task page wide enough on a desk."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ARTIFACTS, ROOT, make_project, mkdocs_build
from pypdf import PdfReader

Q = "2024-anqing-industry-q"
TASK = f"reports/{Q}3/4/"
PROVINCE = "reports/2023-province-key-tasks/"
WIDTHS = [pytest.param(360, id="360px"), pytest.param(1280, id="1280px")]
SHOTS = ARTIFACTS / "screenshots"
# A4 less the @page margins (12 mm each side) at 96 px per inch: the printed text width.
A4_TEXT_PX = round((210 - 24) / 25.4 * 96)


@pytest.fixture(params=WIDTHS)
def at(request: pytest.FixtureRequest, browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 740 if width < 500 else 900})
    page = context.new_page()
    page.width = width  # type: ignore[attr-defined]
    yield page
    context.close()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pdf_pages(page, name: str) -> int:  # type: ignore[no-untyped-def]
    page.emulate_media(media="print")
    data = page.pdf(format="A4", print_background=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.pdf").write_bytes(data)
    return len(PdfReader(io.BytesIO(data)).pages)


# -- 1. print ------------------------------------------------------------------------------
def _longest_tasks(site_dir: Path, n: int) -> list[str]:
    pages = sorted(
        (p for p in site_dir.glob("reports/*/*/index.html")),
        key=lambda p: len(soup(p).select_one("article").get_text()),
        reverse=True,
    )
    return [str(p.parent.relative_to(site_dir)) + "/" for p in pages[:n]]


def test_a_task_prints_on_a4_full_width_in_at_most_two_pages(
    at, site_url: str, site_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    # The shipped data's longest tasks stand for a typical one, and task 4 is the issue's.
    for path in [TASK, *_longest_tasks(site_dir, 3)]:
        at.goto(site_url + path)
        assert pdf_pages(at, f"print-{path.replace('/', '-')}") <= 2, path
    # Layout on paper: the viewport as wide as A4's text, print media.
    at.set_viewport_size({"width": A4_TEXT_PX, "height": 1100})
    at.goto(site_url + TASK)
    at.emulate_media(media="print")
    head = at.locator(".gk-print-head")
    line = head.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    box = head.bounding_box()
    assert box is not None and box["height"] <= 1.5 * line + 8, box  # one line
    article = at.locator("article").bounding_box()
    assert article is not None and article["width"] >= 0.95 * A4_TEXT_PX, article
    assert article["y"] >= box["y"] + box["height"]  # under the header, not beside it
    widths = at.eval_on_selector_all(
        "table.gk-steps thead th",
        "ths => ths.map(t => t.getBoundingClientRect().width / parseFloat(getComputedStyle(t).fontSize))",
    )
    assert widths and min(widths) >= 6, widths


def test_a_report_prints_its_task_list(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + f"reports/{Q}3/")
    at.emulate_media(media="print")
    rows = at.eval_on_selector_all(
        "table.gk-tasks tbody tr",
        "rs => rs.filter(r => r.getBoundingClientRect().height > 0).length",
    )
    assert rows == 17
    assert at.locator(".gk-filters").is_hidden()
    at.emulate_media(media="screen")
    data = at.pdf(format="A4")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "新增国家级专精特新" in re.sub(r"\s", "", text)


# -- 2. no failing requests -----------------------------------------------------------------
PAGE_TYPES = {
    "home": "",
    "reports-index": "reports/",
    "report": f"reports/{Q}4/",
    "task": f"reports/{Q}4/25/",
    "units-index": "units/",
    "unit": "units/市经济和信息化局/",
    "series": "series/2024-anqing-industry/",
    "series-task": "series/2024-anqing-industry/25/",
    "open-data": "open-data/",
    "about": "about/",
    "404": "404.html",
    "subscribe": "subscribe/",
    "feed": "feeds/changes.xml",
    "unit-feed": "feeds/units/市经济和信息化局.xml",
}


def test_no_page_type_requests_anything_that_fails(at, serve, series_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(series_site)
    current = [""]
    failed: list[tuple[str, int, str]] = []
    seen: list[str] = []

    def record(response) -> None:  # type: ignore[no-untyped-def]
        seen.append(response.url)
        if response.status >= 400:
            failed.append((current[0], response.status, response.url))

    at.on("response", record)
    for name, path in PAGE_TYPES.items():
        current[0] = name
        at.goto(base + path, wait_until="load")
        at.wait_for_timeout(600)  # Material's bundle fetches after the load event
    assert failed == [], failed
    assert not [u for u in seen if "sitemap" in u and "/feeds/" in u]
    assert any(u.endswith("feeds/feed.xsl") for u in seen)


def test_every_link_on_the_404_page_resolves(at, serve, series_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(series_site)
    at.goto(base + "404.html")
    hrefs = at.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    local = [h for h in hrefs if not h.startswith(("http:", "https:", "tel:", "#"))]
    assert "/reports/" in local and not any(h.startswith("//") for h in local)
    for href in local + [
        h
        for h in at.eval_on_selector_all("link[href]", "ls => ls.map(l => l.getAttribute('href'))")
    ]:
        url = urljoin(base + "404.html", href)
        if urlsplit(url).netloc != urlsplit(base).netloc:
            continue
        assert at.request.get(url).status == 200, href


def test_feeds_are_offered_as_feeds_not_as_languages(site_dir: Path) -> None:
    head = soup(site_dir / "units/市经济和信息化局/index.html").head
    assert head.select("link[rel='alternate']") == [] or all(
        "feed" in link["rel"] for link in head.select("link[rel~='alternate']")
    )
    feeds = head.find_all("link", rel="alternate", type="application/atom+xml")
    assert len(feeds) == 3  # reports, changes, and the unit's own: found by token, as readers do


# -- 5. the home page answers ---------------------------------------------------------------
def test_home_first_phone_screen_shows_how_the_latest_reports_stand(
    browser, serve, series_site: Path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(serve(series_site))
    items = page.locator(".gk-standing__item")
    titles = items.locator(".gk-standing__title").all_inner_texts()
    # Each table once, at its latest period, newest first.
    assert titles[0].startswith("市工信局 2024 年") and "四季度" in titles[0]
    assert not any("三季度完成情况" in t and "市工信局" in t for t in titles)
    assert titles.index("2023 年省政府重点工作完成情况") < titles.index(
        "2020第四季度政府工作报告重点任务目标执行情况"
    )
    for i in (0, 1):
        box = items.nth(i).locator(".gk-standing__counts").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 740, (i, box)
    assert "已完成" in items.nth(0).inner_text() and "16 项" in items.nth(0).inner_text()
    assert "未写明状态" in items.nth(1).inner_text() and "33 项" in items.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / "360-home-first-screen.png"))
    # The list of all reports: newest first too.
    rows = page.locator("table.gk-reports tbody tr td:first-child").all_inner_texts()
    assert rows.index("市工信局 2024 年政府工作报告任务 四季度完成情况") < rows.index(
        "市工信局 2024 年政府工作报告任务 三季度完成情况"
    )
    context.close()


def test_titles_are_at_body_contrast(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    for path in ("", TASK, "reports/"):
        at.goto(site_url + path)
        h1 = at.eval_on_selector("article h1", "e => getComputedStyle(e).color")
        body = at.eval_on_selector("article p", "e => getComputedStyle(e).color")
        assert h1 == body, (path, h1, body)


def _many_reports(tmp: Path) -> Path:
    data = tmp / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text("units:\n  - name: 县教育局\n", encoding="utf-8")
    for i in range(12):
        region = "甲县" if i % 2 else "乙县"
        year = 2022 + i % 3
        (data / f"reports/r{i:02d}.txt").write_text(
            f"{region}{year}年民生实事第{i}号\n序号\t实事名称\t牵头单位\t完成情况\n1\t事项{i}\t县教育局\t已完成\n",
            encoding="utf-8",
        )
        (data / f"reports/r{i:02d}.yml").write_text(
            f"region: {region}\nyear: {year}\nperiod: 年度\nsource_note: 测试\nseries: s{i}\n",
            encoding="utf-8",
        )
    return data


@pytest.fixture(scope="module")
def many_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("many")
    project = make_project(tmp, _many_reports(tmp))
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


def test_more_than_ten_reports_filter_by_place_and_year(at, serve, many_site: Path) -> None:  # type: ignore[no-untyped-def]
    at.goto(serve(many_site))
    table = "article table.gk-reports"
    shown = f"{table} tbody tr:not([hidden])"
    assert at.locator(shown).count() == 12
    at.get_by_label("地区").first.select_option("甲县")
    assert at.locator(shown).count() == 6
    at.get_by_label("年份").first.select_option("2023")
    assert at.locator(shown).count() == 2
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width


# -- 6. honest standing ---------------------------------------------------------------------
def test_a_table_without_status_shows_no_row_of_zeros(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + "reports/")
    row = at.locator("table.gk-reports tbody tr", has_text="2023 年省政府重点工作完成情况")
    cell = row.locator("td[data-label='完成状态']").inner_text()
    assert "未写明状态" in cell and "33 项" in cell and "原表没有完成状态一栏" in cell
    assert not re.search(r"\b0\b", cell) and "已完成" not in cell
    at.goto(site_url + "units/")
    unit = at.locator("table.gk-index tbody tr", has_text="省科技厅").inner_text()
    assert not re.search(r"(^|\D)0(\D|$)", unit) and "—" in unit, unit
    at.goto(site_url + PROVINCE + "2/")
    summary = at.locator(".gk-summary__status")
    assert summary.is_visible() and "未写明状态" in summary.inner_text()
    assert at.locator(".gk-asof").inner_text() == "数据截至 2023 年度（原表未注明发布日期）"


# -- 7. who runs it ----------------------------------------------------------------------------
def test_the_footer_is_at_body_size_and_a_demo_says_so(at, site_url: str, shipped_build) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + TASK)
    body = at.eval_on_selector("article p", "e => parseFloat(getComputedStyle(e).fontSize)")
    footer = at.locator("footer .gk-operator p").first
    assert footer.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= body - 0.5
    banner = at.locator(".gk-demo-banner")
    assert banner.is_visible() and "示例站点" in banner.inner_text()
    at.emulate_media(media="print")  # a printout with the demo's address says so too
    assert banner.is_visible()
    at.emulate_media(media="screen")
    log = shipped_build[1].stderr + shipped_build[1].stdout
    notice = [line for line in log.splitlines() if "这是示例站点" in line]
    assert notice and notice[0].startswith("INFO")  # --strict still publishes the demo


def test_a_real_operator_shows_its_numbers_and_no_banner(tmp_path: Path, serve, browser) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path)
    yml = (project / "mkdocs.yml").read_text(encoding="utf-8")
    yml = yml.replace("https://gongkai.example.com/", "https://rw.anqing.gov.cn/")
    yml = yml.replace("政府工作报告任务公开（示例站点）", "安庆市人民政府办公室")
    yml = yml.replace('icp: ""', "icp: 皖ICP备05001234号").replace(
        'police: ""', "police: 皖公网安备34080002000001号"
    )
    yml = yml.replace('site_code: ""', "site_code: 3408000001")
    (project / "mkdocs.yml").write_text(yml, encoding="utf-8")
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    assert "这是示例站点" not in done.stderr + done.stdout
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(serve(project / "site"))
        assert page.locator(".gk-demo-banner").count() == 0
        footer = page.locator("footer .gk-operator").inner_text()
        for said in (
            "安庆市人民政府办公室",
            "网站标识码：3408000001",
            "皖ICP备05001234号",
            "皖公网安备34080002000001号",
        ):
            assert said in footer
        page.close()


def test_readme_says_what_to_set_before_going_live() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 上线之前", 1)[1].split("\n## ", 1)[0]
    for key in ("site_url", "operator", "contact", "icp", "police", "site_code", "licence"):
        assert key in section, key


# -- 8. words and small things ------------------------------------------------------------
def test_changes_are_readable_and_the_timeline_a_link(at, serve, series_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(series_site)
    at.goto(base + f"reports/{Q}4/")
    body = at.eval_on_selector("article p", "e => parseFloat(getComputedStyle(e).fontSize)")
    for selector in ("details.gk-changes li", "details.gk-changes summary", ".gk-changes__summary"):
        size = at.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= body - 0.5, (selector, size, body)
    at.goto(base + f"reports/{Q}4/25/")
    at.get_by_role("link", name="各期情况").first.click()
    assert unquote(at.url).endswith("#各期情况")
    assert at.get_by_role("heading", name="各期情况").is_visible()
    q2 = at.locator(".gk-timeline__item").first.locator(".gk-status").inner_text()
    assert q2 == "进度安排：未完成；施工图：已完成"
    diff = at.locator("details.gk-diff").first
    diff.locator("summary").click()
    size = diff.locator("li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= body - 0.5
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width
    assert at.get_by_text("“施工图”是原表的说法").is_visible()
    assert "固定链接" in at.locator(".gk-period-note").inner_text()


def test_no_row_labels_or_empty_columns_for_readers(site_dir: Path) -> None:
    for path in site_dir.glob("reports/**/index.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r">第 \d+ 行<", text), path
    anqing = soup(site_dir / f"reports/{Q}3/index.html")
    assert "条目" not in [th.get_text() for th in anqing.select("table.gk-tasks th")]
    province = soup(site_dir / f"{PROVINCE}index.html")
    assert "条目" in [th.get_text() for th in province.select("table.gk-tasks th")]


def test_a_feed_opens_as_a_page_that_explains_subscribing(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # 订阅: a page in every browser, with every feed's address to copy.
    at.goto(site_url + "subscribe/")
    addresses = at.locator("table.gk-feeds td[data-label='订阅地址'] a").all_inner_texts()
    assert "https://gongkai.example.com/feeds/reports.xml" in addresses
    assert "https://gongkai.example.com/feeds/units/市经济和信息化局.xml" in addresses
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width
    # A feed opened in the browser: through feeds/feed.xsl, a page that explains itself.
    at.goto(site_url + "feeds/reports.xml")
    assert at.locator("h1").inner_text() == "政府工作报告任务公开：新报告"
    assert "RSS 阅读器" in at.locator(".about").inner_text()
    assert at.locator("ol li a").count() == 2
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width


def test_open_data_names_its_licence_and_speaks_to_data_users(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + "open-data/")
    text = at.locator("article").inner_text()
    assert "使用许可" in text and "示例许可" in text and "这是示例站点" in text
    for staff in (".yml", "README", "data/"):
        assert staff not in text, staff


def test_elder_mode_says_its_state_and_the_site_name_stays_whole(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + TASK)
    button = at.get_by_role("button", name="长者模式")
    name = at.locator(".md-header__topic").first.locator(".md-ellipsis")

    def whole() -> bool:
        box = name.bounding_box()
        fits = name.evaluate(
            "e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1"
        )
        return bool(fits) and box is not None and box["x"] + box["width"] <= at.width

    assert button.get_attribute("aria-pressed") == "false" and "关" in button.inner_text()
    assert name.inner_text() == "政府工作报告任务公开" and whole()
    button.click()
    assert button.get_attribute("aria-pressed") == "true" and "开" in button.inner_text()
    assert whole()  # also with the larger text of 长者模式
    assert at.evaluate("document.documentElement.scrollWidth") <= at.width
    button.click()
    assert button.get_attribute("aria-pressed") == "false"


# -- 9. desktop --------------------------------------------------------------------------------
def test_a_task_page_gives_its_step_table_room(at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    at.goto(site_url + TASK)
    if at.width >= 1220:
        widths = at.eval_on_selector_all(
            "table.gk-steps th, table.gk-steps td",
            "cs => cs.map(c => c.getBoundingClientRect().width / parseFloat(getComputedStyle(c).fontSize))",
        )
        assert min(widths) >= 6, widths
        assert at.locator(".md-sidebar--primary").is_hidden()
        assert at.locator("article").bounding_box()["width"] >= 850
        at.goto(site_url + "reports/")
        assert at.locator(".md-sidebar--primary").is_visible()  # other pages keep it
    else:
        assert at.evaluate("document.documentElement.scrollWidth") <= at.width
