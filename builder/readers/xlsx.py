"""Excel workbooks (``.xlsx``, also what WPS 表格 saves as .xlsx): one grid per sheet."""

from __future__ import annotations

import datetime
import io
import re
import warnings
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import text
from .base import Cell, Grid, ReadError
from .cells import RawRow, office_problem, text_cell, tidy

_DECIMALS_RE = re.compile(r"\.([0#?]+)")
# Quoted literals and [Red]/[$-804] sections of a number format are not placeholders.
_FORMAT_LITERAL_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def read(path: Path) -> list[Grid]:
    workbook = _load(path)
    grids = []
    hidden = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            hidden.append(sheet.title)
            continue
        grid = _read_sheet(path, sheet)
        if grid.rows:
            grids.append(grid)
    notes = tuple(
        f"工作表“{title}”是隐藏的，未读取（如需发布，请在 Excel 中取消隐藏）" for title in hidden
    )
    if not grids:
        raise ReadError("Excel 文件中没有数据" + "".join(f"；{note}" for note in notes), path)
    first = grids[0]
    # Said once, on the first table: the notes are about the workbook, not one sheet.
    grids[0] = Grid(
        path=first.path,
        rows=first.rows,
        name=first.name,
        lines_read=first.lines_read,
        notes=notes + first.notes,
    )
    return grids


def _load(path: Path) -> openpyxl.Workbook:
    data = text.read_bytes(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (data validation extensions, conditional
            # formats, a missing default style): none of them changes a cell's value, and
            # staff could do nothing about them.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            # Not read_only: merged ranges are only known to a fully loaded sheet.
            # data_only: a formula shows the value Excel last computed, as a person sees it.
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl fails on a broken file in many ways (zip, XML, KeyError…)
        detail = office_problem(data, exc, old=".xls", new=".xlsx", noun="工作簿", program="Excel")
        raise ReadError(
            f"无法读取 Excel 文件：{detail}（如是 .xls 或 WPS 表格，请另存为 .xlsx）", path
        ) from None


def _read_sheet(path: Path, sheet: Worksheet) -> Grid:
    title = sheet.title
    values = [
        [_render(cell) for cell in row]
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column)
    ]
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for span in sheet.merged_cells.ranges:
        top_left = (span.min_row - 1, span.min_col - 1)
        for r in range(span.min_row - 1, span.max_row):
            for c in range(span.min_col - 1, span.max_col):
                if (r, c) != top_left:
                    merged[(r, c)] = top_left
    raw = [
        RawRow(
            index + 1,
            f"工作表“{title}”第 {index + 1} 行",
            [
                Cell("", merged_from=merged[(index, c)]) if (index, c) in merged else Cell(value)
                for c, value in enumerate(row)
            ],
        )
        for index, row in enumerate(values)
    ]
    return Grid(
        path=path,
        rows=tidy(raw),
        name=title,
        lines_read=sheet.max_row,
        notes=_hidden_notes(sheet, values),
    )


def _hidden_notes(sheet: Worksheet, values: list[list[str]]) -> tuple[str, ...]:
    # Offices hide finished tasks' rows rather than delete them; those are read like any
    # other row, and staff should know that hiding does not keep them off the site.
    rows = [
        index + 1
        for index, row in enumerate(values)
        if any(row) and sheet.row_dimensions[index + 1].hidden
    ]
    hidden_columns: set[int] = set()
    for dimension in sheet.column_dimensions.values():
        if dimension.hidden and dimension.min is not None and dimension.max is not None:
            hidden_columns.update(range(dimension.min, dimension.max + 1))
    columns = [
        c for c in sorted(hidden_columns) if any(c <= len(row) and row[c - 1] for row in values)
    ]
    notes = []
    if rows:
        shown = "、".join(str(r) for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        notes.append(f"工作表“{sheet.title}”第 {shown} 行是隐藏的，仍已读取")
    if columns:
        shown = "、".join(get_column_letter(c) for c in columns)
        notes.append(f"工作表“{sheet.title}”的 {shown} 列是隐藏的，仍已读取")
    return tuple(notes)


def _render(cell: SheetCell | MergedCell) -> str:
    """The cell's value as a person sees it in Excel, as far as a table's reader cares."""
    value = cell.value
    if value is None or isinstance(cell, MergedCell):
        return ""
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return _percent(value, cell.number_format)
        return _number(value)
    if isinstance(value, datetime.date) and (
        shown := _date_as_formatted(value, cell.number_format)
    ):
        return shown
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M" if not value.second else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M" if not value.second else "%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return text_cell(str(value))


def _date_as_formatted(value: datetime.date, number_format: str | None) -> str | None:
    """A date shown without its day where the cell's format has none: 完成时限 2024年6月
    (yyyy"年"m"月") is a month, not the 1st of it."""
    fmt = _FORMAT_LITERAL_RE.sub("", (number_format or "").split(";")[0]).lower()
    if not fmt or "d" in fmt or "y" not in fmt:
        return None
    if "m" not in fmt:
        return f"{value.year}年" if "年" in (number_format or "") else str(value.year)
    if "年" in (number_format or ""):
        return f"{value.year}年{value.month}月"
    return f"{value.year}-{value.month:02d}"


def _percent(value: float, number_format: str) -> str:
    section = _FORMAT_LITERAL_RE.sub("", number_format.split(";")[0])
    match = _DECIMALS_RE.search(section.split("%")[0])
    decimals = len(match.group(1)) if match else 0
    # Decimal of the shortest repr rounds 0.855 to 85.5 and 0.8555 to 85.56, as Excel
    # shows them; float arithmetic would give 85.49999….
    scaled = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{scaled}%"


def _number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    # 15 significant digits, as Excel's General format: 0.1+0.2 shows as 0.3.
    general = format(value, ".15g")
    if 1e-9 <= abs(value) < 1e16:
        fixed = format(Decimal(general), "f")
        return fixed.rstrip("0").rstrip(".") if "." in fixed else fixed
    return general
