"""Stage 4: the Site → Markdown pages, independent of any site engine.

Every value a page prints must pass through an escaping function for its context:
``md`` (Markdown text), ``h`` (inside raw HTML), ``yaml`` (front matter). In the Jinja
templates printing a plain string is an error (see ``_finalize``), so a forgotten filter
fails the build instead of publishing a cell as markup. The task page, of which a site
has thousands, is built in Python (``Renderer.task_page``) under the same rule; the safety
tests build it from hostile cells in every column.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .changes import SeriesParts
from .charts import status_badge, status_chart
from .clean import Cleaned, escape_markdown, shorten
from .columns import Role
from .export import (
    CSV_FIELDS,
    REPORT_FIELDS,
    STEP_FIELDS,
    TASK_FIELDS,
    SeriesLinks,
    all_json,
    dumps,
    report_csv,
    report_json,
)
from .feeds import STYLESHEET, atom, plan_feeds
from .memo import Memo
from .model import (
    LEVEL_NAMES,
    STATUS_ORDER,
    Column,
    Figure,
    Report,
    Site,
    Status,
    Step,
    Task,
    Unit,
    UnitKey,
    count_statuses,
    period_text,
)
from .paging import PAGE_SIZE, Group, ListPage, page_numbers, paginate
from .paths import (
    ALL_JSON,
    CHANGES_FEED,
    FEEDS_INDEX,
    HOME,
    OPEN_DATA,
    REPORTS_FEED,
    REPORTS_INDEX,
    UNITS_INDEX,
    Urls,
    csv_path,
    json_path,
    report_list_page,
    report_path,
    report_rows,
    reports_index_page,
    series_feed,
    series_path,
    source_path,
    task_path,
    thread_path,
    unit_feed,
    unit_list_page,
    unit_path,
    unit_rows,
)
from .readers.text import decode
from .series import Series, period_end, report_date
from .siteinfo import SiteInfo

TEMPLATES = Path(__file__).parent / "templates"
TIMELINE_ANCHOR = "各期情况"
"""The id MkDocs gives the 各期情况 heading of a task page (pymdownx slugify keeps the words)."""
TITLE_LIMIT = 60
OVERVIEW_MARKER = "<!-- gongkai:overview -->"
"""Where content/index.md wants the generated overview (reports and their standing)."""
STANDING_LIMIT = 5
"""Reports whose standing the home page shows first (a phone's first screen holds about so many)."""
HOME_REPORTS = 30
"""Reports the home page lists under 全部报告, newest first: a province's hundreds are on
the paginated reports index, and the home page stays light on a phone."""


def _negated(date: dt.date | None) -> int:
    return -date.toordinal() if date is not None else 0


@dataclass(frozen=True)
class Page:
    path: str
    """Path of the Markdown file relative to the docs root, e.g. ``reports/x/3.md``."""
    markdown: str


def _unchanged() -> str:
    """The Markdown of a page known to be as last published: never rendered (plugin.py)."""
    return ""


@dataclass(frozen=True)
class Pending:
    """A generated page not made yet: its path, and how to make its Markdown."""

    path: str
    """As :attr:`Page.path`."""
    make: Callable[[], str]


@dataclass(frozen=True)
class Asset:
    """A file published as is (downloads), path relative to the site root."""

    path: str
    content: bytes | Iterable[bytes] | None
    """The bytes; for a file too large to hold at once (all data as one JSON), its parts in
    order, made as they are written; None for a file as last published (``path`` is then a
    file or, ending in ``/``, a folder of them), taken from the published site."""
    report: str | None = None
    """The slug of the report the file is made from alone (with its series), if it is."""


def _short(text: str, limit: int = TITLE_LIMIT) -> str:
    return shorten(text, limit)


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

    def __init__(
        self,
        site: Site,
        directory_urls: bool = True,
        site_name: str = "政府工作报告任务公开",
        site_url: str = "",
        urls: Urls | None = None,
        info: SiteInfo | None = None,
        page_size: int = PAGE_SIZE,
    ):
        self.site = site
        self.page_size = page_size
        self.urls = urls or Urls(directory_urls, site_url)
        self.info = info or SiteInfo(operator="", site_url=self.urls.site_url, licence=None)
        self.site_name = site_name
        self._rows: Memo[tuple[str, str, bool, bool, bool], str] = Memo(5_000)
        # Pages link to the same few targets from the same few folders: a link is made once
        # while its folder's pages are being made.
        self._md_links: Memo[tuple[str, str], Markup] = Memo(5_000)
        self._unit_links: dict[tuple[str, UnitKey], str] = {}
        self._unit_hrefs: dict[tuple[str, UnitKey], str] = {}
        self.parts = SeriesParts(site, self)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(md=_md, h=_h, yaml=_yaml, short=_short)
        self.env.globals.update(
            STATUS_ORDER=STATUS_ORDER,
            Status=Status,
            count_statuses=count_statuses,
            chart=lambda counts, subject: Markup(status_chart(counts, subject)),
            step_count=lambda tasks: sum(len(t.steps) for t in tasks),
            status_badge=lambda status, mark=None: Markup(status_badge(status, mark)),
            as_of=lambda report: Markup(_as_of(report)),
            as_of_short=_as_of_short,
            newest_reports=self.newest_reports,
            latest_reports=self.latest_reports,
            STANDING_LIMIT=STANDING_LIMIT,
            HOME_REPORTS=HOME_REPORTS,
            period_text=period_text,
            LEVEL_NAMES=LEVEL_NAMES,
            reports_of=self._reports_of,
            task_path=task_path,
            report_path=report_path,
            source_path=source_path,
            csv_path=csv_path,
            json_path=json_path,
            unit_path=unit_path,
            unit_feed=unit_feed,
            unit_rows=unit_rows,
            report_rows=report_rows,
            series_of=site.series_of,
            current_tasks=site.current,
            series_feed=series_feed,
            series_path=series_path,
            REPORTS_INDEX=REPORTS_INDEX,
            UNITS_INDEX=UNITS_INDEX,
            OPEN_DATA=OPEN_DATA,
            FEEDS_INDEX=FEEDS_INDEX,
            REPORTS_FEED=REPORTS_FEED,
            CHANGES_FEED=CHANGES_FEED,
            feed_address=self.feed_address,
            HOME=HOME,
            ALL_JSON=ALL_JSON,
            REPORT_FIELDS=REPORT_FIELDS,
            TASK_FIELDS=TASK_FIELDS,
            STEP_FIELDS=STEP_FIELDS,
            CSV_FIELDS=CSV_FIELDS,
            info=self.info,
        )

    def newest_reports(self) -> list[Report]:
        """Every report, the newest first (by publication date, else by its period's end);
        those the site cannot date last, in file order."""
        dated = [(report_date(r), r) for r in self.site.reports]
        return [r for _, r in sorted(dated, key=lambda p: (p[0] is None, _negated(p[0])))]

    def latest_reports(self) -> list[Report]:
        """The newest first, each table once: the latest period of a series stands for it."""
        out = []
        for report in self.newest_reports():
            series = self.site.series_of(report)
            if series is None or series.latest.slug == report.slug:
                out.append(report)
        return out

    def feed_address(self, path: str) -> str:
        """A feed's address as a reader copies it: absolute where site_url is known."""
        site_url = self.urls.site_url
        return site_url.rstrip("/") + "/" + path if site_url else path

    def _reports_of(self, unit: Unit) -> list[Report]:
        return [r for r in self.site.reports if r.slug in unit.tasks_by_report]

    # -- links ---------------------------------------------------------------------------
    def md_link(self, origin: str, target: str) -> Markup:
        """A relative link to another Markdown file, for Markdown contexts (MkDocs checks it)."""
        folder = posixpath.dirname(origin)
        link = self._md_links.get((folder, target))
        if link is None:
            link = self._md_links[(folder, target)] = Markup(self.urls.markdown(origin, target))
        return link

    def unit_links(self, origin: str, keys: Iterable[UnitKey]) -> Markup:
        """Markdown links to the pages of these units, separated by 、."""
        folder = posixpath.dirname(origin)
        links = []
        for key in keys:
            link = self._unit_links.get((folder, key))
            if link is None:
                target = self.md_link(origin, unit_path(self.site.unit(key)))
                link = self._unit_links[(folder, key)] = f"[{escape_markdown(key.name)}]({target})"
            links.append(link)
        return Markup("、".join(links))

    def href(self, origin: str, target: str) -> Markup:
        """The relative URL of another page or a published file, for raw HTML (MkDocs does
        not rewrite it)."""
        return Markup(self.urls.relative(origin, target))

    href_file = href

    def task_rows(
        self,
        origin: str,
        tasks: Sequence[Task],
        has_status: bool,
        has_article: bool = True,
        periods: bool = False,
    ) -> Markup:
        """The rows of a task table. Pages at the same depth share each row's HTML, and a
        unit page lists hundreds of tasks, so rows are built once per task and depth.
        ``periods``: a task followed through a series links to its 各期情况."""
        up = self.urls.up(origin)
        rows = []
        for task in tasks:
            # A task in no series has the same row on report and unit pages: made once.
            linked = periods and self._periods(task) > 1
            key = (task.id, up, has_status, has_article, linked)
            row = self._rows.get(key)
            if row is None:
                row = self._task_row(task, origin, has_status, has_article, linked)
                self._rows[key] = row
            rows.append(row)
        return Markup("\n".join(rows))

    def _periods(self, task: Task) -> int:
        """How many periods list the task (1 where it is in no series)."""
        thread = self.site.thread_of(task)
        return len(thread.tasks) if thread is not None else 1

    def _task_row(
        self, task: Task, origin: str, has_status: bool, has_article: bool, periods: bool
    ) -> str:
        e = html.escape
        status = task.status.value if task.status is not None else "none"
        section = f' data-section="{e(task.section)}"' if task.section else ""
        article = f"第 {e(task.article)} 条" if task.article else ""
        url = self.urls.relative(origin, task_path(task))
        units = "、".join(self._unit_href(origin, k) for k in task.unit_keys)
        count = self._periods(task) if periods else 1
        earlier = (
            f' <a class="gk-periods" href="{e(url)}#{TIMELINE_ANCHOR}">各期情况（{count} 期）</a>'
            if count > 1
            else ""
        )
        cells = (
            f'<td class="gk-seq">{e(task.seq)}</td>'
            + (f'<td class="gk-article">{article}</td>' if has_article else "")
            + f'<td class="gk-text"><a href="{e(url)}">{e(task.text)}</a>{earlier}</td>'
            f'<td class="gk-units">{units}</td>'
        )
        if has_status:
            badge = (
                status_badge(task.status, task.stated_by_kind) if task.status is not None else ""
            )
            cells += f'<td class="gk-state">{badge}</td>'
        return (
            f'<tr data-status="{status}" data-units="{e("|".join(task.all_units))}"{section}>'
            f"{cells}</tr>"
        )

    def _unit_href(self, origin: str, key: UnitKey) -> str:
        up = self.urls.up(origin)
        link = self._unit_hrefs.get((up, key))
        if link is None:
            url = self.urls.relative(origin, unit_path(self.site.unit(key)))
            link = self._unit_hrefs[(up, key)] = f'<a href="{url}">{html.escape(key.name)}</a>'
        return link

    # -- pages ---------------------------------------------------------------------------
    def pages(self) -> Iterable[Page]:
        """Every generated page, made one after another."""
        return (Page(pending.path, pending.make()) for pending in self.pending())

    def pending(
        self, known: Callable[[str, Sequence[Report | None]], bool] | None = None
    ) -> Iterable[Pending]:
        """Every generated page in the site's order, each made only when asked: the MkDocs
        plugin makes a page's Markdown when MkDocs reads that page, so the site's pages are
        never all held at once. ``known(path, reports)``: True where a page made from these
        reports and their series alone (a task page, a page of a report's or a unit's task
        list) is known to be as last published (incremental.py); it is given with no
        Markdown to make."""
        yield from self._reports_index()
        yield Pending(UNITS_INDEX, functools.partial(self._render, "units.md.j2", UNITS_INDEX))
        yield Pending(OPEN_DATA, functools.partial(self._render, "open-data.md.j2", OPEN_DATA))
        yield Pending(FEEDS_INDEX, functools.partial(self._render, "feeds.md.j2", FEEDS_INDEX))
        for report in self.site.reports:
            for listing in paginate(self.report_groups(report), self.page_size):
                path = report_list_page(report, listing.number)
                if known is not None and known(path, (report,)):
                    yield Pending(path, _unchanged)
                    continue
                yield Pending(
                    path,
                    functools.partial(
                        self._render, "report.md.j2", path, report=report, listing=listing
                    ),
                )
            tasks = report.tasks
            for i, task in enumerate(tasks):
                tpath = task_path(task)
                if known is not None and known(tpath, (report,)):
                    yield Pending(tpath, _unchanged)
                    continue
                previous = tasks[i - 1] if i else None
                next_ = tasks[i + 1] if i + 1 < len(tasks) else None
                yield Pending(
                    tpath, functools.partial(self.task_page, tpath, report, task, previous, next_)
                )
        for series in self.site.series:
            spath = series_path(series)
            # Made from the series alone: any of its reports' keys covers all of them.
            if known is not None and known(spath, (series.reports[-1],)):
                yield Pending(spath, _unchanged)
            else:
                yield Pending(spath, functools.partial(self._series_page, series))
            for thread in series.threads:
                task = thread.latest
                report = self.site.report(task.report_slug)
                tpath = thread_path(thread)
                if known is not None and known(tpath, (report,)):
                    yield Pending(tpath, _unchanged)
                    continue
                yield Pending(
                    tpath,
                    functools.partial(self.task_page, tpath, report, task, None, None, stable=True),
                )
        for unit in self.site.units:
            groups = self.unit_groups(unit)
            # A unit's page shows its tasks' reports in this order, counts every report it
            # is in, and what the series of those reports say of it (unit_moves): nothing
            # else that a table gives.
            made_from = (*(g.report for g in groups), None, *self._reports_of(unit))
            for listing in paginate(groups, self.page_size):
                upath = unit_list_page(unit, listing.number)
                if known is not None and known(upath, made_from):
                    yield Pending(upath, _unchanged)
                    continue
                yield Pending(
                    upath,
                    functools.partial(
                        self._render, "unit.md.j2", upath, unit=unit, listing=listing
                    ),
                )

    def _reports_index(self) -> Iterable[Pending]:
        """The list of reports, split like the task lists (a province has a thousand)."""
        reports = self.newest_reports()
        count = max(1, -(-len(reports) // self.page_size))
        for number in range(1, count + 1):
            path = reports_index_page(number)
            chunk = reports[(number - 1) * self.page_size : number * self.page_size]
            first = (number - 1) * self.page_size + 1 if chunk else 0
            pager = self._page_links(
                path,
                number,
                count,
                (first, first + len(chunk) - 1, len(reports)),
                reports_index_page,
                "报告列表",
            )
            yield Pending(
                path,
                functools.partial(
                    self._render,
                    "reports.md.j2",
                    path,
                    reports=chunk,
                    number=number,
                    count=count,
                    pager=Markup(pager),
                ),
            )

    # -- task lists split over pages -------------------------------------------------------
    def report_groups(self, report: Report) -> list[Group]:
        """A report's tasks under its sections (in the table's order), then those of none."""
        by_section: dict[str | None, list[Task]] = {}
        for task in report.tasks:
            by_section.setdefault(task.section, []).append(task)
        if not report.sections:
            return [Group("全部任务", report.tasks, report)]
        groups = [
            Group(section, tuple(by_section.get(section, ())), report, section)
            for section in report.sections
        ]
        loose = by_section.get(None)
        if loose:
            groups.append(Group("未分组的任务", tuple(loose), report))
        return groups

    def unit_groups(self, unit: Unit) -> list[Group]:
        """A unit's tasks, each once at its latest period, under their reports: the newest
        report first (by its date, else its period's end; within a series the later period)."""
        current = self.site.current(unit.tasks)
        by_report: dict[str, list[Task]] = {}
        for task in current:
            by_report.setdefault(task.report_slug, []).append(task)
        reports = [self.site.report(slug) for slug in by_report]
        reports.sort(key=self._newest_first)
        return [Group(r.title, tuple(by_report[r.slug]), r) for r in reports]

    def _newest_first(self, report: Report) -> tuple[int, int, int]:
        date = report_date(report)
        series = self.site.series_of(report)
        position = series.reports.index(report) if series is not None else 0
        order = self._report_order[report.slug]
        return (-(date.toordinal() if date is not None else 0), -position, order)

    @functools.cached_property
    def _report_order(self) -> dict[str, int]:
        return {r.slug: i for i, r in enumerate(self.site.reports)}

    def task_list(
        self, origin: str, listing: ListPage, rows_file: str, level: int, unit: Unit | None
    ) -> Markup:
        """The part of a task list on one page: a mount for the filters (with the counts of
        the whole list and, where it is split, the file holding every row), the page links,
        and each group's heading and table."""
        e = _escape_html
        data = f' data-total="{listing.total}" data-level="{level}"'
        if listing.split:
            data += (
                f' data-rows="{self.href_file(origin, rows_file)}"'
                f' data-root="{e(self.urls.up(origin) or "./")}"'
                f' data-pages="{listing.count}"'
                f" data-facets='{_attr(json.dumps(listing.facets, **_COMPACT))}'"
            )
        out = [f'<div class="gk-list"{data}></div>\n\n']
        pager = self._pager(origin, listing, unit)
        if pager:
            out.append(pager.replace("{where}", "页面顶部"))
        hashes = "#" * level
        for part in listing.slices:
            group = part.group
            more = "（续）" if part.continued else ""
            if unit is None:
                out.append(f"{hashes} {escape_markdown(group.title)}{more}\n\n")
            else:
                link = self.md_link(origin, report_path(group.report))
                out.append(f"{hashes} [{escape_markdown(group.title)}]({link}){more}\n\n")
                if not part.continued:
                    out.append(self._unit_group_note(origin, unit, group))
            if not part.tasks:
                out.append("本组没有任务。\n\n")
                continue
            has_status = group.report.has_status
            # The 条目 column only where the report's tasks have article numbers.
            has_article = _has_article(group)
            head = (
                '<table class="gk-tasks">\n<thead><tr><th scope="col">序号</th>'
                + ('<th scope="col">条目</th>' if has_article else "")
                + '<th scope="col">任务</th><th scope="col">责任单位</th>'
                + ('<th scope="col">状态</th>' if has_status else "")
                + "</tr></thead>\n<tbody>\n"
            )
            rows = self.task_rows(
                origin, part.tasks, has_status, has_article, periods=unit is not None
            )
            out.append(f"{head}{rows}\n</tbody>\n</table>\n\n")
        if pager:
            out.append(pager.replace("{where}", "页面底部"))
        out.append('<div class="gk-list-end"></div>\n\n')
        return Markup("".join(out))

    def _unit_group_note(self, origin: str, unit: Unit, group: Group) -> str:
        """Under a report's heading on a unit's page: the count, and where the unit's tasks
        of the table's other periods are (that report's list, filtered to this unit)."""
        counts = count_statuses(group.tasks)
        said = "　".join(f"{status_badge(s)} {counts[s]} 项" for s in STATUS_ORDER if counts[s])
        note = f"<p>{len(group.tasks)} 项任务。{said if group.report.has_status else ''}"
        series = self.site.series_of(group.report)
        if series is not None:
            others = [
                r
                for r in series.reports
                if r.slug != group.report.slug and r.slug in unit.tasks_by_report
            ]
            if others:
                query = "?unit=" + quote(unit.name, safe="")
                links = "、".join(
                    f'<a href="{self.href(origin, report_path(r))}{_escape_html(query)}">'
                    f"{_escape_html(period_text(r.year, r.period) or r.title)}</a>"
                    for r in reversed(others)
                )
                note += f"<br>本表其他各期中本单位的任务：{links}。"
        return note + "</p>\n\n"

    def moved_away(self, origin: str, unit: Unit) -> Markup:
        """The unit's tasks whose latest period names other units only: not in its list or
        counts, but said, with the earlier reports' lists filtered to this unit."""
        current = {t.id for t in self.site.current(unit.tasks)}
        mine = {t.id for t in unit.tasks}
        moved = [
            t
            for t in unit.tasks
            if t.id not in current
            and (thread := self.site.thread_of(t)) is not None
            and thread.latest.id not in mine
        ]
        if not moved:
            return Markup("")
        threads = {(th.series_id, th.key) for t in moved if (th := self.site.thread_of(t))}
        reports = [self.site.report(s) for s in dict.fromkeys(t.report_slug for t in moved)]
        query = _escape_html("?unit=" + quote(unit.name, safe=""))
        links = "、".join(
            f'<a href="{self.href(origin, report_path(r))}{query}">{_escape_html(r.title)}</a>'
            for r in sorted(reports, key=self._newest_first)
        )
        return Markup(
            f'<p class="gk-list-note">另有 {len(threads)} 项任务在往期报告中由本单位承担，'
            f"最新一期的报告写的是其他单位，所以不在下面的列表和上面的统计中：{links}。</p>\n\n"
        )

    def _pager(self, origin: str, listing: ListPage, unit: Unit | None) -> str:
        if not listing.split:
            return ""

        def target(number: int) -> str:
            if unit is not None:
                return unit_list_page(unit, number)
            return report_list_page(self._report_of(listing), number)

        span = (listing.first, listing.last, listing.total)
        return self._page_links(origin, listing.number, listing.count, span, target, "任务列表")

    def _page_links(
        self,
        origin: str,
        number: int,
        count: int,
        span: tuple[int, int, int],
        target: Callable[[int], str],
        noun: str,
    ) -> str:
        """Numbered page links (Pelican's); ``{where}`` is left for the caller to fill in,
        so that the links above and under a list are two differently named landmarks."""
        if count < 2:
            return ""
        items = []
        if number > 1:
            items.append(
                f'<a rel="prev" href="{self.href(origin, target(number - 1))}">‹ 上一页</a>'
            )
        for n in page_numbers(number, count):
            if n is None:
                items.append('<span class="gk-pages__gap">…</span>')
            elif n == number:
                items.append(f'<span aria-current="page">{n}</span>')
            else:
                items.append(
                    f'<a href="{self.href(origin, target(n))}" aria-label="第 {n} 页">{n}</a>'
                )
        if number < count:
            items.append(
                f'<a rel="next" href="{self.href(origin, target(number + 1))}">下一页 ›</a>'
            )
        first, last, total = span
        return (
            f'<nav class="gk-pages" aria-label="{noun}的页码（{{where}}）">'
            f'<p class="gk-pages__range">第 {first}–{last} 项，共 {total} 项'
            f"（第 {number} / {count} 页）</p>"
            f'<p class="gk-pages__links">{"".join(items)}</p></nav>\n\n'
        )

    @staticmethod
    def _report_of(listing: ListPage) -> Report:
        return listing.slices[0].group.report

    def _series_page(self, series: Series) -> str:
        feed_title = f"{series.name}：新报告和任务状态变化"
        return (
            f"---\ntitle: {_yaml(_short(series.name))}\n"
            f"description: {_yaml(f'{series.name}：{len(series.reports)} 期报告中各项任务的情况')}\n"
            f"gk_feed: {_yaml(series_feed(series))}\ngk_feed_title: {_yaml(feed_title)}\n---\n\n"
            + self.parts.series_page(series)
        )

    def task_page(
        self,
        path: str,
        report: Report,
        task: Task,
        previous: Task | None,
        next_: Task | None,
        stable: bool = False,
    ) -> str:
        """A task's page. The one page there are thousands of, so it is built here in Python
        rather than by a template (a tenth of the time). Every value goes through ``md``
        (Markdown text), ``h`` (raw HTML) or ``_yaml``; cells arrive as clean.py's output."""
        md, h = escape_markdown, _escape_html
        href = functools.partial(self.href, path)
        units_label = "牵头单位" if report.has_supporting else "责任单位"
        thread = self.site.thread_of(task)
        series = self.site.series_of(report) if thread is not None else None
        feed = (
            f"gk_feed: {_yaml(series_feed(series))}\n"
            f"gk_feed_title: {_yaml(f'{series.name}：新报告和任务状态变化')}\n"
            if series is not None
            else ""
        )
        if stable and series is not None:
            parent = f'<a href="{href(series_path(series))}">{h(_short(series.name, 24))}</a>'
        else:
            parent = f'<a href="{href(report_path(report))}">{h(_short(report.title, 24))}</a>'
        out = [
            f"---\ntitle: {_yaml(_short(task.text))}\n"
            f"description: {_yaml(_task_description(task, units_label))}\n{feed}---\n\n",
            f'<nav class="gk-crumbs" aria-label="当前位置"><a href="{href(HOME)}">首页</a> › '
            f'<a href="{href(REPORTS_INDEX)}">报告</a> › {parent} › '
            f'<span aria-current="page">序号 {h(task.seq)}</span></nav>\n\n',
            f"# {md(task.text)}\n\n",
        ]
        # What a reader on a phone looks for first — the status, who is responsible, whom to
        # call — comes right under the title, before anything else.
        summary = []
        if report.has_status and task.status is not None:
            summary.append(
                f'<p class="gk-summary__status">{status_badge(task.status, task.stated_by_kind)}'
                f"{self._status_where(report, task)}</p>"
            )
        else:
            # Said, not left out: a reader must not take a missing line for a done task.
            why = (
                "原表没有完成状态一栏"
                if not report.has_status
                else "原表没有写明这项任务的完成状态"
            )
            summary.append(
                f'<p class="gk-summary__status">{status_badge(Status.UNMARKED)}'
                f'<span class="gk-where">（{why}）</span></p>'
            )
        if task.units:
            keys = [UnitKey(task.region, n) for n in task.units]
            summary.append(
                f'<p class="gk-summary__units"><strong>{units_label}</strong>：'
                f"{self.unit_hrefs(path, keys)}</p>"
            )
        elif report.units_label:
            summary.append(
                f'<p class="gk-summary__units"><strong>{units_label}</strong>：原表未列责任单位</p>'
            )
        summary.append(f'<p class="gk-summary__phone">{_phone_html(task, report)}</p>')
        out.append(f'<div class="gk-summary">{"".join(summary)}</div>\n\n')
        if thread is not None:
            out.append(self.parts.task_notice(path, task, thread, stable))
        out += [
            _as_of(report),
            "\n\n",
            f"- **报告**：[{md(report.title)}]({self.md_link(path, report_path(report))})\n",
            f"- **序号**：{md(task.seq)}\n",
        ]
        if task.article:
            out.append(f"- **报告条目**：第 {md(task.article)} 条\n")
        if task.section:
            out.append(f"- **分组**：{md(task.section)}\n")
        if task.supporting_units:
            keys = [UnitKey(task.region, n) for n in task.supporting_units]
            out.append(f"- **配合单位**：{self.unit_links(path, keys)}\n")
        if task.offices:
            out.append(f"- **责任科室**：{md('、'.join(task.offices))}\n")
        if task.leaders:
            out.append(f"- **责任领导**：{md('、'.join(task.leaders))}\n")
        if task.figure is not None:
            out.append(f"- **进度**：{_figure_html(task.figure)}\n")
        if task.deadline:
            out.append(f"- **完成时限**：{md(task.deadline)}（{h(_as_of_short(report))}）\n")
        out.append("\n")
        if (
            len(task.steps) > 1
            or report.has_status
            or any(s.kind for s in task.steps)
            or any(c.role not in _NARRATIVE_ROLES for c in report.step_columns)
        ):
            out.append(self._steps_table(report, task))
        else:
            out.append(self._steps_text(report, task))
        if thread is not None:
            out.append(self.parts.timeline(path, task, thread))
        links = []
        if previous is not None:
            links.append(
                f'<a rel="prev" href="{href(task_path(previous))}">‹ 上一项：序号 {h(previous.seq)} '
                f"{h(_short(previous.text, 20))}</a>"
            )
        if next_ is not None:
            links.append(
                f'<a rel="next" href="{href(task_path(next_))}">下一项：序号 {h(next_.seq)} '
                f"{h(_short(next_.text, 20))} ›</a>"
            )
        if links:
            out.append(
                f'<nav class="gk-prevnext" aria-label="同一报告中的上一项和下一项">{"".join(links)}</nav>\n\n'
            )
        # What staff and careful readers check, out of the way of everyone else.
        details = [f"<li>本页内容来自{h(_where(report, task))}</li>"]
        if task.units_as_written:
            details.append(f"<li>责任单位的原表写法：{h(task.units_as_written)}</li>")
        if task.marks:
            details.append(f"<li>完成状态的原表写法：{h('；'.join(task.marks))}</li>")
        details.append(f"<li>任务编号：<code>{h(task.id)}</code></li>")
        details.append(
            f'<li><a href="{self.href_file(path, source_path(report))}" download>下载原表</a> · '
            f'<a href="{self.href_file(path, csv_path(report))}" download>本报告 CSV</a></li>'
        )
        out.append(
            '<details class="gk-source"><summary>原表信息</summary>'
            f"<ul>{''.join(details)}</ul></details>\n"
        )
        return "".join(out)

    def _status_where(self, report: Report, task: Task) -> str:
        # Said only where the status is not in a status column (a narrative, a remark).
        columns = (report.status_column or "").split("、")
        sources = "、".join(
            dict.fromkeys(
                s.status_source
                for s in task.steps
                if s.status_source and s.status_source not in columns
            )
        )
        return (
            f' <span class="gk-where">（读自原表“{_escape_html(sources)}”）</span>'
            if sources
            else ""
        )

    def unit_hrefs(self, origin: str, keys: Iterable[UnitKey]) -> str:
        """HTML links to the pages of these units, separated by 、."""
        return "、".join(self._unit_href(origin, key) for key in keys)

    def _steps_table(self, report: Report, task: Task) -> str:
        h = _escape_html
        steps = task.steps
        # A column every line of this task leaves empty is said in one sentence under the
        # table, not shown as a column of "（原表此栏为空）".
        columns, empty = [], []
        for column in report.step_columns:
            if any(_shown(step, column) for step in steps):
                columns.append(column)
            else:
                empty.append(column)
        # The first column names each line: its kind (进度安排, 施工图) or its own number;
        # lines with neither are numbered 1, 2 … (a line of the table means nothing to a reader).
        if any(s.kind for s in steps):
            corner = "类别"
        elif any(s.label for s in steps):
            corner = "序号"
        elif len(steps) > 1:
            corner = "步骤"
        else:
            corner = ""
        head = [f'<th scope="col">{corner}</th>'] if corner else []
        for column in columns:
            kind = "text" if column.role in _TEXT_ROLES else "short"
            head.append(
                f'<th scope="col" class="gk-col--{kind}">'
                f"{h(_column_title(column.role, column.label))}</th>"
            )
        rows = []
        for number, step in enumerate(steps, 1):
            cells = []
            if corner:
                name = step.kind or step.label or str(number)
                if corner == "序号" and step.label is None:
                    name = "—"
                cells.append(f'<th scope="row" data-label="{corner}">{h(name)}</th>')
            by_column = {f.column: f for f in step.fields}
            for column in columns:
                title = h(_column_title(column.role, column.label))
                field = by_column.get(column.index)
                if column.role is Role.STATUS:
                    shown = status_badge(step.status, step.word) if step.status is not None else ""
                elif column.role is Role.FIGURE and step.figure is not None and field is None:
                    shown = _figure_html(step.figure)
                elif field is None:
                    shown = ""
                elif field.merged:
                    shown = f'<p class="gk-merged">（原表为合并单元格，与上一行共用{h(column.label)}）</p>'
                else:
                    shown = _cell_html(field.value)
                # data-col: the table's column, so the nothing-lost check finds each cell's place.
                cells.append(f'<td data-label="{title}" data-col="{column.index}">{shown}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>\n")
        notes = []
        kinds = {s.kind for s in steps if s.kind}
        for kind, meaning in _KIND_NOTES.items():
            if kind in kinds:
                notes.append(f"“{kind}”是原表的说法，{meaning}")
        if empty:
            names = "、".join(f"“{_column_title(c.role, c.label)}”" for c in empty)
            said = "一栏为空" if len(empty) == 1 else "几栏都为空"
            notes.append(f"原表中这项任务的{names}{said}，未列出。")
        note = f'<p class="gk-steps-note">{h("".join(notes))}</p>\n\n' if notes else ""
        return (
            "## 进度与完成情况\n\n"
            '<table class="gk-steps">\n'
            f"<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n\n"
            + note
        )

    def _steps_text(self, report: Report, task: Task) -> str:
        md = escape_markdown
        out = []
        for step in task.steps:
            for field in step.fields:
                out.append(f"## {md(field.label)}\n\n")
                if field.value.text:
                    out.append(f"{field.value.markdown}\n")
                else:
                    out.append("（原表此栏为空）\n")
                out.append("\n")
        return "".join(out)

    def assets(self) -> Iterable[Asset]:
        """Every published file that is not a page: the downloads, then the feeds."""
        yield from self.downloads()
        yield from self.feeds()

    def downloads(self, kept: Callable[[Report], bytes | None] | None = None) -> Iterable[Asset]:
        """Each report as CSV, JSON and the source table, and all data as one JSON.
        ``kept(report)``: the report's JSON as last published, where its downloads and the
        rows of its split list are known to be unchanged (incremental.py); its files are
        then given with no content."""
        # Each report's JSON is kept compressed for the file of all data, not as Python data:
        # at 100,000 tasks the whole site as dicts takes gigabytes.
        reports = []
        unchanged: set[str] = set()
        for report in self.site.reports:
            published = kept(report) if kept is not None else None
            if published is not None:
                reports.append(zlib.compress(published, 1))
                unchanged.add(report.slug)
                for path in (source_path(report), csv_path(report), json_path(report)):
                    yield Asset(path, None, report.slug)
                continue
            data = report_json(report, self.urls, self._series_links(report))
            content = dumps(data)
            reports.append(zlib.compress(content, 1))
            yield Asset(source_path(report), source_download(report.path), report.slug)
            yield Asset(csv_path(report), report_csv(report, data), report.slug)
            yield Asset(json_path(report), content, report.slug)
            del data, content
        yield Asset(ALL_JSON, all_json(self.site, reports, self.urls))
        # The rows of every list split over pages, so that its filters see the whole list.
        for report in self.site.reports:
            groups = self.report_groups(report)
            if sum(len(g.tasks) for g in groups) > self.page_size:
                if report.slug in unchanged:
                    yield Asset(report_rows(report), None, report.slug)
                    continue
                for status, content in self.rows_json(groups, periods=False).items():
                    yield Asset(f"{report_rows(report)}{status}.json", content, report.slug)
        for unit in self.site.units:
            groups = self.unit_groups(unit)
            if sum(len(g.tasks) for g in groups) > self.page_size:
                for status, content in self.rows_json(groups, periods=True).items():
                    yield Asset(f"{unit_rows(unit)}{status}.json", content)

    def feeds(self) -> Iterable[Asset]:
        """The Atom feeds: site-wide, per series and per unit."""
        dates = [d for r in self.site.reports if (d := report_date(r)) is not None]
        fallback = max(dates, default=dt.date(1970, 1, 1))
        for feed in plan_feeds(self.site, self.site_name, self.urls):
            yield Asset(feed.path, atom(feed, self.site_name, self.urls, fallback))
        yield Asset(STYLESHEET, (TEMPLATES / "feed.xsl").read_bytes())

    def rows_json(self, groups: Sequence[Group], periods: bool) -> dict[str, bytes]:
        """Every row of a split list, one file a status (``none`` for a table without a
        status column): "只看尚未完成" needs only the files of the statuses other than done.
        As compact as the filter can read it: unit names are given once and referred to by
        number, a task's address is its report's (the group's) and its number.

        ``groups``: [heading, report address, has a status column]; ``units``: [name,
        address]; ``rows``: [position in the list, group, 序号, article, text, number in
        the address, the office's word where it differs from the status's name, [units],
        periods listed, section (where the task has one)]."""
        out_groups = [
            [
                group.title,
                self.urls.url(report_path(group.report)),
                group.report.has_status,
                _has_article(group),
            ]
            for group in groups
        ]
        parts: dict[str, tuple[dict[UnitKey, int], list[list[object]]]] = {}
        position = 0
        for number, group in enumerate(groups):
            for task in group.tasks:
                status = task.status.value if task.status is not None else "none"
                word = task.stated if task.status is not None else ""
                if task.status is not None and word == task.status.label:
                    word = ""
                units, rows = parts.setdefault(status, ({}, []))
                row: list[object] = [
                    position,
                    number,
                    task.seq,
                    task.article or "",
                    task.text,
                    task.key,
                    word,
                    [units.setdefault(k, len(units)) for k in task.unit_keys],
                    self._periods(task) if periods else 1,
                ]
                if task.section:
                    row.append(task.section)
                rows.append(row)
                position += 1
        out = {}
        for status, (units, rows) in parts.items():
            unit_list = [[key.name, self.urls.url(unit_path(self.site.unit(key)))] for key in units]
            data = {"groups": out_groups, "units": unit_list, "rows": rows}
            out[status] = json.dumps(data, **_COMPACT).encode("utf-8")
        return out

    def _series_links(self, report: Report) -> SeriesLinks:
        series = self.site.series_of(report)
        end = period_end(report)
        period = end.date.isoformat() if end is not None else None
        if series is None:
            return SeriesLinks(period_end=period)
        comparison = series.comparison_of(report)
        series_tasks: dict[str, str] = {}
        previous: dict[str, str] = {}
        for task in report.tasks:
            thread = self.site.thread_of(task)
            assert thread is not None  # every task of a series' report is in a thread
            series_tasks[task.id] = self.urls.thread(thread)
            at = next(i for i, t in enumerate(thread.tasks) if t.id == task.id)
            if at:
                previous[task.id] = thread.tasks[at - 1].id
        return SeriesLinks(
            series=series.id,
            period_end=period,
            previous_report=comparison.previous.slug if comparison is not None else None,
            series_tasks=series_tasks,
            previous_tasks=previous,
        )

    def home_overview(self) -> str:
        """The generated part of the home page: how the reports stand, what changed, all
        reports newest first."""
        return self._render("home.md.j2", HOME)

    def home_page(self, markdown: str) -> str:
        """The hand-written home page with the overview where it puts OVERVIEW_MARKER, else
        at its end."""
        overview = "\n\n" + self.home_overview() + "\n\n"
        if OVERVIEW_MARKER in markdown:
            return markdown.replace(OVERVIEW_MARKER, overview, 1)
        return markdown.rstrip() + overview

    def _render(self, template: str, path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site,
            here=path,
            md_link=lambda target: self.md_link(path, target),
            unit_links=lambda names: self.unit_links(path, names),
            href=lambda target: self.href(path, target),
            href_file=lambda target: self.href_file(path, target),
            task_rows=lambda tasks, has_status, has_article=True: self.task_rows(
                path, tasks, has_status, has_article
            ),
            task_list=lambda listing, rows_file, level, unit=None: self.task_list(
                path, listing, rows_file, level, unit
            ),
            period_note=lambda report: Markup(self.parts.period_note(path, report)),
            report_changes=lambda report: Markup(self.parts.report_changes(path, report)),
            unit_moves=lambda unit: Markup(self.parts.unit_moves(path, unit)),
            moved_away=lambda unit: self.moved_away(path, unit),
            recent=lambda: Markup(self.parts.recent(path)),
            **context,
        )


def source_download(path: Path) -> bytes:
    """The table as staff gave it; a text table as UTF-8 with a BOM whatever it arrived in,
    so that a browser and a spreadsheet program open it without mojibake (a GBK file served
    as is shows as 乱码)."""
    data = path.read_bytes()
    if path.suffix.lower() in (".txt", ".tsv", ".csv"):
        return decode(data, path).encode("utf-8-sig")
    return data


_COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def _attr(text: str) -> str:
    """Text for a single-quoted HTML attribute: JSON keeps its double quotes (a third of the
    bytes of ``&quot;``)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;")
    )


def _escape_html(value: object) -> str:
    return html.escape(str(value), quote=True)


_NARRATIVE_ROLES = frozenset(
    {
        Role.PROGRESS,
        Role.PROBLEMS,
        Role.NEXT_STEPS,
        Role.REMARKS,
        Role.DEADLINE,
        Role.PLACE,
        Role.EXTRA,
        None,
    }
)


# Columns of sentences, which need room on a desk and on paper; the others hold a word or
# a number.
_TEXT_ROLES = frozenset(
    {
        Role.PLAN,
        Role.PROGRESS,
        Role.PROBLEMS,
        Role.NEXT_STEPS,
        Role.REMARKS,
        Role.PLACE,
        Role.EXTRA,
        Role.TARGET,
        None,
    }
)

# Words of the tables that readers outside the office do not know, explained under the
# step table where a task uses them.
_KIND_NOTES = {
    "施工图": "指为完成这项任务列出的具体措施和做法；“进度安排”是本期要达到的进度。",
}


def _shown(step: Step, column: Column) -> bool:
    """Whether this line of the task has something in this column."""
    if column.role is Role.STATUS:
        return step.status is not None
    if column.role is Role.FIGURE and step.figure is not None:
        return True
    field = next((f for f in step.fields if f.column == column.index), None)
    return field is not None and (field.merged or bool(field.value and field.value.text))


def _column_title(role: Role | None, label: str) -> str:
    if role is Role.PLAN and "计划" not in label and "目标" not in label and "安排" not in label:
        return f"{label}计划"
    return label


def _figure_html(figure: Figure) -> str:
    e = _escape_html
    if figure.percent is None:
        return f'<span class="gk-figure-text">{e(figure.text)}</span>'
    width = max(0.0, min(100.0, figure.percent))
    return (
        f'<span class="gk-progress"><span class="gk-progress__bar" style="width:{width:g}%"></span></span> '
        f'<span class="gk-figure-text">{e(figure.text)}</span>'
        '<span class="gk-figure-note">（原表所写）</span>'
    )


def _where(report: Report, task: Task) -> str:
    return (
        f"原表第 {task.line} 行"
        if report.path.suffix.lower() in (".txt", ".tsv", ".csv", ".html", ".htm")
        else f"原表第 {task.row} 个数据行"
    )


_LOCAL_PHONE_RE = re.compile(r"^[2-9]\d{6,7}$")


def dialable(number: str, area_code: str | None) -> tuple[str, str]:
    """A phone as shown and as dialled: a 7- or 8-digit local number gets the area code
    (5515029 → 0556-5515029, tel:05565515029); mobiles, 12345 and numbers that already
    have one are left as they are."""
    digits = re.sub(r"[\s\-－—()（）]", "", number)
    if area_code and _LOCAL_PHONE_RE.match(digits):
        return f"{area_code}-{digits}", area_code + digits
    return number, digits if digits.isdigit() else ""


def _phone_html(task: Task, report: Report) -> str:
    e = _escape_html
    if task.supervision:
        shown, tel = dialable(task.supervision, report.area_code)
        link = f'<a href="tel:{e(tel)}">{e(shown)}</a>' if tel else e(shown)
        return f"<strong>监督电话</strong>：{link}（对这项任务的落实情况有意见或建议，可以拨打）"
    if report.contact:
        shown, tel = dialable(report.contact, report.area_code)
        link = f'<a href="tel:{e(tel)}">{e(shown)}</a>' if tel else e(shown)
        return f"<strong>联系电话</strong>：原表没有列出这项任务的监督电话；可以拨打 {link}"
    return "<strong>监督电话</strong>：原表没有列出这项任务的监督电话"


def _task_description(task: Task, units_label: str) -> str:
    """The page's description for search engines and shared links: status and units."""
    parts = []
    if task.status is not None:
        parts.append(f"完成状态：{task.stated}")
    if task.units:
        parts.append(f"{units_label}：{'、'.join(task.units)}")
    parts.append(_short(task.text, 80))
    return "；".join(parts)


def _as_of_short(report: Report) -> str:
    if report.published:
        return f"数据截至 {report.published.isoformat()}"
    period = period_text(report.year, report.period)
    if period:
        return f"数据截至 {period}"
    return "原表未注明数据日期"


def _as_of(report: Report) -> str:
    """数据截至: the publication date; without one, the period the table reports on."""
    period = period_text(report.year, report.period)
    if report.published:
        said = f"（期间：{_escape_html(period)}）" if period else ""
        return f'<p class="gk-asof">数据截至 {report.published.isoformat()}（报告发布日期）{said}</p>\n'
    if period:
        return f'<p class="gk-asof">数据截至 {_escape_html(period)}（原表未注明发布日期）</p>\n'
    return '<p class="gk-asof">原表未注明发布日期和期间</p>\n'


def _cell_html(value: Cleaned | None) -> Markup:
    # Cleaned.html is built by clean.py from escaped text only.
    if value is None or not value.text:
        return Markup('<span class="gk-empty">（原表此栏为空）</span>')
    return Markup(value.html)


def _has_article(group: Group) -> bool:
    """Whether a list's group shows the 条目 column: some task has a report article number."""
    return any(task.article for task in group.report.tasks)
