"""Issue 18: the passes that grew faster than the work, held to the work's size by counting
what they do (never by timing), and the plugin's page handling that keeps memory flat."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from conftest import ROOT
from series_fixture import series_data

import builder.series
from builder.load import load_site
from builder.model import Report, Task
from builder.parked import Parked
from builder.render import Renderer
from builder.series import RENUMBERED, Comparison, _match, similarity

# Common characters of task texts: random texts of these share few character pairs, as
# real tasks do.
CHARACTERS = (
    "推进实施重点项目建设完成年度投资计划开展专项行动加快产业转型升级提升服务水平优化营商环境"
    "强化安全生产监管落实责任制度推动数字经济发展培育新兴产业集群改造老旧小区建设城市道路管网"
    "扩大有效投资促进消费增长稳定就业保障民生改善生态环境治理污染防治乡村振兴农业农村现代化"
)


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(CHARACTERS) for _ in range(24)) for _ in range(count)]


def _revised(text: str) -> str:
    """The text with its last character changed: as alike as a renumbered task's is."""
    return text[:-1] + ("甲" if text[-1] != "甲" else "乙")


def _report(template: Report, slug: str, tasks: list[Task]) -> Report:
    return dataclasses.replace(template, slug=slug, tasks=tuple(tasks), pins=())


def _tasks(template: Task, slug: str, first: int, texts: list[str]) -> list[Task]:
    return [
        dataclasses.replace(
            template, report_slug=slug, seq=str(first + i), key=str(first + i), row=i, text=text
        )
        for i, text in enumerate(texts)
    ]


def test_renumbered_tasks_are_matched_without_comparing_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every task renumbered and revised a little: each is matched to its earlier self, and
    the texts compared grow with the tasks (it was every left-over pair: tasks squared)."""
    site = load_site(ROOT / "data").site
    report = site.reports[0]
    count = 400
    texts = _texts(count, seed=18)
    before = _report(report, "before", _tasks(report.tasks[0], "before", 1, texts))
    after_texts = [_revised(t) for t in texts]
    after = _report(report, "after", _tasks(report.tasks[0], "after", count + 1, after_texts))
    assert all(similarity(a, b) >= RENUMBERED for a, b in zip(texts, after_texts, strict=True))

    compared = 0
    dice = builder.series._dice

    def counted(x: frozenset[str], y: frozenset[str]) -> float:
        nonlocal compared
        compared += 1
        return dice(x, y)

    monkeypatch.setattr(builder.series, "_dice", counted)
    step, problems = _match(before, after)
    assert not problems
    assert [(p.text, c.text) for p, c in step.matched] == list(zip(texts, after_texts, strict=True))
    assert not step.new and not step.dropped
    # Each task meets its own earlier self and, through a shared rare pair, a few others.
    assert compared <= 10 * count, compared


def test_a_task_like_two_earlier_ones_is_not_matched() -> None:
    """Only a clear best is taken: two earlier tasks alike enough leave the task new."""
    site = load_site(ROOT / "data").site
    report = site.reports[0]
    text = _texts(1, seed=7)[0]
    before = _report(
        report, "before", _tasks(report.tasks[0], "before", 1, [_revised(text), text[1:] + "丙"])
    )
    after = _report(report, "after", _tasks(report.tasks[0], "after", 10, [text]))
    assert similarity(text, _revised(text)) >= RENUMBERED
    assert similarity(text, text[1:] + "丙") >= RENUMBERED
    step, _ = _match(before, after)
    assert not step.matched and len(step.new) == 1


class _CountedPairs(tuple):  # type: ignore[type-arg]
    walked = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountedPairs.walked += 1
        return super().__iter__()


def test_unit_moves_reads_each_series_pairs_once_not_once_per_unit(tmp_path: Path) -> None:
    """A unit's 各期状态变化 comes from its own tasks: the pairs of a series are indexed
    once, whatever the number of units (they were walked for every unit: units × tasks)."""
    site = load_site(series_data(tmp_path)).site
    comparisons = [c for s in site.series for c in s.comparisons]
    assert comparisons
    for comparison in comparisons:
        object.__setattr__(comparison, "matched", _CountedPairs(comparison.matched))
    renderer = Renderer(site)
    units = [u for u in site.units if u.tasks]
    assert len(units) > len(comparisons)
    shown = [renderer.parts.unit_moves("units/x.md", unit) for unit in units]
    assert any("各期状态变化" in part for part in shown)
    assert _CountedPairs.walked <= len(comparisons)


def test_unit_moves_says_what_the_pairs_say(tmp_path: Path) -> None:
    """The words under a unit's chart count its own matched, new and dropped tasks."""
    site = load_site(series_data(tmp_path)).site
    renderer = Renderer(site)
    for unit in site.units:
        mine = {t.id for t in unit.tasks}
        part = renderer.parts.unit_moves("units/x.md", unit)
        for series in site.series:
            if f">{series.name}</a>" not in part:
                continue
            for comparison in series.comparisons:
                new = sum(1 for t in comparison.new if t.id in mine)
                if new:
                    assert f"新增 {new} 项" in part
                assert isinstance(comparison, Comparison)


def test_page_templates_do_not_filter_a_whole_task_list_inside_a_loop() -> None:
    """Grouping a report's tasks by section is done once in Python (report_groups); a filter
    of all of a report's (or the site's) tasks inside a loop over sections is tasks ×
    sections. (A unit's own tasks filtered in the loop over units is the tasks once.)"""
    whole = re.compile(r"\b(report|site|listing)\.tasks\s*\|\s*(selectattr|rejectattr)\b")
    for template in (ROOT / "builder/templates").glob("*.md.j2"):
        depth = 0
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            depth += len(re.findall(r"{%-?\s*for\b", line))
            if depth and whole.search(line):
                raise AssertionError(f"{template.name}:{number}: {line.strip()}")
            depth -= len(re.findall(r"{%-?\s*endfor\b", line))
    # What the report page shows under each section comes from report_groups, one pass.
    report = (ROOT / "builder/templates/report.md.j2").read_text(encoding="utf-8")
    assert "report.sections" not in report


def test_parked_texts_come_back_once() -> None:
    parked = Parked()
    parked.put("a.md", "<p>甲</p>")
    parked.put("b.md", "")
    parked.put("c.md", "<p>丙</p>" * 1000)
    assert len(parked) == 3 and "b.md" in parked
    assert parked.take("c.md") == "<p>丙</p>" * 1000
    assert parked.take("a.md") == "<p>甲</p>"
    assert parked.take("b.md") == ""
    assert "a.md" not in parked and len(parked) == 0
    parked.close()
