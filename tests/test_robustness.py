"""Broken tables: encodings, fuzzing, and two builds that must be byte-identical."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import markdown
import openpyxl
import pytest
from conftest import ROOT, make_project, mkdocs_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from builder.columns import SYNONYMS
from builder.errors import Problem, Severity
from builder.load import collect_units, load_file, read_data
from builder.model import Site
from builder.parse import parse_text
from builder.readers import ReadError, read
from builder.readers.text import read_text
from builder.render import Renderer
from builder.units import load_registry
from builder.verify import verify_task_page

SEED = ROOT / "data" / "reports" / "2024-anqing-industry-q3.txt"
REGISTRY, _ = load_registry(ROOT / "data" / "units.yml")
UNITS = (ROOT / "data" / "units.yml").read_text(encoding="utf-8")


def tasks_of(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    reports, problems, _ = load_file(path, REGISTRY)
    assert reports, problems
    report = reports[0]
    return [(t.seq, t.text, t.units) for t in report.tasks]


def test_every_encoding_and_line_ending_reads_the_same(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = tasks_of(SEED)
    variants = {
        "utf8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gb18030": text.encode("gb18030"),
        "gbk": text.replace("✓", "√").encode("gbk"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "gbk-crlf": text.replace("✓", "√").replace("\n", "\r\n").encode("gbk"),
        "utf16": text.encode("utf-16"),
    }
    for name, data in variants.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        assert tasks_of(path) == expected, name


def test_binary_and_empty_files_are_named_errors(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "picture.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    )
    (reports / "empty.txt").write_bytes(b"\n \n")
    for name in ("picture.txt", "empty.txt"):
        try:
            read_text(reports / name)
        except ReadError as exc:
            assert exc.path == reports / name
        else:
            raise AssertionError(f"{name} was read as text")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{reports / 'picture.txt'}: 错误：不是文本文件" in result.stdout
    assert f"{reports / 'empty.txt'}: 错误：文件是空的" in result.stdout
    assert "Traceback" not in result.stderr


HEADER_WORDS = [*sorted(SYNONYMS), "第三季度", "年度目标", "备注", "季度", "类别"]
FRAGMENTS = [
    "<p>", "</p>", "<script>alert(1)</script>", "<a href=\"javascript:alert(1)\">x</a>", "<b>",
    "&amp;", "&lt;", "✓", "√", "正在推进", "未完成", "1.", "2.2023 年", "18.", "【中小办】",
    "市经济和信息化局", "省科技厅", "一、稳住经济基本盘", "5G", "2.56亿元", "\x00", "\x07", "\x7f",
    "\u2028", "\ufeff", "\r", "序号", "目标任务", "{{ x }}", "**", "<img src=x onerror=alert(1)>",
]  # fmt: skip
cell = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=4).map(
    lambda parts: "".join(parts).replace("\t", " ").replace("\n", " ")
)
row = st.lists(cell, min_size=0, max_size=10)


@st.composite
def tables(draw: st.DrawFn) -> str:
    header = draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=1, max_size=9))
    if draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), "序号")
    lines = []
    if draw(st.booleans()):
        lines.append(draw(cell))
    lines.append("\t".join(header))
    if draw(st.booleans()):
        lines.append(
            "\t".join(draw(st.lists(st.sampled_from(["", "类别", "已完成", "未完成"]), max_size=9)))
        )
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append("")
        elif kind == 1:
            lines.append("\t".join(header))
        else:
            cells = draw(row)
            if kind >= 3 and cells:
                cells[0] = str(draw(st.integers(-1, 30)))
            lines.append("\t".join(cells))
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables())
def test_any_table_parses_or_gives_our_own_errors_with_lines(table: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "t.txt"
    parsed = parse_text(table, path)
    for problem in parsed.problems:
        assert problem.path == path
        if (
            problem.severity is Severity.ERROR
            and "找不到表头" not in problem.message
            and "没有任何任务" not in problem.message
        ):
            assert problem.line is not None and 1 <= problem.line <= len(
                re.split(r"\r\n|\r|\n", table)
            ), problem
    path.write_text(table, encoding="utf-8")
    reports, problems, _ = load_file(path, REGISTRY)
    for problem in problems:
        assert problem.path in (path, path.with_suffix(".yml"))
    for report in reports:
        for task in report.tasks:
            for step in task.steps:
                for value in (f.value for f in step.fields):
                    if value is not None:
                        assert (
                            "<" not in value.markdown
                            and "javascript:" not in value.markdown.lower()
                        )


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path: Path) -> None:
    sites = []
    for name in ("one", "two"):
        project = make_project(tmp_path / name)
        result = mkdocs_build(project, env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
        sites.append(project / "site")
    files = [sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) for site in sites]
    assert files[0] == files[1]
    differing = [
        str(f) for f in files[0] if (sites[0] / f).read_bytes() != (sites[1] / f).read_bytes()
    ]
    assert differing == []


# --- every format: the same hostile tables, written as offices' programs write them -------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPANS = ["", "", "", ' rowspan="2"', ' colspan="2"', ' rowspan="0"', ' colspan="x"']


def _write_xlsx(path: Path, rows: list[list[str]], draw: st.DrawFn) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        # A string starting "=" is a formula to openpyxl, saved without a value: a hostile
        # cell of its own kind. Characters a workbook cannot hold are left out by any writer.
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    if len(rows) >= 3 and draw(st.booleans()):
        top = draw(st.integers(1, len(rows) - 1))
        column = draw(st.sampled_from("AB"))
        ws.merge_cells(f"{column}{top}:{column}{top + 1}")
    wb.save(path)


def _write_docx(path: Path, rows: list[list[str]], draw: st.DrawFn) -> None:
    document = docx.Document()
    if draw(st.booleans()):
        document.add_paragraph(_NOT_XML.sub("", draw(cell)))
    width = max((len(row) for row in rows), default=1) or 1
    table = document.add_table(rows=len(rows) or 1, cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = _NOT_XML.sub("", value)
    document.save(path)


def _write_html(path: Path, rows: list[list[str]], draw: st.DrawFn) -> None:
    # Cells go in as markup, unescaped, the way a CMS template writes whatever staff typed.
    body = "".join(
        "<tr>" + "".join(f"<td{draw(st.sampled_from(SPANS))}>{c}</td>" for c in row) + "</tr>\n"
        for row in rows
    )
    title = draw(cell)
    path.write_text(
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<p>发布时间：2024-10-15</p><table>{body}</table></body></html>",
        encoding="utf-8",
    )


def _write_txt(path: Path, rows: list[list[str]], draw: st.DrawFn) -> None:
    # A text export holds no line end inside a cell: there it would start a new row.
    lines = ["\t".join(cell.replace("\r", " ") for cell in row) for row in rows]
    path.write_text("\n".join(lines), encoding=draw(st.sampled_from(["utf-8", "utf-16"])))


WRITERS = {".xlsx": _write_xlsx, ".docx": _write_docx, ".html": _write_html, ".txt": _write_txt}


OTHER_COLUMNS = ["责任单位", "进展情况", "备注", "完成时限", "目标任务", "存在问题", "完成情况"]


@st.composite
def publishable(draw: st.DrawFn) -> list[list[str]]:
    """A table with a header the reader knows and numbered tasks: most of these publish, so
    that what is published is checked, with hostile text in every cell."""
    others = draw(st.lists(st.sampled_from(OTHER_COLUMNS), min_size=1, max_size=4, unique=True))
    header = ["序号", "工作任务", *others]
    rows = [header]
    for number in range(1, draw(st.integers(1, 5)) + 1):
        task = draw(st.sampled_from(["推进", "完成", "建设"])) + draw(cell)
        rows.append([str(number), task, *(draw(cell) for _ in others)])
        for _ in range(draw(st.integers(0, 2))):  # a task's further lines
            rows.append(["", "", *(draw(cell) for _ in others)])
    return rows


@st.composite
def files(draw: st.DrawFn, suffix: str) -> tuple[bool, Callable[[Path], None]]:
    """A table written in ``suffix``'s format, and whether it is one of the well-formed ones."""
    well_formed = draw(st.booleans())
    if well_formed:
        rows = draw(publishable())
    else:
        rows = [line.split("\t") for line in draw(tables()).split("\n")]
    return well_formed, lambda path: WRITERS[suffix](path, rows, draw)


def assert_nothing_lost_or_our_own_problems(data: Path, path: Path, well_formed: bool) -> None:
    """No exception escapes the load path; every problem names the file (or its .yml); and
    where the file publishes, every cell is on its task's page, where it belongs.

    For a well-formed table that holds strictly. A table of random rows may still be read in
    a way that leaves a cell off its page (a 序号 column's cell on a task's second line, under
    a header of random names): the build's own check (verify.py, the same call) then names the
    file and line and nothing is published — which is what is asserted for those."""
    reports, problems, _ = load_file(path, REGISTRY)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path in (path, path.with_suffix(".yml")), problem
    if not reports:
        return
    result = read_data(data)
    if result.errors:
        return  # e.g. two tasks of one id: refused, with its own message, as the case above
    site = Site(result.reports, collect_units(result.reports, result.registry), result.series)
    for page in Renderer(site).pages():
        task = next((t for t in site.tasks if page.path == f"reports/x/{t.seq}.md"), None)
        if task is None:
            continue
        body = markdown.markdown(page.markdown.split("---", 2)[2], extensions=["tables"])
        columns = site.report(task.report_slug).step_columns
        lost = verify_task_page(task, f"<article>{body}</article>", path, columns)
        if well_formed:
            assert lost == [], (page.path, [str(p) for p in lost])
        for problem in lost:
            assert problem.severity is Severity.ERROR and problem.path == path, problem
            assert problem.line in {row.line for row in task.source}, problem


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_any_table_in_any_format_publishes_whole_or_gives_our_own_problems(
    suffix: str,
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    (folder / "reports").mkdir(parents=True)
    (folder / "units.yml").write_text(UNITS, encoding="utf-8")
    path = folder / "reports" / f"x{suffix}"
    well_formed, write = data.draw(files(suffix))
    write(path)
    assert_nothing_lost_or_our_own_problems(folder, path, well_formed)


@pytest.fixture(scope="session")
def printed_table(print_pdf: Callable[[Path], Path]) -> bytes:
    return print_pdf(ROOT / "tests/corpus/formats/2024-taishun-minsheng-4yue.docx").read_bytes()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(share=st.integers(0, 9_999), cut=st.booleans(), junk=st.binary(min_size=1, max_size=64))
def test_a_damaged_pdf_is_read_or_is_our_own_error(
    share: int,
    cut: bool,
    junk: bytes,
    printed_table: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A PDF cut short or with bytes overwritten (a broken download) reads, or is a ReadError
    naming the file: never a traceback."""
    content = bytearray(printed_table)
    # A share of the file, not a byte offset: LibreOffice writes a file of another length
    # each session, and hypothesis replays the examples it saved.
    start = share * len(content) // 10_000
    if cut:
        content = content[:start]
    else:
        content[start : start + len(junk)] = junk
    path = tmp_path_factory.mktemp("pdf") / "t.pdf"
    path.write_bytes(bytes(content))
    try:
        read(path)
    except ReadError as exc:
        assert exc.path == path
        assert exc.message.startswith(
            ("无法读取 PDF 文件：", "文件是空的", "PDF 中没有", "PDF 的文字读不出来")
        ), exc.message
