"""The PDF reader on real PDF shapes: Word documents printed by LibreOffice (tables over
several pages, running headers and page numbers, landscape pages, vertical text), tables drawn
by reportlab, pages turned sideways, a scan, and files that do not open."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pytest
from dumping import dump_report
from grids import merges, only, texts
from pdf_fixture import FORMATS, STEM, draw_table, word_table
from PIL import Image, ImageDraw

from builder.load import load_file
from builder.readers import ReadError, pdf, read
from builder.units import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
REGISTRY: Registry = load_registry(ROOT / "tests/corpus/units.yml")[0]
Printer = Callable[[Path], Path]
_POSITIONS_RE = re.compile(r"第 [\d、…]+ 行")

HEADER = ["序号", "工作任务", "责任单位", "完成时限", "进展情况"]
ABOVE = ["附件1", "2024年重点工作任务推进情况表", "（截至2024年6月30日）"]
NOTES = ("注：完成率按已完成投资额计算。", "填报人：张三")


def tasks(path: Path) -> tuple[Any, list[str]]:
    """What a table publishes, without the source positions (a PDF counts its rows by page)."""
    reports, problems, _ = load_file(path, REGISTRY)
    assert len(reports) == 1, [str(p) for p in problems]
    dump = dump_report(reports[0])
    del dump["reconciliation"]
    for task in dump["tasks"]:
        del task["line"]
        for step in task["steps"]:
            del step["line"]
    # The same problems, at positions each format names its own way.
    return dump, [f"{p.severity.name} {_POSITIONS_RE.sub('', p.message)}" for p in problems]


def task_rows(count: int, long: bool = True) -> list[list[str]]:
    rows = []
    for n in range(1, count + 1):
        progress = f"已完成投资{n * 7}万元，完成率{n % 90 + 10}%。"
        if long:
            progress += "正在推进第二阶段施工，同步开展管线迁改和交通疏导，预计年底前完工。" * 3
        if n % 4 == 0:
            progress = f"1.完成施工图设计{n}项；\n2.开工建设{n}个点位。"
        rows.append(
            [
                str(n),
                f"推进城市道路改造和老旧小区提升工程第{n}批，完成年度投资计划。",
                "县住房和城乡建设局" if n % 3 else "县交通运输局、县自然资源和规划局",
                "2024年12月",
                progress,
            ]
        )
    return rows


# --- the corpus table printed from Word ----------------------------------------------------


def test_word_printed_table_reads_as_the_grid_of_the_word_file(print_pdf: Printer) -> None:
    printed = print_pdf(FORMATS / f"{STEM}.docx")
    grid = only(read(printed))
    word = only(read(FORMATS / f"{STEM}.docx"))
    assert texts(grid) == texts(word)
    assert merges(grid) == merges(word) == {(3, 3): (2, 3), (4, 3): (2, 3), (7, 3): (6, 3)}
    assert [row.where for row in grid.rows] == [f"第 1 页 第 {n} 行" for n in range(1, 9)]
    assert [row.line for row in grid.rows] == list(range(1, 9))
    assert grid.notes == ()
    # A line break inside Chinese text is no space; the space the table has is kept.
    assert texts(grid)[2][4] == "已完成。 已制定并下发老年名免费接种流感疫苗工作方案。"


def test_drawn_table_joins_latin_words_with_a_space(tmp_path: Path) -> None:
    path = draw_table(
        tmp_path / "t.pdf",
        ["English and Chinese"],
        [
            ["序号", "任务", "进展"],
            [
                "1",
                "the quick brown fox jumps over the lazy dog again and again",
                "推进城市道路改造和老旧小区提升工程，完成年度投资计划",
            ],
        ],
        widths=[30, 90, 90],
    )
    grid = only(read(path))
    assert texts(grid)[2] == [
        "1",
        "the quick brown fox jumps over the lazy dog again and again",
        "推进城市道路改造和老旧小区提升工程，完成年度投资计划",
    ]


# --- tables over several pages -----------------------------------------------------------


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "header-once"])
def test_table_over_pages_publishes_as_the_word_file(
    tmp_path: Path, print_pdf: Printer, repeat_header: bool
) -> None:
    rows = task_rows(24)
    source = word_table(
        tmp_path / "t.docx",
        ABOVE,
        [[HEADER, *rows]],
        below=NOTES,
        repeat_header=repeat_header,
        running_header="某县人民政府办公室",
        page_numbers=True,
    )
    printed = print_pdf(source)
    grid = only(read(printed))
    pages = {row.where.split(" 第 ")[0] for row in grid.rows if row.where}
    assert len(pages) >= 3, pages
    assert grid.notes == ()
    shown = "".join(cell.text for row in grid.rows for cell in row.cells)
    assert "某县人民政府办公室" not in shown and "共" not in shown
    # Every task once, rows broken over a page joined again: the same as the Word file.
    expected, expected_problems = tasks(source)
    got, problems = tasks(printed)
    assert len(got["tasks"]) == 24
    assert got == expected
    assert problems == expected_problems
    assert got["title"] == "2024年重点工作任务推进情况表"
    assert got["preamble"] == ["附件1", "（截至2024年6月30日）"]
    # Two paragraphs of one cell stay two paragraphs.
    assert (
        got["tasks"][3]["steps"][0]["fields"]["进展情况"]
        == "1. 完成施工图设计4项；\n2. 开工建设4个点位。"
    )
    # The lines under the table are its notes (a Word file's are not read at all).
    reports, _, _ = load_file(printed, REGISTRY)
    assert reports[0].notes == NOTES
    # A row on a later page is named by its page; the running header is its first line.
    last = grid.rows[-1]
    assert last.where is not None and last.where.startswith(f"第 {len(pages)} 页 第 ")


def test_drawn_table_over_pages_with_page_numbers(tmp_path: Path) -> None:
    rows = [[str(n), f"第{n}项民生实事", "县民政局", "已完成"] for n in range(1, 121)]
    path = draw_table(
        tmp_path / "t.pdf",
        ["2024年民生实事进展表"],
        [["序号", "实事名称", "责任单位", "进展情况"], *rows],
        repeat_header=True,
        footer="- {page} -",
        watermark="内部资料",
    )
    grid = only(read(path))
    # A watermark is no content, and is said, not dropped.
    assert grid.notes[:2] == (
        "第 1 页有斜排的文字（多为水印），未读取：“内部资料”",
        "第 2 页有斜排的文字（多为水印），未读取：“内部资料”",
    )
    body = [t for t in texts(grid) if t[0] not in ("序号", "2024年民生实事进展表")]
    assert body == rows
    assert sum(t[0] == "序号" for t in texts(grid)) >= 3  # repeated, left to the interpreter
    published, problems = tasks(path)
    assert len(published["tasks"]) == 120
    assert not [problem for problem in problems if problem.startswith("ERROR")]


# --- landscape and rotated text ----------------------------------------------------------


def test_landscape_page_and_vertical_text(tmp_path: Path, print_pdf: Printer) -> None:
    header = ["类别", *HEADER, "存在问题", "下步计划"]
    rows = [["", *row, "无", "持续推进"] for row in task_rows(4, long=False)]
    rows[0][0] = "民生实事"
    source = word_table(
        tmp_path / "t.docx",
        ABOVE[1:],
        [[header, *rows]],
        landscape=True,
        vertical=[(1, 0, "tbRl")],
        merges=[(1, 0, 4, 0)],
    )
    printed = print_pdf(source)
    page = pypdfium2.PdfDocument(printed)[0]
    width, height = page.get_size()
    assert width > height
    grid = only(read(printed))
    assert texts(grid) == texts(only(read(source)))
    assert texts(grid)[3][0] == "民生实事"
    assert merges(grid) == {(r, 0): (3, 0) for r in (4, 5, 6)}
    assert tasks(printed) == tasks(source)


def turned_cells(path: Path) -> Path:
    """A ruled table drawn on a canvas whose group cells hold text turned a quarter, one
    reading upwards and one downwards, as a narrow merged 类别 cell is often set."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawing = canvas.Canvas(str(path))
    drawing.setFont("STSong-Light", 10)
    columns = [60, 100, 300, 420]
    rows = [700, 680, 560, 440]  # PDF space: y up
    for x in columns:
        drawing.line(x, rows[-1], x, rows[0])
    for y in rows:
        drawing.line(columns[0], y, columns[-1], y)
    for text, x in (("类别", 70), ("工作任务", 110), ("责任单位", 310)):
        drawing.drawString(x, 686, text)
    for (text, angle), top, bottom in (
        (("民生实事 一", 90), 680, 560),
        (("重点项目 二", -90), 560, 440),
    ):
        drawing.saveState()
        if angle == 90:
            drawing.translate(84, bottom + 10)
        else:
            drawing.translate(76, top - 10)
        drawing.rotate(angle)
        drawing.drawString(0, 0, text)
        drawing.restoreState()
    drawing.drawString(110, 660, "推进城市道路改造")
    drawing.drawString(310, 660, "县住房和城乡建设局")
    drawing.drawString(110, 540, "老旧小区提升工程")
    drawing.drawString(310, 540, "县民政局")
    drawing.save()
    return path


def test_text_turned_in_a_cell(tmp_path: Path) -> None:
    grid = only(read(turned_cells(tmp_path / "t.pdf")))
    assert texts(grid) == [
        ["类别", "工作任务", "责任单位"],
        ["民生实事 一", "推进城市道路改造", "县住房和城乡建设局"],
        ["重点项目 二", "老旧小区提升工程", "县民政局"],
    ]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_page_turned_reads_the_same(tmp_path: Path, print_pdf: Printer, turn: int) -> None:
    """A page whose table is printed turned (a landscape table on an upright page, or a
    scan-free PDF saved rotated): read in the direction its text runs."""
    printed = print_pdf(FORMATS / f"{STEM}.docx")
    document = pypdfium2.PdfDocument(printed)
    for page in document:
        page.set_rotation(turn)
    turned = tmp_path / "turned.pdf"
    document.save(turned)
    assert texts(only(read(turned))) == texts(only(read(printed)))


# --- several tables, text outside them ---------------------------------------------------


def test_several_tables_read_as_word_reads_them(tmp_path: Path, print_pdf: Printer) -> None:
    """Text between two tables starts a table of its own, the text its top, as in the Word
    file; the two go together again after the readers (same header, numbering going on)."""
    rows = task_rows(3, long=False)
    source = word_table(
        tmp_path / "x.docx",
        ABOVE,
        [[HEADER, *rows[:2]], [HEADER, rows[2]]],
        between=["二、下半年工作安排"],
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    printed = reports / "x.pdf"
    printed.write_bytes(print_pdf(source).read_bytes())
    grids = read(printed)
    assert [(g.table, g.above, texts(g)) for g in grids] == [
        (g.table, g.above, texts(g)) for g in read(source)
    ]
    assert [g.notes for g in grids] == [(), ()]
    assert grids[1].rows[0].where == "第 1 页 第 7 行"
    result = check(tmp_path)
    assert f"{printed}：3 项任务" in result.stdout, result.stdout
    assert "读取的是表 1 及续表 表 2" in result.stdout


def test_two_different_tables_of_a_pdf_are_asked_between(
    tmp_path: Path, print_pdf: Printer
) -> None:
    """附件1 and 附件2 printed together: two task tables, not one table whose header changes
    halfway; table: 2 reads the second."""
    source = word_table(
        tmp_path / "x.docx",
        ABOVE,
        [
            [HEADER, *task_rows(2, long=False)],
            [["序号", "项目名称", "责任单位"], ["1", "新建学校", "县教育局"]],
        ],
        between=["附件2", "2024年民生实事项目表"],
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    printed = reports / "x.pdf"
    printed.write_bytes(print_pdf(source).read_bytes())
    result = check(tmp_path)
    assert f"{printed}: 错误：文件中有 2 个表格：表 1（第 1 页 第 4 行起，序号 | 工作任务" in (
        result.stdout
    )
    assert "其中有 2 个任务表，本站不替您选" in result.stdout
    (reports / "x.yml").write_text("table: 2\n", encoding="utf-8")
    result = check(tmp_path)
    assert f"{printed}：1 项任务" in result.stdout, result.stdout


# --- what cannot be read -----------------------------------------------------------------


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", "check", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def scan(path: Path, pages: int = 1) -> Path:
    """An image-only PDF, as a scanner writes one: a photo of a table, no text layer."""
    images = []
    for _ in range(pages):
        image = Image.new("RGB", (850, 1100), "white")
        draw = ImageDraw.Draw(image)
        for y in range(200, 900, 60):
            draw.line((80, y, 770, y), fill="black", width=2)
        for x in (80, 160, 480, 620, 770):
            draw.line((x, 200, x, 860), fill="black", width=2)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=100)
    return path


def test_scanned_pdf_is_an_error_naming_the_file(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    scan(reports / "scan.pdf", pages=2)
    result = check(tmp_path)
    assert result.returncode == 1
    assert (
        f"{reports / 'scan.pdf'}: 错误：这是扫描件：PDF 里只有图片，没有文字。"
        "本站不做文字识别（OCR）：请向发布单位索取 Word/Excel 原件，"
        "或用 WPS、Adobe Acrobat 等识别文字后另存为 .docx，再放在这里"
    ) in result.stdout
    assert "Traceback" not in result.stderr


def test_scanned_page_among_text_pages_is_warned(tmp_path: Path, print_pdf: Printer) -> None:
    document = pypdfium2.PdfDocument(print_pdf(FORMATS / f"{STEM}.docx"))
    document.import_pages(pypdfium2.PdfDocument(scan(tmp_path / "scan.pdf")))
    path = tmp_path / "t.pdf"
    document.save(path)
    grid = only(read(path))
    assert grid.notes == ("第 2 页只有图片、没有文字（扫描件），未读取：本站不做文字识别",)


def encrypted(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), encrypt="secret")
    drawing.drawString(100, 700, "a table")
    drawing.save()
    return path


HINT = "（请使用原 Word/Excel 文件，或从原文件重新导出 PDF）"


def test_bad_pdfs_are_said_as_for_word_and_excel(tmp_path: Path, print_pdf: Printer) -> None:
    good = print_pdf(FORMATS / f"{STEM}.docx").read_bytes()
    cases = {
        "text.pdf": ("序号\t任务\n".encode(), f"无法读取 PDF 文件：文件内容不是 PDF 格式{HINT}"),
        "truncated.pdf": (good[:300], "无法读取 PDF 文件：文件已损坏（"),
        "header-only.pdf": (b"%PDF-1.4\n", "无法读取 PDF 文件：文件已损坏（"),
        "password.pdf": (
            encrypted(tmp_path / "e.pdf").read_bytes(),
            "无法读取 PDF 文件：文件设置了打开密码（请用不设密码的 PDF，或原 Word/Excel 文件）",
        ),
        # Fonts that name their glyphs but not the characters: text only an OCR could read.
        "no-character-map.pdf": (
            good.replace(b"/ToUnicode", b"/ToUnicodX"),
            "PDF 的文字读不出来：所用字体没有字符对照表（从这个 PDF 复制出的文字也是乱码），"
            f"和扫描件一样只能靠文字识别。{HINT[1:-1]}",
        ),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ReadError) as caught:
            read(path)
        assert caught.value.message.startswith(message), (name, caught.value.message)
        assert caught.value.path == path


def test_pdf_without_a_ruled_table(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "letter.pdf"
    letter = canvas.Canvas(str(path))
    letter.setFont("STSong-Light", 12)
    letter.drawString(72, 760, "关于报送2024年重点工作进展情况的函")
    letter.drawString(72, 730, "序号    工作任务    责任单位    进展情况")
    letter.drawString(72, 710, "1       推进城市道路改造    县住建局    已完成")
    letter.save()
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message.startswith("PDF 中没有找到带表格线的表格")


def test_limits_of_pages_and_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[str(n), f"第{n}项民生实事", "县民政局", "已完成"] for n in range(1, 121)]
    path = draw_table(
        tmp_path / "t.pdf",
        ["民生实事进展表"],
        [["序号", "实事名称", "责任单位", "进展情况"], *rows],
    )
    pages = len(pypdfium2.PdfDocument(path))
    assert pages >= 3
    monkeypatch.setattr(pdf, "MAX_PAGES", pages - 1)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.message == (
        f"PDF 有 {pages} 页，超过本站读取的上限 {pages - 1} 页：请只保留表格所在的页"
    )
    monkeypatch.setattr(pdf, "MAX_PAGES", 2000)
    monkeypatch.setattr(pdf, "MAX_CHARACTERS", 1000)
    with pytest.raises(ReadError, match=r"PDF 的文字超过本站读取的上限 1,000 个字符（到第 2 页）"):
        read(path)


def test_excel_sheet_over_pages_with_print_titles(tmp_path: Path, print_pdf: Printer) -> None:
    """A bordered sheet of many rows, its header row set to print on every page (打印标题)."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([ABOVE[1]])
    sheet.append(HEADER)
    for row in task_rows(60, long=False):
        sheet.append(row)
    thin = Side(style="thin")
    for cells in sheet.iter_rows(min_row=2, max_row=62, max_col=5):
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDE", (6, 40, 24, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for r in range(3, 63):
        sheet.row_dimensions[r].height = 45
    sheet.print_title_rows = "2:2"
    wide = tmp_path / "wide.xlsx"
    book.save(wide)
    # Too wide for the page: LibreOffice, like Excel, prints the right-hand columns on pages
    # of their own. They are not put together again; the staff are told why and what to do.
    grid = only(read(print_pdf(wide)))
    assert any("打印时分成了左右两半" in note for note in grid.notes), grid.notes
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    source = tmp_path / "t.xlsx"
    book.save(source)
    printed = print_pdf(source)
    assert len(pypdfium2.PdfDocument(printed)) >= 3
    grid = only(read(printed))
    assert grid.notes == ()
    assert sum(row[0] == "序号" for row in texts(grid)) >= 3
    assert tasks(printed) == tasks(source)


def _paragraphs_of(text: str) -> list[str]:
    """A cell's paragraphs as the readers write several (``<p>…</p><p>…</p>``, escaped); one
    paragraph is its text as it stands, markup a table holds included."""
    if text.startswith("<p>") and text.endswith("</p>") and "</p><p>" in text:
        return [html.unescape(part) for part in text[3:-4].split("</p><p>")]
    return [text]


def _squeezed(value: Any) -> Any:
    """A dump with the whitespace of its texts taken out (a space typed between Chinese and
    Latin text, where the line broke, is not in the PDF) and without source lines."""
    if isinstance(value, dict):
        return {key: _squeezed(item) for key, item in value.items() if key != "line"}
    if isinstance(value, list):
        return [_squeezed(item) for item in value]
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


def test_shipped_table_as_a_printed_word_file_publishes_the_same(
    tmp_path: Path, print_pdf: Printer
) -> None:
    """The shipped 安庆 table laid out as an office does in Word (landscape, ruled, a running
    header, a small font, long narratives breaking over 17 pages) and printed: the same tasks,
    steps and problems as the text export."""
    shipped = ROOT / "data/reports/2024-anqing-industry-q3.txt"
    rows = texts(only(read(shipped)))
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "2024-anqing-industry-q3.yml").write_bytes(shipped.with_suffix(".yml").read_bytes())
    source = word_table(
        tmp_path / "2024-anqing-industry-q3.docx",
        [rows[0][0]],
        [rows[1:]],
        running_header="安庆市经济和信息化局",
        landscape=True,
        size=9,
    )
    printed = reports / "2024-anqing-industry-q3.pdf"
    printed.write_bytes(print_pdf(source).read_bytes())
    assert len(pypdfium2.PdfDocument(printed)) > 10
    # Rows broken over a page are one row again: as many rows as the table has.
    grid = only(read(printed))
    assert len(grid.rows) == len(rows)
    # Nothing lost, nothing made up: every character printed is in the grid, but for the
    # running header on each page.
    pages = len(pypdfium2.PdfDocument(printed))
    with pdfplumber.open(printed) as document:
        printed_chars = Counter(
            c["text"] for page in document.pages for c in page.chars if not c["text"].isspace()
        )
    read_chars = Counter(
        ch
        for row in grid.rows
        for cell in row.cells
        for paragraph in _paragraphs_of(cell.text)
        for ch in paragraph
        if not ch.isspace()
    )
    assert printed_chars - read_chars == Counter("安庆市经济和信息化局" * pages)
    assert read_chars - printed_chars == Counter()
    registry = load_registry(ROOT / "data/units.yml")[0]
    got = load_file(printed, registry)
    expected = load_file(shipped, registry)
    assert _squeezed(dump_report(got[0][0])["tasks"]) == _squeezed(
        dump_report(expected[0][0])["tasks"]
    )
    assert [p.message for p in got[1]] == [p.message for p in expected[1]] == []


def test_a_page_that_does_not_decode_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken download: a page's content stream no longer inflates. pdfminer reads nothing
    of it and says nothing; the staff are told which page."""
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "useA85", 0)  # page streams deflated only, as Word writes
    rows = [[str(n), f"第{n}项民生实事", "县民政局", "已完成"] for n in range(1, 121)]
    path = draw_table(
        tmp_path / "t.pdf",
        ["民生实事进展表"],
        [["序号", "实事名称", "责任单位", "进展情况"], *rows],
    )
    whole = only(read(path))
    assert whole.notes == ()
    content = bytearray(path.read_bytes())
    first = re.search(rb"stream\r?\n", content)
    assert first is not None
    content[first.end() + 300 : first.end() + 340] = b"\0" * 40
    path.write_bytes(bytes(content))
    grid = only(read(path))
    assert grid.notes == ("第 1 页已损坏，内容没有读出或只读出一部分：请从原文件重新导出 PDF",)
    assert len(grid.rows) < len(whole.rows)
