"""Stage 4: the Site → Markdown pages (Jinja templates), independent of any site engine.

Every value a template prints must pass through an escaping filter for its context:
``md`` (Markdown text), ``h`` (inside raw HTML), ``yaml`` (front matter). Printing a
plain string is an error (see ``_finalize``), so a forgotten filter fails the build
instead of publishing a cell as markup.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .charts import status_chart
from .clean import Cleaned, escape_markdown
from .export import (
    CSV_FIELDS,
    REPORT_FIELDS,
    STEP_FIELDS,
    TASK_FIELDS,
    dumps,
    report_csv,
    report_json,
    site_json,
)
from .model import STATUS_ORDER, Report, Site, Status, Task, Unit, count_statuses
from .search import SearchRecord

TEMPLATES = Path(__file__).parent / "templates"
TITLE_LIMIT = 60


@dataclass(frozen=True)
class Page:
    path: str
    """Path of the Markdown file relative to the docs root, e.g. ``reports/x/3.md``."""
    markdown: str


@dataclass(frozen=True)
class Asset:
    """A file published as is (downloads), path relative to the site root."""

    path: str
    content: bytes


def task_path(task: Task) -> str:
    return f"reports/{task.report_slug}/{task.seq}.md"


def report_path(report: Report) -> str:
    return f"reports/{report.slug}/index.md"


def unit_path(unit: Unit) -> str:
    return f"units/{unit.slug}.md"


def source_path(report: Report) -> str:
    return f"downloads/{report.slug}-source{report.path.suffix}"


def csv_path(report: Report) -> str:
    return f"downloads/{report.slug}.csv"


def json_path(report: Report) -> str:
    return f"downloads/{report.slug}.json"


REPORTS_INDEX = "reports/index.md"
UNITS_INDEX = "units/index.md"
OPEN_DATA = "open-data.md"
HOME = "index.md"
ALL_JSON = "downloads/gongkai-all.json"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown file, relative to the site root."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if directory_urls else stem + ".html"


def _short(text: str, limit: int = TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(value: Any) -> Markup:
    return Markup(escape_markdown(str(value)))


def _h(value: Any) -> Markup:
    return Markup(html.escape(str(value), quote=True))


def _yaml(value: Any) -> Markup:
    # MkDocs and Material print the page title into <title> unescaped: give them escaped text.
    return Markup(json.dumps(html.escape(str(value), quote=True), ensure_ascii=False))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup | int | float) or value is None:
        return "" if value is None else value
    raise TypeError(f"template printed an unescaped value: {value!r}")


class Renderer:
    """Renders every generated page of a Site."""

    def __init__(self, site: Site, directory_urls: bool = True):
        self.site = site
        self.directory_urls = directory_urls
        self._rows: dict[tuple[str, str, bool], str] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # md_block: Markdown that clean.py produced, every source character already escaped.
        self.env.filters.update(md=_md, h=_h, yaml=_yaml, short=_short, md_block=Markup)
        self.env.globals.update(
            STATUS_ORDER=STATUS_ORDER,
            Status=Status,
            count_statuses=count_statuses,
            chart=lambda counts, subject: Markup(status_chart(counts, subject)),
            step_count=lambda tasks: sum(len(t.steps) for t in tasks),
            cell=_cell_html,
            reports_of=self._reports_of,
            task_path=task_path,
            report_path=report_path,
            source_path=source_path,
            csv_path=csv_path,
            json_path=json_path,
            unit_path=lambda name: unit_path(self.site.unit(name)),
            REPORTS_INDEX=REPORTS_INDEX,
            UNITS_INDEX=UNITS_INDEX,
            OPEN_DATA=OPEN_DATA,
            HOME=HOME,
            ALL_JSON=ALL_JSON,
            REPORT_FIELDS=REPORT_FIELDS,
            TASK_FIELDS=TASK_FIELDS,
            STEP_FIELDS=STEP_FIELDS,
            CSV_FIELDS=CSV_FIELDS,
        )

    def _reports_of(self, unit: Unit) -> list[Report]:
        slugs = {t.report_slug for t in unit.tasks}
        return [r for r in self.site.reports if r.slug in slugs]

    # -- links ---------------------------------------------------------------------------
    def md_link(self, origin: str, target: str) -> Markup:
        """A relative link to another Markdown file, for Markdown contexts (MkDocs checks it)."""
        rel = posixpath.relpath(target, posixpath.dirname(origin) or ".")
        return Markup(quote(rel, safe="/.-_~"))

    def _up(self, origin: str) -> str:
        """From a page's URL back to the site root: "../" once per folder level."""
        return "../" * page_url(origin, self.directory_urls).count("/")

    def href(self, origin: str, target: str) -> Markup:
        """The final relative URL of another page, for raw HTML (MkDocs does not rewrite it)."""
        return self.href_file(origin, page_url(target, self.directory_urls))

    def href_file(self, origin: str, target: str) -> Markup:
        """The relative URL of a published file or page URL, for raw HTML."""
        rel = self._up(origin) + quote(target, safe="/.-_~")
        return Markup(html.escape(rel or "./", quote=True))

    def task_rows(self, origin: str, tasks: Sequence[Task], has_status: bool) -> Markup:
        """The rows of a task table. Pages at the same depth share each row's HTML, and a
        unit page lists hundreds of tasks, so rows are built once per task and depth."""
        up = self._up(origin)
        rows = []
        for task in tasks:
            key = (task.id, up, has_status)
            row = self._rows.get(key)
            if row is None:
                row = self._task_row(task, up, has_status)
                self._rows[key] = row
            rows.append(row)
        return Markup("\n".join(rows))

    def _task_row(self, task: Task, up: str, has_status: bool) -> str:
        e = html.escape
        status = task.status.value if task.status is not None else "none"
        section = f' data-section="{e(task.section)}"' if task.section else ""
        article = f"第 {e(task.article)} 条" if task.article else ""
        url = up + quote(page_url(task_path(task), self.directory_urls), safe="/.-_~")
        units = "、".join(
            f'<a href="{e(up + quote(page_url(unit_path(self.site.unit(n)), self.directory_urls), safe="/.-_~"))}">{e(n)}</a>'
            for n in task.all_units
        )
        cells = (
            f'<td class="gk-seq">{e(task.seq)}</td><td class="gk-article">{article}</td>'
            f'<td class="gk-text"><a href="{e(url)}">{e(task.text)}</a></td>'
            f'<td class="gk-units">{units}</td>'
        )
        if has_status:
            badge = (
                f'<span class="gk-status gk-status--{status}">{e(task.status.label)}</span>'
                if task.status is not None
                else ""
            )
            cells += f'<td class="gk-state">{badge}</td>'
        return (
            f'<tr data-status="{status}" data-units="{e("|".join(task.all_units))}"{section}>'
            f"{cells}</tr>"
        )

    # -- pages ---------------------------------------------------------------------------
    def pages(self) -> Iterable[Page]:
        yield Page(REPORTS_INDEX, self._render("reports.md.j2", REPORTS_INDEX))
        yield Page(UNITS_INDEX, self._render("units.md.j2", UNITS_INDEX))
        yield Page(OPEN_DATA, self._render("open-data.md.j2", OPEN_DATA))
        for report in self.site.reports:
            path = report_path(report)
            yield Page(path, self._render("report.md.j2", path, report=report))
            tasks = report.tasks
            for i, task in enumerate(tasks):
                tpath = task_path(task)
                yield Page(
                    tpath,
                    self._render(
                        "task.md.j2",
                        tpath,
                        report=report,
                        task=task,
                        previous=tasks[i - 1] if i else None,
                        next=tasks[i + 1] if i + 1 < len(tasks) else None,
                        tabular=report.has_status
                        or report.plan_label is not None
                        or any(s.kind for s in task.steps),
                        has_deadline=any(s.deadline for s in task.steps),
                    ),
                )
        for unit in self.site.units:
            upath = unit_path(unit)
            yield Page(upath, self._render("unit.md.j2", upath, unit=unit))

    def assets(self) -> Iterable[Asset]:
        """The download files: each report as CSV, JSON and the source table, and all data."""

        def task_url(task: Task) -> str:
            return page_url(task_path(task), self.directory_urls)

        for report in self.site.reports:
            yield Asset(source_path(report), report.path.read_bytes())
            yield Asset(csv_path(report), report_csv(report))
            yield Asset(json_path(report), dumps(report_json(report, task_url)))
        yield Asset(ALL_JSON, dumps(site_json(self.site, task_url)))

    def home_overview(self) -> str:
        """Markdown appended to the hand-written home page: each report with its figures."""
        return self._render("home.md.j2", HOME)

    def _render(self, template: str, path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site,
            here=path,
            md_link=lambda target: self.md_link(path, target),
            href=lambda target: self.href(path, target),
            href_file=lambda target: self.href_file(path, target),
            task_rows=lambda tasks, has_status: self.task_rows(path, tasks, has_status),
            **context,
        )


def _cell_html(value: Cleaned | None) -> Markup:
    # Cleaned.html is built by clean.py from escaped text only.
    if value is None or not value.text:
        return Markup('<span class="gk-empty">（原表此栏为空）</span>')
    return Markup(value.html)


def search_records(site: Site, directory_urls: bool = True) -> list[SearchRecord]:
    """One search record per task page: everything a reader may search for."""
    records = []
    for report in site.reports:
        for task in report.tasks:
            parts: list[str] = [*task.all_units, *task.offices]
            if task.article:
                parts.append(f"第{task.article}条")
            if task.supervision:
                parts.append(task.supervision)
            for step in task.steps:
                for value in (step.plan, step.progress):
                    if value is not None and value.text:
                        parts.append(value.text)
                parts.extend(extra.value.text for extra in step.extras if extra.value.text)
            meta: Mapping[str, str] = {
                "报告": report.title,
                **({"状态": task.status.label} if task.status is not None else {}),
            }
            records.append(
                SearchRecord(
                    url=page_url(task_path(task), directory_urls),
                    title=task.text or f"序号 {task.seq}",
                    text="\n".join(parts),
                    meta=meta,
                )
            )
    return records
