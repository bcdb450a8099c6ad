"""读表结果: the reading staff check before publishing, written by check --preview."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT

CORPUS = ROOT / "tests/corpus"


def _check_preview(tmp_path: Path, tables: dict[str, str]) -> tuple[Path, str]:
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    shutil.copy(CORPUS / "units.yml", data / "units.yml")
    for name, text in tables.items():
        (data / "reports" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "preview"
    done = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--preview", str(out), str(data)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    return out, done.stdout


GROUPED = (
    "2024年重点项目\n序号\t项目内容\t责任单位及责任人\t进展情况\n"
    "一\t市发展改革委牵头项目\t\t\n"
    "\t（一）建设物流园\t*市发展改革委、市财政局 张建国\t已开工\n"
    "\t1.完成征地\t\t已完成\n"
    "\t（二）建设产业园\t市发展改革委\t已立项\n"
)


def test_each_column_and_line_is_shown_with_how_it_was_read(tmp_path: Path) -> None:
    out, stdout = _check_preview(tmp_path, {"g.txt": GROUPED})
    assert "读表结果：1 份表格" in stdout
    doc = BeautifulSoup((out / "g.txt/index.html").read_text(encoding="utf-8"), "html.parser")
    columns = {
        tr.select("td")[0].get_text(): [td.get_text() for td in tr.select("td")[1:]]
        for tr in doc.select("table.columns tbody tr")
    }
    assert columns["项目内容"][0] == "任务"
    assert "列名“项目内容”" in columns["项目内容"][1]
    assert columns["责任单位及责任人"][0] == "责任单位"
    lines = {
        li.select_one(".line").get_text(): li.get_text(" ", strip=True)
        for li in doc.select("ol.lines li")
    }
    assert "表头" in lines["第 2 行"] and "标题" in lines["第 1 行"]
    assert "分组" in lines["第 3 行"]
    task = lines["第 4 行"]
    assert "任务" in task and "序号 （一）" in task and "建设物流园" in task
    assert "责任单位 市发展改革委" in task and "配合单位 市财政局" in task
    assert "责任人 张建国" in task
    assert "步骤" in lines["第 5 行"] and "属于序号 （一） 的任务" in lines["第 5 行"]
    decisions = doc.get_text()
    assert "有序号的行读作：分组" in decisions
    assert (out / "index.html").read_text(encoding="utf-8").count("g.txt") >= 1


def test_a_table_that_cannot_publish_lists_the_candidates(tmp_path: Path) -> None:
    table = (
        "民生项目表\n编号\t民生项目\t建设内容\t承办单位\t推进情况说明\n"
        "1\t新建学校\t建设教学楼\t县教育局\t完成主体\n"
    )
    out, _ = _check_preview(tmp_path, {"x.txt": table})
    doc = BeautifulSoup((out / "x.txt/index.html").read_text(encoding="utf-8"), "html.parser")
    text = doc.get_text()
    assert "没有发布" in text and "没有认出任务列" in text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "不能发布" in index


def test_the_preview_reads_on_a_phone_and_a_desktop(tmp_path: Path, browser: object) -> None:
    out, _ = _check_preview(tmp_path, {"g.txt": GROUPED})
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto((out / "g.txt/index.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("ol.lines li").count() == 6
        font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 16
        context.close()


def test_mkdocs_serve_shows_the_preview_and_build_never_publishes_it(
    tmp_path: Path, shipped_build: tuple[Path, object]
) -> None:
    import os
    import socket
    import time
    import urllib.parse
    import urllib.request

    from conftest import make_project

    site, _ = shipped_build
    assert not (site / "读表结果").exists()
    project = make_project(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/" + urllib.parse.quote("读表结果/2024-anqing-industry-q3.txt/")
    try:
        body = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    body = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert "每一行的读法" in body and "不会发布到网站上" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
