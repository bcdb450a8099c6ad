"""Full-recall Chinese search: an index of overlapping character pairs, loaded a character at a time.

A segmenter finds a word only where it cut the text into that word, so `道路` is missed
inside `城市道路`. Like Lucene's CJKAnalyzer we index every overlapping pair of CJK
characters instead, each run's last character alone, and Latin words and numbers whole.
gk-search.js turns a query into the same terms and finds the tasks that contain all of
them, each term matched as a prefix (路 finds 路网, MT finds MTBE). Every keyword that
occurs in a task's text therefore finds that task. Index text and queries are both NFKC
normalised and lower-cased, so full-width ＭＴＢＥ and ５Ｇ find MTBE and 5G.

The index is static files under ``search/`` in the site:

``t/<first character as hex>.bin``
    Every term that starts with that character and the tasks that contain it (as a list of
    task numbers, or a bitmap where that is smaller); ``^``-prefixed terms come from task
    titles, to list title matches first. A search downloads one such file per distinct
    first character of its terms — a few KB each, whatever the size of the site.
``r/<task number // 2>.json``
    What a result shows, for two consecutive tasks: URL, title, the report's title, issuer,
    region and period, the status, and the text the excerpt is taken from. (Two to a file:
    the ten results a search first shows are often ten files, and a task's text is a few KB;
    with four to a file a search fetched 110 KB of results at 10,000 tasks, with two 60 KB.
    This machine creates files at ~0.2 ms each, while the pages are rendered.)
``meta.json``
    The number of tasks and the example word the search box offers (``例如：…``), a
    frequent word of the task titles chosen at build time, so that it always finds something.

This replaced Pagefind (benchmarks/RESULTS.md): on 10,000 tasks its indexer needed 2 GB
and ~26 s of CPU, and a search downloaded 158 KB of its program before any index data.
"""

from __future__ import annotations

import json
import operator
import re
import shutil
import struct
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import GongkaiError

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# CJK runs, and words of Latin letters and digits (2.56, 5G, MTBE); punctuation separates.
_TOKEN_RE = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*")
_CJK_RE = re.compile(f"[{_CJK}]")
TITLE_MARK = "^"
"""Prefix of the terms that come from a task's title (never part of a term itself)."""

RESULTS_PER_FILE = 2
LONGEST_TERM = 64
"""Latin words are cut to this many characters (a query's words too, in gk-search.js);
the cut keeps them findable by their beginning and the file format's lengths small."""
MAGIC = b"GKS1"
# Payload kinds of a term file; gk-search.js reads the same numbers.
_LIST16, _LIST32, _BITMAP = 0, 1, 2


@dataclass(frozen=True)
class SearchRecord:
    url: str
    """Site-relative URL of the page, e.g. ``reports/x/18/`` (no leading slash)."""
    title: str
    text: str
    """Plain text to be searchable, from which the excerpt is taken: task text, units,
    narratives."""
    meta: Mapping[str, str]
    """Extra plain-text fields shown in results, e.g. ``{"报告": "…"}``; searchable too."""


@dataclass(frozen=True)
class SearchStats:
    records: int
    files: int
    bytes: int


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
    """The index terms of a record (title, text and the values of meta): NFKC, lower-cased,
    each once; title terms also with TITLE_MARK. The same terms as cjk_bigrams gives (tests
    check it), made without the joined string."""
    title = normalize(record.title).lower()
    found = _terms(normalize("\n".join([record.text, *record.meta.values()])).lower())
    title_terms = _terms(title)
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


ANY = "*"
"""Suffix of a Latin or digit character's entry for every term it begins (never in a term)."""


def term_file(term: str) -> str:
    """The file, under ``search/t/``, that holds a term: named after its first character, or
    the first two for Latin letters and digits (numbers are many: 2.56, 1165.23, …)."""
    term = term.removeprefix(TITLE_MARK)
    key = term[0] if _CJK_RE.match(term) or len(term) == 1 or term.endswith(ANY) else term[:2]
    return "-".join(f"{ord(ch):x}" for ch in key) + ".bin"


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


def build_search_index(site_dir: Path, records: Sequence[SearchRecord]) -> SearchStats:
    """Write the index of ``records`` into ``site_dir/search/``."""
    output = site_dir / "search"
    try:
        return _write_index(output, records)
    except OSError as exc:
        raise SearchIndexError(f"搜索索引写入失败：{exc}", output) from None


def _write_index(output: Path, records: Sequence[SearchRecord]) -> SearchStats:
    if output.exists():
        shutil.rmtree(output)
    (output / "t").mkdir(parents=True)
    (output / "r").mkdir()

    postings: dict[str, list[int]] = {}
    for number, record in enumerate(records):
        for term in terms(record):
            tasks = postings.get(term)
            if tasks is None:
                postings[term] = [number]
            else:
                tasks.append(number)
    for start in range(0, len(records), RESULTS_PER_FILE):
        results = [
            {"url": r.url, "title": r.title, "meta": dict(r.meta), "content": r.text}
            for r in records[start : start + RESULTS_PER_FILE]
        ]
        (output / "r" / f"{start // RESULTS_PER_FILE}.json").write_text(
            json.dumps(results, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )

    # A one-letter query must find every term it begins, which live in many files: each
    # Latin letter and digit has an entry "5*" with the tasks of all the terms it begins.
    any_entries: dict[str, set[int]] = {}
    for term, tasks in postings.items():
        bare = term.removeprefix(TITLE_MARK)
        if not _CJK_RE.match(bare):
            any_entries.setdefault(term[: len(term) - len(bare) + 1] + ANY, set()).update(tasks)
    postings.update((term, sorted(tasks)) for term, tasks in any_entries.items())

    files: dict[str, list[str]] = {}
    for term in postings:
        files.setdefault(term_file(term), []).append(term)
    size = 0
    for name, names in files.items():
        data = _term_file(sorted(names), postings, len(records))
        (output / "t" / name).write_bytes(data)
        size += len(data)
    meta = json.dumps(
        {"tasks": len(records), "example": example_word(r.title for r in records)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    (output / "meta.json").write_bytes(meta)
    size += len(meta)
    written = len(files) + -(-len(records) // RESULTS_PER_FILE) + 1
    size += sum(p.stat().st_size for p in (output / "r").iterdir())
    return SearchStats(len(records), written, size)


def _term_file(names: list[str], postings: Mapping[str, list[int]], count: int) -> bytes:
    """Little-endian: "GKS1", u32 tasks, u32 terms; per term u16 UTF-8 length, the term,
    u8 kind, u32 payload length; then the payloads in the same order."""
    head = [MAGIC + struct.pack("<II", count, len(names))]
    body = []
    for name in names:
        kind, payload = _payload(postings[name], count)
        encoded = name.encode("utf-8")
        head.append(
            struct.pack("<H", len(encoded)) + encoded + struct.pack("<BI", kind, len(payload))
        )
        body.append(payload)
    return b"".join(head + body)


def _payload(tasks: list[int], count: int) -> tuple[int, bytes]:
    wide = count > 0xFFFF
    bitmap_size = (count + 7) // 8
    if len(tasks) * (4 if wide else 2) > bitmap_size:
        bits = bytearray(bitmap_size)
        for task in tasks:
            bits[task >> 3] |= 1 << (task & 7)
        return _BITMAP, bytes(bits)
    numbers = array("I" if wide else "H", tasks)
    if sys.byteorder == "big":
        numbers.byteswap()
    return (_LIST32 if wide else _LIST16), numbers.tobytes()
