"""Write one corpus table in the five formats offices hold it in, with its merges made real.

Run from the repository root: ``.venv/bin/python tests/corpus/formats/make_formats.py``.
The text export (the corpus file) has the 牵头单位 cells of rows 2-3 and 6 blank, as text
exports lose merges; the other formats merge them as the published page did. The Word table
and the sheet are ruled and the sheet wraps its text and fits one page wide, as offices lay a
table out to print it: the PDF test prints both with LibreOffice.
"""

from __future__ import annotations

import csv
import html
import io
import shutil
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).parent
SOURCE = HERE.parent / "2024-taishun-minsheng-4yue.txt"
STEM = "2024-taishun-minsheng-4yue"
UNIT_COLUMN = 3
# (first data row, last data row) of each merged 牵头单位 cell, counting data rows from 0.
MERGES = [(0, 2), (3, 3), (4, 5)]


def rows() -> tuple[str, list[str], list[list[str]]]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1].split("\t"), [line.split("\t") for line in lines[2:] if line]


def main() -> None:
    title, header, data = rows()
    shutil.copy(SOURCE, HERE / f"{STEM}.txt")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow(header)
    writer.writerows(data)
    (HERE / f"{STEM}.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "4月"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in data:
        sheet.append(row)
    for first, last in MERGES:
        if last > first:
            sheet.merge_cells(
                start_row=first + 3, start_column=UNIT_COLUMN + 1,
                end_row=last + 3, end_column=UNIT_COLUMN + 1,
            )  # fmt: skip
    thin = Side(style="thin")
    for row_cells in sheet.iter_rows(min_row=2, max_row=len(data) + 2, max_col=len(header)):
        for cell in row_cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = (6, 30, 26, 14, 30)
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    # Excel saves the height it fitted each row to; openpyxl writes none, and LibreOffice
    # would print one line of each wrapped cell. A Chinese character is two width units.
    for r, row in enumerate(data, 3):
        lines = max(
            -(-len(text) * 2 // (width - 2)) for text, width in zip(row, widths, strict=True)
        )
        sheet.row_dimensions[r].height = 15 * max(1, lines)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(HERE / f"{STEM}.xlsx")

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(data) + 1, cols=len(header))
    table.style = "Table Grid"
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(data, 1):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for first, last in MERGES:
        if last > first:
            table.cell(first + 1, UNIT_COLUMN).merge(table.cell(last + 1, UNIT_COLUMN))
    document.save(HERE / f"{STEM}.docx")

    out = [
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}_泰顺县人民政府</title></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<table>",
        "<tr>" + "".join(f"<td>{html.escape(t)}</td>" for t in header) + "</tr>",
    ]
    spans = {first: last - first + 1 for first, last in MERGES}
    for r, row in enumerate(data):
        cells = []
        for c, text in enumerate(row):
            if c == UNIT_COLUMN:
                if r not in spans:
                    continue  # covered by the merged cell above
                span = f' rowspan="{spans[r]}"' if spans[r] > 1 else ""
                cells.append(f"<td{span}>{html.escape(text)}</td>")
            else:
                cells.append(f"<td>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></body></html>")
    (HERE / f"{STEM}.html").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
