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
    dumps,
    report_csv,
    report_json,
    site_json,
)
from .feeds import atom, plan_feeds
from .model import (
    LEVEL_NAMES,
    STATUS_ORDER,
    Figure,
    Report,
    Site,
    Status,
    Task,
    Unit,
    UnitKey,
    count_statuses,
    period_text,
)
from .paths import (
    ALL_JSON,
    HOME,
    OPEN_DATA,
    REPORTS_INDEX,
    UNITS_INDEX,
    csv_path,
    json_path,
    page_url,
    report_path,
    series_feed,
    series_path,
    source_path,
    task_path,
    thread_path,
    unit_feed,
    unit_path,
)
from .readers.text import decode
from .series import Series, Thread, period_end, report_date

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
    ):
        self.site = site
        self.directory_urls = directory_urls
        self.site_name = site_name
        self.site_url = site_url
        self._rows: dict[tuple[str, str, bool], str] = {}
        # Pages link to the same few targets from the same few folders: each link is made once.
        self._md_links: dict[tuple[str, str], Markup] = {}
        self._hrefs: dict[tuple[str, str], Markup] = {}
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
            series_of=site.series_of,
            current_tasks=site.current,
            series_feed=series_feed,
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
        return [r for r in self.site.reports if r.slug in unit.tasks_by_report]

    # -- links ---------------------------------------------------------------------------
    def md_link(self, origin: str, target: str) -> Markup:
        """A relative link to another Markdown file, for Markdown contexts (MkDocs checks it)."""
        folder = posixpath.dirname(origin)
        link = self._md_links.get((folder, target))
        if link is None:
            rel = posixpath.relpath(target, folder or ".")
            link = self._md_links[(folder, target)] = Markup(quote(rel, safe="/.-_~"))
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

    def _up(self, origin: str) -> str:
        """From a page's URL back to the site root: "../" once per folder level."""
        return "../" * page_url(origin, self.directory_urls).count("/")

    def href(self, origin: str, target: str) -> Markup:
        """The final relative URL of another page, for raw HTML (MkDocs does not rewrite it)."""
        return self.href_file(origin, page_url(target, self.directory_urls))

    def href_file(self, origin: str, target: str) -> Markup:
        """The relative URL of a published file or page URL, for raw HTML."""
        up = self._up(origin)
        href = self._hrefs.get((up, target))
        if href is None:
            rel = up + quote(target, safe="/.-_~")
            href = self._hrefs[(up, target)] = Markup(html.escape(rel or "./", quote=True))
        return href

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
        units = "、".join(self._unit_href(up, k) for k in task.unit_keys)
        cells = (
            f'<td class="gk-seq">{e(task.seq)}</td><td class="gk-article">{article}</td>'
            f'<td class="gk-text"><a href="{e(url)}">{e(task.text)}</a></td>'
            f'<td class="gk-units">{units}</td>'
        )
        if has_status:
            badge = status_badge(task.status, task.stated) if task.status is not None else ""
            cells += f'<td class="gk-state">{badge}</td>'
        return (
            f'<tr data-status="{status}" data-units="{e("|".join(task.all_units))}"{section}>'
            f"{cells}</tr>"
        )

    def _unit_href(self, up: str, key: UnitKey) -> str:
        link = self._unit_hrefs.get((up, key))
        if link is None:
            url = up + quote(
                page_url(unit_path(self.site.unit(key)), self.directory_urls), safe="/.-_~"
            )
            link = self._unit_hrefs[(up, key)] = (
                f'<a href="{html.escape(url)}">{html.escape(key.name)}</a>'
            )
        return link

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
                previous = tasks[i - 1] if i else None
                next_ = tasks[i + 1] if i + 1 < len(tasks) else None
                yield Page(tpath, self.task_page(tpath, report, task, previous, next_))
        for series in self.site.series:
            path = series_path(series)
            yield Page(path, self._series_page(series))
            for thread in series.threads:
                task = thread.latest
                report = self.site.report(task.report_slug)
                tpath = thread_path(thread)
                yield Page(tpath, self.task_page(tpath, report, task, None, None, stable=True))
        for unit in self.site.units:
            upath = unit_path(unit)
            yield Page(upath, self._render("unit.md.j2", upath, unit=unit))

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
                f'<p class="gk-summary__status">{status_badge(task.status, task.stated)}'
                f"{self._status_where(report, task)}</p>"
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
        up = self._up(origin)
        return "、".join(self._unit_href(up, key) for key in keys)

    def _steps_table(self, report: Report, task: Task) -> str:
        h = _escape_html
        columns = report.step_columns
        head = ['<th scope="col">类别</th>']
        for column in columns:
            head.append(f'<th scope="col">{h(_column_title(column.role, column.label))}</th>')
        rows = []
        for number, step in enumerate(task.steps, 1):
            name = step.kind or (f"序号 {step.label}" if step.label else f"第 {number} 行")
            cells = [f'<th scope="row" data-label="类别">{h(name)}</th>']
            by_column = {f.column: f for f in step.fields}
            for column in columns:
                title = h(_column_title(column.role, column.label))
                field = by_column.get(column.index)
                if column.role is Role.STATUS:
                    shown = status_badge(step.status, step.word) if step.status is not None else ""
                elif column.role is Role.FIGURE and step.figure is not None:
                    shown = _figure_html(step.figure)
                elif field is None:
                    shown = ""
                elif field.merged:
                    shown = f'<p class="gk-merged">（原表为合并单元格，与上一行共用{h(column.label)}）</p>'
                else:
                    shown = _cell_html(field.value)
                cells.append(f'<td data-label="{title}">{shown}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>\n")
        return (
            "## 进度与完成情况\n\n"
            '<table class="gk-steps">\n'
            f"<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n\n"
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
        """The download files: each report as CSV, JSON and the source table, and all data."""

        def task_url(task: Task) -> str:
            return page_url(task_path(task), self.directory_urls)

        def thread_url(thread: Thread) -> str:
            return page_url(thread_path(thread), self.directory_urls)

        reports = []
        for report in self.site.reports:
            data = report_json(report, task_url, self._series_links(report, thread_url))
            reports.append(data)
            yield Asset(source_path(report), source_download(report.path))
            yield Asset(csv_path(report), report_csv(report, data))
            yield Asset(json_path(report), dumps(data))
        yield Asset(ALL_JSON, dumps(site_json(self.site, reports, thread_url)))
        dates = [d for r in self.site.reports if (d := report_date(r)) is not None]
        fallback = max(dates, default=dt.date(1970, 1, 1))
        for feed in plan_feeds(self.site, self.site_name, self.directory_urls):
            yield Asset(feed.path, atom(feed, self.site_name, self.site_url, fallback))

    def _series_links(self, report: Report, thread_url: Callable[[Thread], str]) -> SeriesLinks:
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
            series_tasks[task.id] = thread_url(thread)
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
        """Markdown appended to the hand-written home page: each report with its figures."""
        return self._render("home.md.j2", HOME)

    def _render(self, template: str, path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site,
            here=path,
            md_link=lambda target: self.md_link(path, target),
            unit_links=lambda names: self.unit_links(path, names),
            href=lambda target: self.href(path, target),
            href_file=lambda target: self.href_file(path, target),
            task_rows=lambda tasks, has_status: self.task_rows(path, tasks, has_status),
            report_changes=lambda report: Markup(self.parts.report_changes(path, report)),
            unit_moves=lambda unit: Markup(self.parts.unit_moves(path, unit)),
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
    if report.period:
        return f"数据期间：{period_text(report.year, report.period)}"
    return "原表未注明数据日期"


def _as_of(report: Report) -> str:
    period = period_text(report.year, report.period)
    said = f"（期间：{_escape_html(period)}）" if period else ""
    if report.published:
        return f'<p class="gk-asof">数据截至 {report.published.isoformat()}（报告发布日期）{said}</p>\n'
    return f'<p class="gk-asof">原表未注明发布日期{said}</p>\n'


def _cell_html(value: Cleaned | None) -> Markup:
    # Cleaned.html is built by clean.py from escaped text only.
    if value is None or not value.text:
        return Markup('<span class="gk-empty">（原表此栏为空）</span>')
    return Markup(value.html)
