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
import threading
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


# Tasks per Pagefind index. Its indexer holds a whole index in memory (≈ 0.2 MB per task
# here), so a large site is indexed in parts, one after another, and the page merges them.
# Each part adds its metadata and one chunk per query term to a search (≈ 50 KB), so parts
# are as large as the memory allows. See benchmarks/RESULTS.md.
PART_SIZE = 3500


def part_count(records: int, part_size: int = PART_SIZE) -> int:
    return max(1, -(-records // max(1, part_size)))


def part_path(index: int) -> str:
    """Where part ``index`` (0-based) of the index is published, relative to the site root.
    gk-search.js loads part 0 and merges ``pagefind/part-2/`` … into it."""
    return "pagefind" if index == 0 else f"pagefind/part-{index + 1}"


def split_parts(
    records: Sequence[SearchRecord], part_size: int = PART_SIZE
) -> list[Sequence[SearchRecord]]:
    """Consecutive, nearly equal parts (the site's order keeps a report's tasks together)."""
    count = part_count(len(records), part_size)
    size, extra = divmod(len(records), count)
    parts = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        parts.append(records[start:end])
        start = end
    return parts


class SearchJob:
    """The search index, made in a background thread while the site is being rendered.

    The index needs only the records, not the rendered pages, so on a two-core machine the
    Pagefind indexer runs beside MkDocs instead of after it. ``finish`` waits for it and
    publishes the index into the site; ``cancel`` stops it (a failed or abandoned build).
    """

    def __init__(self, records: Sequence[SearchRecord], part_size: int = PART_SIZE):
        self.records = len(records)
        self._parts = split_parts(records, part_size)
        self._tmp = Path(tempfile.mkdtemp(prefix="gongkai-search-"))
        self._error: str | None = None
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gongkai-search", daemon=True)
        self._thread.start()

    @property
    def parts(self) -> int:
        return len(self._parts)

    def _run(self) -> None:
        try:
            for index, part in enumerate(self._parts):
                if self._cancelled.is_set():
                    return
                pages = self._tmp / f"pages-{index}"
                for record in part:
                    page = pages / record.url.strip("/") / "index.html"
                    page.parent.mkdir(parents=True, exist_ok=True)
                    page.write_text(record_html(record), encoding="utf-8")
                self._index(pages, self._tmp / f"index-{index}")
                shutil.rmtree(pages, ignore_errors=True)
                if self._error is not None:
                    return
        except OSError as exc:
            self._error = str(exc)

    def _index(self, pages: Path, output: Path) -> None:
        command = [
            sys.executable, "-m", "pagefind", "--site", str(pages),
            "--output-path", str(output), "--force-language", INDEX_LANGUAGE, "--quiet",
        ]  # fmt: skip
        try:
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            out, _ = self._process.communicate(timeout=3600)
        except (OSError, subprocess.SubprocessError) as exc:
            self._error = str(exc)
            return
        if self._process.returncode != 0 and not self._cancelled.is_set():
            self._error = (out or "").strip()[-2000:] or f"退出码 {self._process.returncode}"

    def finish(self, site_dir: Path) -> SearchStats:
        """Wait for the index and move it into ``site_dir``."""
        self._thread.join()
        try:
            output = site_dir / "pagefind"
            if self._error is not None:
                raise SearchIndexError(f"搜索索引生成失败：{self._error}", output)
            if output.exists():
                shutil.rmtree(output)
            for index in range(len(self._parts)):
                target = site_dir / part_path(index)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(self._tmp / f"index-{index}", target)
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
        files = [p for p in output.rglob("*") if p.is_file()]
        return SearchStats(
            self.records, files=len(files), bytes=sum(p.stat().st_size for p in files)
        )

    def cancel(self) -> None:
        self._cancelled.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._thread.join()
        shutil.rmtree(self._tmp, ignore_errors=True)


def build_search_index(
    site_dir: Path, records: Sequence[SearchRecord], part_size: int = PART_SIZE
) -> SearchStats:
    """Write the Pagefind index and its UI files into ``site_dir/pagefind/``.

    The records are written as small stand-in pages to a temporary folder that the Pagefind
    command indexes. (Its Python service API answers one request per 0.1 s, so adding
    records one by one took 100 s per thousand, and it stops the indexer before the last
    file is fully written.)
    """
    return SearchJob(records, part_size).finish(site_dir)
