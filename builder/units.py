"""Responsible units: the registry of known names and the splitting of unit cells."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Collector, Problem

_SEPARATORS = set(",，、;；/ \u3000")
_OFFICE_RE = re.compile(r"【([^【】]*)】")
_OPEN, _CLOSE = "(（", ")）"


def normalize_name(name: str) -> str:
    """A unit name as compared and shown: no spaces, half-width parentheses."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class UnitEntry:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SplitUnits:
    names: tuple[str, ...]
    """Canonical names, in the order of the cell, without duplicates."""
    offices: tuple[str, ...]
    """Internal offices named in 【…】, e.g. 中小办."""
    unknown: tuple[str, ...]
    """Names the registry does not know (kept as units; the caller warns)."""


@dataclass
class Registry:
    """Known unit names with their aliases (``data/units.yml``)."""

    entries: tuple[UnitEntry, ...] = ()
    _canonical: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _longest: int = field(default=0, init=False, repr=False)
    # Unit cells repeat across a table's lines and reports; each is split once.
    _splits: dict[str, SplitUnits] = field(default_factory=dict, init=False, repr=False)
    _rewrites: dict[str, bool] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in (entry.name, *entry.aliases):
                self._canonical[normalize_name(name)] = entry.name
        self._longest = max((len(k) for k in self._canonical), default=0)

    def canonical(self, name: str) -> str | None:
        return self._canonical.get(normalize_name(name))

    def aliases_of(self, name: str) -> tuple[str, ...]:
        for entry in self.entries:
            if entry.name == name:
                return entry.aliases
        return ()

    def rewrites(self, cell: str) -> bool:
        """Whether the split names differ from the cell's own words (aliases, run-together names)."""
        rewrites = self._rewrites.get(cell)
        if rewrites is None:
            split = self.split(cell)
            rewrites = any(normalize_name(word) not in split.names for word in words(cell))
            self._rewrites[cell] = rewrites
        return rewrites

    def split(self, cell: str) -> SplitUnits:
        """Split a unit cell into unit names and offices; nothing is dropped."""
        split = self._splits.get(cell)
        if split is None:
            split = self._splits[cell] = self._split(cell)
        return split

    def _split(self, cell: str) -> SplitUnits:
        offices = tuple(normalize_name(m) for m in _OFFICE_RE.findall(cell) if m.strip())
        names: list[str] = []
        unknown: list[str] = []
        for token in words(cell):
            for piece, known in self._segment(normalize_name(token)):
                name = self.canonical(piece) if known else piece
                assert name is not None
                if not known and name not in unknown:
                    unknown.append(name)
                if name not in names:
                    names.append(name)
        return SplitUnits(tuple(names), offices, tuple(unknown))

    def _segment(self, token: str) -> list[tuple[str, bool]]:
        """Cover a run-together token with known names, leaving as little unknown as possible.

        Dynamic programming over positions: the cost is (unknown characters, pieces).
        """
        if token in self._canonical:
            return [(token, True)]
        n = len(token)
        inf = (n + 1, n + 1)
        best: list[tuple[int, int]] = [inf] * (n + 1)
        step: list[tuple[int, bool]] = [(0, False)] * (n + 1)
        best[0] = (0, 0)
        for i in range(n):
            if best[i] == inf:
                continue
            unknown_chars, pieces = best[i]
            for j in range(i + 1, min(n, i + self._longest) + 1):
                if token[i:j] in self._canonical:
                    cand = (unknown_chars, pieces + 1)
                    if cand < best[j]:
                        best[j], step[j] = cand, (i, True)
            # One unknown character; consecutive ones merge into one piece below.
            cand = (unknown_chars + 1, pieces + 1)
            if cand < best[i + 1]:
                best[i + 1], step[i + 1] = cand, (i, False)
        pieces_out: list[tuple[str, bool]] = []
        j = n
        while j > 0:
            i, known = step[j]
            pieces_out.append((token[i:j], known))
            j = i
        pieces_out.reverse()
        merged: list[tuple[str, bool]] = []
        for piece, known in pieces_out:
            if merged and not known and not merged[-1][1]:
                merged[-1] = (merged[-1][0] + piece, False)
            else:
                merged.append((piece, known))
        return merged


def words(cell: str) -> Iterable[str]:
    """The cell's words without 【offices】, split on separators but not inside parentheses:
    相关县(市、区)政府 is one name."""
    cell = _OFFICE_RE.sub(" ", cell)
    depth = 0
    current: list[str] = []
    for ch in cell:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            if current:
                yield "".join(current)
                current = []
            continue
        current.append(ch)
    if current:
        yield "".join(current)


def load_registry(path: Path) -> tuple[Registry, tuple[Problem, ...]]:
    """Read ``units.yml``; a missing file is an empty registry."""
    c = Collector(path)
    if not path.exists():
        return Registry(), ()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, OSError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        c.error(line + 1 if line is not None else None, f"无法读取单位名录：{exc}")
        return Registry(), tuple(c.problems)
    items = data.get("units") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        c.error(None, "单位名录应为 `units:` 下的列表，每项有 name 和可选的 aliases")
        return Registry(), tuple(c.problems)
    entries: list[UnitEntry] = []
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            c.error(None, f"单位名录中的一项缺少 name：{item!r}")
            continue
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            c.error(None, f"单位“{item['name']}”的 aliases 应为名称列表")
            continue
        name = normalize_name(item["name"])
        for key in (name, *(normalize_name(a) for a in aliases)):
            if key in seen and seen[key] != name:
                c.error(None, f"名称“{key}”同时属于“{seen[key]}”和“{name}”")
            seen[key] = name
        entries.append(UnitEntry(name, tuple(normalize_name(a) for a in aliases)))
    return Registry(tuple(entries)), tuple(c.problems)
