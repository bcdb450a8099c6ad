"""One reader per file format, chosen by extension; each yields :class:`Grid` objects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import delimited, docx, limits, pdf, text, web, xlsx
from .base import Cell, Grid, GridRow, ReadError

Reader = Callable[[Path], list[Grid]]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".tsv": text.read,
    ".csv": delimited.read,
    ".xlsx": xlsx.read,
    ".docx": docx.read,
    ".html": web.read,
    ".htm": web.read,
    ".pdf": pdf.read,
}

# What offices also hold, and the command that turns it into a file we read.
CONVERT: dict[str, str] = {
    ".doc": "soffice --headless --convert-to docx",
    ".wps": "soffice --headless --convert-to docx",
    ".xls": "soffice --headless --convert-to xlsx",
    ".et": "soffice --headless --convert-to xlsx",
}


def read(path: Path) -> list[Grid]:
    """The tables of one file. Raises ReadError for a file no reader takes."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(unsupported_message(path), path)
    # Each reader checks the limits as it builds its rows; this holds them for any reader.
    return [limits.check_grid(grid) for grid in reader(path)]


def unsupported_message(path: Path) -> str:
    suffix = path.suffix.lower()
    accepted = "、".join(sorted(READERS))
    if suffix in CONVERT:
        return (
            f"不能读取 {suffix} 文件：请先转换，例如 `{CONVERT[suffix]} {path.name}`，"
            f"再把转换后的文件放在这里（本站读取 {accepted}）"
        )
    return f"不认识的文件类型“{suffix or path.name}”：本站读取 {accepted}"


__all__ = ["CONVERT", "READERS", "Cell", "Grid", "GridRow", "ReadError", "read"]
