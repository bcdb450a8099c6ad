"""Open data: CSV (UTF-8 with BOM) and JSON per report, the whole data set, every field documented."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT

from builder.export import CSV_FIELDS, REPORT_FIELDS, STEP_FIELDS, TASK_FIELDS

SLUG = "2024-anqing-industry-q3"


def test_report_csv_opens_in_excel_and_has_a_row_per_step(site_dir: Path) -> None:
    raw = (site_dir / f"downloads/{SLUG}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 34
    assert list(rows[0]) == list(CSV_FIELDS)
    first = rows[2]
    assert first["task_id"] == f"{SLUG}-4" and first["step_kind"] == "进度安排"
    assert (
        first["units"] == "市经济和信息化局、安庆石化、安庆高新区管委会"
        and first["offices"] == "产业科"
    )
    assert first["mark"] == "✓（已完成）" and first["step_status"] == "done"


def test_report_json_and_whole_data_set(site_dir: Path) -> None:
    report = json.loads((site_dir / f"downloads/{SLUG}.json").read_text(encoding="utf-8"))
    assert list(report) == list(REPORT_FIELDS)
    assert len(report["tasks"]) == 17 and report["counts"]["in-progress"] == 2
    task = report["tasks"][0]
    assert list(task) == list(TASK_FIELDS) and list(task["steps"][0]) == list(STEP_FIELDS)
    assert (site_dir / task["url"] / "index.html").exists()
    everything = json.loads((site_dir / "downloads/gongkai-all.json").read_text(encoding="utf-8"))
    assert sum(len(r["tasks"]) for r in everything["reports"]) == 50
    province = next(r for r in everything["reports"] if r["slug"] == "2023-province-key-tasks")
    assert province["has_status"] is False and province["counts"] is None
    assert all(t["status"] is None for t in province["tasks"])
    ids = [t["id"] for r in everything["reports"] for t in r["tasks"]]
    assert len(set(ids)) == 50


def test_source_table_is_published_as_utf8_with_bom(site_dir: Path) -> None:
    for path in (ROOT / "data/reports").glob("*.txt"):
        published = (site_dir / f"downloads/{path.stem}-source.txt").read_bytes()
        assert published == b"\xef\xbb\xbf" + path.read_bytes().removeprefix(b"\xef\xbb\xbf")


def test_a_gbk_table_downloads_as_utf8(tmp_path: Path) -> None:
    from builder.render import source_download

    text = "序号\t工作事项\n1\t新增“小巨人”企业✓\n".replace("✓", "√")
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("gbk"))
    assert source_download(path) == text.encode("utf-8-sig")


def test_every_field_is_documented(site_dir: Path) -> None:
    page = BeautifulSoup(
        (site_dir / "open-data/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    documented = {code.get_text() for code in page.select("article table code")}
    for fields in (REPORT_FIELDS, TASK_FIELDS, STEP_FIELDS, CSV_FIELDS):
        assert set(fields) <= documented
    links = {a["href"] for a in page.select("article a[download]")}
    assert any(h.endswith("gongkai-all.json") for h in links)
    assert any(h.endswith(f"{SLUG}.csv") for h in links)
