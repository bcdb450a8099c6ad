from __future__ import annotations

import re
from pathlib import Path

from conftest import data_with

from builder.load import load_site
from builder.model import Column, Task
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
    columns = site.report("2024-anqing-industry-q3").step_columns
    problems = verify_task_page(task, page, Path("data/reports/x.txt"), columns)
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
        columns = site.report(task.report_slug).step_columns
        assert verify_task_page(task, html, Path("x"), columns) == [], task.id


def task_html(tmp_path: Path, table: str) -> tuple[Task, str, tuple[Column, ...]]:
    """The one task of a table, its page as HTML (Python-Markdown, as MkDocs renders it)."""
    import markdown

    site = load_site(data_with(tmp_path, table)).site
    (task,) = site.tasks
    page = next(p for p in Renderer(site).pages() if p.path == f"reports/x/{task.seq}.md")
    body = page.markdown.split("---", 2)[2]
    html = "<article>" + markdown.markdown(body, extensions=["tables"]) + "</article>"
    return task, html, site.report("x").step_columns


def without_cell(html: str, row: int, label: str) -> str:
    """The page with one cell of its steps table emptied, as a broken template would."""
    rows = list(re.finditer(r"<tr>.*?</tr>", html.split("<tbody>", 1)[1], re.DOTALL))
    body_at = html.index("<tbody>") + len("<tbody>")
    target = rows[row]
    emptied = re.sub(
        rf'(<td data-label="{label}"[^>]*>).*?(</td>)', r"\1\2", target.group(), flags=re.DOTALL
    )
    assert emptied != target.group()
    start, end = body_at + target.start(), body_at + target.end()
    return html[:start] + emptied + html[end:]


SHORT_CELLS = (
    "序号\t工作任务\t责任单位\t进展情况\t备注\n"
    "1\t完成3项改造，是重点工作\t省科技厅\t第一步已完成\t是\n"
    "\t\t\t第二步正在推进\t3\n"
)


def test_a_short_cell_is_looked_for_where_it_belongs(tmp_path: Path) -> None:
    # 是 and 3 are in the task's title as well: found anywhere on the page, their loss from
    # the steps table would go unnoticed.
    task, html, columns = task_html(tmp_path, SHORT_CELLS)
    path = Path("data/reports/x.txt")
    assert '<table class="gk-steps">' in html
    assert verify_task_page(task, html, path, columns) == []
    for row, line, piece in ((0, 2, "是"), (1, 3, "3")):
        broken = without_cell(html, row, "备注")
        assert piece in page_text(broken)
        problems = [str(p) for p in verify_task_page(task, broken, path, columns)]
        assert problems == [
            f"data/reports/x.txt:{line}: 错误：单元格的文字没有出现在任务页上应在的位置"
            f"（这是本站的缺陷，请报告）：“{piece}”\n    {piece}"
        ]


def test_a_short_cell_of_a_one_line_task_is_looked_for_under_its_heading(tmp_path: Path) -> None:
    table = "序号\t工作任务\t责任单位\t进展情况\t备注\n1\t完成3项改造\t省科技厅\t按计划落实\t3\n"
    task, html, columns = task_html(tmp_path, table)
    path = Path("data/reports/x.txt")
    assert '<table class="gk-steps">' not in html and "<h2>备注</h2>" in html
    assert verify_task_page(task, html, path, columns) == []
    broken = re.sub(r"(<h2>备注</h2>\s*)<p>3</p>", r"\1", html)
    assert broken != html and "3" in page_text(broken)
    problems = verify_task_page(task, broken, path, columns)
    assert [p.message for p in problems] == [
        "单元格的文字没有出现在任务页上应在的位置（这是本站的缺陷，请报告）：“3”"
    ]


def test_a_steps_table_that_lost_a_line_is_a_defect(tmp_path: Path) -> None:
    task, html, columns = task_html(tmp_path, SHORT_CELLS)
    broken = re.sub(r"<tr>(?:(?!</tr>).)*第二步正在推进.*?</tr>", "", html, flags=re.DOTALL)
    assert broken != html
    problems = verify_task_page(task, broken, Path("x.txt"), columns)
    assert [p.message for p in problems] == [
        "任务页的步骤表有 1 行，原表这项任务有 2 行：页面与原表对不上（这是本站的缺陷，请报告）"
    ]


def test_a_unit_cell_naming_no_unit_is_shown_as_written(tmp_path: Path) -> None:
    # Found by the format fuzzing: "/" under 责任单位 names no unit, and was on no page.
    table = "序号\t工作任务\t责任单位\t进展情况\n1\t完成改造\t/\t按计划落实\n"
    task, html, columns = task_html(tmp_path, table)
    assert task.units == () and task.units_as_written == "/"
    assert "责任单位的原表写法：/" in html
    assert verify_task_page(task, html, Path("x.txt"), columns) == []
