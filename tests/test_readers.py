"""The file readers on real small files: the exact grid each format yields."""

from __future__ import annotations

import datetime
import html
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from grids import merges, only, texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.readers import READERS, Cell, ReadError, read
from builder.readers.cells import join_paragraphs


def test_registered_extensions() -> None:
    assert {".txt", ".tsv", ".csv", ".xlsx", ".docx", ".html", ".htm", ".pdf"} <= set(READERS)


def test_paragraphs_are_escaped_only_when_several() -> None:
    assert join_paragraphs(["  <b>a</b> "]) == "<b>a</b>"
    assert join_paragraphs(["a<b", "", " c&d "]) == "<p>a&lt;b</p><p>c&amp;d</p>"
    assert join_paragraphs(["", " "]) == ""


# --- CSV -------------------------------------------------------------------------------


def test_csv_gbk_with_quoted_commas_and_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    content = (
        "2024年重点任务进展\r\n"
        "序号,任务,进展\r\n"
        '1,"推进A, B建设","已完成\r\n正在验收<审计>"\r\n'
        "\r\n"
        '2,"<p>已排版</p>",进行中\r\n'
    )
    path.write_bytes(content.encode("gbk"))
    grid = only(read(path))
    assert texts(grid) == [
        ["2024年重点任务进展"],
        ["序号", "任务", "进展"],
        ["1", "推进A, B建设", "<p>已完成</p><p>正在验收&lt;审计&gt;</p>"],
        ["2", "<p>已排版</p>", "进行中"],
    ]
    # A record is found at the line it starts on, not where its quoted cell ends.
    assert [row.line for row in grid.rows] == [1, 2, 3, 6]
    assert all(row.where is None for row in grid.rows)
    assert merges(grid) == {}
    assert grid.lines_read == 6
    assert grid.name is None and grid.notes == ()


def test_csv_tab_separated_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeff序号\t任务\t进展\n1\t甲，乙,丙\t完成\n".encode())
    assert texts(only(read(path))) == [["序号", "任务", "进展"], ["1", "甲，乙,丙", "完成"]]


def test_csv_tab_in_a_late_cell_keeps_commas(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = ["序号,任务,进展", *(f"{i},任务{i},完成" for i in range(1, 7)), '7,"a\tb",完成']
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    grid = only(read(path))
    # A tab inside a cell is blank space, like any control character.
    assert texts(grid)[-1] == ["7", "a b", "完成"]
    assert all(len(row.cells) == 3 for row in grid.rows)


def test_csv_unclosed_quote_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    lines = ["序号,任务,进展", '1,"没有结尾引号,完成', *(f"{i},任务,完成" for i in range(2, 40))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    grid = only(read(path))
    assert [row.line for row in grid.rows] == [1, 2]
    assert len(grid.notes) == 1 and "第 2 行起" in grid.notes[0] and "引号" in grid.notes[0]


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"  \n")
    with pytest.raises(ReadError, match="文件是空的"):
        read(path)


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_values_merges_and_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "进展表"
    ws["A1"] = "2024年重点任务进展"
    ws.merge_cells("A1:F1")
    ws.append(["序号", "任务", "完成率", "完成率2", "日期", "其他"])
    ws.append([1, "推进\n建设 ", 0.855, 0.855, datetime.date(2024, 10, 15), True])
    ws.append([2.0, None, 1, 0.1 + 0.2, datetime.datetime(2024, 10, 15, 8, 30), False])
    ws.append([])  # an empty row: left out, the rows after it keep their sheet numbers
    ws.append([3, "任务三", 0.12345, 1.25, datetime.datetime(2024, 1, 2), None])
    ws.merge_cells("B3:B4")
    for row in (3, 4, 6):
        ws.cell(row, 3).number_format = "0.0%"
    ws["D3"].number_format = "0%"
    ws["C6"].number_format = "0.00%"
    ws["H6"].number_format = "0.00"  # formatted but empty: a trailing column, cut
    # Decimals as the format shows them (湘西州's 0.0 shows 19 as 19.0); no thousands separator.
    ws["D4"].number_format = "0.00"
    ws["D6"].number_format = "#,##0.0"
    ws["H6"].value = None
    path = tmp_path / "t.xlsx"
    wb.save(path)

    grid = only(read(path))
    assert grid.name == "进展表"
    assert texts(grid) == [
        ["2024年重点任务进展", "", "", "", "", ""],
        ["序号", "任务", "完成率", "完成率2", "日期", "其他"],
        ["1", "<p>推进</p><p>建设</p>", "85.5%", "86%", "2024-10-15", "是"],
        ["2", "", "100.0%", "0.30", "2024-10-15 08:30", "否"],
        ["3", "任务三", "12.35%", "1.3", "2024-01-02", ""],
    ]
    assert merges(grid) == {
        (0, 1): (0, 0),
        (0, 2): (0, 0),
        (0, 3): (0, 0),
        (0, 4): (0, 0),
        (0, 5): (0, 0),
        (3, 1): (2, 1),
    }
    assert [row.line for row in grid.rows] == [1, 2, 3, 4, 6]
    assert grid.rows[4].where == "工作表“进展表”第 6 行"
    assert grid.lines_read == 6
    assert grid.notes == ()


def test_xlsx_formula_shows_the_cached_value(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["任务", "数量", "合计"])
    ws.append(["甲", 1, "=B2+1"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    # openpyxl stores no computed value; write the one Excel would have saved.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>B2+1</f><v></v>", b"<f>B2+1</f><v>2</v>")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    grid = only(read(path))
    assert texts(grid) == [["任务", "数量", "合计"], ["甲", "1", "2"]]
    assert grid.cell_notes == ()  # the value Excel saved is shown: nothing to warn about


def test_xlsx_formula_without_a_saved_value_is_a_warning_naming_the_cell(
    tmp_path: Path,
) -> None:
    from builder.parse import parse_file

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "进展表"
    ws.append(["序号", "工作任务", "数量", "合计", "说明"])
    ws.append([1, "甲", 1, "=C2+1", '=IF(C2>5,"多","")'])
    ws.append([2, "乙", 2, "=C3+1", "已完成"])
    path = tmp_path / "t.xlsx"
    wb.save(path)  # openpyxl computes no formula: every one is saved without a value
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    # E2 as Excel saves a formula whose result is empty text: a value, not a missing one.
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="E2">', b'<c r="E2" t="str">')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)

    grid = only(read(path))
    assert texts(grid)[1] == ["1", "甲", "1", "", ""]
    messages = [str(p) for p in parse_file(path)[0].problems if "公式" in p.message]
    assert messages == [
        f"{path}: 进展表!{cell}: 警告：单元格是公式“={formula}”，但文件中没有保存计算结果"
        "（保存它的程序不计算公式），网站上这一格会是空的：请用 Excel 或 WPS 表格打开这个文件、"
        "保存后再放进来"
        for cell, formula in (("D2", "C2+1"), ("D3", "C3+1"))
    ]


def test_xlsx_many_formulas_without_values_are_counted_after_twenty(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "工作任务", "合计"])
    for row in range(2, 32):
        ws.append([row - 1, f"任务{row}", f"=A{row}*2"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    notes = only(read(path)).cell_notes
    assert [where for where, _ in notes[:2]] == ["Sheet!C2", "Sheet!C3"]
    assert len(notes) == 21
    assert notes[-1] == ("Sheet!C22", "另有 10 个公式单元格也没有保存计算结果")


def test_xlsx_sheets_hidden_and_empty(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "省级"
    first.append(["序号", "任务", "进展"])
    first.append([1, "甲", "完成"])
    first.row_dimensions[2].hidden = True
    first.column_dimensions["C"].hidden = True
    first.column_dimensions["E"].hidden = True  # no data in it: nothing to say
    hidden = wb.create_sheet("旧表")
    hidden.append(["不发布"])
    hidden.sheet_state = "hidden"
    wb.create_sheet("空表")
    second = wb.create_sheet("市级")
    second.append(["序号", "任务"])
    path = tmp_path / "t.xlsx"
    wb.save(path)

    grids = read(path)
    assert [grid.name for grid in grids] == ["省级", "市级"]
    assert texts(grids[0]) == [["序号", "任务", "进展"], ["1", "甲", "完成"]]
    assert texts(grids[1]) == [["序号", "任务"]]
    assert grids[1].rows[0].where == "工作表“市级”第 1 行"
    assert grids[0].notes == (
        "工作表“旧表”是隐藏的，未读取（如需发布，请在 Excel 中取消隐藏）",
        "工作表“省级”第 2 行是隐藏的，仍已读取",
        "工作表“省级”的 C 列是隐藏的，仍已读取",
    )
    assert grids[1].notes == ()


def test_xlsx_without_data(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with pytest.raises(ReadError, match="Excel 文件中没有数据"):
        read(path)


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_table(rows=1, cols=1)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


XLSX_HINT = "（如是 .xls 或 WPS 表格，请另存为 .xlsx）"


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("序号\t任务\n".encode(), "文件内容不是 .xlsx 格式"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 .xls 格式"),
        (b"PK\x03\x04" + b"\0" * 40, "文件已损坏或不是 Excel 工作簿"),
        (docx_bytes(), "文件已损坏或不是 Excel 工作簿"),
    ],
    ids=["text", "xls", "truncated-zip", "docx-renamed"],
)
def test_xlsx_bad_files(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message.startswith(f"无法读取 Excel 文件：{detail}")
    assert caught.value.message.endswith(XLSX_HINT)
    assert caught.value.path == path


def test_xlsx_truncated_real_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    path = tmp_path / "t.xlsx"
    wb.save(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ReadError, match="无法读取 Excel 文件"):
        read(path)


# --- DOCX ------------------------------------------------------------------------------


def fill(table: Table, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def test_docx_merges_paragraphs_and_continuation(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于2024年工作的通知")
    document.add_paragraph("附件：重点任务进展表")
    document.add_paragraph("   ")
    table = document.add_table(rows=4, cols=4)
    fill(
        table,
        [
            ["序号", "任务", "进展", ""],
            ["1", "推进建设", "", "市发改委"],
            ["", "", "已完成", "市财政局"],
            ["2", "<任务二>", "进行中", ""],
        ],
    )
    table.cell(0, 2).merge(table.cell(0, 3)).text = "进展情况"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
    table.cell(1, 1).merge(table.cell(2, 1))
    # Two paragraphs and a line break inside one cell.
    cell = table.cell(3, 3)
    cell.text = "第一段"
    run = cell.add_paragraph().add_run("第二段")
    run.add_break()
    run.add_text("第三段")
    document.add_paragraph("（续表）")
    second = document.add_table(rows=2, cols=4)
    fill(second, [["序号", "任务", "进展情况", ""], ["3", "任务三", "完成", "市科技局"]])
    path = tmp_path / "t.docx"
    document.save(path)

    grid, second = read(path)
    assert grid.title == "附件：重点任务进展表"
    # The paragraphs above the table come first, for the interpreter to find the title in.
    assert texts(grid)[:2] == [
        ["关于2024年工作的通知", "", "", ""],
        ["附件：重点任务进展表", "", "", ""],
    ]
    assert [row.where for row in grid.rows[:2]] == ["表格上方第 1 段", "表格上方第 2 段"]
    assert (grid.table, grid.above) == (1, 2)
    grid = type(grid)(
        path=grid.path, rows=grid.rows[2:], title=grid.title, lines_read=grid.lines_read - 2
    )
    assert texts(grid) == [
        ["序号", "任务", "进展情况", ""],
        ["1", "推进建设", "", "市发改委"],
        ["", "", "已完成", "市财政局"],
        ["2", "<任务二>", "进行中", "<p>第一段</p><p>第二段</p><p>第三段</p>"],
    ]
    assert {(r, c): (fr - 2, fc) for (r, c), (fr, fc) in merges(grid).items()} == {
        (0, 3): (0, 2),
        (2, 0): (1, 0),
        (2, 1): (1, 1),
    }
    assert [row.line for row in grid.rows] == [3, 4, 5, 6]
    assert [row.where for row in grid.rows] == [
        "表 1 第 1 行",
        "表 1 第 2 行",
        "表 1 第 3 行",
        "表 1 第 4 行",
    ]
    assert grid.lines_read == 4
    assert grid.name is None
    # Each table is a grid of its own, numbered in the document's order, its paragraphs above
    # it first; the row numbers run on through the document. Which is read is decided later.
    assert (second.table, second.above, second.title) == (2, 1, "（续表）")
    assert texts(second) == [
        ["（续表）", "", "", ""],
        ["序号", "任务", "进展情况", ""],
        ["3", "任务三", "完成", "市科技局"],
    ]
    assert [(row.line, row.where) for row in second.rows] == [
        (7, "表 2 上方第 1 段"),
        (8, "表 2 第 1 行"),
        (9, "表 2 第 2 行"),
    ]


def test_docx_grid_before_after_and_nested_table(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    fill(
        table,
        [["序号", "任务", "进展"], ["", "", ""], ["2", "任务二", "完成"], ["", "", ""]],
    )
    nesting = table.cell(2, 2)
    # Row 2 starts one grid column in: its first position is skipped (w:gridBefore).
    row = table.rows[0]._tr.getnext()
    row.remove(row.findall(qn("w:tc"))[0])
    tr_pr = OxmlElement("w:trPr")
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.append(before)
    row.insert(0, tr_pr)
    cells = row.findall(qn("w:tc"))
    cells[0].find(qn("w:p")).append(_run("任务一"))
    cells[1].find(qn("w:p")).append(_run("完成"))
    # A table nested in a cell: its rows are not grid rows, its text is the cell's.
    nested = nesting.add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "子项甲"
    nested.cell(0, 1).text = "子项乙"
    path = tmp_path / "t.docx"
    document.save(path)

    grid = only(read(path))
    assert texts(grid) == [
        ["序号", "任务", "进展"],
        ["", "任务一", "完成"],
        ["2", "任务二", "<p>完成</p><p>子项甲</p><p>子项乙</p>"],
    ]
    assert grid.title is None
    # The empty last row is left out, but it was read.
    assert grid.lines_read == 4
    assert [row.line for row in grid.rows] == [1, 2, 3]


def _run(value: str) -> Any:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = value
    run.append(t)
    return run


def test_docx_vmerge_with_grid_span(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    fill(table, [["任务", "", "进展", "单位"], ["", "", "完成", "甲"], ["", "", "完成", "乙"]])
    table.cell(0, 0).merge(table.cell(2, 1)).text = "大任务"
    path = tmp_path / "t.docx"
    document.save(path)
    grid = only(read(path))
    assert texts(grid) == [
        ["大任务", "", "进展", "单位"],
        ["", "", "完成", "甲"],
        ["", "", "完成", "乙"],
    ]
    assert merges(grid) == {
        (0, 1): (0, 0),
        (1, 0): (0, 0),
        (1, 1): (0, 0),
        (2, 0): (0, 0),
        (2, 1): (0, 0),
    }


def test_docx_legacy_horizontal_merge(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    fill(table, [["序号", "进展", ""], ["1", "完成", "市发改委"]])
    for c, value in ((1, "restart"), (2, None)):
        tc_pr = table.cell(0, c)._tc.get_or_add_tcPr()
        merge = OxmlElement("w:hMerge")
        if value:
            merge.set(qn("w:val"), value)
        tc_pr.append(merge)
    path = tmp_path / "t.docx"
    document.save(path)
    grid = only(read(path))
    assert texts(grid) == [["序号", "进展", ""], ["1", "完成", "市发改委"]]
    assert merges(grid) == {(0, 2): (0, 1)}


DOCX_HINT = "（如是 .doc 或 WPS 文字，请另存为 .docx）"


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("序号\t任务\n".encode(), "文件内容不是 .docx 格式"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 .doc 格式"),
        (b"PK\x03\x04" + b"\0" * 40, "文件已损坏或不是 Word 文档"),
        (docx_bytes()[:400], "文件已损坏或不是 Word 文档"),
    ],
    ids=["text", "doc", "zip-header", "truncated"],
)
def test_docx_bad_files(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message.startswith(f"无法读取 Word 文件：{detail}")
    assert caught.value.message.endswith(DOCX_HINT)


def test_docx_xlsx_renamed(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ReadError, match="无法读取 Word 文件：文件已损坏或不是 Word 文档"):
        read(path)


def test_docx_empty(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="文件是空的"):
        read(path)
    document = docx.Document()
    document.add_paragraph("只有文字，没有表格")
    document.save(path)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message == "文件中没有表格"


# --- HTML ------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>重点任务进展情况_通知公告_某市人民政府</title>
<script>var t = "<table><tr><td>x</td><td>y</td><td>z</td></tr></table>";</script>
<style>td { color: red }</style></head>
<body>
<table class="layout"><tr><td>
  <table><tr><td><a href="/">首页</a></td><td>政务公开</td><td>通知公告</td></tr></table>
</td></tr><tr><td>
<h1>2024年重点任务进展情况</h1>
<div class="info">发布时间：2024年3月5日&nbsp;来源：市政府办公室</div>
<table border="1">
  <tr><th>序号</th><th>任务</th><th colspan="2">进展</th></tr>
  <tr><td rowspan="2">1</td><td>推进&nbsp;&nbsp;A 建设</td>
      <td><p>已完成</p><p>正在验收 &lt;审计&gt;</p></td><td>市发改委</td></tr>
  <tr><td>推进B<!-- 注释 --></td><td>一段<br>二段</td><td rowspan="5">市财政局</td></tr>
  <tr><td>2</td><td><script>x()</script>任务
  二</td><td colspan="0">进行中</td></tr>
</table>
</td></tr></table>
</body></html>
"""


def test_html_gbk_layout_table_and_merges(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_bytes(PAGE.encode("gbk"))
    # The nav bar is a table too (left out later, as no task table); the layout table is not.
    nav, grid = read(path)
    assert (nav.table, texts(nav), grid.table) == (1, [["首页", "政务公开", "通知公告"]], 2)
    assert texts(grid) == [
        ["序号", "任务", "进展", ""],
        ["1", "推进 A 建设", "<p>已完成</p><p>正在验收 &lt;审计&gt;</p>", "市发改委"],
        ["", "推进B", "<p>一段</p><p>二段</p>", "市财政局"],
        ["2", "任务 二", "进行中", ""],
    ]
    assert merges(grid) == {(0, 3): (0, 2), (2, 0): (1, 0), (3, 3): (2, 3)}
    lines = PAGE.split("\n")
    starts = ("<tr><th>序号", '<tr><td rowspan="2">1', "<tr><td>推进B", "<tr><td>2")
    assert [row.line for row in grid.rows] == [
        next(i for i, line in enumerate(lines, 1) if line.strip().startswith(start))
        for start in starts
    ]
    assert all(row.where is None for row in grid.rows)
    assert grid.title == "2024年重点任务进展情况"
    assert grid.date == "2024-03-05"
    assert grid.lines_read == 4


def test_html_declared_big5(tmp_path: Path) -> None:
    rows = "<tr><td>序號</td><td>任務</td><td>進展</td></tr>" * 2
    page = f'<meta charset="big5"><table>{rows}</table>'
    path = tmp_path / "t.html"
    path.write_bytes(page.encode("big5"))
    assert texts(only(read(path))) == [["序號", "任務", "進展"]] * 2


def test_html_gbk_page_declared_latin1(tmp_path: Path) -> None:
    rows = "<tr><td>序号</td><td>任务</td><td>进展</td></tr>" * 2
    path = tmp_path / "t.html"
    path.write_bytes(f'<meta charset="iso-8859-1"><table>{rows}</table>'.encode("gbk"))
    assert texts(only(read(path))) == [["序号", "任务", "进展"]] * 2


def test_html_unclosed_cells_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.htm"
    path.write_text(
        "<html><head><title>进展 - 某市人民政府网站</title></head><body>\n"
        "<p>发布日期: 2024-1-9</p>\n"
        "<table>\n"
        "<tr><td>序号<td>任务<td>进展\n"
        "<tr><td>1<td>甲<td>完成\n"
        "<tr><td>2<td>乙<td rowspan=junk>未完成\n"
        "</table>",
        encoding="utf-8",
    )
    grid = only(read(path))
    assert texts(grid) == [["序号", "任务", "进展"], ["1", "甲", "完成"], ["2", "乙", "未完成"]]
    assert [row.line for row in grid.rows] == [4, 5, 6]
    assert grid.date == "2024-01-09"
    # "进展" is too short to be the title alone, so the site name stays.
    assert grid.title == "进展 - 某市人民政府网站"


def test_html_title_from_class_then_title_tag(tmp_path: Path) -> None:
    table = "<table>" + "<tr><td>a</td><td>b</td><td>c</td></tr>" * 2 + "</table>"
    path = tmp_path / "t.html"
    path.write_text(
        f'<title>x</title><div class="article-Title"> 任务\n进展表 </div>{table}', encoding="utf-8"
    )
    assert only(read(path)).title == "任务 进展表"
    path.write_text(
        f"<title>2024年重点任务进展情况 - 通知 - 某市人民政府</title>{table}", encoding="utf-8"
    )
    grid = only(read(path))
    assert grid.title == "2024年重点任务进展情况"
    assert grid.date is None


def test_html_tables_each_a_grid_in_page_order(tmp_path: Path) -> None:
    small = "<table>" + "<tr><td>a</td><td>b</td><td>c</td></tr>" * 2 + "</table>"
    large = "<table>" + "<tr><td>d</td><td>e</td><td>f</td></tr>" * 3 + "</table>"
    layout = f"<table><tr><td>{large}</td></tr></table>"
    spacer = "<table><tr><td> </td></tr></table>"
    path = tmp_path / "t.html"
    path.write_text(small + spacer + layout + "<table><tr><td>导航</td></tr></table>", "utf-8")
    # A table holding tables is layout, one with no text a spacer: neither is a table here.
    grids = read(path)
    assert [(grid.table, texts(grid)) for grid in grids] == [
        (1, [["a", "b", "c"]] * 2),
        (2, [["d", "e", "f"]] * 3),
        (3, [["导航"]]),
    ]
    assert all(grid.notes == () for grid in grids)


def test_xhtml_page_reads_without_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    rows = "<tr><td>a</td><td>b</td><td>c</td></tr>" * 2
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        f"<table>{rows}</table></body></html>",
        encoding="utf-8",
    )
    assert texts(only(read(path))) == [["a", "b", "c"]] * 2


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>没有表格</p></body></html>",
        "<table><tr><td>标签</td><td>值</td></tr><tr><td>a</td><td>b</td></tr></table>",
        "<table><tr><td>a</td><td>b</td><td>c</td></tr></table>",
    ],
    ids=["no-table", "two-columns", "one-row"],
)
def test_html_without_data_table(tmp_path: Path, page: str) -> None:
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message == "网页中没有找到表格"


# A table layout: rows of (text, rowspan, colspan) cells; texts unique or empty.
span_cell = st.tuples(st.booleans(), st.integers(1, 4), st.integers(1, 3))
layouts = st.lists(st.lists(span_cell, min_size=0, max_size=5), min_size=0, max_size=6)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts)
def test_html_any_spans_give_a_rectangle(
    tmp_path: Path, layout: list[list[tuple[bool, int, int]]]
) -> None:
    # Two plain rows first, so the table is taken as the data table whatever follows.
    rows = [
        "<tr><td>h1</td><td>h2</td><td>h3</td></tr>",
        "<tr><td>g1</td><td>g2</td><td>g3</td></tr>",
    ]
    expected = ["h1", "h2", "h3", "g1", "g2", "g3"]
    for r, cells in enumerate(layout):
        out = []
        for c, (filled, rowspan, colspan) in enumerate(cells):
            value = f"v{r}x{c}" if filled else ""
            if value:
                expected.append(value)
            out.append(f'<td rowspan="{rowspan}" colspan="{colspan}">{html.escape(value)}</td>')
        rows.append("<tr>" + "".join(out) + "</tr>")
    path = tmp_path / "p.html"
    path.write_text("<table>\n" + "\n".join(rows) + "\n</table>", encoding="utf-8")

    grid = only(read(path))
    widths = {len(row.cells) for row in grid.rows}
    assert len(widths) == 1
    found = [cell.text for row in grid.rows for cell in row.cells if cell.text]
    assert sorted(found) == sorted(expected)
    for row in grid.rows:
        for cell in row.cells:
            if cell.merged_from is not None:
                r, c = cell.merged_from
                assert cell.text == ""
                assert grid.rows[r].cells[c].text != ""
                assert grid.rows[r].cells[c].merged_from is None


def test_grid_cells_are_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert only(read(path)).rows[0].cells == (Cell("a"), Cell("b"))


def test_xlsx_month_dates_are_months_not_the_first_day(tmp_path: Path) -> None:
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "工作任务", "完成时限", "完成日期"])
    sheet.append([1, "任务", datetime.datetime(2024, 6, 1), datetime.datetime(2024, 6, 30)])
    sheet["C2"].number_format = 'yyyy"年"m"月"'
    sheet["D2"].number_format = "yyyy-mm-dd"
    book.save(tmp_path / "t.xlsx")
    grid = read(tmp_path / "t.xlsx")[0]
    assert [c.text for c in grid.rows[1].cells] == ["1", "任务", "2024年6月", "2024-06-30"]
