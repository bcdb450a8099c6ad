"""Full-recall Chinese search: an index of overlapping character pairs, loaded a character at a time.

A segmenter finds a word only where it cut the text into that word, so `道路` is missed
inside `城市道路`. Like Lucene's CJKAnalyzer we index every overlapping pair of CJK
characters instead, each run's last character alone, and Latin words and numbers whole.
gk-search.js turns a query into the same terms and finds the tasks that contain all of
them, each term matched as a prefix (路 finds 路网, MT finds MTBE). Every keyword that
occurs in a task's text therefore finds that task.

The index is static files under ``search/`` in the site:

``t/<first character as hex>.bin``
    Every term that starts with that character and the tasks that contain it (as a list of
    task numbers, or a bitmap where that is smaller); ``^``-prefixed terms come from task
    titles, to list title matches first. A search downloads one such file per distinct
    first character of its terms — a few KB each, whatever the size of the site.
``r/<task number // 4>.json``
    What a result shows, for four consecutive tasks: URL, title, report, status, and the
    text the excerpt is taken from. (Four to a file: this machine creates files at
    ~0.2 ms each, and results often sit side by side.)

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
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import GongkaiError

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# CJK runs, and words of Latin letters and digits (2.56, 5G, MTBE); punctuation separates.
_TOKEN_RE = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*")
_CJK_RE = re.compile(f"[{_CJK}]")
TITLE_MARK = "^"
"""Prefix of the terms that come from a task's title (never part of a term itself)."""

RESULTS_PER_FILE = 4
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
    """Plain text to be searchable: task text, units, narratives."""
    meta: Mapping[str, str]
    """Extra plain-text fields shown in results, e.g. ``{"报告": "…"}``."""


@dataclass(frozen=True)
class SearchStats:
    records: int
    files: int
    bytes: int


def cjk_bigrams(text: str) -> str:
    """Overlapping CJK character pairs and the other words of ``text``, space-separated.

    ``城市道路 5G`` → ``城市 市道 道路 路 5G``.
    The same function in gk-search.js prepares queries; the two must agree.
    """
    out: list[str] = []
    for token in _TOKEN_RE.findall(text):
        if _CJK_RE.match(token):
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
            # The last character also alone: a one-character query is matched as a prefix,
            # and the last character of a run begins no pair.
            out.append(token[-1])
        else:
            out.append(token)
    return " ".join(out)


def terms(record: SearchRecord) -> set[str]:
    """The index terms of a record: lower-cased, each once; title terms also with TITLE_MARK.
    The same terms as cjk_bigrams gives (tests check it), made without the joined string."""
    found = _terms(f"{record.title}\n{record.text}".lower())
    found.update([TITLE_MARK + term for term in _terms(record.title.lower())])
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
    written = len(files) + -(-len(records) // RESULTS_PER_FILE)
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
