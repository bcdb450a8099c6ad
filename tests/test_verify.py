from __future__ import annotations

from pathlib import Path

from builder.load import load_site
from builder.render import Renderer
from builder.verify import cell_text, missing_pieces, page_text, verify_task_page

ROOT = Path(__file__).resolve().parent.parent


def test_page_text_numbers_list_items_and_strips_markup() -> None:
    html = (
        "<nav>导航</nav><article><h1>任务 &amp; 目标</h1><ol><li>甲</li><li>乙</li></ol></article>"
    )
    assert page_text(html) == "任务&目标1.甲2.乙"


def test_cell_text_drops_scripts_and_reads_entities_as_characters() -> None:
    assert cell_text("<p>正文<script>x()</script></p>") == " 正文  "
    assert cell_text("A &lt;b&gt; R&D &copy 2") == "A <b> R&D &copy 2"


def test_missing_pieces_names_what_is_lost() -> None:
    text = page_text(
        "<article>报告条目：第18条立足十大产业优势市经济和信息化局、市发展改革委</article>"
    )
    assert missing_pieces("18.立足十大产业优势", text) == []
    assert missing_pieces("市经济和信息化局 市发展改革委 【节能科】", text) == ["节能科"]


def test_a_lost_cell_is_reported_with_file_and_line() -> None:
    site = load_site(ROOT / "data").site
    task = site.report("2024-anqing-industry-q3").tasks[1]
    page = "<article>" + task.text + "</article>"
    problems = verify_task_page(task, page, Path("data/reports/x.txt"))
    assert problems
    first = str(problems[0])
    assert first.startswith("data/reports/x.txt:9: 错误：单元格的文字没有出现在任务页上")


def test_rendered_markdown_of_every_seed_task_keeps_every_cell() -> None:
    # The same check the plugin runs on the HTML, here on the page Markdown rendered by
    # Python-Markdown alone, so a template that forgets a field fails without MkDocs.
    import markdown

    site = load_site(ROOT / "data").site
    pages = {p.path: p.markdown for p in Renderer(site).pages()}
    for task in site.tasks:
        body = pages[f"reports/{task.report_slug}/{task.seq}.md"].split("---", 2)[2]
        html = "<article>" + markdown.markdown(body, extensions=["tables"]) + "</article>"
        assert verify_task_page(task, html, Path("x")) == [], task.id
