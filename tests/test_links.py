"""Every address the site makes leads to a file of the site: the links of every page, the
feeds' links, the open data's and the search results' URLs — with and without
``use_directory_urls`` (paths.Urls makes them all)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

from conftest import make_project, mkdocs_build

SITE_URL = "https://gongkai.example.com/"
_HREF_RE = re.compile(r'(?:href|src)="([^"]*)"')


def _target(site: Path, origin: Path, href: str) -> Path | None:
    """The file ``href`` found in ``origin`` leads to, None for an address outside the site."""
    href = html.unescape(href).split("#")[0].split("?")[0]
    if href.startswith(SITE_URL):
        target = site / unquote(href.removeprefix(SITE_URL))
    elif href.startswith(("http:", "https:", "//", "tel:", "mailto:", "data:")):
        return None
    elif href.startswith("/"):
        target = site / unquote(href.lstrip("/"))
    else:
        target = origin.parent / unquote(href)
    target = target.resolve()
    return target / "index.html" if target.is_dir() else target


def _site_url(site: Path, url: str) -> Path:
    target = (site / unquote(url)).resolve()
    return target / "index.html" if target.is_dir() else target


def assert_every_address_resolves(
    site: Path, written_by_staff: frozenset[str] = frozenset()
) -> int:
    checked = 0
    missing = []
    for origin in [*site.rglob("*.html"), *site.rglob("*.xml")]:
        if origin.name == "sitemap.xml" or origin.relative_to(site).as_posix() in written_by_staff:
            continue
        for href in _HREF_RE.findall(origin.read_text(encoding="utf-8")):
            if href == "" or (target := _target(site, origin, href)) is None:
                continue
            checked += 1
            if not target.is_file():
                missing.append((origin.relative_to(site).as_posix(), href))
    data = json.loads((site / "downloads/gongkai-all.json").read_text(encoding="utf-8"))
    urls = [t["url"] for r in data["reports"] for t in r["tasks"]]
    urls += [t["series_task"] for r in data["reports"] for t in r["tasks"] if t["series_task"]]
    urls += [t["url"] for s in data["series"] for t in s["tasks"]]
    for results in (site / "search/r").glob("*.json"):
        urls += [r["url"] for r in json.loads(results.read_text(encoding="utf-8"))]
    for url in urls:
        checked += 1
        if not _site_url(site, url).is_file():
            missing.append(("data", url))
    assert not missing, missing[:20]
    return checked


def test_every_address_of_the_series_site_resolves(series_site: Path) -> None:
    assert assert_every_address_resolves(series_site) > 5_000


def test_every_address_resolves_without_directory_urls(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "use_directory_urls: true", "use_directory_urls: false"
        ),
        encoding="utf-8",
    )
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "reports/2024-anqing-industry-q3/1.html").is_file()
    # content/about.md links to the feeds in raw HTML written for directory URLs: staff's
    # text, not an address the site makes.
    assert assert_every_address_resolves(site, frozenset({"about.html"})) > 1_000
    page = (site / "reports/2024-anqing-industry-q3/index.html").read_text(encoding="utf-8")
    assert 'href="../../reports/2024-anqing-industry-q3/1.html"' in page
