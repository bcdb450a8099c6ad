"""Where each generated page and file lives, relative to the docs root or the site root.

One place for them: the pages, the feeds and the plugin link to each other through these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Report, Task, Unit
    from .series import Series, Thread

REPORTS_INDEX = "reports/index.md"
UNITS_INDEX = "units/index.md"
OPEN_DATA = "open-data.md"
HOME = "index.md"
ALL_JSON = "downloads/gongkai-all.json"
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


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown file, relative to the site root."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if directory_urls else stem + ".html"
