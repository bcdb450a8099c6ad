"""Files far beyond any real table, in every format: refused by name before memory grows.

Each case is a real file of the kind the limits are for (a zip bomb, a huge cell, too many rows
or columns, a huge page); ``check`` runs in a child process whose peak RSS is read back, so the
refusal is shown to come before the file is parsed, not after the machine ran out of memory.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import ROOT

from builder.readers import ReadError, limits, read

PEAK_RSS_LIMIT_MB = 500
"""Generous: a check of the shipped data takes well under 100 MB."""

HEADER = ["序号", "工作任务", "责任单位", "进展情况"]
ROW = ["1", "推进老旧小区改造", "市住建局", "正在推进"]


def peak_rss_mb(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``python -m builder`` with ``args`` and measure its peak RSS. A fresh parent process
    runs it, so that the peak is this child's alone, not that of an earlier build of this
    test session (RUSAGE_CHILDREN keeps the largest child ever waited for)."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'builder', *sys.argv[1:]], "
        "capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    *out, peak = done.stdout.rstrip("\n").split("\n")
    result = subprocess.CompletedProcess(done.args, done.returncode, "\n".join(out), done.stderr)
    return result, int(peak) / 1024  # ru_maxrss is in KiB on Linux


# --- files ---------------------------------------------------------------------------


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def document(rows: list[list[str]]) -> bytes:
    doc = docx.Document()
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def inflate(zipped: bytes, part: str, marker: bytes, size: int) -> bytes:
    """The zip with ``marker`` in ``part`` replaced by ``size`` bytes of one letter, streamed:
    300 MB of "a" deflate to about 300 KB, as in the 296 KB workbook that took 24 GB."""
    source = zipfile.ZipFile(io.BytesIO(zipped))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != part:
                target.writestr(info.filename, data)
                continue
            head, tail = data.split(marker)
            with target.open(info.filename, "w") as stream:
                stream.write(head)
                chunk = b"a" * limits.MB
                for _ in range(size // limits.MB):
                    stream.write(chunk)
                stream.write(b"a" * (size % limits.MB))
                stream.write(tail)
    return out.getvalue()


def understate(zipped: bytes, part: str, size: int) -> bytes:
    """The zip with the uncompressed size of ``part`` rewritten as ``size`` in both its local
    and its central header: a header that lies about what the part inflates to."""
    data = bytearray(zipped)
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, at + offset, size)
            start = at + 4
    return bytes(data)


def tsv(rows: list[list[str]]) -> bytes:
    return "".join("\t".join(row) + "\n" for row in rows).encode()


def csv(rows: list[list[str]]) -> bytes:
    return "".join(",".join(row) + "\n" for row in rows).encode()


def page(rows: list[list[str]], padding: int = 0) -> bytes:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<html><body><table>{body}</table>{' ' * padding}</body></html>".encode()


BIG_CELL = "很" * (limits.MAX_CELL_CHARS + 1)
MANY_ROWS = [HEADER, *([str(i), f"任务{i}", "市住建局", "正在推进"] for i in range(25_000))]
WIDE = [HEADER + [f"列{i}" for i in range(300)], ROW + ["x"] * 300]


def zip_bomb_xlsx() -> bytes:
    return inflate(
        workbook([HEADER, ["1", "BOMB", "市住建局", "正在推进"]]),
        "xl/worksheets/sheet1.xml",
        b"BOMB",
        300 * limits.MB,
    )


def zip_bomb_docx() -> bytes:
    return inflate(
        document([HEADER, ["1", "BOMB", "市住建局", "正在推进"]]),
        "word/document.xml",
        b"BOMB",
        300 * limits.MB,
    )


def lying_xlsx() -> bytes:
    return understate(zip_bomb_xlsx(), "xl/worksheets/sheet1.xml", 4096)


# name → (file contents, what the refusal says)
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "bomb.xlsx": (zip_bomb_xlsx, "文件中的 xl/worksheets/sheet1.xml 解压后超过 50 MB"),
    "bomb.docx": (zip_bomb_docx, "文件中的 word/document.xml 解压后超过 50 MB"),
    "lying.xlsx": (lying_xlsx, "文件已损坏"),
    # openpyxl, like Excel, cuts a cell at 32,767 characters: the long cell is written in.
    "cell.xlsx": (
        lambda: inflate(
            workbook([HEADER, ["1", "LONG", "市住建局", "正在推进"]]),
            "xl/worksheets/sheet1.xml",
            b"LONG",
            150_000,
        ),
        "工作表“Sheet”的 B2 单元格有 150,000 个字，超过本站的上限 100,000 字",
    ),
    "cell.docx": (
        lambda: document([HEADER, ["1", BIG_CELL, "市住建局", "正在推进"]]),
        "表 1 第 2 行第 2 列的单元格有 100,001 个字",
    ),
    "cell.txt": (
        lambda: tsv([HEADER, ["1", BIG_CELL]]),
        "2: 错误：这一行第 2 列的单元格有 100,001 个字",
    ),
    "cell.csv": (
        lambda: csv([HEADER, ["1", BIG_CELL]]),
        "2: 错误：这一行第 2 列的单元格有 100,001 个字",
    ),
    "cell.html": (
        lambda: page([HEADER, ROW, ["2", BIG_CELL, "x"]]),
        "这一行第 2 列的单元格有 100,001 个字",
    ),
    "rows.xlsx": (lambda: workbook(MANY_ROWS), "工作表“Sheet”超过 20,000 行"),
    "rows.docx": (lambda: many_rows_docx(), "文件中的表格共有 25,001 行，超过本站的上限 20,000 行"),
    "rows.txt": (lambda: tsv(MANY_ROWS), "20001: 错误：文件超过 20,000 行"),
    "rows.csv": (lambda: csv(MANY_ROWS), "20001: 错误：文件超过 20,000 行"),
    "rows.html": (
        lambda: page(MANY_ROWS),
        "网页中有 25,001 个表格行（<tr>），超过本站的上限 20,000 行",
    ),
    "columns.xlsx": (
        lambda: workbook(WIDE),
        "工作表“Sheet”（数据到 KR 列）有 304 列，超过本站的上限 200 列",
    ),
    "columns.docx": (lambda: document(WIDE), "表 1 第 1 行有 201 列，超过本站的上限 200 列"),
    "columns.txt": (lambda: tsv(WIDE), "1: 错误：这一行有 304 列，超过本站的上限 200 列"),
    "columns.csv": (lambda: csv(WIDE), "1: 错误：这一行有 304 列，超过本站的上限 200 列"),
    "columns.html": (lambda: page(WIDE), "这一行有 201 列，超过本站的上限 200 列"),
    "huge.html": (
        lambda: page([HEADER, ROW, ROW], padding=limits.MAX_PAGE_BYTES),
        "网页文件有 8 MB，超过本站的上限 8 MB",
    ),
    "huge.txt": (
        lambda: tsv([HEADER, ROW]) + b" " * limits.MAX_FILE_BYTES,
        "文件有 30 MB，超过本站的上限 30 MB",
    ),
}


def many_rows_docx() -> bytes:
    """A table of 25,000 rows, its XML written directly: python-docx adds rows one by one."""
    zipped = document([HEADER, ROW])
    source = zipfile.ZipFile(io.BytesIO(zipped))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                start = data.rindex(b"<w:tr>")
                end = data.index(b"</w:tr>", start) + len(b"</w:tr>")
                data = data[:start] + data[start:end] * 25_000 + data[end:]
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("limits") / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text("units: []\n", encoding="utf-8")
    for name, (make, _) in CASES.items():
        (data / "reports" / file_name(name)).write_bytes(make())
    return data


def file_name(case: str) -> str:
    """bomb.xlsx → bomb-xlsx.xlsx: one stem per file, as a data folder needs."""
    stem, suffix = case.split(".")
    return f"{stem}-{suffix}.{suffix}"


def test_the_zip_bombs_are_small_files(hostile_data: Path) -> None:
    # What the issue found: a workbook of a few hundred KB whose one cell is 300 MB of text.
    for name in ("bomb.xlsx", "bomb.docx", "lying.xlsx"):
        assert (hostile_data / "reports" / file_name(name)).stat().st_size < 400_000


def test_every_oversized_file_is_refused_by_name_within_bounded_memory(
    hostile_data: Path,
) -> None:
    result, peak = peak_rss_mb("check", str(hostile_data))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    for name, (_, refusal) in CASES.items():
        path = hostile_data / "reports" / file_name(name)
        lines = [line for line in result.stdout.splitlines() if line.startswith(f"{path}")]
        errors = [line for line in lines if "错误：" in line]
        assert len(errors) == 1, (name, lines)
        assert refusal in errors[0], (name, errors[0])
    assert peak < PEAK_RSS_LIMIT_MB, f"check took {peak:.0f} MB"


def test_the_bomb_stops_mkdocs_build_before_memory_grows(
    tmp_path: Path, hostile_data: Path
) -> None:
    from conftest import make_project

    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text("units: []\n", encoding="utf-8")
    (data / "reports/bomb.xlsx").write_bytes((hostile_data / "reports/bomb-xlsx.xlsx").read_bytes())
    project = make_project(tmp_path, data)
    probe = (
        "import os, resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'mkdocs', 'build'], capture_output=True,"
        " text=True, env={**os.environ, 'NO_MKDOCS_2_WARNING': '1'})\n"
        "sys.stderr.write(done.stdout + done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "data/reports/bomb.xlsx: 错误：文件中的 xl/worksheets/sheet1.xml 解压后超过" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not (project / "site").exists()
    assert int(done.stdout.split()[-1]) / 1024 < PEAK_RSS_LIMIT_MB


def test_tables_under_the_limits_still_read(tmp_path: Path) -> None:
    # Just under every limit at once, in the format that reaches them most easily.
    rows = [HEADER + [f"列{i}" for i in range(limits.MAX_COLUMNS - len(HEADER))]]
    rows += [[str(i), "任务", "市住建局", "推进"] for i in range(1, 200)]
    rows.append(["200", "长" * limits.MAX_CELL_CHARS])
    path = tmp_path / "t.txt"
    path.write_bytes(tsv(rows))
    grid = read(path)[0]
    assert len(grid.rows) == 201
    assert len(grid.rows[0].cells) == limits.MAX_COLUMNS


def test_the_limits_are_one_call_for_a_new_reader(tmp_path: Path) -> None:
    # What a new reader (a PDF one) calls: the file's bytes, or a ReadError naming it.
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF" + b" " * limits.MAX_FILE_BYTES)
    with pytest.raises(ReadError) as caught:
        limits.read_file(path)
    assert caught.value.path == path
    assert "超过本站的上限 30 MB" in caught.value.message
    small = tmp_path / "y.pdf"
    small.write_bytes(b"%PDF-1.7")
    assert limits.read_file(small) == b"%PDF-1.7"
