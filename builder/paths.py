"""Where each generated page and file lives, and every address the site makes of them.

The functions below say where a page's Markdown file (relative to the docs root) or a
published file (relative to the site root) lives; :class:`Urls` turns those into addresses.
Pages, feeds, the open data, the search index and the theme all ask ``Urls`` (datasette's
``url_builder``), so a change of layout or of ``use_directory_urls`` reaches every link.
"""

from __future__ import annotations

import html
import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .model import Report, Task, Unit
    from .series import Series, Thread

REPORTS_INDEX = "reports/index.md"
UNITS_INDEX = "units/index.md"
OPEN_DATA = "open-data.md"
HOME = "index.md"
ALL_JSON = "downloads/gongkai-all.json"
FEEDS_INDEX = "subscribe.md"
"""订阅: how to subscribe, and every feed's address (a page in every browser, XSLT or not)."""
REPORTS_FEED = "feeds/reports.xml"
CHANGES_FEED = "feeds/changes.xml"


def task_path(task: Task) -> str:
    return f"reports/{task.report_slug}/{task.key}.md"


def report_path(report: Report) -> str:
    return f"reports/{report.slug}/index.md"


def unit_path(unit: Unit) -> str:
    return f"units/{unit.slug}.md"


def reports_index_page(number: int) -> str:
    """Page ``number`` of the list of reports; page 1 is the reports index."""
    return REPORTS_INDEX if number == 1 else f"reports/page/{number}.md"


def report_list_page(report: Report, number: int) -> str:
    """Page ``number`` of a report's task list (Pelican's ``page/2/``); page 1 is the report."""
    return report_path(report) if number == 1 else f"reports/{report.slug}/page/{number}.md"


def unit_list_page(unit: Unit, number: int) -> str:
    """Page ``number`` of a unit's task list; page 1 is the unit's page."""
    return unit_path(unit) if number == 1 else f"units/{unit.slug}/page/{number}.md"


def report_rows(report: Report) -> str:
    """The folder of the rows of a report's task list split over pages, one file a status
    (``done.json``…), for filtering across the pages."""
    return f"lists/reports/{report.slug}/"


def unit_rows(unit: Unit) -> str:
    """The folder of the rows of a unit's task list split over pages, one file a status."""
    return f"lists/units/{unit.slug}/"


def series_path(series: Series) -> str:
    return f"series/{series.id}/index.md"


def thread_path(thread: Thread) -> str:
    """A task's address within its series, showing its latest period."""
    return f"series/{thread.series_id}/{thread.key}.md"


def source_path(report: Report) -> str:
    return f"downloads/{report.slug}-source{report.path.suffix}"


def csv_path(report: Report) -> str:
    return f"downloads/{report.slug}.csv"


def json_path(report: Report) -> str:
    return f"downloads/{report.slug}.json"


def series_feed(series: Series) -> str:
    return f"feeds/series/{series.id}.xml"


def unit_feed(unit: Unit) -> str:
    return f"feeds/units/{unit.slug}.xml"


class Urls:
    """Every address of the site. ``path`` arguments are what the functions above give: a
    page's Markdown path (``reports/x/3.md``) or a published file's (``feeds/reports.xml``)."""

    def __init__(self, directory_urls: bool = True, site_url: str = ""):
        self.directory_urls = directory_urls
        self.site_url = site_url
        """The published site's address (``site_url`` of mkdocs.yml); empty where unknown."""
        # Pages link to the same few targets from the same few folders: each is made once.
        self._relative: dict[tuple[str, str], str] = {}

    def url(self, path: str) -> str:
        """The address of a page or file relative to the site root, unquoted: the URL MkDocs
        gives a Markdown file (``reports/x/3/``), a file's own path otherwise."""
        if not path.endswith(".md"):
            return path
        stem = path.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    def task(self, task: Task) -> str:
        return self.url(task_path(task))

    def thread(self, thread: Thread) -> str:
        return self.url(thread_path(thread))

    def report(self, report: Report) -> str:
        return self.url(report_path(report))

    def unit(self, unit: Unit) -> str:
        return self.url(unit_path(unit))

    def series(self, series: Series) -> str:
        return self.url(series_path(series))

    def up(self, origin: str) -> str:
        """From the page ``origin`` back to the site root: "../" once per folder level."""
        return "../" * self.url(origin).count("/")

    def relative(self, origin: str, path: str) -> str:
        """The quoted address of ``path`` relative to the page ``origin``, as a browser
        resolves it (MkDocs does not rewrite links in raw HTML), HTML-escaped."""
        up = self.up(origin)
        href = self._relative.get((up, path))
        if href is None:
            rel = up + quote(self.url(path), safe="/.-_~")
            href = self._relative[(up, path)] = html.escape(rel or "./", quote=True)
        return href

    def markdown(self, origin: str, path: str) -> str:
        """A Markdown link target from the page ``origin`` to another Markdown page: the
        source path, which MkDocs checks and turns into the page's URL."""
        rel = posixpath.relpath(path, posixpath.dirname(origin) or ".")
        return quote(rel, safe="/.-_~")

    def absolute(self, path: str, from_file: str) -> str:
        """The address of ``path`` for a file read outside the site (a feed): absolute where
        ``site_url`` is known, else relative to ``from_file`` (Atom resolves links against
        the document's own address). A ``#fragment`` is kept."""
        quoted = quote(self.url(path), safe="/.-_~#")
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + quoted
        return posixpath.relpath("/" + quoted, posixpath.dirname("/" + from_file)) + (
            "/" if quoted.endswith("/") else ""
        )
