"""Atom feeds (RFC 4287) of new reports and of task status changes: site-wide, per unit and
per series, so that a reader can follow a unit or a table without visiting the site.

Entries are dated by the report's publication date, else by the end of its period (a
report of 三季度 with no date is placed at 9-30); a report with neither is left out of the
feeds and ``check`` says so. Built with ElementTree, so every feed is well-formed whatever
a cell holds. Links are absolute where the site's ``site_url`` is known, else relative to
the feed (Atom resolves them against the feed's own address).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .clean import shorten
from .model import Report, Site, count_statuses, period_text
from .paths import CHANGES_FEED, REPORTS_FEED, Urls, series_feed, unit_feed
from .series import Comparison, report_date

ATOM = "http://www.w3.org/2005/Atom"
STYLESHEET = "feeds/feed.xsl"
"""Beside the feeds: a browser opening a feed shows it as a page that explains subscribing."""
LIMIT = 100
"""Entries per feed, newest first: a feed reader needs the recent ones, not the archive."""
_CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Entry:
    id_path: str
    """The page the entry is about, also its id (with ``fragment``)."""
    fragment: str
    title: str
    date: dt.date
    summary: str
    link: str
    """The page to open, relative to the site root (a URL)."""
    units: frozenset[str]
    """The addresses of the units concerned (units/…), for the unit feeds."""
    series: str | None


@dataclass(frozen=True)
class Feed:
    path: str
    title: str
    link: str
    """The page the feed is about (a URL relative to the site root)."""
    entries: tuple[Entry, ...]


def _report_entry(site: Site, report: Report, date: dt.date, urls: Urls) -> Entry:
    series = site.series_of(report)
    comparison = series.comparison_of(report) if series is not None else None
    counts = count_statuses(report.tasks)
    said = "，".join(f"{s.label} {n} 项" for s, n in counts.items() if n)
    summary = f"{len(report.tasks)} 项任务" + (f"（{said}）" if report.has_status else "")
    if report.published is None:
        summary += (
            f"。原表未注明发布日期，按期间（{period_text(report.year, report.period)}）末日排列"
        )
    if comparison is not None:
        summary += f"。与上一期相比：{comparison.summary}"
    return Entry(
        id_path=urls.report(report),
        fragment="",
        title=f"新报告：{report.title}",
        date=date,
        summary=summary,
        link=urls.report(report),
        units=frozenset(site.unit(k).slug for k in report.units),
        series=series.id if series is not None else None,
    )


def _change_entries(
    site: Site, comparison: Comparison, date: dt.date, urls: Urls, series: str
) -> Iterable[Entry]:
    for before, task in comparison.status_changed:
        url = urls.task(task)
        figure = ""
        if task.figure is not None or before.figure is not None:
            was = before.figure.text if before.figure is not None else "未写"
            now = task.figure.text if task.figure is not None else "未写"
            figure = f"；进度 {was} → {now}" if was != now else f"；进度 {now}"
        units = "、".join(task.all_units)
        yield Entry(
            id_path=url,
            fragment="status",
            title=f"{shorten(task.text, 30)}：{before.stated_by_kind} → {task.stated_by_kind}",
            date=date,
            summary=(
                f"{comparison.report.title}，序号 {task.seq}：完成状态由上一期的“{before.stated_by_kind}”"
                f"变为“{task.stated_by_kind}”{figure}" + (f"。责任单位：{units}" if units else "")
            ),
            link=url,
            units=frozenset(site.unit(k).slug for k in task.unit_keys),
            series=series,
        )


def plan_feeds(site: Site, site_name: str, urls: Urls) -> tuple[Feed, ...]:
    """Every feed of the site: new reports and status changes, site-wide, per series and
    per unit. Every unit and series has one (a page links to it), even with no entry yet."""
    reports: list[Entry] = []
    changes: list[Entry] = []
    for report in site.reports:
        date = report_date(report)
        if date is None:
            continue
        reports.append(_report_entry(site, report, date, urls))
        series = site.series_of(report)
        comparison = series.comparison_of(report) if series is not None else None
        if series is not None and comparison is not None:
            changes.extend(_change_entries(site, comparison, date, urls, series.id))
    both = reports + changes
    feeds = [
        Feed(REPORTS_FEED, f"{site_name}：新报告", "", _newest(reports)),
        Feed(CHANGES_FEED, f"{site_name}：任务状态变化", "", _newest(changes)),
    ]
    by_series: dict[str, list[Entry]] = {}
    by_unit: dict[str, list[Entry]] = {}
    for entry in both:
        if entry.series is not None:
            by_series.setdefault(entry.series, []).append(entry)
        for slug in entry.units:
            by_unit.setdefault(slug, []).append(entry)
    for s in site.series:
        feeds.append(
            Feed(
                series_feed(s),
                f"{s.name}：新报告和任务状态变化",
                urls.series(s),
                _newest(by_series.get(s.id, [])),
            )
        )
    for unit in site.units:
        feeds.append(
            Feed(
                unit_feed(unit),
                f"{unit.name}：新报告和任务状态变化",
                urls.unit(unit),
                _newest(by_unit.get(unit.slug, [])),
            )
        )
    return tuple(feeds)


def _newest(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.date, e.id_path), reverse=True)[:LIMIT])


def atom(feed: Feed, site_name: str, urls: Urls, fallback: dt.date) -> bytes:
    """The feed as an Atom document. ``fallback`` dates a feed with no entry yet (the newest
    report's date: Atom requires one)."""
    ET.register_namespace("", ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            child.text = text
        return child

    def url(target: str) -> str:
        return urls.absolute(target, feed.path)

    def ident(target: str, fragment: str = "") -> str:
        if urls.site_url:
            return url(target) + (f"#{fragment}" if fragment else "")
        name = f"gongkai:{target}#{fragment}"
        return uuid.uuid5(uuid.NAMESPACE_URL, name).urn

    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    el(root, "title", feed.title)
    el(root, "id", ident(feed.path))
    newest = max((e.date for e in feed.entries), default=fallback)
    el(root, "updated", _stamp(newest))
    el(el(root, "author"), "name", site_name)
    el(root, "link", rel="self", href=url(feed.path), type="application/atom+xml")
    el(root, "link", rel="alternate", href=url(feed.link), type="text/html")
    el(root, "generator", "Gongkai")
    for entry in feed.entries:
        item = el(root, "entry")
        el(item, "title", entry.title)
        el(item, "id", ident(entry.id_path, entry.fragment))
        el(item, "updated", _stamp(entry.date))
        el(item, "link", rel="alternate", href=url(entry.link), type="text/html")
        el(item, "summary", entry.summary)
    ET.indent(root)
    # Relative to the feed, so that it is fetched from the same origin wherever the site is.
    xsl = posixpath.relpath(STYLESHEET, posixpath.dirname(feed.path))
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<?xml-stylesheet type="text/xsl" href="{quote(xsl, safe="/.-_~")}"?>\n'
    )
    data: bytes = head.encode("utf-8") + ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return data + b"\n"


def _stamp(date: dt.date) -> str:
    return dt.datetime(date.year, date.month, date.day, tzinfo=_CHINA).isoformat()
