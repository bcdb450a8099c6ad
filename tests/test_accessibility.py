"""Accessibility measured, not asserted: axe-core runs on every page type at phone and desk widths.

axe-core comes from the test-only PyPI package ``axe-playwright-python``, which bundles
``axe.min.js``; it is injected into the page from that local file, never loaded from a CDN, and
nothing of it is shipped with the site. Every rule axe runs by default (WCAG 2.x A/AA and its
best practices) is checked; a test fails on any violation whose impact is "serious" or
"critical" and lists each one with its rule, impact, target selectors and what axe says is wrong.
The full axe results are kept in artifacts/axe/ for whoever fixes them.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ARTIFACTS

REPORT = "reports/2024-anqing-industry-q3/"
TASK = "reports/2024-anqing-industry-q3/4/"
UNIT = "units/市经济和信息化局/"

# Every kind of page a reader can land on, with what makes it that kind (checked first, so a
# renamed page cannot quietly turn this into a test of some other page).
PAGE_TYPES: dict[str, tuple[str, str]] = {
    "home": ("", "article"),
    "reports-index": ("reports/", "article"),
    "report": (REPORT, "table.gk-tasks"),
    "task": (TASK, "table.gk-steps"),
    "units-index": ("units/", "article"),
    "unit": (UNIT, "article"),
    "open-data": ("open-data/", "article"),
    "about": ("about/", "article"),
    "subscribe": ("subscribe/", "table.gk-feeds"),
    "task-without-status": ("reports/2023-province-key-tasks/2/", ".gk-summary__status"),
    # The built 404 page, as a host serves it for a missing address.
    "404": ("404.html", "article"),
}
# The pages of a series (issue 12), in a site built with one (conftest.series_site).
SERIES_PAGE_TYPES: dict[str, tuple[str, str]] = {
    "series": ("series/2024-anqing-industry/", "table.gk-series-tasks"),
    "series-task": ("series/2024-anqing-industry/25/", "ol.gk-timeline"),
    "task-with-timeline": ("reports/2024-anqing-industry-q4/25/", "details.gk-diff"),
    "report-with-changes": ("reports/2024-anqing-industry-q4/", "details.gk-changes"),
    "unit-with-moves": ("units/市经济和信息化局/", "figure.gk-moves"),
    "home-with-recent": ("", "ul.gk-recent"),
}
VIEWPORTS = {"360": (360, 800), "1280": (1280, 900)}
BLOCKING = ("critical", "serious")
AXE_ARTIFACTS = ARTIFACTS / "axe"

_axe = Axe()


def _open(browser, url: str, width: int, height: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    # The site's own scripts (filters, search button, Material's bundle) finish their changes to
    # the page before axe looks at it.
    page.wait_for_load_state("networkidle")
    return context, page


def _describe(violation: dict, page_type: str, width: str) -> str:  # type: ignore[type-arg]
    lines = [
        f"[{violation['impact']}] {violation['id']} on {page_type} at {width}px: "
        f"{violation['help']} ({violation['helpUrl'].split('?')[0]})"
    ]
    for node in violation["nodes"]:
        target = ", ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
        summary = " ".join(node.get("failureSummary", "").split())
        html = " ".join(node.get("html", "").split())
        lines.append(f"    - {target}\n      {html[:200]}\n      {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_axe_finds_no_serious_or_critical_violation(  # type: ignore[no-untyped-def]
    browser, site_url: str, page_type: str, width: str
) -> None:
    _check(browser, site_url, PAGE_TYPES[page_type], page_type, width)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", list(SERIES_PAGE_TYPES))
def test_axe_on_the_pages_of_a_series(  # type: ignore[no-untyped-def]
    browser, serve, series_site, page_type: str, width: str
) -> None:
    _check(browser, serve(series_site), SERIES_PAGE_TYPES[page_type], page_type, width)


def _check(browser, site_url: str, kind: tuple[str, str], page_type: str, width: str) -> None:  # type: ignore[no-untyped-def]
    path, marker = kind
    context, page = _open(browser, site_url + path, *VIEWPORTS[width])
    try:
        assert page.locator(marker).count() > 0, f"{path} is not a {page_type} page any more"
        results = _axe.run(page, options={"resultTypes": ["violations"]}).response
    finally:
        context.close()

    AXE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (AXE_ARTIFACTS / f"{page_type}-{width}.json").write_text(
        json.dumps(results["violations"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    if blocking:
        pytest.fail(
            f"axe {results['testEngine']['version']} found {len(blocking)} serious or critical "
            f"rule(s) failing on {page_type} ({path or '/'}) at {width}px:\n"
            + "\n".join(_describe(v, page_type, width) for v in blocking),
            pytrace=False,
        )


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_language_is_zh_cn(browser, site_url: str, page_type: str) -> None:  # type: ignore[no-untyped-def]
    path, _ = PAGE_TYPES[page_type]
    context, page = _open(browser, site_url + path, *VIEWPORTS["360"])
    try:
        lang = page.locator("html").get_attribute("lang")
    finally:
        context.close()
    assert lang == "zh-CN", f'{page_type} ({path or "/"}): <html lang="{lang}">, not "zh-CN"'
