"""读表结果: how each table was read, for staff to check before anything is published.

One page per table file: every column with the role it got and why, every source line with
how it was read (header, task, step, section, note, total), the units split out of its
cells, the persons, the status counted and the word it came from, the progress figure; and
for each decision the ``.yml`` line that changes it. The pages are written by
``python -m builder check --preview DIR`` and shown by ``mkdocs serve``; they are never part
of the published site.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import Problem, Severity
from .load import DataResult, Suggestion
from .model import Report, Step, Task
from .reading import RowKind

TEMPLATES = Path(__file__).parent / "templates"
INDEX = "index.html"


@dataclass(frozen=True)
class LineReading:
    """One source line as read."""

    line: int
    kind: str
    seq: str | None = None
    text: str | None = None
    units: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    status: str | None = None
    """The status counted, with the word it came from and where."""
    figure: str | None = None
    cells: str = ""
    """The line as the table writes it, cells joined."""


@dataclass(frozen=True)
class PreviewPage:
    path: str
    """Relative to the preview folder: ``<file name>/index.html``."""
    html: str


def _status(step: Step) -> str | None:
    if step.status is None:
        return None
    said = f"（原表：“{step.word}”，读自{step.status_source}）" if step.word else ""
    return f"{step.status.label}{said}"


def _lines(report: Report) -> list[LineReading]:
    assert report.reading is not None
    kinds = report.reading.rows
    by_line: dict[int, tuple[Task, Step, bool]] = {}
    cells: dict[int, str] = {}
    for task in report.tasks:
        for row in task.source:
            cells[row.line] = " | ".join(c for c in row.cells if c)
        for position, step in enumerate(task.steps):
            by_line[step.line] = (task, step, position == 0)
    out = []
    for line in sorted({*kinds, *by_line}):
        kind = kinds.get(line, RowKind.STEP)
        if line not in by_line:
            out.append(LineReading(line, kind.value, cells=cells.get(line, "")))
            continue
        task, step, first = by_line[line]
        figure = step.figure.text if step.figure is not None else None
        if first:
            out.append(
                LineReading(
                    line,
                    RowKind.TASK.value,
                    task.seq,
                    (f"第 {task.article} 条 " if task.article else "") + task.text,
                    task.units,
                    task.supporting_units,
                    task.leaders,
                    task.offices,
                    _status(step),
                    figure,
                    cells.get(line, ""),
                )
            )
        else:
            out.append(
                LineReading(
                    line,
                    RowKind.STEP.value,
                    step.label,
                    f"属于序号 {task.seq} 的任务",
                    status=_status(step),
                    figure=figure,
                    cells=cells.get(line, ""),
                )
            )
    return out


def pages(result: DataResult) -> Iterator[PreviewPage]:
    """The preview pages of every table under a data folder, and their index."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template("preview.html.j2")
    index = env.get_template("preview-index.html.j2")
    suggestions = {s.path: s for s in result.suggestions}
    entries = []
    for path in result.paths:
        problems = _problems_of(path, result.problems)
        reports = [r for r in result.reports if r.path == path]
        suggestion = suggestions.get(path.with_suffix(".yml"))
        name = path.name
        entries.append((name, reports, problems))
        yield PreviewPage(
            f"{name}/{INDEX}",
            page.render(
                file=str(path),
                reports=[(r, _lines(r)) for r in reports],
                problems=problems,
                suggestion=suggestion,
                yml=str(path.with_suffix(".yml")),
            ),
        )
    yield PreviewPage(INDEX, index.render(entries=entries))


def _problems_of(path: Path, problems: Sequence[Problem]) -> list[Problem]:
    meta = path.with_suffix(".yml")
    return sorted(
        (p for p in problems if p.path in (path, meta)),
        key=lambda p: (p.severity is not Severity.ERROR, p.line or 0),
    )


def write(result: DataResult, folder: Path) -> int:
    """Write the preview into ``folder``; returns the number of table pages."""
    count = 0
    for item in pages(result):
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.html, encoding="utf-8")
        count += item.path != INDEX
    return count


__all__ = ["LineReading", "PreviewPage", "Suggestion", "pages", "write"]
