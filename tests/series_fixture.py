"""TEST DATA, NOT REAL: a 二季度 and a 四季度 table derived from the shipped 三季度 table of
安庆市经济和信息化局 (data/reports/2024-anqing-industry-q3.txt), so that the shipped table
has a series of three periods to test with. Each change is written out below; the derived
files are written into a test's temporary data folder only, never into data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Q3 = ROOT / "data/reports/2024-anqing-industry-q3.txt"

MARK = "测试用派生数据：由 2024-anqing-industry-q3 改写而成，不是真实报告"


def _period(text: str, quarter: str) -> str:
    return text.replace("三季度完成情况", f"{quarter}季度完成情况").replace(
        "第三季度", f"第{quarter}季度"
    )


def _rows(text: str) -> list[str]:
    return text.split("\n")


def _drop_task(lines: list[str], seq: str) -> list[str]:
    """Take out a task's first line and the continuation lines under it."""
    out: list[str] = []
    skipping = False
    for line in lines:
        cells = line.split("\t")
        if cells[0] == seq:
            skipping = True
            continue
        if skipping and cells[0] == "" and len(cells) > 4:
            continue
        skipping = False
        out.append(line)
    return out


def _edit(lines: list[str], seq: str, old: str, new: str, *, line: int = 0) -> list[str]:
    """Replace ``old`` in the ``line``-th line of a task (0: its first line)."""
    out = list(lines)
    start = next(i for i, row in enumerate(out) if row.split("\t")[0] == seq)
    i = start + line
    assert old in out[i], (seq, line, old)
    out[i] = out[i].replace(old, new, 1)
    return out


def q2_text() -> str:
    """二季度: task 29 is not listed yet; task 25 was not done (a mark in 未完成) with fewer
    5G stations; task 22's status was 正在推进 (same category as Q3's 持续推进)."""
    lines = _rows(_period(Q3.read_text(encoding="utf-8"), "二"))
    lines = _drop_task(lines, "29")
    lines = _edit(
        lines, "25", "\t✓\t\t2024年已新建5G基站1152个。", "\t\t✓\t2024年已新建5G基站620个。"
    )
    lines = _edit(lines, "22", "持续推进", "正在推进")
    lines = _edit(lines, "22", "持续推进", "正在推进", line=1)
    return "\n".join(lines)


def q4_text() -> str:
    """四季度: task 22 stated done (✓ instead of 持续推进) with its text revised a little;
    task 25's narrative grows a sentence; task 30 is replaced by another task under the same
    number (too different to match unasked); task 31 is dropped; task 32 is new."""
    lines = _rows(_period(Q3.read_text(encoding="utf-8"), "四"))
    lines = _edit(lines, "22", "持续推进", "✓")
    lines = _edit(lines, "22", "持续推进", "✓", line=1)
    lines = _edit(lines, "22", "常态化预防和清理机制", "常态化预防和清理长效机制")
    lines = _edit(
        lines, "25", "2024年已新建5G基站1152个。", "2024年已新建5G基站1380个。全年目标已完成。"
    )
    lines = _edit(
        lines,
        "30",
        "落实落细工业领域碳达峰实施方案，加快全市“双碳”平台建设，探索创建零碳工厂、零碳产业园",
        "开展工业设备更新专项行动，推动老旧设备淘汰",
    )
    lines = _drop_task(lines, "31")
    new = "\t".join(
        [
            "32",
            "新建工业互联网标识解析二级节点1个",
            "市经济和信息化局【信推办】",
            "5511490",
            "进度安排",
            "完成节点建设并上线运行。",
            "✓",
            "",
            "节点已上线运行。",
        ]
    )
    last = max(i for i, row in enumerate(lines) if row.strip())
    lines.insert(last + 1, new)
    return "\n".join(lines)


def yml(quarter: str) -> str:
    return (
        f"# {MARK}\n"
        "issuer: 安庆市经济和信息化局\n"
        "year: 2024\n"
        f"period: {quarter}季度\n"
        'area_code: "0556"\n'
        f"source_note: {MARK}\n"
    )


def series_data(root: Path, *, q4_yml_extra: str = "") -> Path:
    """A data folder: the shipped data plus the derived 二季度 and 四季度 tables."""
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    reports = data / "reports"
    (reports / "2024-anqing-industry-q2.txt").write_text(q2_text(), encoding="utf-8")
    (reports / "2024-anqing-industry-q2.yml").write_text(yml("二"), encoding="utf-8")
    (reports / "2024-anqing-industry-q4.txt").write_text(q4_text(), encoding="utf-8")
    (reports / "2024-anqing-industry-q4.yml").write_text(yml("四") + q4_yml_extra, encoding="utf-8")
    return data
