"""A file holding several tables: continuations joined, other tables named, a choice asked for.

Each test writes a real Word file (python-docx) or web page and reads the data folder as
``check`` does; the decision about the tables is read off the report's reading record.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import preview, sidecar
from builder.__main__ import main
from builder.errors import Severity
from builder.load import DataResult, read_data
from builder.readers import read
from builder.reading import Basis, Decision
from builder.tables import SUBJECT

HEADER = ["序号", "工作任务", "牵头单位", "完成情况"]


def rows(first: int, last: int) -> list[list[str]]:
    return [[str(n), f"任务{n}", "县发改委", "已完成"] for n in range(first, last + 1)]


def word(path: Path, *blocks: str | list[list[str]]) -> Path:
    """A Word file of paragraphs (str) and tables (rows of cells), in this order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.save(path)
    return path


def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    return reports


def choice(result: DataResult) -> list[Decision]:
    (report,) = result.reports
    assert report.reading is not None
    return [d for d in report.reading.decisions if d.column is None and "表" in d.subject]


def test_a_word_table_split_with_its_header_repeated_reads_as_one(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    word(
        reports / "x.docx",
        "2024年重点工作任务进展表",
        [HEADER, *rows(1, 3)],
        "（续表）",
        [HEADER, *rows(4, 5)],
    )
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [t.seq for t in report.tasks] == ["1", "2", "3", "4", "5"]
    assert report.title == "2024年重点工作任务进展表"
    which, joined = choice(result)
    assert which.subject == SUBJECT and which.choice == "表 1 及续表 表 2"
    assert joined == Decision(
        "表 2",
        "表 1 的续表",
        Basis.HEADER,
        "表头与表 1 的表头相同；序号接着表 1 编（3 之后是 4）；两表之间写着“（续表）”",
    )
    # Table 2's repeated header is read as such, not as a task.
    assert not any(p.message.startswith("表头") for p in result.problems)


def test_a_word_table_split_without_its_header_reads_as_one_where_numbering_goes_on(
    tmp_path: Path,
) -> None:
    reports = folder(tmp_path)
    path = word(reports / "x.docx", "2024年重点工作任务进展表", [HEADER, *rows(1, 3)], rows(4, 6))
    # A merged 牵头单位 cell in the second part: its merge is read in the joined table.
    document = docx.Document(str(path))
    second = document.tables[1]
    second.cell(1, 2).merge(second.cell(2, 2)).text = "县财政局"
    document.save(path)
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [t.text for t in report.tasks] == [f"任务{n}" for n in range(1, 7)]
    assert [t.units for t in report.tasks[3:]] == [("县发改委",), ("县财政局",), ("县财政局",)]
    which, joined = choice(result)
    assert which.evidence.startswith(
        "文件中有 2 个表格：表 1 及续表 表 2（序号 | 工作任务 | 牵头单位 | 完成情况，7 行，第一项“任务1”）"
    )
    assert joined.choice == "表 1 的续表" and joined.basis is Basis.CONTENT
    assert joined.evidence == "没有表头，列数不多于表 1，“序号”列的序号接着表 1 编（3 之后是 4）"


def test_a_headerless_table_whose_numbering_does_not_go_on_is_not_joined_and_said(
    tmp_path: Path,
) -> None:
    reports = folder(tmp_path)
    word(reports / "x.docx", "2024年重点工作任务进展表", [HEADER, *rows(1, 3)], rows(7, 9))
    result = read_data(tmp_path)
    (report,) = result.reports
    assert [t.seq for t in report.tasks] == ["1", "2", "3"]
    (warning,) = [p for p in result.warnings if "续表" in p.message]
    assert warning.message.startswith(
        "表 2（首行：7 | 任务7 | 县发改委 | 已完成，3 行，不是任务表：认不出表头（没有任务列和另一列））"
        "与表 1 列数相同，但没有表头、序号也没有接着表 1 编，看不出是不是续表，没有读取"
    )
    assert [(f.key, f.entry, f.sure) for f in warning.fixes] == [
        ("table", "1", False),
        ("table", "2", False),
    ]


def test_two_task_tables_are_not_chosen_between_and_table_n_reads_one(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    word(
        reports / "x.docx",
        "附件1",
        "2024年重点工作任务分解表",
        [HEADER, *rows(1, 3)],
        "附件2",
        "2024年民生实事项目表",
        [["序号", "项目名称", "责任单位"], ["1", "新建学校", "县教育局"]],
    )
    result = read_data(tmp_path)
    assert result.reports == ()
    (error,) = result.errors
    assert error.path == reports / "x.docx" and error.line is None
    assert error.message == (
        "文件中有 2 个表格："
        "表 1（序号 | 工作任务 | 牵头单位 | 完成情况，4 行，第一项“任务1”）；"
        "表 2（序号 | 项目名称 | 责任单位，2 行，第一项“新建学校”）。"
        "其中有 2 个任务表，本站不替您选：请在 .yml 中写要发布的一个，"
        "表 1 写 table: 1；表 2 写 table: 2"
    )
    # check --write writes both lines commented out, for staff to keep one.
    assert main(["check", "--write", str(tmp_path)]) == 1
    written = (reports / "x.yml").read_text(encoding="utf-8")
    assert written.startswith(sidecar.MARKER)
    assert "\n# table: 1   # 表 1（序号 | 工作任务 | 牵头单位 | 完成情况，4 行" in written
    assert "\n# table: 2   # 表 2（序号 | 项目名称 | 责任单位，2 行" in written

    (reports / "x.yml").write_text("table: 2\n", encoding="utf-8")
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [t.text for t in report.tasks] == ["新建学校"]
    assert report.title == "2024年民生实事项目表"
    (which,) = choice(result)
    assert (which.choice, which.basis, which.line, which.change) == (
        "表 2",
        Basis.YML,
        1,
        "table: 1",
    )
    assert which.evidence.endswith("读取的是表 2，因为 .yml 中写了 table: 2")


def test_a_table_number_that_is_not_there_is_an_error_naming_the_tables(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    word(reports / "x.docx", [HEADER, *rows(1, 2)], "附件2", [["填报单位", "县政府办"]])
    (reports / "x.yml").write_text("year: 2024\ntable: 9\n", encoding="utf-8")
    result = read_data(tmp_path)
    assert result.reports == ()
    (error,) = result.errors
    assert (error.path, error.line) == (reports / "x.yml", 2)
    assert error.message == (
        "table: 9：文件中没有表 9。文件中有 2 个表格："
        "表 1（序号 | 工作任务 | 牵头单位 | 完成情况，3 行，第一项“任务1”）；"
        "表 2（首行：填报单位 | 县政府办，1 行，不是任务表：认不出表头，行数太少）"
    )


def test_table_is_refused_for_a_file_read_as_one_table(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    (reports / "x.txt").write_text("序号\t工作任务\t牵头单位\n1\t任务1\t县发改委\n", "utf-8")
    (reports / "x.yml").write_text("table: 2\n", encoding="utf-8")
    (error,) = read_data(tmp_path).errors
    assert error.message.startswith("table: 只用于有几个表格的 Word、PDF 文件和网页")


PAGE = """<html><head><title>2024年民生实事进展_某县人民政府</title></head><body>
<h1>2024年民生实事进展情况</h1>
<table>
<tr><td>序号</td><td>项目名称</td><td>责任单位</td><td>进展情况</td></tr>
<tr><td>1</td><td>新建学校</td><td>县教育局</td><td>主体完工</td></tr>
<tr><td>2</td><td>改造道路</td><td>县交通局</td><td>已完成</td></tr>
</table>
<table>
<tr><td>索引号:</td><td>0001/2024-001</td><td>成文日期:</td><td>2024-07-05</td></tr>
<tr><td>发布机构:</td><td>某县人民政府办公室</td></tr>
</table>
</body></html>
"""


def test_a_page_with_a_data_table_and_its_metadata_table_reads_the_data_and_names_both(
    tmp_path: Path,
) -> None:
    reports = folder(tmp_path)
    page = reports / "x.html"
    page.write_text(PAGE, encoding="utf-8")
    first, second = read(page)
    assert (first.table, second.table) == (1, 2)
    # The date is in the other table: each table's page is the page without that table.
    assert (first.title, first.date) == ("2024年民生实事进展情况", "2024-07-05")
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [t.text for t in report.tasks] == ["新建学校", "改造道路"]
    (which,) = choice(result)
    assert which.evidence == (
        "文件中有 2 个表格："
        "表 1（第 4 行起，序号 | 项目名称 | 责任单位 | 进展情况，3 行，第一项“新建学校”）；"
        "表 2（第 9 行起，首行：索引号: | 0001/2024-0… | 成文日期: | 2024-07-05，2 行，"
        "不是任务表：认不出表头，行数太少）；"
        "读取的是表 1，因为只有它是任务表（认出了表头，表头下有数据行）"
    )
    assert not [
        p for p in result.problems if p.severity is Severity.WARNING and "表格" in p.message
    ]
    # The staff preview shows it with the other reading decisions.
    (page_html, _) = [p.html for p in preview.pages(result)]
    assert "文件中的表格</strong>读作：表 1" in page_html
    # And check prints it under the report.
    out = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert f"{page}：2 项任务" in out
    assert "\n  文件中有 2 个表格：表 1（第 4 行起" in out


def test_two_tables_with_one_header_whose_numbering_starts_again_are_two_tables(
    tmp_path: Path,
) -> None:
    reports = folder(tmp_path)
    table = (
        "<table><tr><td>序号</td><td>项目名称</td><td>责任单位</td></tr>"
        "<tr><td>1</td><td>{}</td><td>县教育局</td></tr></table>"
    )
    (reports / "x.html").write_text(table.format("新建学校") + table.format("改造道路"), "utf-8")
    result = read_data(tmp_path)
    (error,) = result.errors
    assert "其中有 2 个任务表，本站不替您选" in error.message
    assert [f.entry for f in error.fixes] == ["1", "2"]


def test_a_section_line_between_two_parts_of_one_list_is_kept_as_a_row(tmp_path: Path) -> None:
    """The same header and the numbering going on across a line written between the tables
    (二、下半年工作): one list, the line read as its section, as the PDF of it reads."""
    reports = folder(tmp_path)
    word(
        reports / "x.docx",
        "2024年重点工作任务进展表",
        [HEADER, *rows(1, 2)],
        "二、下半年工作",
        [HEADER, *rows(3, 4)],
    )
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [(t.seq, t.section) for t in report.tasks] == [
        ("1", None),
        ("2", None),
        ("3", "二、下半年工作"),
        ("4", "二、下半年工作"),
    ]
    (_, joined) = choice(result)
    assert joined.evidence == (
        "表头与表 1 的表头相同；序号接着表 1 编（2 之后是 3）；两表之间的“二、下半年工作”读作表中的一行"
    )


def test_a_word_file_whose_task_column_is_known_by_elimination_reads_that_table(
    tmp_path: Path,
) -> None:
    """沙坪坝区's 附件1 and 附件2: table 1's header names 序号 and 责任单位, so its one other
    column holds the tasks (said, for staff to confirm); table 2 has only a header."""
    reports = folder(tmp_path)
    word(
        reports / "x.docx",
        "附件1",
        [
            ["序号", "2022年预期目标", "责任单位"],
            ["1", "地区生产总值增长5.5%左右", "区发改委"],
            ["2", "固定资产投资增长6%左右", "区发改委"],
        ],
        "附件2",
        [HEADER],
    )
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [t.text for t in report.tasks] == ["地区生产总值增长5.5%左右", "固定资产投资增长6%左右"]
    (guessed,) = [w.message for w in result.warnings if w.message.startswith("没有认出任务列")]
    assert "按“2022年预期目标”一列作任务发布" in guessed
    assert report.reading is not None
    (said,) = [d for d in report.reading.decisions if d.subject.startswith("文件中")]
    assert "读取的是表 1" in said.choice + said.evidence


def test_a_page_of_many_small_tables_lists_the_task_tables_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    reports = folder(tmp_path)
    nav = "<table><tr><td>首页</td><td>政务公开</td></tr></table>" * 8
    table = (
        "<table><tr><td>序号</td><td>项目名称</td><td>责任单位</td></tr>"
        "<tr><td>1</td><td>{}</td><td>县教育局</td></tr></table>"
    )
    (reports / "x.html").write_text(
        nav + table.format("新建学校") + "<p>附件2</p>" + table.format("改造道路"), "utf-8"
    )
    (error,) = read_data(tmp_path).errors
    assert error.message.startswith(
        "文件中有 10 个表格：表 1（第 1 行起，首行：首页 | 政务公开，1 行"
    )
    assert "表 9（第 1 行起，序号 | 项目名称 | 责任单位，2 行，第一项“新建学校”）" in error.message
    assert "表 10（第 1 行起，序号 | 项目名称 | 责任单位，2 行，第一项“改造道路”）" in error.message
    assert "另有 4 个表格，都不是任务表。" in error.message
    assert [f.entry for f in error.fixes] == ["9", "10"]


def test_lines_between_two_parts_that_name_no_part_are_said_not_read(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    word(
        reports / "x.docx",
        "2024年重点工作任务进展表",
        [HEADER, *rows(1, 2)],
        "重点工作任务进展表（续）",
        [HEADER, *rows(3, 3)],
        "第 2 页",
        rows(4, 4),
    )
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [(t.seq, t.section) for t in report.tasks] == [(str(n), None) for n in range(1, 5)]
    which, *joined = choice(result)
    assert which.choice == "表 1 及续表 表 2、表 3"
    assert [d.evidence for d in joined] == [
        "表头与表 1 的表头相同；序号接着表 1 编（2 之后是 3）；两表之间写着“重点工作任务进展表（续）”",
        "没有表头，列数不多于表 1，“序号”列的序号接着表 1 编（3 之后是 4）；两表之间写着“第 2 页”",
    ]
    (said,) = [w.message for w in result.warnings if "续表" in w.message]
    assert said == "表 3 读作表 1 的续表，两表之间的文字“第 2 页”不是表中的行，没有读取"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(2, 9),
    cuts=st.sets(st.integers(1, 8), min_size=1, max_size=3),
    repeated=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_a_table_split_anywhere_reads_as_the_whole_table(  # type: ignore[no-untyped-def]
    count: int, cuts: set[int], repeated: list[bool], tmp_path_factory
) -> None:
    """Split at any rows, each part with its header repeated or not: the same tasks as the
    table in one piece."""
    whole = [HEADER, *rows(1, count)]
    parts: list[list[list[str]]] = []
    start = 1
    for n, cut in enumerate(sorted(c for c in cuts if c < count)):
        parts.append(([HEADER] if repeated[n] and parts else []) + whole[start : cut + 1])
        start = cut + 1
    parts.append(([HEADER] if repeated[-1] and parts else []) + whole[start:])
    parts[0] = [HEADER, *parts[0]]
    read = []
    for blocks in ([whole], parts):
        folder_ = tmp_path_factory.mktemp("split")
        word(folder(folder_) / "x.docx", "2024年重点工作任务进展表", *blocks)
        result = read_data(folder_)
        assert result.errors == (), result.errors
        (report,) = result.reports
        read.append([(t.seq, t.text, t.units) for t in report.tasks])
    assert read[0] == read[1]


def test_a_title_put_in_a_table_of_its_own_titles_the_table_under_it(tmp_path: Path) -> None:
    reports = folder(tmp_path)
    word(reports / "x.docx", [["2024年重点工作任务进展表"]], [HEADER, *rows(1, 2)])
    result = read_data(tmp_path)
    (report,) = result.reports
    assert report.title == "2024年重点工作任务进展表"
    (which,) = choice(result)
    assert which.evidence.endswith(
        "读取的是表 2，因为只有它是任务表（认出了表头，表头下有数据行）；"
        "表 1 只有一格文字，没有别的标题，读作表 2 上方的行"
    )
