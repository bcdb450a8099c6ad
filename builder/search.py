"""Full-recall Chinese search: an index of overlapping character pairs, read a few KB at a time.

A segmenter finds a word only where it cut the text into that word, so `道路` is missed
inside `城市道路`. Like Lucene's CJKAnalyzer we index every overlapping pair of CJK
characters instead, each run's last character alone, and Latin words and numbers whole.
gk-search.js turns a query into the same terms and finds the pages that contain all of
them, each term matched as a prefix (路 finds 路网, MT finds MTBE, 20 finds 2024). Every
keyword that occurs in a task's text therefore finds that task. Index text and queries are
both NFKC normalised and lower-cased, so full-width ＭＴＢＥ and ５Ｇ find MTBE and 5G.

What is found (search_records): every unit page (by its name and the other names it goes
by), every report page, and every task once — a task followed through the periods of a
series is one result, its latest period, found by the words of any of its periods. The
results are numbered in the order they are listed: units, reports newest first, tasks by
their latest period, newest first; gk-search.js lists those with every word in the title
(a unit's other names count as its title) before the others, each in that order.

The index is static files under ``search/`` in the site:

``t/<first character as hex>.bin``
    The terms that start with that character and the pages that contain them (the page
    numbers' differences as varints, a bitmap, or the pages without it, whichever is
    smallest), sorted; ``^``-prefixed terms come
    from titles. Where a character's terms would make a file over LEAF_BYTES (市, 2 at
    100,000 tasks: several hundred KB) the file is a directory instead: the first term of
    each of its parts ``t/<hex>.<n>.bin`` (parts of parts, if need be), so a term costs
    one small directory and one part of at most LEAF_BYTES (or one term's own list). A
    query term matches every term it begins; where those would weigh over HEAVY_BYTES
    (the character 市 begins thousands of pairs, 2 thousands of numbers) the index also
    holds their union under ``<term>*``, so a prefix costs one list, whatever it begins.
``r/<page number // 2>.json``
    What a result shows, for two consecutive pages: URL, title and other names, kind, the shown fields
    (status, period, units, report…), the text the excerpt is taken from, the other texts
    an excerpt may come from (office, phone, earlier periods…) and the task's periods.
    (Two to a file: the ten results a search first shows are often neighbours; with four
    to a file a search fetched 110 KB of results at 10,000 tasks, with two 60 KB.)
``meta.json``
    How many units, reports and tasks (pages are numbered in that order), the address of
    the units index (offered when nothing is found) and the example word the search box
    offers (``例如：…``), a frequent word of the task titles, so that it always finds something.

This replaced Pagefind (benchmarks/RESULTS.md): on 10,000 tasks its indexer needed 2 GB
and ~26 s of CPU, and a search downloaded 158 KB of its program before any index data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import operator
import re
import shutil
import struct
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GongkaiError
from .model import period_text
from .paths import UNITS_INDEX, Urls, report_path, task_path, unit_path
from .series import report_date, sentences

if TYPE_CHECKING:
    from .model import Report, Site, Task, Unit
    from .series import Thread

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# CJK runs, and words of Latin letters and digits (2.56, 5G, MTBE); punctuation separates.
_TOKEN_RE = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*")
_CJK_RE = re.compile(f"[{_CJK}]")
TITLE_MARK = "^"
"""Prefix of the terms that come from a title (never part of a term itself)."""
ANY = "*"
"""Suffix of the entry that holds every page of the terms a prefix begins (never in a term)."""

RESULTS_PER_FILE = 2
LONGEST_TERM = 64
"""Latin words are cut to this many characters (a query's words too, in gk-search.js);
the cut keeps them findable by their beginning and the file format's lengths small."""
LEAF_BYTES = 8 * 1024
"""A term file larger than this is split into parts of about this size."""
HEAVY_BYTES = 8 * 1024
"""A prefix whose terms weigh more than this gets its own union entry (``<prefix>*``)."""
MAGIC = b"GKS2"
# File kinds and payload kinds; gk-search.js reads the same numbers.
_LEAF, _DIRECTORY = 0, 1
_LIST, _ABSENT, _BITMAP = 0, 1, 2


class Kind(enum.Enum):
    """What a result is; units and reports are listed before tasks."""

    UNIT = "unit"
    REPORT = "report"
    TASK = "task"


@dataclass(frozen=True)
class SearchRecord:
    url: str
    """Site-relative URL of the page, e.g. ``reports/x/18/`` (no leading slash)."""
    title: str
    text: str
    """Plain text shown as the excerpt (a task's lines: plan, progress, figures…); searched."""
    meta: Mapping[str, str]
    """Fields shown under the result in this order, e.g. ``{"状态": "已完成", …}``; searched."""
    kind: Kind = Kind.TASK
    names: tuple[str, ...] = ()
    """Other names, searched as the title is: a unit's aliases, a task's earlier wording."""
    more: tuple[tuple[str, str], ...] = ()
    """(label, text): searched, and the excerpt where the query is found only there
    (科室, 监督电话, an earlier period's sentences that the latest no longer has…)."""
    hidden: tuple[str, ...] = ()
    """Searched, never shown: units' other names, all of an earlier period's text."""
    note: str = ""
    """Shown, not searched: ``17 项任务``."""
    periods: tuple[str, ...] = ()
    """A task's periods, earliest first, where it has several."""
    gone: str = ""
    """The later period in which the task is no longer listed, if any."""


@dataclass(frozen=True)
class SearchStats:
    records: int
    files: int
    bytes: int


def search_records(site: Site, urls: Urls | None = None) -> list[SearchRecord]:
    """Every unit, report and task a reader may find, in the order results are listed:
    units, reports newest first, then tasks by their latest period, newest first (a report's
    tasks in the table's order). A task of a series is one record, made from its latest
    period and searched by the words of all of them."""
    urls = urls or Urls()
    newest = sorted(site.reports, key=lambda r: report_date(r) or dt.date.min, reverse=True)
    records = [_unit_record(site, unit, urls) for unit in site.units]
    records.extend(_report_record(report, urls) for report in newest)
    for report in newest:
        for task in report.tasks:
            thread = site.thread_of(task)
            if thread is None or thread.latest.id == task.id:
                records.append(_task_record(site, report, task, thread, urls))
    return records


def _period(report: Report) -> str:
    return period_text(report.year, report.period) or report.title


def _aliases(site: Site, task: Task) -> list[str]:
    out: list[str] = []
    for key in task.unit_keys:
        with contextlib.suppress(KeyError):  # a name the registry does not know
            out.extend(a for a in site.unit(key).aliases if a != key.name)
    return out


def _unit_record(site: Site, unit: Unit, urls: Urls) -> SearchRecord:
    aliases = tuple(a for a in unit.aliases if a != unit.name)
    return SearchRecord(
        url=urls.url(unit_path(unit)),
        title=unit.name,
        text=f"也称：{'、'.join(aliases)}" if aliases else "",
        meta={"地区": unit.region} if unit.region else {},
        kind=Kind.UNIT,
        names=aliases,
        note=f"{len(site.current(unit.tasks))} 项任务",
    )


def _report_record(report: Report, urls: Urls) -> SearchRecord:
    more = [
        (label, text)
        for label, text in (
            ("分组", "、".join(report.sections)),
            ("表上方", " ".join(report.preamble)),
            ("附注", " ".join(report.notes)),
        )
        if text
    ]
    names = (
        (report.source_title,)
        if report.source_title and report.source_title != report.title
        else ()
    )
    return SearchRecord(
        url=urls.url(report_path(report)),
        title=report.title,
        text="",
        meta=_shown(
            ("时期", _period(report)), ("发布单位", report.issuer), ("地区", report.region)
        ),
        kind=Kind.REPORT,
        names=names,
        more=tuple(more),
        note=f"{len(report.tasks)} 项任务",
    )


def _shown(*fields: tuple[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in fields if value}


def _lines(task: Task) -> str:
    """What a task's lines say, in the table's column order: plan, progress, figures…"""
    parts: list[str] = []
    for step in task.steps:
        parts.extend(f.value.text for f in step.fields if f.value.text)
        if step.figure is not None:
            parts.append(step.figure.text)
    return "\n".join(parts)


def _task_meta(task: Task, report: Report) -> dict[str, str]:
    # As the task page shows it (正在推进), and the category it is counted in.
    status = task.stated
    if task.status is not None and task.status.label != status:
        status = f"{status}（计为{task.status.label}）"
    return _shown(
        ("状态", status),
        ("时期", _period(report)),
        ("责任单位", "、".join(key.name for key in task.unit_keys)),
        ("报告", report.title),
        ("发布单位", report.issuer),
        ("地区", task.region or report.region),
    )


def _task_record(
    site: Site, report: Report, task: Task, thread: Thread | None, urls: Urls
) -> SearchRecord:
    text = _lines(task)
    more = [
        (label, value)
        for label, value in (
            ("科室", "、".join(task.offices)),
            ("责任领导", "、".join(task.leaders)),
            ("监督电话", task.supervision or ""),
            ("分组", task.section or ""),
            ("报告条目", f"第{task.article}条" if task.article else ""),
        )
        if value
    ]
    hidden = _aliases(site, task)
    names: list[str] = []
    periods: tuple[str, ...] = ()
    gone = ""
    if thread is not None and len(thread.tasks) > 1:
        reports = [site.report(t.report_slug) for t in thread.tasks]
        periods = tuple(_period(r) for r in reports)
        series = site.series_of(report)
        if series is not None and series.latest.slug != report.slug:
            gone = _period(series.latest)
        # What only an earlier period says, newest first: the excerpt where the query is there.
        said = set(sentences(text))
        for old, old_report in zip(
            reversed(thread.tasks[:-1]), reversed(reports[:-1]), strict=True
        ):
            old_text = _lines(old)
            new = [s for s in sentences(old_text) if s not in said]
            said.update(new)
            if new:
                more.append((_period(old_report), " ".join(new)))
            if old.text and old.text != task.text and old.text not in names:
                names.append(old.text)
            hidden.extend([old_text, *old.offices, *old.leaders, *_aliases(site, old)])
            hidden.extend(_task_meta(old, old_report).values())
            hidden.extend(v for v in (old.supervision, old.section) if v)
            if old.article:
                hidden.append(f"第{old.article}条")
    return SearchRecord(
        url=urls.url(task_path(task)),
        title=task.text or f"序号 {task.seq}",
        text=text,
        meta=_task_meta(task, report),
        kind=Kind.TASK,
        names=tuple(names),
        more=tuple(more),
        hidden=tuple(dict.fromkeys(h for h in hidden if h)),
        periods=periods,
        gone=gone,
    )


# The full-width punctuation of nearly every Chinese text, with its NFKC form: replaced
# first, it leaves most texts for NFKC's quick check, ten times faster than normalising them.
_FULL_WIDTH = {
    "，": ",",
    "（": "(",
    "）": ")",
    "：": ":",
    "；": ";",
    "！": "!",
    "？": "?",
    "\u3000": " ",
}


def normalize(text: str) -> str:
    """NFKC: full-width letters, digits and signs (ＭＴＢＥ, ５Ｇ, ％) as their usual forms,
    compatibility ideographs as the unified ones. gk-search.js does the same to a query
    (``String.prototype.normalize("NFKC")``)."""
    if text.isascii():
        return text
    for wide, narrow in _FULL_WIDTH.items():
        if wide in text:
            text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text)


def cjk_bigrams(text: str) -> str:
    """Overlapping CJK character pairs and the other words of ``text``, space-separated.

    ``城市道路 5G`` → ``城市 市道 道路 路 5G``; ``ＭＴＢＥ`` → ``MTBE``.
    The same function in gk-search.js prepares queries; the two must agree.
    """
    out: list[str] = []
    for token in _TOKEN_RE.findall(normalize(text)):
        if _CJK_RE.match(token):
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
            # The last character also alone: a one-character query is matched as a prefix,
            # and the last character of a run begins no pair.
            out.append(token[-1])
        else:
            out.append(token)
    return " ".join(out)


def terms(record: SearchRecord) -> set[str]:
    """The index terms of a record (everything but its note): NFKC, lower-cased, each once;
    title terms (title and other names) also with TITLE_MARK. The same terms as cjk_bigrams
    gives (tests check it), made without the joined string."""
    title_terms = _terms(normalize("\n".join([record.title, *record.names])).lower())
    searched = [
        record.text,
        *record.meta.values(),
        *(text for _, text in record.more),
        *record.hidden,
    ]
    found = _terms(normalize("\n".join(searched)).lower())
    found.update(title_terms)
    found.update([TITLE_MARK + term for term in title_terms])
    return found


def _terms(text: str) -> set[str]:
    found: set[str] = set()
    for token in _TOKEN_RE.findall(text):
        if _CJK_RE.match(token):
            found.update(map(operator.add, token[:-1], token[1:]))
            found.add(token[-1])
        else:
            found.add(token[:LONGEST_TERM])
    return found


def term_file(term: str) -> str:
    """The file, under ``search/t/``, where a term is looked up: named after its first
    character (title terms: the same file)."""
    return f"{ord(term.removeprefix(TITLE_MARK)[0]):x}.bin"


def _order(term: str) -> tuple[bool, bytes]:
    """The order of terms in the files: body terms, then title terms, each by UTF-16 code
    units (the order of JavaScript's string comparison, used by gk-search.js)."""
    title = term.startswith(TITLE_MARK)
    return title, term[title:].encode("utf-16-be")


# Words of nearly every task title that would find nearly everything: not offered as the
# example. (The example is only a hint: a poor choice costs nothing but a poorer hint.)
_STOP_WORDS = frozenset(
    {
        "推进", "推动", "工作", "完成", "情况", "任务", "加快", "实施", "建设", "支持", "开展",
        "培育", "加强", "持续", "深化", "深入", "落实", "全面", "积极", "一批", "以上", "新增",
        "相关", "重点", "提升", "完善", "组织", "大力", "力争", "确保", "不断", "着力", "坚持",
        "做好", "抓好", "强化", "扩大", "加大", "促进", "优化", "发展", "全年", "年度", "季度",
        "目标", "计划", "政府", "报告", "进一步",
    }
)  # fmt: skip
# Characters that begin or end no word a reader would type alone (particles, numbers, measures).
_STOP_EDGES = frozenset(
    "的和与及等以上下之个了在为对将把并或其中年月日一二三四五六七八九十百千万亿元家户项次批各"
)
EXAMPLE_LENGTHS = range(2, 5)


def example_word(titles: Iterable[str]) -> str | None:
    """A word to offer as an example in the search box: the 2–4-character CJK string that
    occurs in the most titles, whole (not a piece of a longer string found in as many
    titles: 专精特新, not 专精) and not a stop word. None where the titles have no such word."""
    counts: Counter[str] = Counter()
    for title in titles:
        grams: set[str] = set()
        for run in re.findall(f"[{_CJK}]+", normalize(title)):
            for n in EXAMPLE_LENGTHS:
                grams.update(run[i : i + n] for i in range(len(run) - n + 1))
        counts.update(grams)
    # A string is a piece where a string one longer holds it in as many titles.
    pieces = {
        piece
        for gram, count in counts.items()
        if len(gram) > EXAMPLE_LENGTHS.start
        for piece in (gram[:-1], gram[1:])
        if counts[piece] == count
    }
    for gram in sorted(counts, key=lambda g: (-counts[g], -len(g), g)):
        if (
            gram not in pieces
            and gram[0] not in _STOP_EDGES
            and gram[-1] not in _STOP_EDGES
            and not any(stop in gram for stop in _STOP_WORDS)
        ):
            return gram
    return None


class SearchIndexError(GongkaiError):
    """The index could not be written."""


def build_search_index(
    site_dir: Path,
    records: Sequence[SearchRecord],
    terms_of: Callable[[SearchRecord], set[str]] | None = None,
) -> SearchStats:
    """Write the index of ``records`` into ``site_dir/search/``; results are listed in the
    order of ``records`` (search_records gives them so). ``terms_of``: :func:`terms`, or
    the same answers from a cache (incremental.py)."""
    output = site_dir / "search"
    try:
        return _write_index(output, records, terms_of or terms)
    except OSError as exc:
        raise SearchIndexError(f"搜索索引写入失败：{exc}", output) from None


def _result(record: SearchRecord) -> dict[str, object]:
    out: dict[str, object] = {"url": record.url, "title": record.title}
    if record.kind is not Kind.TASK:
        out["kind"] = record.kind.value
    if record.names:
        out["names"] = list(record.names)
    if record.meta:
        out["meta"] = [[name, value] for name, value in record.meta.items()]
    if record.text:
        out["content"] = record.text
    if record.more:
        out["more"] = [list(pair) for pair in record.more]
    for name in ("note", "periods", "gone"):
        if value := getattr(record, name):
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _write_index(
    output: Path, records: Sequence[SearchRecord], terms_of: Callable[[SearchRecord], set[str]]
) -> SearchStats:
    if output.exists():
        shutil.rmtree(output)
    (output / "t").mkdir(parents=True)
    (output / "r").mkdir()

    # Arrays of 4-byte numbers, not lists of ints: a list holds 36 bytes a page number, and
    # the postings are most of the side job's memory (at 100,000 tasks, some 30 million).
    postings: dict[str, array[int]] = {}
    for number, record in enumerate(records):
        for term in terms_of(record):
            pages = postings.get(term)
            if pages is None:
                postings[term] = array("I", (number,))
            else:
                pages.append(number)
    size = 0
    for start in range(0, len(records), RESULTS_PER_FILE):
        results = [_result(r) for r in records[start : start + RESULTS_PER_FILE]]
        data = json.dumps(results, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (output / "r" / f"{start // RESULTS_PER_FILE}.json").write_bytes(data)
        size += len(data)

    count = len(records)
    by_file: dict[str, list[str]] = {}
    for term in postings:
        by_file.setdefault(term_file(term), []).append(term)
    files = 0
    for name, names in by_file.items():
        # One character's unions at a time: together they would hold most of the index again.
        unions = _unions(names, postings, count)
        lists: dict[str, Sequence[int]] = {term: postings[term] for term in names}
        lists.update(unions)
        ordered = sorted([*names, *unions], key=_order)
        for part, data in _tree(name.removesuffix(".bin"), ordered, lists, count):
            (output / "t" / part).write_bytes(data)
            files += 1
            size += len(data)
        for term in names:
            del postings[term]
    kinds = Counter(r.kind for r in records)
    meta = json.dumps(
        {
            "units": kinds[Kind.UNIT],
            "reports": kinds[Kind.REPORT],
            "tasks": kinds[Kind.TASK],
            "unitsIndex": Urls().url(UNITS_INDEX),
            "example": example_word(r.title for r in records if r.kind is Kind.TASK),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    (output / "meta.json").write_bytes(meta)
    size += len(meta)
    files += -(-count // RESULTS_PER_FILE) + 1
    return SearchStats(count, files, size)


def _entry_size(term: str, pages: int, count: int) -> int:
    # An estimate (a page number's varint is 1–3 bytes): whether a prefix needs its union.
    return 2 + len(term.encode("utf-8")) + 5 + min(pages * 2, (count + 7) // 8)


def _unions(
    names: Iterable[str], postings: Mapping[str, Sequence[int]], count: int
) -> dict[str, list[int]]:
    """``<prefix>*`` for every prefix of ``names`` whose terms weigh over HEAVY_BYTES: the
    pages of all the terms it begins (one list instead of hundreds)."""
    weight: dict[str, int] = {}
    terms_of: Counter[str] = Counter()
    for term in names:
        size = _entry_size(term, len(postings[term]), count)
        mark = len(term) - len(term.lstrip(TITLE_MARK))
        # A CJK term is a pair at most: only its first character begins others.
        longest = 1 if _CJK_RE.match(term, mark) else len(term) - mark
        for end in range(mark + 1, mark + longest + 1):
            prefix = term[:end]
            weight[prefix] = weight.get(prefix, 0) + size
            terms_of[prefix] += 1
    heavy = {p for p, w in weight.items() if w > HEAVY_BYTES and terms_of[p] > 1}
    del weight
    unions: dict[str, set[int]] = {p: set() for p in heavy}
    for term in names:
        mark = len(term) - len(term.lstrip(TITLE_MARK))
        for end in range(mark + 1, len(term) + 1):
            union = unions.get(term[:end])
            if union is not None:
                union.update(postings[term])
    return {prefix + ANY: sorted(pages) for prefix, pages in unions.items()}


def _tree(
    key: str, names: list[str], postings: Mapping[str, Sequence[int]], count: int
) -> list[tuple[str, bytes]]:
    """The files of one first character: one file, or a directory over parts of about
    LEAF_BYTES (and directories over those, while the top one would be larger)."""
    leaves: list[list[tuple[bytes, int, bytes]]] = [[]]
    weight = 0
    for name in names:
        kind, payload = _payload(postings[name], count)
        entry = (name.encode("utf-8"), kind, payload)
        size = 7 + len(entry[0]) + len(payload)
        if leaves[-1] and weight + size > LEAF_BYTES:
            leaves.append([])
            weight = 0
        leaves[-1].append(entry)
        weight += size
    if len(leaves) == 1:
        return [(f"{key}.bin", _leaf(leaves[0], count))]
    files: list[tuple[str, bytes]] = []
    level: list[tuple[bytes, int]] = []  # (first term, part number)
    for leaf in leaves:
        files.append((f"{key}.{len(files) + 1}.bin", _leaf(leaf, count)))
        level.append((leaf[0][0], len(files)))
    while True:
        nodes: list[list[tuple[bytes, int]]] = [[]]
        weight = 0
        for first, part in level:
            size = 6 + len(first)
            if nodes[-1] and weight + size > LEAF_BYTES:
                nodes.append([])
                weight = 0
            nodes[-1].append((first, part))
            weight += size
        if len(nodes) == 1:
            files.append((f"{key}.bin", _directory(nodes[0], count)))
            return files
        level = []
        for node in nodes:
            files.append((f"{key}.{len(files) + 1}.bin", _directory(node, count)))
            level.append((node[0][0], len(files)))


def _leaf(entries: list[tuple[bytes, int, bytes]], count: int) -> bytes:
    """Little-endian: "GKS2", u8 0, u32 pages, u32 terms; per term u16 UTF-8 length, the
    term, u8 kind, u32 payload length; then the payloads in the same order."""
    head = [MAGIC + struct.pack("<BII", _LEAF, count, len(entries))]
    for name, kind, payload in entries:
        head.append(struct.pack("<H", len(name)) + name + struct.pack("<BI", kind, len(payload)))
    return b"".join(head + [payload for _, _, payload in entries])


def _directory(entries: list[tuple[bytes, int]], count: int) -> bytes:
    """Little-endian: "GKS2", u8 1, u32 pages, u32 parts; per part u16 UTF-8 length, its
    first term, u32 its number (the file ``<hex>.<number>.bin``)."""
    out = [MAGIC + struct.pack("<BII", _DIRECTORY, count, len(entries))]
    for first, part in entries:
        out.append(struct.pack("<H", len(first)) + first + struct.pack("<I", part))
    return b"".join(out)


def _payload(pages: Sequence[int], count: int) -> tuple[int, bytes]:
    """The smallest of: the page numbers as LEB128 varints of their differences (1 byte a
    page where pages are near each other), a bitmap, or the pages missing, as varints
    (a pair in nearly every page: 项目, 重点)."""
    bitmap_size = (count + 7) // 8
    listed = _varints(pages) if len(pages) < bitmap_size else None
    smallest = len(listed) if listed is not None and len(listed) < bitmap_size else bitmap_size
    if count - len(pages) < smallest:
        absent = _varints(sorted(set(range(count)).difference(pages)))
        if len(absent) < smallest:
            return _ABSENT, absent
    if listed is not None and len(listed) == smallest:
        return _LIST, listed
    bits = bytearray(bitmap_size)
    for page in pages:
        bits[page >> 3] |= 1 << (page & 7)
    return _BITMAP, bytes(bits)


def _varints(pages: Sequence[int]) -> bytes:
    differences = list(map(operator.sub, pages, [0, *pages[:-1]]))
    if not differences or max(differences) < 0x80:
        return bytes(differences)
    out = bytearray()
    for number in differences:
        while number >= 0x80:
            out.append(number & 0x7F | 0x80)
            number >>= 7
        out.append(number)
    return bytes(out)
