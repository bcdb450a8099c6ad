"""Build cost at N tasks, against the bare MkDocs floor and the usual hand-made setup.

    python benchmarks/bench.py                 # N = 1,000 and 10,000
    python benchmarks/bench.py --sizes 200     # a quick run
    python benchmarks/bench.py --large         # also N = 100,000 (about 20 minutes a build)
    python benchmarks/bench.py --large --only b --sizes 10000   # this project's build alone

For each N, in one run on one machine, it generates realistic data (benchmarks/synth.py,
seeded) and measures:

  (a) the builder stage alone: parse → clean → model → render, in memory;
  (b) the full `mkdocs build` of this project, search index included;
  (c) the floor: plain `mkdocs build` of the same Markdown (`python -m builder render`),
      same theme, no plugin, no search;
  (d) the usual setup: that Markdown with Material's built-in search and jieba.
  (e) the incremental publish: one 50-task report added to the site (b) published, and the
      site published again (builder/incremental.py); its time is printed as a share of (b).

It prints the ratios (a)/(b), (b)/(d), (b)/(c), peak RSS, site size, the largest task
page, and the bytes a real browser fetches for one keyword search, and writes them as
Markdown to benchmarks/RESULTS.md (--results to change). For (b) it also prints seconds and
peak MB per 1,000 task rows: the cost of a build should grow with the rows, not faster.

It also reads a PDF table of at least 100 pages (--pdf-pages; 0 leaves it out): a Word table
printed by LibreOffice (``soffice`` must be installed), read by the PDF reader alone and
then interpreted into a report. ``--sizes`` with no number runs only this, and rewrites
only the PDF section of the results.

    python benchmarks/bench.py --sizes         # the PDF figure only
"""

from __future__ import annotations

import argparse
import functools
import http.server
import itertools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}

STAGE_A = """
import sys, time
from pathlib import Path
from builder.load import load_site
from builder.render import Renderer
from builder.search import search_records
start = time.perf_counter()
site = load_site(Path(sys.argv[1])).site
renderer = Renderer(site)
pages = list(renderer.pages())
assets = [a.content if isinstance(a.content, bytes) else b"".join(a.content) for a in renderer.assets()]
records = search_records(site)
print(time.perf_counter() - start, len(pages), sum(len(p.markdown) for p in pages))
"""

FLOOR_CONFIG = """site_name: 基准
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins: {plugins}
nav:
  - 首页: index.md
  - 报告: reports/index.md
  - 责任单位: units/index.md
  - 开放数据: open-data.md
  - 关于本站: about.md
not_in_nav: |
  /reports/
  /units/
markdown_extensions:
  - tables
  - toc
"""


LARGE = 100_000
"""The province-sized run of --large."""
PARTS = ("a", "b", "c", "d", "search")
"""What --only chooses from: the four builds and the browser searches."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    peak_pss_mb: float = float("nan")
    """The tree's proportional set size: memory shared by the build and its forked side
    process (the model) counted once, where the RSS sum counts it in both."""


def tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants now, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid … ; comm may hold spaces, so split after its ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE_SIZE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def tree_pss(root: int) -> int:
    """Proportional set size of a process and its children, in bytes (Linux smaps_rollup)."""
    total = 0
    for pid in [root, *_children(root)]:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        kids = [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []
    return [k for kid in kids for k in (kid, *_children(kid))]


def timed(cmd: list[str], cwd: Path) -> Run:
    """Wall time and peak RSS. The build runs other programs at the same time (the Pagefind
    indexer beside MkDocs), so the whole process tree is summed every 0.1 s; a short peak
    between samples is caught by the kernel's own maximum for the largest single process."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        peak = pss = 0
        for tick in itertools.count():
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(proc.pid))
            if tick % 10 == 0:  # walking the page tables is dearer: once a second
                pss = max(pss, tree_pss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            output = log.read().decode(errors="replace")
            sys.exit(f"failed: {' '.join(cmd)}\n{output[-3000:]}")
    return Run(seconds, max(peak, usage.ru_maxrss * 1024) / 2**20, pss / 2**20)


def stage_a(data: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", STAGE_A, str(data)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("stage (a) failed")
    del start
    return float(out.split()[0]), usage.ru_maxrss / 1024


def frame_size(page: Path) -> int:
    """Bytes of a page outside its <article>: header, navigation, footer. The article grows
    with the task's own text only; what is around it must not grow with the site."""
    html = page.read_bytes()
    start, end = html.find(b"<article"), html.rfind(b"</article>")
    return len(html) - (end - start) if 0 <= start < end else len(html)


def largest_kb(site: Path, *patterns: str) -> float:
    return max(p.stat().st_size for pattern in patterns for p in site.glob(pattern)) / 1024


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def search_bytes(site: Path, keyword: str, start: str | None = None) -> tuple[int, int]:
    """Bytes a real browser fetches for one search, in a fresh browser, after loading a
    page (a task page of a built site, or ``start``), and the number of results."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if start is None:
        task = next(iter(sorted(site.glob("reports/*/1/index.html"))))
        start = task.parent.relative_to(site).as_posix() + "/"
    url = f"http://127.0.0.1:{server.server_address[1]}/{start}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        finished: list[Any] = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.evaluate("window.gkSearch.open()")
        page.get_by_placeholder("搜索任务、单位或任意词语").fill(keyword)
        # Done: the first results shown, or the suggestions where there are none (the page
        # was idle before, so waiting for "networkidle" would not wait).
        page.wait_for_function(
            "document.querySelector('.gk-search__result') !== null"
            " || document.querySelector('.gk-search__suggest:not([hidden])') !== null",
            timeout=120_000,
        )
        page.wait_for_timeout(500)
        count = int(page.evaluate(f"window.gkSearch.find({keyword!r}).then(f => f.results.length)"))
        sizes = [r.sizes()["responseBodySize"] for r in finished]
        browser.close()
    server.shutdown()
    return sum(sizes), count


def index_figures(search: Path) -> dict[str, float | int]:
    """The search folder: files, size, and its largest index file."""
    files = [p for p in search.rglob("*") if p.is_file()]
    terms = [p.stat().st_size for p in (search / "t").iterdir()]
    return {
        "search_files": len(files),
        "search_mb": sum(p.stat().st_size for p in files) / 1e6,
        "largest_term_file_kb": max(terms) / 1024,
    }


def heavy_queries(search: Path, n: int = 3) -> list[str]:
    """The characters whose index files weigh the most (2, 1, 市, 业…), n CJK and n others:
    the dearest one-character searches, and with them the dearest prefixes."""
    weight: dict[str, int] = {}
    for path in (search / "t").iterdir():
        key = chr(int(path.name.split(".")[0], 16))
        weight[key] = weight.get(key, 0) + path.stat().st_size
    heaviest = sorted(weight, key=weight.__getitem__, reverse=True)
    return [c for c in heaviest if ord(c) > 0x2FFF][:n] + [c for c in heaviest if ord(c) < 0x80][:n]


# One-character and digit searches (the largest index lists), a long search of common words
# (a list per pair), and the keywords.
STRESS = ("1", "20", "2024", "市经济和信息化局", "加快推进重点项目建设")


def search_only(n: int, work: Path) -> dict[str, object]:
    """The search index alone at N tasks, written from the model as the build's side job
    writes it, into a bare page with the header search; the bytes of the dearest searches."""
    data = work / "data"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/synth.py"), str(data), "--tasks", str(n), "--seed", "1"],
        check=True, env=ENV, capture_output=True, text=True,
    )  # fmt: skip
    site = work / "site"
    site.mkdir()
    written = subprocess.run(
        [sys.executable, "-c", INDEX_ONLY, str(data), str(site)],
        check=True, cwd=ROOT, env=ENV, capture_output=True, text=True,
    )  # fmt: skip
    seconds = float(written.stdout.split()[0])
    shutil.copy(ROOT / "overrides/assets/gk-search.js", site / "gk-search.js")
    (site / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="gk-base" content=".">'
        '</head><body><header><div class="md-header__inner"></div></header>'
        '<script src="gk-search.js"></script></body></html>',
        encoding="utf-8",
    )
    return searches(site / "search", site, "") | {"tasks": n, "index_seconds": seconds}


INDEX_ONLY = """
import sys, time
from pathlib import Path
from builder.load import load_site
from builder.search import build_search_index, search_records
site = load_site(Path(sys.argv[1])).site
start = time.perf_counter()
build_search_index(Path(sys.argv[2]), search_records(site))
print(time.perf_counter() - start)
"""


def searches(search: Path, site: Path, start: str | None) -> dict[str, object]:
    queries = [*heavy_queries(search), *STRESS, *KEYWORDS]
    fetched = {q: search_bytes(site, q, start) for q in queries}
    worst = max(fetched, key=lambda q: fetched[q][0])
    return index_figures(search) | {
        "search": {q: (size / 1024, found) for q, (size, found) in fetched.items()},
        "worst_query": worst,
        "worst_kb": fetched[worst][0] / 1024,
    }


def build(project: Path) -> Run:
    """A full build: no published site and no cache of an earlier one (incremental.py)."""
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".gongkai-cache", ignore_errors=True)
    return timed([sys.executable, "-m", "mkdocs", "build", "-q"], project)


ADDED = "2026-province-added"


def add_report(reports: Path, tasks: int = 50) -> None:
    """One more report of ``tasks`` tasks, in no series, written as synth.py writes them."""
    from synth import Writer, province_report, province_tasks

    w = Writer(99)
    made = province_tasks(w, tasks)
    w.history(made, 1)
    title = "2026 年省政府重点工作完成情况（新增一批）"
    text = province_report(w, title, made, 0)
    (reports / f"{ADDED}.txt").write_text(text, encoding="utf-8")
    meta = "issuer: 安徽省经济和信息化厅\nyear: 2026\nperiod: 年度\npublished: 2026-01-20\n"
    (reports / f"{ADDED}.yml").write_text(meta, encoding="utf-8")


def incremental(project: Path, repeat: int) -> float:
    """The published site of ``project`` (its last build kept its cache) and one 50-task
    report added: the fastest of ``repeat`` publishes. Each time the report is taken out
    again after, by another (untimed) incremental publish."""
    reports = project / "data" / "reports"
    times = []
    for _ in range(repeat):
        add_report(reports)
        times.append(timed([sys.executable, "-m", "mkdocs", "build", "-q"], project).seconds)
        for path in reports.glob(f"{ADDED}.*"):
            path.unlink()
        timed([sys.executable, "-m", "mkdocs", "build", "-q"], project)
    return min(times)


def bench(n: int, work: Path, repeat: int, only: Sequence[str] = PARTS) -> dict[str, object]:
    data = work / "data"
    made = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/synth.py"),
            str(data),
            "--tasks",
            str(n),
            "--seed",
            "1",
        ],
        check=True,
        env=ENV,
        capture_output=True,
        text=True,
    )
    # N counts the tasks of each table's latest report; a quarter of them are in series whose
    # two earlier reports add their own task rows (about N/2), published and searched as well.
    found = re.search(r"\((\d+) task rows", made.stdout)
    if found is None:
        raise SystemExit(f"benchmarks/synth.py did not say how many task rows: {made.stdout}")
    task_rows = int(found.group(1))

    project = work / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "data").symlink_to(data)

    # (c) and (d) build the Markdown that `python -m builder render` writes.
    plain = {}
    for name, plugins in (("c", "[]"), ("d", "\n  - search:\n      lang: zh")):
        if name not in only:
            continue
        folder = plain[name] = work / f"plain-{name}"
        folder.mkdir()
        subprocess.run(
            [sys.executable, "-m", "builder", "render", str(data), str(folder / "docs"),
             "--content", str(ROOT / "content")],
            check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # The floor has no search of ours: render also writes our index (as the plugin does).
        shutil.rmtree(folder / "docs" / "search")
        (folder / "mkdocs.yml").write_text(FLOOR_CONFIG.format(plugins=plugins), encoding="utf-8")

    # This machine's speed varies by up to 2x from minute to minute: the builds take turns,
    # `repeat` times, and each keeps its fastest run (as timeit does) and its largest memory.
    runs: dict[str, list[Run]] = {"b": [], "c": [], "d": []}
    a_times, a_rss = [], []
    for _ in range(repeat):
        if "a" in only:
            seconds, stage_rss = stage_a(data)
            a_times.append(seconds)
            a_rss.append(stage_rss)
        runs["b"].append(build(project))
        for name in "cd":
            if name in only:
                runs[name].append(build(plain[name]))
    nan = float("nan")
    a = min(a_times, default=nan)
    b, c, d = (min((r.seconds for r in runs[k]), default=nan) for k in "bcd")
    rss = {k: max((r.peak_rss_mb for r in runs[k]), default=nan) for k in "bcd"}
    pss_b = max(r.peak_pss_mb for r in runs["b"])
    # The project's last full build left its site and cache: the next publishes are incremental.
    inc = incremental(project, repeat)

    site = project / "site"
    task_pages = list(site.glob("reports/*/*/index.html"))
    searched = searches(site / "search", site, None) if "search" in only else {}
    fetched: dict[str, tuple[float, int]] = searched.get("search", {})  # type: ignore[assignment]
    index = plain["d"] / "site" / "search" / "search_index.json" if "d" in plain else Path("-")
    return searched | {
        "tasks": n,
        "rows": task_rows,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "a/b": a / b,
        "inc": inc,
        "inc/b": inc / b,
        "b/d": b / d,
        "b/c": b / c,
        "rss_a": max(a_rss, default=nan),
        "b_per_1000": b / task_rows * 1000,
        "rss_b_per_1000": rss["b"] / task_rows * 1000,
        "pss_b": pss_b,
        "rss_b": rss["b"],
        "rss_c": rss["c"],
        "rss_d": rss["d"],
        "site_mb": tree_size(site) / 1e6,
        "site_d_mb": tree_size(plain["d"] / "site") / 1e6 if "d" in plain else nan,
        "largest_task_kb": max(p.stat().st_size for p in task_pages) / 1024,
        "largest_frame_kb": max(frame_size(p) for p in task_pages) / 1024,
        "task_pages": len(task_pages),
        # Unit pages and report overviews are split into pages of a few hundred rows.
        "largest_unit_kb": largest_kb(site, "units/*/**/index.html"),
        "largest_report_kb": largest_kb(
            site, "reports/*/index.html", "reports/*/page/*/index.html"
        ),
        "largest_page_kb": largest_kb(site, "**/*.html"),
        **{f"search_kb:{k}": kb for k, (kb, _) in fetched.items()},
        **{f"search_results:{k}": found for k, (_, found) in fetched.items()},
        "lunr_index_mb": index.stat().st_size / 1e6 if index.exists() else nan,
    }


# A two-character keyword and a longer one (four pairs, so four term lookups).
KEYWORDS = ("技改", "数字化车间")


PDF_SECTION = "## PDF"

PDF_STAGE = """
import sys, time
from pathlib import Path
from builder.load import load_file
from builder.readers import read
from builder.units import Registry
path = Path(sys.argv[1])
start = time.perf_counter()
grid = read(path)[0]
middle = time.perf_counter()
reports, problems, _ = load_file(path, Registry())
end = time.perf_counter()
print(middle - start, end - middle, len(grid.rows), len(reports[0].tasks))
"""


def pdf_table(pages: int, work: Path) -> tuple[Path, int]:
    """A Word table of progress rows printed to PDF by LibreOffice, at least ``pages`` long."""
    import docx
    import pdfplumber

    rows = pages * 6
    while True:
        document = docx.Document()
        document.add_paragraph("2024年重点工作任务推进情况表")
        table = document.add_table(rows=rows + 1, cols=5)
        table.style = "Table Grid"
        for c, label in enumerate(["序号", "工作任务", "责任单位", "完成时限", "进展情况"]):
            table.cell(0, c).text = label
        for r in range(1, rows + 1):
            cells = table.rows[r].cells
            cells[0].text = str(r)
            cells[1].text = f"推进城市道路改造和老旧小区提升工程第{r}批，完成年度投资计划。"
            cells[2].text = "县住房和城乡建设局、县交通运输局" if r % 3 else "县民政局"
            cells[3].text = "2024年12月"
            cells[4].text = (
                f"已完成投资{r * 7}万元，完成率{r % 90 + 10}%。"
                "正在推进第二阶段施工，同步开展管线迁改，预计年底前完工。"
            )
        source = work / "table.docx"
        document.save(source)
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(source)],
            check=True, capture_output=True, timeout=1200,
        )  # fmt: skip
        printed = work / "table.pdf"
        with pdfplumber.open(printed) as pdf:
            count = len(pdf.pages)
        if count >= pages:
            return printed, count
        rows = rows * pages // count + 10


def bench_pdf(pages: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-pdf-") as tmp:
        printed, count = pdf_table(pages, Path(tmp))
        size = printed.stat().st_size
        runs = []
        for _ in range(repeat):
            done = subprocess.run(
                [sys.executable, "-c", PDF_STAGE, str(printed)],
                cwd=ROOT, env=ENV, check=True, capture_output=True, text=True,
            )  # fmt: skip
            read_s, total_s, grid_rows, tasks = done.stdout.split()
            runs.append((float(read_s), float(total_s), int(grid_rows), int(tasks)))
    best = min(runs)
    return {
        "pages": count,
        "mb": size / 1e6,
        "read": best[0],
        "total": min(run[1] for run in runs),
        "rows": best[2],
        "tasks": best[3],
    }


def pdf_lines(r: dict[str, float], asked: int, repeat: int) -> list[str]:
    return [
        PDF_SECTION,
        "",
        f"机器：{machine()}。命令：`python benchmarks/bench.py --pdf-pages {asked}` 的 PDF 部分"
        f"（Word 表格由 LibreOffice 打印成 PDF，读取 {repeat} 次取最快）。",
        "",
        "| PDF 页数 | 文件大小 | 表格行 | 任务 | 读取 PDF（得到表格） | 读取并解读为报告 |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {r['pages']:.0f} | {r['mb']:.1f} MB | {r['rows']:.0f} | {r['tasks']:.0f} | "
        f"{r['read']:.1f} s | {r['total']:.1f} s |",
        "",
    ]


def machine() -> str:
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, {platform.platform()}"


def _f(value: float, spec: str, unit: str = "") -> str:
    """A figure, or "—" where it was not measured."""
    return "—" if value != value else f"{value:{spec}}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument(
        "--large",
        action="store_true",
        help=f"also N = {LARGE:,}: this project's build (b) alone, once (about 20 minutes)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=list(PARTS),
        help="what to measure at --sizes (default all): a b c d and the browser searches",
    )
    parser.add_argument("--pdf-pages", type=int, default=100)
    parser.add_argument(
        "--search-only",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="also the search index alone at N tasks (e.g. 100000), without a site build",
    )
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/RESULTS.md")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each build; the fastest counts"
    )
    args = parser.parse_args()
    pdf_section: list[str] = []
    if args.pdf_pages:
        result = bench_pdf(args.pdf_pages, args.repeat)
        print(
            f"PDF: {result['pages']:.0f} pages ({result['mb']:.1f} MB), {result['rows']:.0f} grid rows, "
            f"{result['tasks']:.0f} tasks: read {result['read']:.1f}s, read and interpreted "
            f"{result['total']:.1f}s",
            flush=True,
        )
        pdf_section = pdf_lines(result, args.pdf_pages, args.repeat)
    if not args.sizes and not args.search_only and not args.large:
        kept = ""
        if args.results.exists():
            kept = args.results.read_text(encoding="utf-8").split(PDF_SECTION)[0].rstrip() + "\n\n"
        args.results.write_text(kept + "\n".join(pdf_section), encoding="utf-8")
        print(f"written {args.results}")
        return
    if not args.sizes and args.results == ROOT / "benchmarks/RESULTS.md":
        args.results = ROOT / "benchmarks/RESULTS-search.md"  # the build figures stay
    rows: list[dict[str, Any]] = []
    sizes: list[tuple[int, list[str]]] = [(n, args.only) for n in args.sizes]
    if args.large:
        sizes.append((LARGE, ["b"]))
    for n, only in sizes:
        with tempfile.TemporaryDirectory(prefix=f"gongkai-bench-{n}-") as tmp:
            row = bench(n, Path(tmp), 1 if n == LARGE else args.repeat, only)
        rows.append(row)
        print(
            f"N={n} ({row['rows']} task rows): (a) {row['a']:.1f}s  (b) {row['b']:.1f}s  (c) {row['c']:.1f}s  (d) {row['d']:.1f}s | "
            f"(a)/(b) {row['a/b']:.3f}  (b)/(d) {row['b/d']:.2f}  (b)/(c) {row['b/c']:.2f} | "
            f"peak RSS (b) {row['rss_b']:.0f} MB (c) {row['rss_c']:.0f} MB (d) {row['rss_d']:.0f} MB | "
            f"(b) per 1,000 task rows {row['b_per_1000']:.2f} s, {row['rss_b_per_1000']:.1f} MB | "
            f"(b) peak PSS {row['pss_b']:.0f} MB | site {row['site_mb']:.0f} MB | "
            f"largest task page {row['largest_task_kb']:.1f} KB (frame {row['largest_frame_kb']:.1f} KB) | "
            f"largest unit page {row['largest_unit_kb']:.0f} KB, report page {row['largest_report_kb']:.0f} KB, "
            f"any page {row['largest_page_kb']:.0f} KB"
            + (
                " | one search "
                + " / ".join(f"{k} {row['search_kb:' + k]:.0f} KB" for k in KEYWORDS)
                + f" | dearest search {row['worst_query']} {row['worst_kb']:.0f} KB"
                if "search" in row
                else ""
            )
            + f" | incremental (one 50-task report added) {row['inc']:.1f}s = {row['inc/b']:.3f} of (b)",
            flush=True,
        )
    alone: list[dict[str, Any]] = []
    for n in args.search_only:
        with tempfile.TemporaryDirectory(prefix=f"gongkai-search-{n}-") as tmp:
            row = search_only(n, Path(tmp))
        alone.append(row)
        print(
            f"N={n}, search index alone: {row['index_seconds']:.0f} s, {row['search_files']} files, "
            f"{row['search_mb']:.0f} MB, largest index file {row['largest_term_file_kb']:.1f} KB | "
            f"dearest search {row['worst_query']} {row['worst_kb']:.0f} KB",
            flush=True,
        )
    command = f"python benchmarks/bench.py --sizes {' '.join(map(str, args.sizes))} --repeat {args.repeat}"
    if args.large:
        command += " --large"
    if sorted(args.only) != sorted(PARTS):
        command += " --only " + " ".join(args.only)
    if args.search_only:
        command += " --search-only " + " ".join(map(str, args.search_only))
    lines = [
        "# 基准测试结果",
        "",
        f"机器：{machine()}。命令：`{command}`"
        f"（每种构建轮流运行 {args.repeat} 次，取最快的一次、最大的内存）。",
        "",
    ]
    if rows:
        lines += [
            "| 任务数（连同往期） | (a) 构建器 | (b) 本项目完整构建 | (c) 纯 MkDocs 下限 | (d) Material 搜索 + jieba | (a)/(b) | (b)/(d) | (b)/(c) | 峰值内存 (b) / (c) / (d) | (b) 每 1,000 行任务：秒 / 峰值内存 | (b) 峰值内存（PSS） | 网站大小 (b) / (d) | 最大任务页（其中页面框架） | 一次搜索下载（"
            + " / ".join(KEYWORDS)
            + "） |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
    for r in rows:
        lines.append(
            f"| {r['tasks']:,}（{r['rows']:,}） | {_f(r['a'], '.1f', ' s')} | {_f(r['b'], '.1f', ' s')} | "
            f"{_f(r['c'], '.1f', ' s')} | {_f(r['d'], '.1f', ' s')} | "
            f"{_f(r['a/b'], '.3f')} | {_f(r['b/d'], '.2f')} | {_f(r['b/c'], '.2f')} | "
            f"{_f(r['rss_b'], '.0f')} / {_f(r['rss_c'], '.0f')} / {_f(r['rss_d'], '.0f')} MB | "
            f"{r['b_per_1000']:.2f} s / {r['rss_b_per_1000']:.1f} MB | {r['pss_b']:.0f} MB | "
            f"{r['site_mb']:.0f} MB / {_f(r['site_d_mb'], '.0f', ' MB')} | "
            f"{r['largest_task_kb']:.1f} KB（{r['largest_frame_kb']:.1f} KB） | "
            + " / ".join(
                f"{r['search_kb:' + k]:.0f} KB（{r['search_results:' + k]} 项）"
                if "search" in r
                else "—"
                for k in KEYWORDS
            )
            + " |"
        )
    if rows:
        if any(r["tasks"] == LARGE for r in rows):
            lines += [
                "",
                f"{LARGE:,} 项任务一行只构建 (b) 一次（(c)、(d) 不在这个规模比较）；“—”为没有测量。",
            ]
        lines += [
            "",
            "峰值内存是构建进程与它的子进程（下载文件和搜索索引）常驻内存（RSS）之和，子进程从构建进程"
            "分出，两者共用的数据（读入的报告）计了两次；PSS 把共用的部分只计一次，是这台机器实际需要的内存。",
        ]
    if any(r["lunr_index_mb"] == r["lunr_index_mb"] for r in rows):
        lines += [
            "",
            "增量发布：完整构建 (b) 发布之后加入一份 50 项任务的报告再发布（只重新生成变了的页面，"
            "其余取自已发布的网站，见 builder/incremental.py）："
            + "，".join(
                f"{r['tasks']:,} 项任务时 {r['inc']:.1f} s，为 (b) 的 {r['inc/b']:.3f}"
                for r in rows
            )
            + "。",
            "",
            "(d) 的网站里，Material 搜索的索引文件 search_index.json 在每位访客第一次搜索时整个下载："
            + "，".join(
                f"{r['tasks']:,} 项任务时 {r['lunr_index_mb']:.1f} MB"
                for r in rows
                if r["lunr_index_mb"] == r["lunr_index_mb"]
            )
            + "。",
            "",
        ]
    searched = [*[r for r in rows if "search" in r], *alone]
    lines += (
        []
        if not searched
        else [
            "搜索：搜索文件夹的文件数和大小，其中最大的索引文件；一次搜索（新打开的真实 Chromium，"
            "打开页面后输入一个词）下载的全部字节和结果数，词是索引中最重的三个汉字和三个数字或字母"
            "（单字按前缀查找，如“2”找到所有以 2 开头的数字）、常见的长词和上面的关键词。"
            + ("“只有索引”的一行不构建网站，由模型直接写出索引（与构建时相同）。" if alone else ""),
            "",
            "| 任务数 | 文件数 / 大小 | 最大的索引文件 | 下载最多的一次搜索 | 各次搜索下载（结果数） |",
            "|---:|---:|---:|---:|---|",
        ]
    )
    for r in searched:
        label = f"{r['tasks']:,}" + ("（只有索引）" if "index_seconds" in r else "")
        each = " / ".join(f"{q} {kb:.0f} KB（{n}）" for q, (kb, n) in r["search"].items())
        lines.append(
            f"| {label} | {r['search_files']:,} / {r['search_mb']:.0f} MB | "
            f"{r['largest_term_file_kb']:.1f} KB | {r['worst_query']} {r['worst_kb']:.0f} KB | {each} |"
        )
    lines.append("")
    if rows:
        lines += [
            "最大的单位页、报告页（任务列表按页拆分，每页至多几百行）和任何一页 HTML："
            + "；".join(
                f"{r['tasks']:,} 项任务时 {r['largest_unit_kb']:.0f} KB、"
                f"{r['largest_report_kb']:.0f} KB、{r['largest_page_kb']:.0f} KB"
                for r in rows
            )
            + "。",
            "",
        ]
    lines += pdf_section
    args.results.write_text("\n".join(lines), encoding="utf-8")
    print(f"written {args.results}")


if __name__ == "__main__":
    main()
