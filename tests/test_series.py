"""Issue 12: the same task across periods — series, matching, timeline, 本期变化, the unit's
status movement, feeds and the open data. Built from the real 拱墅区 2020 quarterly series of
the corpus and from a marked test fixture derived from the shipped 三季度 table."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from series_fixture import series_data

from builder.__main__ import main as cli
from builder.load import load_site, read_data
from builder.model import Status
from builder.series import period_end, sentence_diff, similarity, table_name

CORPUS = ROOT / "tests/corpus"
GONGSHU = sorted(CORPUS.glob("2020-gongshu-q*-gov-report-key-tasks.html"))
Q = "2024-anqing-industry-q"


def _report(
    year: int | None, period: str | None, title: str = "表", preamble: tuple[str, ...] = ()
):  # type: ignore[no-untyped-def]
    from builder.model import Reconciliation, Report

    return Report(
        slug="x",
        path=Path("x.txt"),
        title=title,
        source_title=None,
        region=None,
        issuer="某局",
        year=year,
        period=period,
        published=None,
        source_url=None,
        has_status=False,
        step_columns=(),
        sections=(),
        tasks=(),
        reconciliation=Reconciliation(0, 0, 0, 0, 0),
        preamble=preamble,
    )


@pytest.mark.parametrize(
    ("period", "title", "preamble", "end"),
    [
        ("一季度", "表", (), "2024-03-31"),
        ("第二季度", "表", (), "2024-06-30"),
        ("上半年", "表", (), "2024-06-30"),
        ("1-7月", "表", (), "2024-07-31"),
        ("1—9月", "表", (), "2024-09-30"),
        ("前三季度", "表", (), "2024-09-30"),
        ("三季度", "表", (), "2024-09-30"),
        ("11月", "表", (), "2024-11-30"),
        ("年度", "表", (), "2024-12-31"),
        (None, "2024年重点工作进展（截至9月20日）", (), "2024-09-20"),
        (None, "重点工作进展", ("截至2024年8月底",), "2024-08-31"),
        (None, "重点工作进展", (), None),
    ],
)
def test_period_end_places_every_way_an_office_writes_a_period(  # type: ignore[no-untyped-def]
    period, title, preamble, end
) -> None:
    found = period_end(_report(2024, period, title, preamble))
    assert (found.date.isoformat() if found else None) == end


def test_periods_order_as_the_issue_says() -> None:
    # months, 一季度 < 上半年 < 三季度 < 年度; a quarter's table before the year's.
    names = ["年度", "三季度", "1-7月", "上半年", "一季度", "四季度", "2月"]
    ordered = sorted(names, key=lambda p: period_end(_report(2024, p)))  # type: ignore[arg-type,return-value]
    assert ordered == ["2月", "一季度", "上半年", "1-7月", "三季度", "四季度", "年度"]


def test_titles_of_one_table_are_the_same_without_their_period() -> None:
    assert table_name("市工信局 2024 年政府工作报告任务 三季度完成情况") == table_name(
        "市工信局 2024 年政府工作报告任务一季度完成情况"
    )
    assert table_name("岳阳楼区2019年1-7月省市重点民生实事项目完成情况") == table_name(
        "岳阳楼区2019年1-8月省市重点民生实事项目完成情况"
    )
    assert table_name("重点工作（截至9月底）") == table_name("重点工作（截至10月底）")
    assert table_name("民生实事进展") != table_name("重点工作进展")


def test_similarity_and_sentence_diff() -> None:
    assert (
        similarity(
            "健全拖欠中小企业账款常态化预防和清理机制",
            "健全拖欠中小企业账款常态化预防和清理长效机制",
        )
        > 0.8
    )
    assert similarity("落实落细工业领域碳达峰实施方案", "开展工业设备更新专项行动") < 0.5
    removed, added = sentence_diff(
        "已新建基站620个。正在推进。", "已新建基站1380个。正在推进。全年目标已完成。"
    )
    assert removed == ("已新建基站620个。",)
    assert added == ("已新建基站1380个。", "全年目标已完成。")


# -- the derived three-period fixture -------------------------------------------------------
def test_a_series_of_three_periods_is_found_ordered_and_matched(tmp_path: Path) -> None:
    result = read_data(series_data(tmp_path))
    assert result.errors == ()
    [series] = result.series
    assert series.id == "2024-anqing-industry"
    assert [r.slug for r in series.reports] == [f"{Q}2", f"{Q}3", f"{Q}4"]
    assert series.name == "市工信局 2024 年政府工作报告任务完成情况"
    q3, q4 = series.comparisons
    assert [t.seq for t in q3.new] == ["29"] and q3.dropped == ()
    assert [c.seq for _, c in q3.done] == ["25"]  # 未完成 → 已完成
    # 进度安排 not done, 施工图 done: the task counts as not done, as the office marks it.
    assert [(p.stated, c.stated) for p, c in q3.done] == [("未完成；已完成", "已完成")]
    # Q4: 22 revised a little (same number, matched) and now done; 30 replaced (not matched);
    # 31 dropped; 32 new.
    assert [c.seq for _, c in q4.done] == ["22"]
    assert sorted(t.seq for t in q4.new) == ["30", "32"]
    assert [t.seq for t in q4.dropped] == ["30", "31"]
    [rejected] = q4.rejected
    assert (rejected.previous.seq, rejected.current.seq) == ("30", "30")
    assert [(p.figure, c.figure) for p, c in q4.moved] == []
    keys = {t.key: [x.report_slug for x in t.tasks] for t in series.threads}
    assert keys["22"] == [f"{Q}2", f"{Q}3", f"{Q}4"]
    assert keys["29"] == [f"{Q}3", f"{Q}4"]
    assert keys["30"] == [f"{Q}2", f"{Q}3"]
    assert keys["30-3"] == [f"{Q}4"]  # the new task under a number used before
    assert keys["32"] == [f"{Q}4"]


def test_check_lists_matched_new_dropped_and_the_pairs_it_would_not_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = series_data(tmp_path)
    assert cli(["check", str(data)]) == 0
    out = capsys.readouterr().out
    assert (
        "系列“市工信局 2024 年政府工作报告任务完成情况”（series/2024-anqing-industry/，3 期" in out
    )
    assert (
        f"{Q}4.txt ← {Q}3.txt：匹配 15 项，新增 2 项（序号 30、32），不再列出 2 项（序号 30、31）"
        in out
    )
    assert "序号 30 与上一期序号 30 文字差别较大" in out
    assert f"在 {data}/reports/{Q}4.yml 中写 match: {{30: 30}}" in out


def test_the_yml_pins_and_forbids_a_match(tmp_path: Path) -> None:
    data = series_data(tmp_path, q4_yml_extra="match:\n  30: 30\n  1: 新增\n")
    [series] = read_data(data).series
    q4 = series.comparisons[1]
    assert q4.pinned == 2
    assert ("30", "30") in [(p.seq, c.seq) for p, c in q4.matched]
    assert sorted(t.seq for t in q4.new) == ["1", "32"]
    assert q4.rejected == ()


def test_a_wrong_match_line_is_an_error_naming_the_yml_line(tmp_path: Path) -> None:
    data = series_data(tmp_path, q4_yml_extra="match:\n  99: 1\n  5: 77\n")
    errors = [str(p) for p in read_data(data).errors]
    assert f"{data}/reports/{Q}4.yml:8: 错误：match: 本期没有序号 99 的任务" in errors
    assert any(e.startswith(f"{data}/reports/{Q}4.yml:9: 错误：match: 上一期") for e in errors)


def test_match_in_the_first_period_or_outside_a_series_is_an_error(tmp_path: Path) -> None:
    data = series_data(tmp_path)
    (data / "reports" / f"{Q}2.yml").write_text(
        (data / "reports" / f"{Q}2.yml").read_text(encoding="utf-8") + "match: {1: 1}\n",
        encoding="utf-8",
    )
    province = data / "reports" / "2023-province-key-tasks.yml"
    province.write_text(province.read_text(encoding="utf-8") + "match: {1: 1}\n", encoding="utf-8")
    errors = [str(p) for p in read_data(data).errors]
    assert (
        f"{data}/reports/{Q}2.yml:7: 错误：match: 本表是同一张表的第一期，没有上一期可以对应"
        in errors
    )
    assert any(
        e.startswith(f"{data}/reports/2023-province-key-tasks.yml:") and "没有找到上一期" in e
        for e in errors
    )


def test_two_tables_of_one_series_and_period_are_an_error(tmp_path: Path) -> None:
    data = series_data(tmp_path)
    reports = data / "reports"
    shutil.copy(reports / f"{Q}4.txt", reports / f"{Q}4b.txt")
    shutil.copy(reports / f"{Q}4.yml", reports / f"{Q}4b.yml")
    errors = [str(p) for p in read_data(data).errors]
    assert any("是同一张表，期间也相同（2024-12-31）" in e for e in errors), errors


def test_a_declared_series_joins_tables_of_other_titles(tmp_path: Path) -> None:
    data = series_data(tmp_path)
    yml = data / "reports" / f"{Q}4.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8") + "title: 市工信局四季度工作台账\nseries: 安庆工信\n",
        encoding="utf-8",
    )
    series = read_data(data).series
    # Q4 leaves the title series and forms none of its own (a series needs two reports).
    assert [[r.slug for r in s.reports] for s in series] == [[f"{Q}2", f"{Q}3"]]


def test_unit_counts_a_task_followed_through_periods_once(tmp_path: Path) -> None:
    site = load_site(series_data(tmp_path)).site
    unit = next(u for u in site.units if u.name == "市经济和信息化局")
    current = site.current(unit.tasks)
    assert len(unit.tasks) == 16 + 17 + 17  # the tasks of three periods
    assert {t.report_slug for t in current} >= {f"{Q}4"}
    assert len(current) == len({site.thread_of(t).key for t in current})  # type: ignore[union-attr]


# -- the built site ---------------------------------------------------------------------
def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_task_page_shows_a_timeline_of_every_period_with_the_change(series_site: Path) -> None:
    page = _soup(series_site, f"reports/{Q}4/22")
    timeline = page.select_one("ol.gk-timeline")
    assert timeline is not None
    items = timeline.select("li.gk-timeline__item")
    assert [
        i.select_one(".gk-timeline__period").get_text(" ", strip=True).split("（")[0].strip()
        for i in items
    ] == [
        "2024 年二季度",
        "2024 年三季度",
        "2024 年四季度",
    ]
    assert "gk-timeline__item--current" in items[2]["class"]
    assert items[0].select_one(".gk-change").get_text() == "首次列出"
    change = items[2].select_one(".gk-change").get_text()
    assert "状态 持续推进 → 已完成" in change and "任务文字有改动" in change
    assert items[2].select_one(".gk-status--done").get_text() == "已完成"
    # Earlier periods link to their own pages, which keep their addresses.
    assert items[0].a["href"] == f"../../../reports/{Q}2/22/"
    assert (series_site / f"reports/{Q}2/22/index.html").exists()


def test_the_narrative_diff_is_readable(series_site: Path) -> None:
    page = _soup(series_site, f"reports/{Q}4/25")
    items = page.select("ol.gk-timeline li.gk-timeline__item")
    diff = items[2].select_one("details.gk-diff")
    assert diff is not None
    assert [i.get_text() for i in diff.select("ins")] == [
        "新增2024年已新建5G基站1380个。",
        "新增全年目标已完成。",
    ]
    assert [d.get_text() for d in diff.select("del")] == ["删去2024年已新建5G基站1152个。"]
    # The 二季度 lines state two words: each with the line it is for.
    assert (
        "状态 进度安排：未完成；施工图：已完成 → 已完成"
        in items[1].select_one(".gk-change").get_text()
    )


def test_one_stable_address_per_task_shows_its_latest_period(series_site: Path) -> None:
    stable = _soup(series_site, "series/2024-anqing-industry/22")
    latest = _soup(series_site, f"reports/{Q}4/22")
    assert stable.h1.get_text() == latest.h1.get_text()
    assert "始终显示最新一期" in stable.select_one(".gk-period-note").get_text()
    assert stable.select_one(".gk-summary .gk-status").get_text() == "已完成"
    # A task the latest report dropped: its address shows its last period, and says so.
    dropped = _soup(series_site, "series/2024-anqing-industry/31")
    note = dropped.select_one(".gk-period-note").get_text()
    assert "2024 年三季度" in note and "2024 年四季度的报告没有再列出这项任务" in note
    last = _soup(series_site, f"reports/{Q}3/31").select_one(".gk-period-note").get_text()
    assert last.startswith("本页为这项任务最后列出的一期；2024 年四季度的报告没有再列出它。")
    # Period pages link to the stable address and say which period they are.
    q2 = _soup(series_site, f"reports/{Q}2/22").select_one(".gk-period-note")
    assert "本页为2024 年二季度的情况" in q2.get_text()
    assert q2.find("a", string="固定链接")["href"] == "../../../series/2024-anqing-industry/22/"


def test_report_page_says_what_changed_since_the_last_report(series_site: Path) -> None:
    page = _soup(series_site, f"reports/{Q}4")
    heading = page.find("h2", string="本期变化")
    assert heading is not None
    groups = {
        d.summary.get_text(): [li.get_text(" ", strip=True) for li in d.select("li")]
        for d in page.select("details.gk-changes")
    }
    assert [k.rsplit("（", 1)[0] for k in groups] == [
        "本期变为已完成（上一期原表写的不是已完成）",
        "本期新增的任务",
        "本期不再列出的任务（链接到上一期）",
    ]
    done = next(v for k, v in groups.items() if k.startswith("本期变为已完成"))
    assert len(done) == 1 and done[0].startswith("序号 22")
    new = next(v for k, v in groups.items() if k.startswith("本期新增的任务"))
    assert [n.split()[1] for n in new] == ["30", "32"]
    first = _soup(series_site, f"reports/{Q}2")
    assert (
        "第一期，没有上一期可比较" in first.find("h2", string="本期变化").find_next("p").get_text()
    )


def test_a_task_left_out_of_one_period_picks_up_again(series_site: Path) -> None:
    # 拱墅区's 二季度 excerpt does not list task 6: the 三季度 task 6 continues 一季度's.
    page = _soup(series_site, "reports/2020-gongshu-q3-gov-report-key-tasks/6")
    items = page.select("ol.gk-timeline li")
    texts = [i.get_text(" ", strip=True) for i in items]
    assert "本期报告没有列出这项任务" in texts[1]
    assert "与2020 年一季度相比（上期未列出）" in texts[2]
    report = _soup(series_site, "reports/2020-gongshu-q3-gov-report-key-tasks")
    assert report.select_one("details.gk-changes--resumed") is not None


def test_unit_page_charts_how_its_statuses_moved(series_site: Path) -> None:
    page = _soup(series_site, "units/市经济和信息化局")
    figure = page.select_one("figure.gk-moves")
    assert figure is not None
    bars = figure.select("svg.gk-moves__bar")
    assert len(bars) == 3
    assert all(b["role"] == "img" and b["aria-label"] for b in bars)
    assert bars[0]["aria-label"].startswith("2024 年二季度：")
    words = [li.get_text() for li in figure.select(".gk-moves__words li")]
    assert words[0] == "2024 年二季度 → 2024 年三季度：1 项由未完成变为已完成，新增 1 项"
    assert "1 项由推进中变为已完成" in words[1]
    # The SVG is static: no script, and every colour has its words beside it.
    assert not figure.select("script")
    assert figure.select(".gk-moves__counts")[0].get_text().startswith("已完成")


def test_feeds_are_valid_atom_and_linked_from_the_pages(series_site: Path) -> None:
    for path, page in [
        ("feeds/reports.xml", ""),
        ("feeds/changes.xml", ""),
        ("feeds/series/2024-anqing-industry.xml", "series/2024-anqing-industry"),
        ("feeds/units/市经济和信息化局.xml", "units/市经济和信息化局"),
    ]:
        feed = feedparser.parse((series_site / path).read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.title and feed.feed.id and feed.feed.updated
        for entry in feed.entries:
            assert entry.id and entry.title and entry.updated and entry.link
            assert entry.link.startswith("https://gongkai.example.com/")
        links = _soup(series_site, page).find_all(
            "link", rel="alternate", type="application/atom+xml"
        )
        hrefs = [link["href"] for link in links]
        assert any(h.endswith(path) for h in hrefs), (page, hrefs)
    reports = feedparser.parse((series_site / "feeds/reports.xml").read_bytes())
    titles = [e.title for e in reports.entries]
    # Newest first: 2024-12-31 (四季度, dated by its period's end), then 三季度.
    assert titles[:2] == [
        "新报告：市工信局 2024 年政府工作报告任务 四季度完成情况",
        "新报告：市工信局 2024 年政府工作报告任务 三季度完成情况",
    ]
    assert "新报告：2020第四季度政府工作报告重点任务目标执行情况" in titles
    changes = feedparser.parse((series_site / "feeds/changes.xml").read_bytes())
    by_title = {e.title: e for e in changes.entries}
    entry = by_title["健全拖欠中小企业账款常态化预防和清理长效机制：持续推进 → 已完成"]
    assert entry.link == f"https://gongkai.example.com/reports/{Q}4/22/"
    assert entry.updated.startswith("2024-12-31")
    unit = feedparser.parse((series_site / "feeds/units/市经济和信息化局.xml").read_bytes())
    assert {e.title for e in unit.entries} >= {
        entry.title,
        "新报告：市工信局 2024 年政府工作报告任务 二季度完成情况",
    }


def test_home_page_lists_recent_updates(series_site: Path) -> None:
    page = _soup(series_site, "")
    recent = page.find("h2", string="最近更新")
    assert recent is not None
    items = [li.get_text(" ", strip=True) for li in page.select("ul.gk-recent li")]
    # No publication date in the derived tables: placed by the period's end, shown by period.
    assert items[0].startswith("2024 年四季度 市工信局 2024 年政府工作报告任务 四季度完成情况")
    assert any(i.startswith("2020-12-31 2020第四季度") for i in items)
    assert "变为已完成 1 项" in items[0]
    feeds = page.find("a", string="新报告（Atom）")
    assert feeds["href"] == "feeds/reports.xml"


def test_open_data_carries_series_period_and_the_matched_task(series_site: Path) -> None:
    data = json.loads((series_site / f"downloads/{Q}4.json").read_text(encoding="utf-8"))
    assert data["series"] == "2024-anqing-industry"
    assert data["previous_report"] == f"{Q}3" and data["period_end"] == "2024-12-31"
    task = next(t for t in data["tasks"] if t["seq"] == "22")
    assert task["previous_task"] == f"{Q}3-22"
    assert task["series_task"] == "series/2024-anqing-industry/22/"
    assert next(t for t in data["tasks"] if t["seq"] == "32")["previous_task"] is None
    rows = list(
        csv.DictReader(io.StringIO((series_site / f"downloads/{Q}4.csv").read_text("utf-8-sig")))
    )
    row = next(r for r in rows if r["task_id"] == f"{Q}4-22")
    assert (row["series"], row["period"], row["previous_task_id"]) == (
        "2024-anqing-industry",
        "四季度",
        f"{Q}3-22",
    )
    everything = json.loads(
        (series_site / "downloads/gongkai-all.json").read_text(encoding="utf-8")
    )
    series = {s["id"]: s for s in everything["series"]}
    thread = next(t for t in series["2024-anqing-industry"]["tasks"] if t["url"].endswith("/22/"))
    assert thread["periods"] == [f"{Q}2-22", f"{Q}3-22", f"{Q}4-22"]
    dictionary = (series_site / "open-data/index.html").read_text(encoding="utf-8")
    for name in (
        "series",
        "period_end",
        "previous_report",
        "series_task",
        "previous_task",
        "previous_task_id",
    ):
        assert f"<code>{name}</code>" in dictionary, name


def test_series_page_lists_periods_and_every_task(series_site: Path) -> None:
    page = _soup(series_site, "series/2024-anqing-industry")
    assert page.h1.get_text() == "市工信局 2024 年政府工作报告任务完成情况"
    rows = page.select("table.gk-series-tasks tbody tr")
    assert len(rows) == 19  # 17 of 三季度, 30 and 31 dropped or replaced, 30-3 and 32 new
    first = rows[0].find_all("td")
    assert first[0].a["href"] == "../../series/2024-anqing-industry/1/"
    assert [td["data-label"] for td in first[1:]] == [
        "2024 年二季度",
        "2024 年三季度",
        "2024 年四季度",
    ]


def test_the_shipped_data_still_builds_as_before(tmp_path: Path) -> None:
    # The shipped reports are of two issuers and years: no series, no 本期变化, no timeline.
    site = load_site(ROOT / "data").site
    assert site.series == ()
    assert all(site.thread_of(t) is None for t in site.tasks)
    del tmp_path


def test_corpus_series_of_real_tables() -> None:
    site = load_site(_corpus_data()).site
    names = {s.id: [r.period for r in s.reports] for s in site.series}
    assert names["2020-gongshu-gov-report-key-tasks"] == ["一季度", "二季度", "三季度", "四季度"]
    yueyang = next(s for s in site.series if s.reports[0].slug.startswith("2019-yueyanglouqu"))
    assert [r.period for r in yueyang.reports] == ["1-7月", "1-8月"]
    step = yueyang.comparisons[0]
    assert len(step.matched) == 13 and step.new == () and step.dropped == ()
    # The stated 任务完成率 of each month, never computed: 新增城镇就业 72% → 80%.
    assert [(p.figure.text, c.figure.text) for p, c in step.moved][:2] == [  # type: ignore[union-attr]
        ("72%", "80%"),
        ("5%", "104%"),
    ]
    gongshu = next(s for s in site.series if s.id == "2020-gongshu-gov-report-key-tasks")
    last = gongshu.comparisons[-1]
    assert [(p.stated, c.stated) for p, c in last.done] == [
        ("正常进行中", "已完成"),
        ("未写明状态", "已完成"),
    ]
    assert {c.status for _, c in last.done} == {Status.DONE}


def _corpus_data() -> Path:
    import tempfile

    data = Path(tempfile.mkdtemp()) / "data"
    (data / "reports").mkdir(parents=True)
    shutil.copy(CORPUS / "units.yml", data / "units.yml")
    for table in CORPUS.iterdir():
        if table.suffix in (".txt", ".html") and table.with_suffix(".expect.yml").exists():
            shutil.copy(table, data / "reports" / table.name)
            shutil.copy(
                table.with_suffix(".yml"), data / "reports" / table.with_suffix(".yml").name
            )
    return data


def test_feeds_are_written_by_the_render_command(tmp_path: Path) -> None:
    data = series_data(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "builder", "render", str(data), str(out)],
        cwd=tmp_path,  # no mkdocs.yml here: no site address
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    feed = feedparser.parse((out / "feeds/changes.xml").read_bytes())
    assert not feed.bozo
    # Without a site address the links are relative to the feed itself.
    assert feed.entries[0].link.startswith("../reports/")


def test_every_link_of_the_series_pages_leads_somewhere(series_site: Path) -> None:
    pages = [
        "series/2024-anqing-industry",
        "series/2024-anqing-industry/22",
        f"reports/{Q}4",
        f"reports/{Q}2/22",
        "reports/2020-gongshu-q3-gov-report-key-tasks/6",
        "units/市经济和信息化局",
        "",
    ]
    for path in pages:
        here = series_site / path
        for tag in _soup(series_site, path).find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith(("http", "tel:", "#", "mailto:")):
                continue
            target = (here / unquote(href.split("#")[0].split("?")[0])).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), (path, href)


@pytest.fixture(params=[360, 1280])
def at(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 500 else 900})
    page = context.new_page()
    yield page
    context.close()


def test_series_pages_in_a_browser_at_phone_and_desktop_width(at, serve, series_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(series_site)
    for path in [
        "series/2024-anqing-industry/",
        f"reports/{Q}4/",
        f"reports/{Q}4/25/",
        "units/市经济和信息化局/",
        "",
    ]:
        at.goto(base + quote(path))
        width = at.evaluate("document.documentElement.scrollWidth")
        assert width <= at.viewport_size["width"], (path, width)
    # The diff is folded; one tap shows the added and taken-out sentences.
    at.goto(base + quote(f"reports/{Q}4/25/"))
    added = at.locator("details.gk-diff ins").first
    assert not added.is_visible()
    at.locator("details.gk-diff summary").first.click()
    assert added.is_visible()
    assert added.inner_text().startswith("新增")
    # From the timeline to an earlier period's page, and from there to the stable address.
    at.get_by_role("link", name="2024 年二季度").first.click()
    at.wait_for_url(f"**/reports/{Q}2/25/")
    at.get_by_role("link", name="固定链接").click()
    at.wait_for_url("**/series/2024-anqing-industry/25/")
    assert "2024 年四季度" in at.locator(".gk-period-note").inner_text()
    # 长者模式 enlarges the new parts too.
    at.goto(base + quote("units/市经济和信息化局/"))
    # The bars take the status colours of the page's stylesheet.
    fill = at.locator("svg.gk-moves__bar rect.gk-chart__fill--done").first
    assert fill.evaluate("e => getComputedStyle(e).fill") == "rgb(27, 127, 59)"
    selectors = [".gk-moves__period", ".gk-moves__counts", ".gk-moves figcaption"]
    sizes = [
        at.locator(s).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        for s in selectors
    ]
    at.evaluate("document.documentElement.classList.add('gk-elder')")
    larger = [
        at.locator(s).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        for s in selectors
    ]
    assert all(b >= 1.3 * a for a, b in zip(sizes, larger, strict=True)), (sizes, larger)


def test_a_narrative_rewritten_whole_is_said_so_not_listed_twice(series_site: Path) -> None:
    # 拱墅区 rewrites each quarter's 进展情况: no sentence is kept, so no sentence list —
    # the earlier text is under its period, this period's in the table above.
    page = _soup(series_site, "reports/2020-gongshu-q4-gov-report-key-tasks/3")
    last = page.select("ol.gk-timeline li.gk-timeline__item")[-1]
    assert (
        last.select_one(".gk-change").get_text()
        == "与上期相比：状态 正常进行中 → 已完成；进展情况全部改写"
    )
    assert last.select_one("details.gk-diff") is None
    earlier = page.select("ol.gk-timeline li.gk-timeline__item")[-2]
    assert earlier.select_one("details.gk-timeline__text p").get_text()


def test_a_renumbered_task_is_matched_by_its_text_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = series_data(tmp_path)
    q4 = data / "reports" / f"{Q}4.txt"
    q4.write_text(re.sub(r"(?m)^12\t", "13\t", q4.read_text(encoding="utf-8")), encoding="utf-8")
    [series] = read_data(data).series
    assert [(p.seq, c.seq) for p, c in series.comparisons[1].renumbered] == [("12", "13")]
    thread = next(t for t in series.threads if t.key == "12")
    assert [t.seq for t in thread.tasks] == ["12", "12", "13"]
    assert cli(["check", str(data)]) == 0
    out = capsys.readouterr().out
    assert (
        "  序号 13 对应上一期序号 12（文字相似度 1.00）：“新增省级以上特色产业集群 2 个”。" in out
    )
    assert f"如不是同一项任务，在 {data}/reports/{Q}4.yml 中写 match: {{13: 新增}}" in out
