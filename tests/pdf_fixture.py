"""PDF tables as offices make them, built at test time: Word documents (printed to PDF by
LibreOffice through the ``print_pdf`` fixture) and tables drawn by a second PDF producer,
reportlab, with its built-in Chinese font."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

FORMATS = Path(__file__).parent / "corpus" / "formats"
STEM = "2024-taishun-minsheng-4yue"


def _make_formats() -> object:
    spec = importlib.util.spec_from_file_location("make_formats", FORMATS / "make_formats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw_table(
    path: Path,
    above: Sequence[str],
    rows: Sequence[Sequence[str]],
    spans: Sequence[tuple[int, int, int, int]] = (),
    *,
    widths: Sequence[float] | None = None,
    repeat_header: bool = False,
    footer: str | None = None,
    watermark: str | None = None,
) -> Path:
    """A ruled table drawn with reportlab: ``above`` are the lines over it, ``spans`` the
    merged cells as (first row, first column, last row, last column) of ``rows``."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=10, leading=13)
    style.wordWrap = "CJK"
    covered = {
        (r, c)
        for r0, c0, r1, c1 in spans
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if (r, c) != (r0, c0)
    }
    cells = [
        ["" if (r, c) in covered else Paragraph(escape(text), style) for c, text in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=list(widths) if widths else None, repeatRows=int(repeat_header))
    commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    commands.extend(("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans)
    table.setStyle(TableStyle(commands))

    def page_footer(canvas: object, document: object) -> None:
        if watermark is not None:
            canvas.saveState()  # type: ignore[attr-defined]
            canvas.setFont("STSong-Light", 48)  # type: ignore[attr-defined]
            canvas.setFillGray(0.85)  # type: ignore[attr-defined]
            canvas.translate(150, 300)  # type: ignore[attr-defined]
            canvas.rotate(40)  # type: ignore[attr-defined]
            canvas.drawString(0, 0, watermark)  # type: ignore[attr-defined]
            canvas.restoreState()  # type: ignore[attr-defined]
        if footer is not None:
            page = canvas.getPageNumber()  # type: ignore[attr-defined]
            canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
            canvas.drawCentredString(A4[0] / 2, 30, footer.format(page=page))  # type: ignore[attr-defined]

    path.parent.mkdir(parents=True, exist_ok=True)
    document = SimpleDocTemplate(str(path), pagesize=A4)
    title = ParagraphStyle("title", parent=style, fontSize=14, leading=20)
    document.build(
        [*(Paragraph(escape(line), title) for line in above), table],
        onFirstPage=page_footer,
        onLaterPages=page_footer,
    )
    return path


def draw_formats_table(path: Path) -> Path:
    """The corpus table of five formats, drawn as a PDF with its 牵头单位 merges."""
    formats = _make_formats()
    title, header, data = formats.rows()  # type: ignore[attr-defined]
    column = formats.UNIT_COLUMN  # type: ignore[attr-defined]
    spans = [
        (first + 1, column, last + 1, column)
        for first, last in formats.MERGES  # type: ignore[attr-defined]
        if last > first
    ]
    return draw_table(path, [title], [header, *data], spans, widths=[30, 130, 120, 70, 130])


def formats_rows() -> tuple[str, list[str], list[list[str]]]:
    return _make_formats().rows()  # type: ignore[attr-defined, no-any-return]


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _page_field(paragraph: object) -> None:
    """第 {PAGE} 页 共 {NUMPAGES} 页, as Word's page number footers write it."""
    paragraph.add_run("第 ")  # type: ignore[attr-defined]
    for field, after in (("PAGE", " 页 共 "), ("NUMPAGES", " 页")):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)  # type: ignore[attr-defined]
        paragraph.add_run(after)  # type: ignore[attr-defined]


def word_table(
    path: Path,
    above: Sequence[str],
    tables: Sequence[Sequence[Sequence[str]]],
    *,
    between: Sequence[str] = (),
    below: Sequence[str] = (),
    repeat_header: bool = False,
    running_header: str | None = None,
    page_numbers: bool = False,
    landscape: bool = False,
    vertical: Sequence[tuple[int, int, str]] = (),
    merges: Sequence[tuple[int, int, int, int]] = (),
    size: float | None = None,
) -> Path:
    """A Word document of ruled tables: ``above`` the paragraphs over the first, ``between``
    the paragraphs between tables, ``below`` those under the last; ``vertical`` (row, column, direction) cells of the first
    table whose text runs vertically (tbRl, btLr); ``merges`` its merged cells."""
    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if running_header is not None:
        section.header.paragraphs[0].text = running_header
    if page_numbers:
        _page_field(section.footer.paragraphs[0])
    if size is not None:
        document.styles["Normal"].font.size = Pt(size)
    for line in above:
        document.add_paragraph(line)
    for number, rows in enumerate(tables):
        if number:
            for line in between:
                document.add_paragraph(line)
        width = max(len(row) for row in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        if repeat_header:
            _repeat_header(table.rows[0])
        if number == 0:
            for r, c, direction in vertical:
                properties = table.cell(r, c)._tc.get_or_add_tcPr()
                element = OxmlElement("w:textDirection")
                element.set(qn("w:val"), direction)
                properties.append(element)
            for r0, c0, r1, c1 in merges:
                table.cell(r0, c0).merge(table.cell(r1, c1))
    for line in below:
        document.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
