"""Files as staff hold them: every format read, nothing skipped in silence, units by place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from conftest import ROOT, make_project, mkdocs_build

from builder.load import read_data
from builder.model import Status

TABLE = [
    ["序号", "工作任务", "责任单位", "进展情况"],
    ["1", "新建学校", "县教育局", "主体完工"],
    ["2", "新建养老院", "县民政局", "完成设计"],
]


def check(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", "check", str(data)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _xlsx(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_files_no_reader_takes_are_errors_with_the_conversion_command(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0old word")
    (reports / "b.pdf").write_bytes(b"%PDF-1.4")
    (reports / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0old excel")
    (reports / "d.csv").write_text("\n".join(",".join(r) for r in TABLE), encoding="gbk")
    (reports / "~$d.xlsx").write_bytes(b"lock file of an open workbook")
    result = check(tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert (
        f"{reports / 'a.doc'}: 错误：不能读取 .doc 文件：请先转换，例如 `soffice --headless --convert-to docx a.doc`"
        in out
    )
    assert (
        f"{reports / 'c.xls'}: 错误：不能读取 .xls 文件：请先转换，例如 `soffice --headless --convert-to xlsx c.xls`"
        in out
    )
    # A PDF is read: this one is no real PDF, and is said to be damaged.
    assert f"{reports / 'b.pdf'}: 错误：无法读取 PDF 文件：文件已损坏" in out
    # The .csv next to them is read, not skipped; the Office lock file is not a table.
    assert f"{reports / 'd.csv'}：2 项任务" in out
    assert "~$d.xlsx" not in out
    assert "Traceback" not in result.stderr


def test_a_workbook_gives_a_report_per_sheet_or_the_sheet_named(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    _xlsx(
        reports / "w.xlsx",
        {"一季度": [["一季度重点工作"], *TABLE], "表2": [["二季度重点工作"], *TABLE]},
    )
    result = read_data(tmp_path)
    assert [r.slug for r in result.reports] == ["w-1", "w-2"]
    # The sheet's name is added where the title does not say it already.
    assert [r.title for r in result.reports] == ["一季度重点工作", "二季度重点工作（表2）"]
    (reports / "w.yml").write_text("sheet: 表2\n", encoding="utf-8")
    result = read_data(tmp_path)
    assert [r.slug for r in result.reports] == ["w"] and result.reports[0].period == "二季度"
    (reports / "w.yml").write_text("sheet: 三季度\n", encoding="utf-8")
    result = read_data(tmp_path)
    assert [str(p) for p in result.errors] == [
        f"{reports / 'w.yml'}: 错误：sheet: 工作表“三季度”不存在（有：一季度、表2）"
    ]


def test_messages_of_a_workbook_name_the_sheet_and_row(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    _xlsx(reports / "w.xlsx", {"表1": [["标题"], *TABLE, ["2", "重复", "县教育局", ""]]})
    result = read_data(tmp_path)
    assert [str(p).split("\n")[0] for p in result.errors] == [
        f"{reports / 'w.xlsx'}: 工作表“表1”第 5 行: 错误：序号 2 与第 4 行的序号 2 重复"
    ]


def test_same_unit_name_in_two_counties_is_two_units(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    for slug, region in (("a", "浙江省温州市苍南县"), ("b", "浙江省温州市泰顺县")):
        (data / "reports" / f"{slug}.txt").write_text(
            f"{region}民生实事\n" + "\n".join("\t".join(r) for r in TABLE) + "\n", encoding="utf-8"
        )
        (data / "reports" / f"{slug}.yml").write_text(
            f"region: {region}\nsource_note: 测试数据\n", encoding="utf-8"
        )
    (data / "units.yml").write_text(
        "units:\n"
        "  - {name: 县教育局}\n"  # region-less: holds in every report, one unit per place
        "  - {name: 县民政局, region: 浙江省温州市苍南县}\n"
        "  - {name: 县民政局, region: 浙江省温州市泰顺县, aliases: [民政局]}\n",
        encoding="utf-8",
    )
    project = make_project(tmp_path, data)
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site" / "units"
    for region in ("浙江省温州市苍南县", "浙江省温州市泰顺县"):
        for unit in ("县教育局", "县民政局"):
            page = (site / region / unit / "index.html").read_text(encoding="utf-8")
            assert region in page
    assert not (site / "县民政局").exists()


def test_check_suggests_the_yml_that_publishes_a_table(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.txt").write_text(
        "民生项目表\n民生项目\t承办单位\t推进情况说明\n新建学校\t县教育局\t完成主体\n",
        encoding="utf-8",
    )
    result = check(tmp_path)
    assert result.returncode == 1
    assert f"{reports / 'x.txt'}:2: 错误：找不到表头" in result.stdout
    assert result.stdout.count("找不到表头") == 1
    assert "columns:\n      民生项目: 任务" in result.stdout
    assert result.stdout.rstrip().endswith("有错误时不发布任何内容。")
    (reports / "x.yml").write_text("columns:\n  民生项目: 任务\n", encoding="utf-8")
    result = check(tmp_path)
    assert result.returncode == 0, result.stdout
    assert f"{reports / 'x.txt'}：1 项任务" in result.stdout


def test_readme_role_table_is_the_one_the_reader_uses() -> None:
    from builder.columns import role_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- roles -->\n", 1)[1].split("\n<!-- /roles -->", 1)[0]
    assert block == role_table()


def test_a_task_column_of_an_unknown_name_is_guessed_and_said(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.txt").write_text(
        "民生项目表\n编号\t民生项目\t承办单位\t推进情况说明\n1\t新建学校\t县教育局\t完成主体\n",
        encoding="utf-8",
    )
    result = read_data(tmp_path)
    assert [t.text for t in result.reports[0].tasks] == ["新建学校"]
    assert any(
        "没有认出任务列：按“民生项目”一列作任务发布（其他列都认得）" in p.message
        for p in result.warnings
    )


def test_a_word_table_is_titled_by_its_title_not_the_lines_around_it(tmp_path: Path) -> None:
    import docx

    reports = tmp_path / "reports"
    reports.mkdir()
    document = docx.Document()
    for line in ("附件1", "2024年重点工作推进情况表", "（截至2024年6月30日）", "单位：万元"):
        document.add_paragraph(line)
    table = document.add_table(rows=len(TABLE), cols=4)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(reports / "w.docx")
    report = read_data(tmp_path).reports[0]
    assert report.title == "2024年重点工作推进情况表" and report.year == 2024
    assert report.preamble == ("附件1", "（截至2024年6月30日）", "单位：万元")


def test_a_task_column_is_suggested_only_from_clear_evidence(tmp_path: Path) -> None:
    """Lines numbered 14. 15. in order name the task column; a column of results (取得成效),
    however long its texts, is never suggested. With the suggested line the table publishes
    with 序号 14 and the task text without its number."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.txt").write_text(
        "2024年工作要点落实情况\n目标\t责任单位\t取得成效\n"
        "14.加快建设交通枢纽项目\t市交通运输局\t全年完成投资20亿元，取得明显成效，综合交通网络进一步完善\n"
        "15.推进乡村振兴\t市农业农村局\t建成高标准农田5万亩，取得积极成效，农民收入稳步增长\n",
        encoding="utf-8",
    )
    result = read_data(tmp_path)
    assert not result.reports
    (suggestion,) = result.suggestions
    assert suggestion.yml == "columns:\n  目标: 任务"
    assert suggestion.candidates[0] == "目标" and "取得成效" in suggestion.candidates
    (reports / "x.yml").write_text(suggestion.yml + "\n", encoding="utf-8")
    tasks = read_data(tmp_path).reports[0].tasks
    assert [(t.seq, t.text) for t in tasks] == [
        ("14", "加快建设交通枢纽项目"),
        ("15", "推进乡村振兴"),
    ]


def test_two_unknown_columns_beside_a_number_are_asked_not_guessed(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.txt").write_text(
        "民生项目表\n编号\t民生项目\t建设内容\t承办单位\t推进情况说明\n1\t新建学校\t建设教学楼\t县教育局\t完成主体\n",
        encoding="utf-8",
    )
    result = read_data(tmp_path)
    assert not result.reports
    (error,) = result.errors
    assert "如是“民生项目”列，写 columns: {民生项目: 任务}" in error.message
    assert "如是“建设内容”列，写 columns: {建设内容: 任务}" in error.message


def test_a_project_list_grouped_by_lead_unit_gives_each_project_its_own_task() -> None:
    """新建区's real list (tests/shapes, with its source): groups 一/二/三 by lead unit, projects
    (一)(二) in the project column (the group's row holds its first project), sub-items 1. 2. 3.
    beside them. Read before: three tasks, each titled by its group's first project and
    silently holding the others."""
    from builder.load import load_file
    from builder.units import Registry

    table = ROOT / "tests/shapes/2024-xinjian-district-minsheng-piaojue-jindu.xlsx"
    (report,), _, _ = load_file(table, Registry())
    assert [(t.seq, t.text[:6], t.section, len(t.steps)) for t in report.tasks] == [
        ("(一)", "“打通断头路", "一、区住建局", 3),
        ("(一)", "城区居民户内", "二、区城管局", 1),
        ("(二)", "“城镇老旧小", "二、区城管局", 1),
        ("(三)", "井盖整治项目", "二、区城管局", 1),
        ("(一)", "公共场所全民", "三、区教体局", 1),
        ("(二)", "中小学幼儿园", "三、区教体局", 3),
    ]
    assert report.sections == ("一、区住建局", "二、区城管局", "三、区教体局")
    assert [t.units for t in report.tasks][3] == ("区城管局",)


def test_a_table_without_its_header_row_is_refused_then_read_with_the_header_staff_write(
    tmp_path: Path,
) -> None:
    """A page whose header row was lost (平阳县 in the corpus, here made up): never read with
    its first task as the header; check suggests the header from what the columns hold."""
    reports = tmp_path / "reports"
    reports.mkdir()
    rows = [
        "1\t新建城东幼儿园一所，新增学位360个。\t县教育局\t主体结构已封顶，正在内部装修。\t按时序推进",
        "2\t改造提升农贸市场3个，完善配套设施。\t县市场监管局\t2个已完工，1个正在施工。\t按时序推进",
        "3\t新增城市公共停车位500个以上。\t县住建局\t已建成320个，其余在建。\t滞后",
    ]
    (reports / "x.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = read_data(tmp_path)
    assert not result.reports
    (error,) = result.errors
    assert error.line == 1
    assert "header: [序号, 任务, 责任单位, 进展情况, 完成状态]" in error.message
    (reports / "x.yml").write_text(
        "header: [序号, 任务, 责任单位, 进展情况, 完成状态]\n", encoding="utf-8"
    )
    result = read_data(tmp_path)
    assert result.errors == ()
    (report,) = result.reports
    assert [(t.seq, t.units, t.status) for t in report.tasks] == [
        ("1", ("县教育局",), Status.IN_PROGRESS),
        ("2", ("县市场监管局",), Status.IN_PROGRESS),
        ("3", ("县住建局",), Status.BEHIND),
    ]
    # A joined: line naming no header is a mistake worth stopping for.
    (reports / "x.yml").write_text(
        "header: [序号, 任务, 责任单位, 进展情况, 完成状态]\njoined: [任务, 目标]\n",
        encoding="utf-8",
    )
    (error,) = read_data(tmp_path).errors
    assert error.line == 2 and "joined 中的列名“目标”不在表头中" in error.message
