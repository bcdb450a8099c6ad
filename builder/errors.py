"""Problems found in the data, with the file and line a staff member must fix."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Fix:
    """The ``.yml`` line that answers a problem, which ``check --write`` writes."""

    key: str
    """The ``.yml`` key: columns, merged, spans, statuses, public_numbers, published, source,
    title, period — or ``units`` for an entry of ``data/units.yml``."""
    entry: str
    """The line's content under the key: ``分值: 原样``, ``牵头单位``, ``2024-10-15``."""
    sure: bool = True
    """False where staff must confirm or fill it in: written commented out."""
    note: str | None = None
    """What staff should check before they keep the line."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of the data."""

    severity: Severity
    path: Path
    line: int | None
    message: str
    text: str | None = None
    """The offending source text, shown under the message (shortened)."""
    where: str | None = None
    """How staff find the place when a line number is not it: ``表 1 第 7 行``, ``工作表“Sheet1”第 7 行``."""
    end_line: int | None = None
    """The last line of a run of lines the message is about (``x.txt:5–9``)."""
    fixes: tuple[Fix, ...] = ()
    """The ``.yml`` lines that answer it, where some do."""

    @property
    def location(self) -> str:
        if self.where:
            return f"{self.path}: {self.where}"
        if not self.line:
            return str(self.path)
        if self.end_line and self.end_line != self.line:
            return f"{self.path}:{self.line}–{self.end_line}"
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        head = f"{self.location}: {self.severity.value}：{self.message}"
        if self.text:
            shown = self.text if len(self.text) <= 120 else self.text[:117] + "…"
            head += "\n    " + shown.replace("\t", " → ")
        return head


class GongkaiError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class DataError(GongkaiError):
    """The data has errors; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        first = errors[0] if errors else None
        super().__init__(
            f"数据有 {len(errors)} 处错误，未发布任何内容：\n" + "\n".join(str(p) for p in errors),
            first.path if first else None,
            first.line if first else None,
        )

    def __str__(self) -> str:
        return self.message


class Collector:
    """Gathers the problems of one file so that all are reported, not only the first."""

    def __init__(self, path: Path, places: Mapping[int, str] | None = None):
        self.path = path
        self.places: Mapping[int, str] = places or {}
        """Line → how staff name it, for files that have no lines (``表 1 第 7 行``)."""
        self.problems: list[Problem] = []

    def _add(
        self,
        severity: Severity,
        line: int | None,
        message: str,
        text: str | None,
        end_line: int | None,
        fix: Fix | Sequence[Fix] | None = None,
        where: str | None = None,
    ) -> None:
        if line is not None and line in self.places:
            where = self.places[line]
            if end_line is not None and end_line != line and end_line in self.places:
                where += f" 至 {self.places[end_line]}"
        self.problems.append(
            Problem(
                severity,
                self.path,
                line,
                message,
                text,
                where,
                end_line,
                (fix,) if isinstance(fix, Fix) else tuple(fix or ()),
            )
        )

    def error(
        self,
        line: int | None,
        message: str,
        text: str | None = None,
        end_line: int | None = None,
        fix: Fix | Sequence[Fix] | None = None,
    ) -> None:
        self._add(Severity.ERROR, line, message, text, end_line, fix)

    def warning(
        self,
        line: int | None,
        message: str,
        text: str | None = None,
        end_line: int | None = None,
        fix: Fix | Sequence[Fix] | None = None,
        *,
        where: str | None = None,
    ) -> None:
        """``where`` names a place that has no line (``Sheet1!C7``)."""
        self._add(Severity.WARNING, line, message, text, end_line, fix, where)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)
