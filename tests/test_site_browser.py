"""The public site in a real browser: filters, phones, 长者模式, print, contrast, no outside loads."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ARTIFACTS

REPORT = "reports/2024-anqing-industry-q3/"
TASK = "reports/2024-anqing-industry-q3/4/"
UNIT = "units/市经济和信息化局/"
SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(params=[360, 1280], ids=["360px", "1280px"])
def page(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    """Every interaction here is tried on a phone and on a desktop."""
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 500 else 900})
    yield context.new_page()
    context.close()


def visible_seqs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        "table.gk-tasks tbody tr:not([hidden]) td.gk-seq", "cells => cells.map(c => c.textContent)"
    )


def test_filters_narrow_the_list_and_the_url_restores_them(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + REPORT)
    assert len(visible_seqs(page)) == 17
    page.get_by_label("完成状态").select_option("in-progress")
    assert visible_seqs(page) == ["19", "22"]
    assert "status=in-progress" in page.url
    assert page.locator(".gk-filter-count").inner_text() == "显示 2 / 17 项"
    page.get_by_label("完成状态").select_option("")
    page.get_by_label("责任单位").select_option("安庆石化")
    assert visible_seqs(page) == ["4"]
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert visible_seqs(page) == ["4"]
    assert page.get_by_label("责任单位").input_value() == "安庆石化"
    page.get_by_role("button", name="清除筛选").click()
    assert len(visible_seqs(page)) == 17
    assert "unit=" not in page.url


def test_filters_work_by_keyboard(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + REPORT)
    page.get_by_label("完成状态").focus()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "gk-filter-status"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("ArrowDown")  # 尚未完成或未写明
    page.keyboard.press("ArrowDown")  # 已完成
    page.keyboard.press("ArrowDown")  # 推进中
    assert visible_seqs(page) == ["19", "22"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gk-filter-unit"


def test_report_without_status_has_no_status_filter(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "reports/2023-province-key-tasks/")
    assert page.locator("#gk-filter-status").count() == 0
    page.get_by_label("责任单位").select_option("合肥市政府")
    assert visible_seqs(page) == ["11"]


@pytest.mark.parametrize(
    ("name", "path"), [("report", REPORT), ("task", TASK), ("unit", UNIT), ("home", "")]
)
def test_phone_width_never_scrolls_sideways(browser, site_url: str, name: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.goto(site_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"360-{name}.png"), full_page=True)
    context.close()
    assert width <= 360, f"{path}: page is {width}px wide at 360px"


def test_nothing_loads_from_outside_the_site(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    origin = urlsplit(site_url).netloc
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).scheme not in ("data", "blob") and urlsplit(r.url).netloc != origin
            else None
        ),
    )
    for path in ("", REPORT, TASK, UNIT, "open-data/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="搜索").click()
    page.get_by_placeholder("搜索任务、单位或任意词语").fill("技改")
    page.locator(".gk-search__link").first.wait_for()
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "1280-search.png"))
    assert outside == []


def test_elder_mode_persists_and_enlarges_text(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TASK)
    before = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    )
    button = page.get_by_role("button", name="长者模式")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    page.goto(site_url + REPORT)
    assert page.get_by_role("button", name="长者模式").get_attribute("aria-pressed") == "true"
    page.goto(site_url + TASK)
    after = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    )
    assert after >= before * 1.2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "1280-task-elder.png"))
    page.get_by_role("button", name="长者模式").click()
    page.reload()
    assert page.get_by_role("button", name="长者模式").get_attribute("aria-pressed") == "false"


def test_print_shows_the_task_without_navigation(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TASK)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".gk-prevnext"):
        assert (
            page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none"
        ), selector
    assert page.locator("article h1").is_visible()
    assert page.locator("table.gk-steps").is_visible()


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> list[float]:
    return [float(x) for x in re.findall(r"[\d.]+", css)[:3]]


def test_status_badges_and_links_meet_aa_contrast(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + REPORT)
    page.evaluate(
        """() => { const p = document.querySelector('article');
        for (const s of ['done','in-progress','not-done','unmarked']) {
          const e = document.createElement('span'); e.className = 'gk-status gk-status--' + s;
          e.textContent = 'x'; p.appendChild(e); } }"""
    )
    pairs = page.eval_on_selector_all(
        "article .gk-status, article a",
        """els => els.map(e => { const s = getComputedStyle(e); let bg = s.backgroundColor, n = e;
            while (bg === 'rgba(0, 0, 0, 0)' && n.parentElement) { n = n.parentElement; bg = getComputedStyle(n).backgroundColor; }
            if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
            return [e.className || e.tagName, s.color, bg]; })""",
    )
    assert len(pairs) > 20
    for name, fg, bg in pairs:
        lighter, darker = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
        ratio = (lighter + 0.05) / (darker + 0.05)
        assert ratio >= 4.5, f"{name}: {fg} on {bg} is {ratio:.2f}:1"


def test_pages_are_chinese_with_one_h1_and_ordered_headings(site_dir: Path) -> None:
    pages = [
        site_dir / "index.html",
        site_dir / REPORT / "index.html",
        site_dir / TASK / "index.html",
    ]
    pages += [
        site_dir / UNIT / "index.html",
        site_dir / "open-data/index.html",
        site_dir / "about/index.html",
    ]
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert doc.html is not None and doc.html.get("lang") == "zh-CN", path
        article = doc.select_one("article")
        assert article is not None
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path, levels)


@pytest.mark.parametrize("width", [360, 1280], ids=["360px", "1280px"])
def test_section_filter_hides_other_sections(tmp_path: Path, serve, browser, width: int) -> None:  # type: ignore[no-untyped-def]
    from conftest import ROOT, make_project, mkdocs_build

    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    golden = ROOT / "tests/golden"
    (data / "units.yml").write_bytes((golden / "units.yml").read_bytes())
    (data / "reports/county.txt").write_bytes(
        (golden / "parse/sections_status_word_extra_column.txt").read_bytes()
    )
    project = make_project(tmp_path / "p", data)
    assert mkdocs_build(project).returncode == 0
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(serve(project / "site") + "reports/county/")
    page.get_by_label("分组").select_option("二、保障和改善民生")
    assert visible_seqs(page) == ["3"]
    assert not page.get_by_role("heading", name="一、稳住经济基本盘").is_visible()
    assert page.get_by_role("heading", name="二、保障和改善民生").is_visible()
    assert "section=" in page.url
    page.get_by_label("完成状态").select_option("done")
    assert visible_seqs(page) == []
    assert page.locator(".gk-filter-count").inner_text() == "显示 0 / 3 项"
    page.close()
