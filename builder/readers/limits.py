"""How large a table file may be: what every reader checks before memory grows.

The largest real tables are a few MB, a few thousand rows, under 60 columns, with cells under
about 20,000 characters. A file far beyond that is a mistake or an attack (a 296 KB .xlsx whose
one cell inflates to 300 million characters drove ``mkdocs build`` to 24 GB), and is refused
with a message naming the file, before a reader parses it. The figures are stated in the README.

A new reader calls :func:`read_file` for the file's bytes, :func:`check_zip` before handing a
zip format to its parser, :class:`Counter` while it builds rows, and :func:`check_grid` on what
it yields (``readers.read`` does that last step for every reader anyway).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .base import Grid, ReadError

MB = 1024 * 1024

MAX_FILE_BYTES = 30 * MB
"""The file itself, every format: read only if it is not larger."""
MAX_PAGE_BYTES = 8 * MB
"""A saved web page (.html): parsed, it takes about forty times its size in memory."""
MAX_UNZIPPED_BYTES = 100 * MB
"""All parts of an .xlsx/.docx together, decompressed (pictures included)."""
MAX_PART_BYTES = 50 * MB
"""One part of an .xlsx/.docx (a worksheet, the shared strings, the document), decompressed."""
MAX_ZIP_PARTS = 5000
"""Parts of an .xlsx/.docx: a real one has tens, with pictures hundreds."""
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
MAX_GRID_CELLS = 1_000_000
"""Rows × columns of one table's grid, empty positions included."""

_CHUNK = 1 * MB


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} 字节"


def read_file(path: Path) -> bytes:
    """The file's bytes, refused before reading when the file is larger than any real table."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(
                f"文件有 {_mb(size)}，超过本站的上限 {_mb(MAX_FILE_BYTES)}"
                "（真实的任务表最多几 MB）：请检查是否存错了文件，或把表格拆成几个文件",
                path,
            )
        with path.open("rb") as file:
            # Read one byte past the limit: a file that grew since stat() is refused too.
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror}", path) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"文件超过本站的上限 {_mb(MAX_FILE_BYTES)}", path)
    return data


def check_zip(path: Path, data: bytes) -> None:
    """Refuse an .xlsx/.docx whose parts decompress to more than any real table.

    The sizes the zip declares are checked first; then every part is decompressed through a
    bounded stream, counting what comes out and stopping at the limit, so that the refusal
    does not depend on the headers telling the truth. (A part whose header understates its
    size cannot inflate past it in Python's zipfile either: reading stops at the stated size
    and the CRC check fails, and the reader's parser reports the file as damaged.) Memory
    stays at one chunk. Data that is not a zip at all is left to the reader, which says what
    the file is instead.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_ZIP_PARTS:
            raise ReadError(
                f"文件中有 {len(parts):,} 个部件，超过本站的上限 {MAX_ZIP_PARTS:,} 个"
                "（真实的 Office 文件只有几十个）：文件已损坏或不是正常的 Office 文件",
                path,
            )
        declared = 0
        for part in parts:
            declared += part.file_size
            _check_part_size(path, part.filename, part.file_size)
        _check_total(path, declared)
        total = 0
        for part in parts:
            seen = 0
            try:
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        seen += len(chunk)
                        _check_part_size(path, part.filename, seen)
                        _check_total(path, total + seen)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
                # A damaged part (bad CRC, unknown compression): the reader's parser fails on it
                # and says the file is damaged, in the words every broken Office file gets.
                pass
            total += seen


def part_chunks(data: bytes, names: re.Pattern[str]) -> Iterator[tuple[str, bytes]]:
    """The decompressed content of the zip's parts whose names match, as (name, chunk), in
    chunks of about 1 MB that never cut a tag: a reader counts rows or cells in a part before
    its parser builds them. Call after :func:`check_zip`. Nothing for data that is not a zip or
    a damaged part: the reader's parser says what is wrong with those."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return
    with archive:
        for part in archive.infolist():
            if not names.match(part.filename):
                continue
            carry = b""
            try:
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        cut = chunk.rfind(b"<")
                        if cut < 0:
                            carry += chunk
                            continue
                        yield part.filename, carry + chunk[:cut]
                        carry = chunk[cut:]
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
                continue
            yield part.filename, carry


def _check_part_size(path: Path, name: str, size: int) -> None:
    if size > MAX_PART_BYTES:
        raise ReadError(
            f"文件中的 {name} 解压后超过 {_mb(MAX_PART_BYTES)}（本站的上限；真实的任务表解压后"
            "只有几 MB）：文件异常（可能是“压缩炸弹”），不读取",
            path,
        )


def _check_total(path: Path, size: int) -> None:
    if size > MAX_UNZIPPED_BYTES:
        raise ReadError(
            f"文件解压后超过 {_mb(MAX_UNZIPPED_BYTES)}（本站的上限；真实的任务表解压后只有几 MB）"
            "：文件异常（可能是“压缩炸弹”），不读取",
            path,
        )


def cell_too_long(path: Path, length: int, where: str, line: int | None = None) -> ReadError:
    """The refusal of one cell longer than any real cell; ``where`` names it (工作表“Sheet1”C7)."""
    return ReadError(
        f"{where}有 {length:,} 个字，超过本站的上限 {MAX_CELL_CHARS:,} 字"
        "（真实表格的单元格最多两万字左右）：请检查这个单元格，文件可能已损坏",
        path,
        line,
    )


class Counter:
    """Rows and columns of one table as a reader builds it, refused as soon as one limit is
    passed — before the rest of the table is built."""

    def __init__(self, path: Path, name: str = "表格"):
        self.path = path
        self.name = name
        """How the message names the table: 表格, 工作表“Sheet1”, 网页中的表格."""
        self.rows = 0
        self.width = 0

    def row(self, line: int | None = None) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise ReadError(
                f"{self.name}超过 {MAX_ROWS:,} 行（本站的上限；真实的任务表最多几千行）"
                f"：第 {MAX_ROWS + 1:,} 行起不读取，请检查是否有大量空行或把表格拆成几个文件",
                self.path,
                line,
            )
        self._cells(line)

    def columns(self, count: int, line: int | None = None, where: str | None = None) -> None:
        if count > MAX_COLUMNS:
            raise ReadError(
                f"{where or self.name}有 {count:,} 列，超过本站的上限 {MAX_COLUMNS} 列"
                "（真实的任务表不超过 60 列）：请检查是否有大量空列，文件可能已损坏",
                self.path,
                line,
            )
        if count > self.width:
            self.width = count
            self._cells(line)

    def _cells(self, line: int | None) -> None:
        if self.rows * self.width > MAX_GRID_CELLS:
            raise ReadError(
                f"{self.name}有 {self.rows:,} 行 × {self.width} 列，超过本站的上限"
                f" {MAX_GRID_CELLS:,} 个单元格：请检查是否有大量空行或空列，或把表格拆成几个文件",
                self.path,
                line,
            )

    def positions(self, count: int, line: int | None = None) -> None:
        """Refuse merged cells laid out over more positions than any real table has."""
        if count > MAX_GRID_CELLS:
            raise ReadError(
                f"{self.name}的合并单元格展开后超过 {MAX_GRID_CELLS:,} 个单元格（本站的上限）"
                "：请检查 rowspan/colspan，文件可能已损坏",
                self.path,
                line,
            )

    def cell(self, text: str, where: str, line: int | None = None) -> None:
        if len(text) > MAX_CELL_CHARS:
            raise cell_too_long(self.path, len(text), where, line)


def check_grid(grid: Grid) -> Grid:
    """The same limits on a finished grid: every reader's output passes here, so a reader that
    forgot a limit (or a new one) still cannot hand a giant table to the rest of the build."""
    name = f"工作表“{grid.name}”" if grid.name else "表格"
    counter = Counter(grid.path, name)
    for row in grid.rows:
        counter.row(None if row.where else row.line)
        counter.columns(len(row.cells), None if row.where else row.line)
        # Where a row has a name (工作表“Sheet1”第 7 行), the message says it; a line number
        # would read as x.xlsx:7, which staff cannot find.
        line = None if row.where else row.line
        for column, cell in enumerate(row.cells, 1):
            counter.cell(cell.text, f"{row.where or f'第 {row.line} 行'}第 {column} 列", line)
    return grid
