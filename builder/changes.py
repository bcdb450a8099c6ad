"""Stage 4b: what changed across the periods of a series, as page parts (HTML).

A task's timeline, a report's 本期变化, a unit's status movement (an SVG chart), a series'
own page and the home page's 最近更新. Every value goes through ``h``; links come from the
Renderer, so they work at any depth and under ``use_directory_urls: false``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from .charts import stacked_bar, status_badge
from .clean import escape_markdown, shorten
from .memo import Memo
from .model import STATUS_ORDER, Report, Site, Status, Task, Unit, count_statuses, period_text
from .paths import (
    CHANGES_FEED,
    FEEDS_INDEX,
    HOME,
    REPORTS_FEED,
    REPORTS_INDEX,
    report_path,
    series_feed,
    series_path,
    task_path,
    thread_path,
)
from .series import (
    Series,
    Thread,
    narrative,
    report_date,
    sentence_diff,
    sentences,
)

MOVES_CHARTED = 5
"""Series charted on a unit's page; the rest are one line each."""


class Links(Protocol):
    """What the parts need of the Renderer: relative links from a page."""

    def href(self, origin: str, target: str) -> str: ...

    def href_file(self, origin: str, target: str) -> str: ...


def h(value: object) -> str:
    return html.escape(str(value), quote=True)


def _unique(tasks: Iterable[Task]) -> list[Task]:
    """Each task once (a unit named twice in a task's cells lists the task once)."""
    seen: set[str] = set()
    out = []
    for task in tasks:
        if task.id not in seen:
            seen.add(task.id)
            out.append(task)
    return out


def period_of(report: Report) -> str:
    return period_text(report.year, report.period) or report.title


def _badge(task: Task) -> str:
    if task.status is None:
        return '<span class="gk-empty">原表没有完成状态一栏</span>'
    return status_badge(task.status, task.stated_by_kind)


def _figure(task: Task) -> str:
    return h(task.figure.text) if task.figure is not None else ""


class SeriesParts:
    """The series parts of the pages of one Site."""

    def __init__(self, site: Site, links: Links):
        self.r = links
        self.site = site
        self._items: Memo[tuple[int, str, bool], str] = Memo(5_000)

    # -- task pages ----------------------------------------------------------------------
    def task_notice(self, path: str, task: Task, thread: Thread, stable: bool) -> str:
        """Under the task's summary: which period this page is, and where the others are."""
        series = self._series(thread)
        latest = thread.latest
        latest_report = self.site.report(latest.report_slug)
        if stable:
            here = f'<a href="{self.r.href(path, task_path(latest))}">{h(period_of(latest_report))}</a>'
            text = f"这是这项任务的固定链接，始终显示最新一期的情况：本页为{here}。"
            if latest_report.slug != series.latest.slug:
                text += f"{h(period_of(series.latest))}的报告没有再列出这项任务。"
        else:
            stable_link = self.r.href(path, thread_path(thread))
            if task.id == latest.id and latest_report.slug == series.latest.slug:
                text = (
                    f'本页为最新一期。<a href="#各期情况">各期情况</a>见下方；'
                    f'这项任务的<a href="{stable_link}">固定链接</a>始终显示最新一期，收藏或分享时用它。'
                )
            elif task.id == latest.id:
                text = (
                    f"本页为这项任务最后列出的一期；{h(period_of(series.latest))}的报告没有再列出它。"
                    f'<a href="#各期情况">各期情况</a>见下方；<a href="{stable_link}">固定链接</a>'
                )
            else:
                text = (
                    f"本页为{h(period_of(self.site.report(task.report_slug)))}的情况，"
                    f'<a href="{self.r.href(path, task_path(latest))}">最新一期为'
                    f"{h(period_of(latest_report))}</a>；"
                    f'<a href="#各期情况">各期情况</a>见下方；'
                    f'这项任务的<a href="{stable_link}">固定链接</a>始终显示最新一期。'
                )
        return f'<p class="gk-period-note">{text}</p>\n\n'

    def timeline(self, path: str, task: Task, thread: Thread) -> str:
        """Every period of the series: status, figure, narrative, and what changed."""
        series = self._series(thread)
        by_report = {t.report_slug: t for t in thread.tasks}
        slugs = [r.slug for r in series.reports]
        first = slugs.index(thread.tasks[0].report_slug)
        last = slugs.index(thread.latest.report_slug)
        items = []
        before: Task | None = None
        for i, report in enumerate(series.reports):
            mine = by_report.get(report.slug)
            title = h(period_of(report))
            # Only a date the office gave: a period's end is not when the table came out.
            when = (
                f'<span class="gk-timeline__date">（发布于 {report.published.isoformat()}）</span>'
                if report.published
                else ""
            )
            if mine is None:
                said = (
                    "还没有这项任务"
                    if i < first
                    else "没有再列出这项任务"
                    if i > last
                    else "没有列出这项任务"
                )
                items.append(
                    '<li class="gk-timeline__item gk-timeline__item--absent">'
                    f'<p class="gk-timeline__period"><a href="{self.r.href(path, report_path(report))}">'
                    f"{title}</a>{when}</p><p>本期报告{said}</p></li>"
                )
                continue
            current = mine.id == task.id
            # Task pages and series addresses lie at the same depth: an item's HTML (its
            # links, its diff) is made once per page depth and reused by every page of the
            # thread; only the item of the page itself differs.
            key = (path.count("/"), mine.id, current)
            item = self._items.get(key)
            if item is None:
                item = self._items[key] = self._item_html(path, report, mine, before, current, when)
            items.append(item)
            before = mine
        return (
            "## 各期情况\n\n"
            f'<p class="gk-timeline__intro">“{h(series.name)}”各期报告中的这项任务，按期间先后排列；'
            "状态和进度都是原表所写。</p>\n"
            f'<ol class="gk-timeline">{"".join(items)}</ol>\n\n'
        )

    def _item_html(
        self, path: str, report: Report, mine: Task, before: Task | None, current: bool, when: str
    ) -> str:
        title = h(period_of(report))
        link = (
            f'{title}<span class="gk-timeline__here">（本页）</span>'
            if current
            else f'<a href="{self.r.href(path, task_path(mine))}">{title}</a>'
        )
        parts = [f'<p class="gk-timeline__period">{link}{when}</p>']
        state = [f"状态：{_badge(mine)}"] if report.has_status else []
        if mine.figure is not None:
            state.append(f"进度：{_figure(mine)}（原表所写）")
        if state:
            parts.append(f'<p class="gk-timeline__state">{"　".join(state)}</p>')
        parts.append(self._change(before, mine, report))
        text = narrative(mine)
        if text and not current:
            parts.append(
                '<details class="gk-timeline__text"><summary>本期进展情况原文</summary>'
                f"<p>{h(text)}</p></details>"
            )
        cls = "gk-timeline__item" + (" gk-timeline__item--current" if current else "")
        return f'<li class="{cls}">{"".join(parts)}</li>'

    def _change(self, before: Task | None, task: Task, report: Report) -> str:
        if before is None:
            return '<p class="gk-change">首次列出</p>'
        series = self.site.series_of(report)
        comparison = series.comparison_of(report) if series is not None else None
        since = "与上期相比"
        if comparison is not None and comparison.previous.slug != before.report_slug:
            since = f"与{period_of(self.site.report(before.report_slug))}相比（上期未列出）"
        said = []
        if task.stated_by_kind != before.stated_by_kind and report.has_status:
            said.append(f"状态 {h(before.stated_by_kind)} → {h(task.stated_by_kind)}")
        if _figure(before) != _figure(task):
            said.append(f"进度 {_figure(before) or '未写'} → {_figure(task) or '未写'}")
        if _normal_text(before.text) != _normal_text(task.text):
            said.append("任务文字有改动")
        earlier = narrative(before)
        removed, added = sentence_diff(earlier, narrative(task))
        if removed and added and len(removed) == len(sentences(earlier)):
            # Nothing kept: a sentence list would only repeat both texts, which the page
            # already shows (this period's above, the earlier one under its period).
            said.append("进展情况全部改写")
            removed, added = (), ()
        diff = [
            f'<li><ins><span class="gk-diff__tag">新增</span>{h(sentence)}</ins></li>'
            for sentence in added
        ] + [
            f'<li><del><span class="gk-diff__tag">删去</span>{h(sentence)}</del></li>'
            for sentence in removed
        ]
        if not diff and "进展情况全部改写" not in said:
            said.append("进展情况与上期相同")
        head = "；".join(said) if said else "进展情况有改动"
        out = f'<p class="gk-change"><strong>{h(since)}</strong>：{head}</p>'
        if diff:
            out += (
                f'<details class="gk-diff"><summary>进展情况的改动（新增 {len(added)} 句，'
                f"删去 {len(removed)} 句）</summary><ul>{''.join(diff)}</ul></details>"
            )
        return out

    def _series(self, thread: Thread) -> Series:
        series = self.site.series_of(self.site.report(thread.latest.report_slug))
        assert series is not None
        return series

    # -- report page ---------------------------------------------------------------------
    def period_note(self, path: str, report: Report) -> str:
        """At the top of a report that is not its table's latest period: which one is."""
        series = self.site.series_of(report)
        if series is None or series.latest.slug == report.slug:
            return ""
        latest = series.latest
        return (
            f'<p class="gk-period-note">这是“{h(series.name)}”{h(period_of(report))}的报告，'
            f'不是最新一期。最新一期：<a href="{self.r.href(path, report_path(latest))}">'
            f"{h(period_of(latest))}</a>。</p>\n\n"
        )

    def report_changes(self, path: str, report: Report) -> str:
        """本期变化: the report against the previous one of its series."""
        series = self.site.series_of(report)
        if series is None:
            return ""
        comparison = series.comparison_of(report)
        feed = self.r.href_file(path, series_feed(series))
        follow = (
            f'本表共 {len(series.reports)} 期（<a href="{self.r.href(path, series_path(series))}">'
            f'各期一览</a> · <a href="{feed}">订阅本表的更新（Atom）</a>）。'
        )
        if comparison is None:
            later = series.reports[1]
            return (
                "## 本期变化\n\n"
                f"<p>这是“{h(series.name)}”的第一期，没有上一期可比较；"
                f'下一期：<a href="{self.r.href(path, report_path(later))}">{h(period_of(later))}</a>。'
                f"{follow}</p>\n\n"
            )
        previous = comparison.previous
        out = [
            "## 本期变化\n\n",
            f'<p>与上一期 <a href="{self.r.href(path, report_path(previous))}">'
            f"{h(period_of(previous))}</a> 相比（按序号和任务文字对应；状态、进度都是原表所写）。"
            f"{follow}</p>\n\n",
        ]
        if not comparison.changed:
            out.append("<p>与上一期相比，任务、完成状态和进度数字都没有变化。</p>\n\n")
            return "".join(out)
        groups: list[tuple[str, str, list[str]]] = [
            (
                "done",
                "本期变为已完成（上一期原表写的不是已完成）",
                [self._pair(path, p, c) for p, c in comparison.done],
            ),
            (
                "behind",
                "本期变为进度滞后或未完成",
                [self._pair(path, p, c) for p, c in comparison.behind],
            ),
            (
                "status",
                "其他状态变化",
                [
                    self._pair(path, p, c)
                    for p, c in comparison.status_changed
                    if (p, c) not in comparison.done and (p, c) not in comparison.behind
                ],
            ),
            (
                "moved",
                "进度数字变化",
                [
                    self._item(path, c, f"{_figure(p) or '未写'} → {_figure(c) or '未写'}")
                    for p, c in comparison.moved
                ],
            ),
            ("new", "本期新增的任务", [self._item(path, t, "") for t in comparison.new]),
            (
                "resumed",
                "上一期没有列出、本期再次列出的任务",
                [
                    self._item(path, c, f"此前见{period_of(self.site.report(e.report_slug))}")
                    for e, c in comparison.resumed
                ],
            ),
            (
                "dropped",
                "本期不再列出的任务（链接到上一期）",
                [self._item(path, t, "") for t in comparison.dropped],
            ),
        ]
        summary = "，".join(f"{title} {len(items)} 项" for _, title, items in groups if items)
        out.append(f'<p class="gk-changes__summary">{h(summary)}。</p>\n\n')
        for name, title, items in groups:
            if not items:
                continue
            out.append(
                f'<details class="gk-changes gk-changes--{name}" open><summary>{h(title)}'
                f"（{len(items)} 项）</summary><ul>{''.join(items)}</ul></details>\n\n"
            )
        return "".join(out)

    def _pair(self, path: str, before: Task, task: Task) -> str:
        return self._item(path, task, f"{_badge(before)} → {_badge(task)}", escaped=True)

    def _item(self, path: str, task: Task, said: str, escaped: bool = False) -> str:
        note = said if escaped else h(said)
        return (
            f'<li><a href="{self.r.href(path, task_path(task))}">序号 {h(task.seq)} '
            f"{h(shorten(task.text, 40))}</a>{'：' + note if note else ''}</li>"
        )

    # -- unit page -----------------------------------------------------------------------
    def unit_moves(self, path: str, unit: Unit, charts: int = MOVES_CHARTED) -> str:
        """Per series the unit has tasks in, the newest first: its tasks' stated statuses in
        each period, as stacked SVG bars, with the movements between periods in words. After
        ``charts`` series, one line each (a province's unit is in a hundred series; the page
        stays light)."""
        # From the unit's own tasks, never by scanning every pair of a series for each unit
        # (units × tasks: a province has thousands of units).
        by_report = unit.tasks_by_report
        out: list[str] = []
        lines: list[str] = []
        mine = {
            series.id: series
            for slug in by_report
            if (series := self.site.series_of(self.site.report(slug))) is not None
        }
        shown = [
            series
            for series in sorted(mine.values(), key=lambda s: self._series_order[s.id])
            if series.latest.has_status
            and sum(1 for r in series.reports if r.slug in by_report) >= 2
        ]
        shown.sort(key=lambda s: report_date(s.latest) or dt.date.min, reverse=True)
        for series in shown:
            rows = [(report, by_report.get(report.slug, ())) for report in series.reports]
            if len(out) >= charts:
                report, tasks = next((r, t) for r, t in reversed(rows) if t)
                counts = count_statuses(tasks)
                label = "，".join(f"{s.label} {counts[s]} 项" for s in STATUS_ORDER if counts[s])
                lines.append(
                    f'<li>“<a href="{self.r.href(path, series_path(series))}">{h(series.name)}</a>”'
                    f"{h(period_of(report))}：{h(label)}</li>"
                )
                continue
            bars = []
            for report, tasks in rows:
                counts = count_statuses(tasks)
                label = "，".join(f"{s.label} {counts[s]} 项" for s in STATUS_ORDER if counts[s])
                bar = stacked_bar(counts, f"{period_of(report)}：{label or '没有任务'}")
                bars.append(
                    f'<li class="gk-moves__row"><span class="gk-moves__period">{h(period_of(report))}'
                    f"</span>{bar}"
                    f'<span class="gk-moves__counts">{h(label or "本期没有这个单位的任务")}</span></li>'
                )
            words = []
            for comparison in series.comparisons:
                current = _unique(by_report.get(comparison.report.slug, ()))
                moved: Counter[tuple[Status, Status]] = Counter()
                for c in current:  # in the report's order, as the pairs are
                    p = comparison.previous_of.get(c.id)
                    if p is not None and (p.status or Status.UNMARKED) is not (
                        c.status or Status.UNMARKED
                    ):
                        moved[(p.status or Status.UNMARKED, c.status or Status.UNMARKED)] += 1
                new = sum(1 for t in current if t.id in comparison.new_ids)
                dropped = sum(
                    1
                    for t in _unique(by_report.get(comparison.previous.slug, ()))
                    if t.id in comparison.dropped_ids
                )
                said = [f"{n} 项由{a.label}变为{b.label}" for (a, b), n in moved.items()]
                if new:
                    said.append(f"新增 {new} 项")
                if dropped:
                    said.append(f"不再列出 {dropped} 项")
                words.append(
                    f"<li>{h(period_of(comparison.previous))} → {h(period_of(comparison.report))}："
                    f"{h('，'.join(said) if said else '状态没有变化')}</li>"
                )
            out.append(
                f'<figure class="gk-moves"><figcaption>“<a href="{self.r.href(path, series_path(series))}">'
                f"{h(series.name)}</a>”各期中本单位任务的完成状态（原表所写，每期一行）</figcaption>"
                f'<ul class="gk-moves__bars">{"".join(bars)}</ul>'
                f'<ul class="gk-moves__words">{"".join(words)}</ul></figure>\n\n'
            )
        if not out and not lines:
            return ""
        if lines:
            out.append(
                f"<p>另有 {len(lines)} 张表各期中有本单位的任务（最新一期本单位任务的完成状态，"
                f'各期情况见各表的一览页）：</p>\n<ul class="gk-moves__more">{"".join(lines)}</ul>\n\n'
            )
        return "## 各期状态变化\n\n" + "".join(out)

    @functools.cached_property
    def _series_order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.site.series)}

    # -- series page ---------------------------------------------------------------------
    def series_page(self, series: Series) -> str:
        path = series_path(series)
        feed = self.r.href_file(path, series_feed(series))
        out = [
            f'<nav class="gk-crumbs" aria-label="当前位置"><a href="{self.r.href(path, HOME)}">首页</a> › '
            f'<a href="{self.r.href(path, REPORTS_INDEX)}">报告</a> › '
            f'<span aria-current="page">{h(shorten(series.name, 24))}</span></nav>\n\n',
            f"# {escape_markdown(series.name)}\n\n",
            f"<p>同一张表的 {len(series.reports)} 期报告，按期间先后排列。每项任务有一个固定链接，"
            f'始终显示它最新一期的情况。<a href="{feed}">订阅本表的更新（Atom）</a></p>\n\n',
            "## 各期报告\n\n",
            '<table class="gk-index"><thead><tr><th scope="col">期间</th><th scope="col">报告</th>'
            '<th scope="col">任务</th><th scope="col">与上期相比</th></tr></thead><tbody>\n',
        ]
        for report in series.reports:
            comparison = series.comparison_of(report)
            said = comparison.summary if comparison is not None else "第一期"
            out.append(
                f'<tr><td data-label="期间">{h(period_of(report))}</td>'
                f'<td data-label="报告"><a href="{self.r.href(path, report_path(report))}">'
                f'{h(report.title)}</a></td><td data-label="任务">{len(report.tasks)}</td>'
                f'<td data-label="与上期相比">{h(said)}</td></tr>\n'
            )
        out.append("</tbody></table>\n\n## 各项任务\n\n")
        head = "".join(f'<th scope="col">{h(period_of(r))}</th>' for r in series.reports)
        out.append(
            '<table class="gk-index gk-series-tasks"><thead><tr><th scope="col">任务（最新一期的序号）</th>'
            f"{head}</tr></thead><tbody>\n"
        )
        for thread in series.threads:
            by_report = {t.report_slug: t for t in thread.tasks}
            cells = []
            for report in series.reports:
                task = by_report.get(report.slug)
                label = h(period_of(report))
                if task is None:
                    cells.append(
                        f'<td data-label="{label}"><span class="gk-empty">未列出</span></td>'
                    )
                else:
                    shown = _badge(task) if report.has_status else "列出"
                    if task.figure is not None:
                        shown += f" {_figure(task)}"
                    cells.append(f'<td data-label="{label}">{shown}</td>')
            task = thread.latest
            out.append(
                f'<tr><td data-label="任务">序号 {h(task.seq)} '
                f'<a href="{self.r.href(path, thread_path(thread))}">{h(task.text)}</a></td>'
                f"{''.join(cells)}</tr>\n"
            )
        out.append("</tbody></table>\n")
        return "".join(out)

    # -- home page -----------------------------------------------------------------------
    def recent(self, path: str, limit: int = 10) -> str:
        """最近更新: the newest reports first, each with what changed since its previous one.
        A report is placed by its publication date, else by its period's end; it shows the date
        only where the office gave one, else its period."""
        dated = sorted(
            ((d, r) for r in self.site.reports if (d := report_date(r)) is not None),
            key=lambda pair: (pair[0], pair[1].slug),
            reverse=True,
        )
        if not dated:
            return ""
        items = []
        for _, report in dated[:limit]:
            series = self.site.series_of(report)
            comparison = series.comparison_of(report) if series is not None else None
            said = f"：{comparison.summary}" if comparison is not None else ""
            when = report.published.isoformat() if report.published else period_of(report)
            items.append(
                f'<li><span class="gk-recent__date">{h(when)}</span> '
                f'<a href="{self.r.href(path, report_path(report))}">{h(report.title)}</a>'
                f"（{len(report.tasks)} 项任务{h(said)}）</li>"
            )
        return (
            "## 最近更新\n\n"
            f'<ul class="gk-recent">{"".join(items)}</ul>\n\n'
            f'<p>订阅：<a href="{self.r.href_file(path, REPORTS_FEED)}">新报告（Atom）</a> · '
            f'<a href="{self.r.href_file(path, CHANGES_FEED)}">任务状态变化（Atom）</a>'
            f'（用 RSS 阅读器订阅，有新报告或任务状态变化时收到通知；<a href="{self.r.href(path, FEEDS_INDEX)}">怎样订阅</a>）</p>\n\n'
        )


def _normal_text(text: str) -> str:
    return "".join(text.split())
