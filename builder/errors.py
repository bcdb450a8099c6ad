"""Problems found in the data, with the file and line a staff member must fix."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of the data."""

    severity: Severity
    path: Path
    line: int | None
    message: str
    text: str | None = None
    """The offending source text, shown under the message (shortened)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        head = f"{where}: {self.severity.value}：{self.message}"
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

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str, text: str | None = None) -> None:
        self.problems.append(Problem(Severity.ERROR, self.path, line, message, text))

    def warning(self, line: int | None, message: str, text: str | None = None) -> None:
        self.problems.append(Problem(Severity.WARNING, self.path, line, message, text))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)
