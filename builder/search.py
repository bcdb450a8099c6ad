"""Full-recall Chinese search: a Pagefind index of overlapping character bigrams.

A segmenter finds a word only where it cut the text into that word, so `道路` is missed
inside `城市道路`. Like Lucene's CJKAnalyzer we index every overlapping pair of CJK
characters instead; the page's `gk-search.js` turns a query into the same pairs, and
Pagefind (AND of terms, prefix matching, index loaded in chunks) finds every page that
contains them all. Every keyword of two or more characters that occurs in a task's text
therefore finds that task. The index is built with Pagefind's English tokenizer
(`force_language`), which splits on spaces and leaves the bigrams as they are.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import GongkaiError

# What gk-search.js cuts the indexed content at: the text before it is shown in results.
SEPARATOR = "\u3013\u3013"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# CJK runs, and words of Latin letters and digits (2.56, 5G, MTBE); punctuation separates.
_TOKEN_RE = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*")
_CJK_RE = re.compile(f"[{_CJK}]")
INDEX_LANGUAGE = "en"


class SearchIndexError(GongkaiError):
    """Pagefind could not build the index."""


@dataclass(frozen=True)
class SearchRecord:
    url: str
    """Site-relative URL of the page, e.g. ``reports/x/18/`` (no leading slash)."""
    title: str
    text: str
    """Plain text to be searchable: task text, units, narratives."""
    meta: Mapping[str, str]
    """Extra plain-text fields shown in results, e.g. ``{"report": "…"}``."""


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


def record_content(record: SearchRecord) -> str:
    """What is indexed: the text (shown in result excerpts), then its bigrams."""
    return f"{record.text}\n{SEPARATOR}\n{cjk_bigrams(record.title + ' ' + record.text)}"


def build_search_index(site_dir: Path, records: Sequence[SearchRecord]) -> SearchStats:
    """Write the Pagefind index and its UI files into ``site_dir/pagefind/``."""
    output = site_dir / "pagefind"
    try:
        # Its own thread: asyncio.run() refuses to nest in a caller's running event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _write(output, records)).result()
    except GongkaiError:
        raise
    except Exception as exc:  # the Pagefind service reports failures as plain exceptions
        raise SearchIndexError(f"搜索索引生成失败：{exc}", output) from None
    files = [p for p in output.rglob("*") if p.is_file()]
    return SearchStats(len(records), len(files), sum(p.stat().st_size for p in files))


async def _write(output: Path, records: Iterable[SearchRecord]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(output), force_language=INDEX_LANGUAGE)
    async with PagefindIndex(config) as index:
        for record in records:
            await index.add_custom_record(
                url="/" + record.url.lstrip("/"),
                content=record_content(record),
                language=INDEX_LANGUAGE,
                meta={"title": record.title, **record.meta},
            )
