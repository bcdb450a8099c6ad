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

import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
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


def record_html(record: SearchRecord) -> str:
    """A stand-in page for Pagefind: the text, its bigrams, the metadata as attributes."""
    meta = "".join(
        f'<span data-pagefind-meta="{html.escape(key, quote=True)}:{html.escape(value, quote=True)}"></span>'
        for key, value in {"title": record.title, **record.meta}.items()
    )
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in record.text.splitlines() if line)
    # Each pair once: Pagefind keeps every occurrence's position, and repeats only add
    # weight (at 10,000 tasks the index is 23 MB instead of 55 MB, and indexes faster).
    grams = html.escape(
        " ".join(dict.fromkeys(cjk_bigrams(record.title + " " + record.text).split()))
    )
    return (
        f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"></head>'
        f"<body><main data-pagefind-body>{meta}{paragraphs}<p>{SEPARATOR}</p><p>{grams}</p>"
        "</main></body></html>"
    )


def build_search_index(site_dir: Path, records: Sequence[SearchRecord]) -> SearchStats:
    """Write the Pagefind index and its UI files into ``site_dir/pagefind/``.

    The records are written as small stand-in pages to a temporary folder that the Pagefind
    command indexes in one run. (Its Python service API answers one request per 0.1 s, so
    adding records one by one took 100 s per thousand, and it stops the indexer before the
    last file is fully written.)
    """
    output = site_dir / "pagefind"
    if output.exists():
        shutil.rmtree(output)
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as tmp:
        stand_ins = Path(tmp)
        for record in records:
            page = stand_ins / record.url.strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(record_html(record), encoding="utf-8")
        command = [
            sys.executable, "-m", "pagefind", "--site", str(stand_ins),
            "--output-path", str(output.resolve()), "--force-language", INDEX_LANGUAGE, "--quiet",
        ]  # fmt: skip
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SearchIndexError(f"搜索索引生成失败：{exc}", output) from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()[-2000:]
            raise SearchIndexError(f"搜索索引生成失败：{detail}", output)
    files = [p for p in output.rglob("*") if p.is_file()]
    return SearchStats(len(records), len(files), sum(p.stat().st_size for p in files))
