"""Excel workbooks (``.xlsx``, also what WPS 表格 saves as .xlsx): one grid per sheet."""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import limits, text
from .base import Cell, Grid, ReadError
from .cells import RawRow, office_problem, text_cell, tidy

_DECIMALS_RE = re.compile(r"\.([0#?]+)")
# Quoted literals and [Red]/[$-804] sections of a number format are not placeholders.
_FORMAT_LITERAL_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
# In a worksheet part: a cell (<c …>, possibly with a namespace prefix) and a formula (<f>).
_CELL_TAG_RE = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA_TAG_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_WORKSHEET_PART_RE = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.I)
_SHOWN_FORMULAS = 20
"""Formula cells without a saved value named one by one; the rest are counted."""


def read(path: Path) -> list[Grid]:
    data = text.read_bytes(path)
    limits.check_zip(path, data)
    has_formulas = _scan(path, data)
    workbook = _load(path, data)
    uncomputed = _uncomputed(data, workbook) if has_formulas else {}
    grids = []
    hidden = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            hidden.append(sheet.title)
            continue
        grid = _read_sheet(path, sheet, uncomputed.get(sheet.title, ()))
        if grid.rows:
            grids.append(grid)
    notes = tuple(
        f"工作表“{title}”是隐藏的，未读取（如需发布，请在 Excel 中取消隐藏）" for title in hidden
    )
    if not grids:
        formulas = sum(len(cells) for cells in uncomputed.values())
        if formulas:
            notes += (
                f"有 {formulas} 个公式单元格没有保存计算结果（请用 Excel 或 WPS 表格打开、保存后再放进来）",
            )
        raise ReadError("Excel 文件中没有数据" + "".join(f"；{note}" for note in notes), path)
    first = grids[0]
    # Said once, on the first table: the notes are about the workbook, not one sheet.
    grids[0] = Grid(
        path=first.path,
        rows=first.rows,
        name=first.name,
        lines_read=first.lines_read,
        notes=notes + first.notes,
        cell_notes=first.cell_notes,
    )
    return grids


def _scan(path: Path, data: bytes) -> bool:
    """Whether a worksheet holds formulas; refuses a sheet of more cells than any real table
    before openpyxl makes an object of each (empty cells that only carry a format count too)."""
    formulas = False
    cells: dict[str, int] = {}
    for name, chunk in limits.part_chunks(data, _WORKSHEET_PART_RE):
        cells[name] = cells.get(name, 0) + len(_CELL_TAG_RE.findall(chunk))
        formulas = formulas or _FORMULA_TAG_RE.search(chunk) is not None
        if cells[name] > limits.MAX_GRID_CELLS:
            raise ReadError(
                f"工作表（{name}）有超过 {limits.MAX_GRID_CELLS:,} 个单元格"
                "（含设了格式的空单元格），超过本站的上限：请删去表格以外的空行空列"
                "（选中后“清除格式”），或把表格拆成几个文件",
                path,
            )
    return formulas


def _uncomputed(data: bytes, workbook: openpyxl.Workbook) -> dict[str, list[tuple[str, str]]]:
    """Per sheet, the formula cells whose file holds no computed value: (cell, formula).

    A program that does not compute formulas (openpyxl itself, some exporters) saves a formula
    with an empty value; read for values, such a cell is empty like a blank one. A second,
    streaming read for formulas tells them apart; it runs only where a sheet holds formulas.
    A formula that computed an empty text is saved as a text value (t="str") and is not one.
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # the workbook opened for values; a failure here only loses the warning
        return {}
    found: dict[str, list[tuple[str, str]]] = {}
    try:
        for sheet in formulas.worksheets:
            if sheet.title not in workbook.sheetnames:
                continue
            values = workbook[sheet.title]._cells
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    shown = values.get((cell.row, cell.column))
                    if shown is None or (shown.value is None and shown.data_type == "n"):
                        found.setdefault(sheet.title, []).append((cell.coordinate, str(cell.value)))
    finally:
        formulas.close()
    return found


def _load(path: Path, data: bytes) -> openpyxl.Workbook:
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


def _extent(path: Path, sheet: Worksheet) -> tuple[int, int]:
    """The last row and column holding a value, refused past the limits; a cell longer than any
    real cell is refused here, before it is rendered and passed on."""
    last_row = last_column = 0
    for (r, c), cell in sheet._cells.items():
        value = cell.value
        if value is None:
            continue
        if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
            where = f"工作表“{sheet.title}”的 {cell.coordinate} 单元格"
            raise limits.cell_too_long(path, len(value), where)
        last_row = max(last_row, r)
        last_column = max(last_column, c)
    name = f"工作表“{sheet.title}”"
    counter = limits.Counter(path, name)
    counter.rows = max(last_row - 1, 0)
    counter.row()
    if last_column:
        counter.columns(last_column, where=f"{name}（数据到 {get_column_letter(last_column)} 列）")
    return last_row, last_column


def _read_sheet(path: Path, sheet: Worksheet, uncomputed: Sequence[tuple[str, str]]) -> Grid:
    title = sheet.title
    # Up to the last cell with a value, not sheet.max_row: one formatted cell at row 1,048,576
    # would otherwise make a million empty rows.
    last_row, last_column = _extent(path, sheet)
    values = (
        [
            [_render(cell) for cell in row]
            for row in sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column)
        ]
        if last_row and last_column
        else []
    )
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
    notes = [
        (
            f"{title}!{coordinate}",
            f"单元格是公式“{formula}”，但文件中没有保存计算结果（保存它的程序不计算公式），"
            "网站上这一格会是空的：请用 Excel 或 WPS 表格打开这个文件、保存后再放进来",
        )
        for coordinate, formula in uncomputed[:_SHOWN_FORMULAS]
    ]
    if len(uncomputed) > _SHOWN_FORMULAS:
        notes.append(
            (
                f"{title}!{uncomputed[_SHOWN_FORMULAS][0]}",
                f"另有 {len(uncomputed) - _SHOWN_FORMULAS} 个公式单元格也没有保存计算结果",
            )
        )
    return Grid(
        path=path,
        rows=tidy(raw),
        name=title,
        lines_read=sheet.max_row,
        notes=_hidden_notes(sheet, values),
        cell_notes=tuple(notes),
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
        return _fixed(value, cell.number_format) or _number(value)
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


_FIXED_RE = re.compile(r"^[#,]*0(?:\.(0+))?$")
"""A number format with a fixed count of decimals (0.0, #,##0.00): 19 is shown as 19.0."""


def _fixed(value: float, number_format: str | None) -> str | None:
    """The number with the decimals its format shows, as Excel shows it. The thousands
    separator of #,##0 is left out: the figures are read as plain numbers later."""
    section = _FORMAT_LITERAL_RE.sub("", (number_format or "").split(";")[0]).strip()
    match = _FIXED_RE.match(section)
    if match is None or value != value or value in (float("inf"), float("-inf")):
        return None
    decimals = len(match.group(1) or "")
    shown = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{shown:f}"


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
