"""``check --write``: the ``.yml`` beside a table, with the lines ``check`` suggests.

Every line staff wrote is kept. Lines the table shows clearly (a column shown under its own
name, the task column found by elimination or numbering) are written as ``.yml``; lines only
staff can decide or fill in (a publication date, a lost merge, an unknown status word, units
for ``data/units.yml``) are written commented out below a marker, each with what to check,
so that staff read the preview (读表结果), confirm, and publish.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from .errors import Fix

MARKER = "# —— python -m builder check --write 的建议：核对后删去行首的“# ”即生效 ——"
_MAPPINGS = ("columns", "statuses")
_LISTS = ("merged", "blank", "spans", "joined", "public_numbers")


@dataclass(frozen=True)
class Written:
    text: str
    sure: int
    """Lines written as ``.yml``."""
    to_check: int
    """Lines written commented out, for staff to confirm or fill in."""


def updated(existing: str, fixes: Sequence[Fix]) -> Written:
    """``existing`` (a ``.yml``'s text, maybe empty) with ``fixes`` written in."""
    kept, staff_block = _without_old_block(existing)
    try:
        data = yaml.safe_load(kept) or {}
    except yaml.YAMLError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    text = kept.rstrip("\n") + ("\n" if kept.strip() else "")
    text += "".join(line + "\n" for line in staff_block)
    sure = 0
    unsure: list[str] = []
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    """Key → (entries, notes): a key is written once, every entry on its one line."""
    units: list[str] = []
    seen: set[tuple[str, str]] = set()
    for fix in fixes:
        if (fix.key, fix.entry) in seen:
            continue
        seen.add((fix.key, fix.entry))
        note = f"   # {fix.note}" if fix.note else ""
        if fix.key == "units":
            units.append(f"#   - {fix.entry}{note}")
        elif fix.sure and fix.key in _MAPPINGS:
            name = fix.entry.split(":", 1)[0].strip()
            present = data.get(fix.key)
            if isinstance(present, dict) and name in {str(k) for k in present}:
                continue
            text = _add_to_mapping(text, fix.key, fix.entry)
            sure += 1
        elif fix.key in _MAPPINGS or fix.key in _LISTS:
            entries, notes = grouped.setdefault(fix.key, ([], []))
            entries.append(fix.entry)
            if fix.note and fix.note not in notes:
                notes.append(fix.note)
        elif fix.key not in data:
            unsure.append(f"# {fix.key}: {fix.entry}{note}")
    for key, (entries, notes) in grouped.items():
        inner = ", ".join(entries)
        shown = f"{{{inner}}}" if key in _MAPPINGS else f"[{inner}]"
        unsure.append(f"# {key}: {shown}" + (f"   # {'；'.join(notes)}" if notes else ""))
    block = [*unsure]
    if units:
        block += [
            "# 下面的单位不在 data/units.yml 中。核对名称后，把这几行（删去行首的“#”）",
            "# 加到 data/units.yml 的 units: 下；是已有单位简称的，写进那个单位的 aliases：",
            *units,
        ]
    if block:
        text += f"{MARKER}\n" + "".join(line + "\n" for line in block)
    return Written(text, sure, len(unsure) + len(units))


def _without_old_block(text: str) -> tuple[str, list[str]]:
    """The text above an earlier run's suggestions, and the lines staff took from them."""
    if MARKER not in text:
        return text, []
    above, _, block = text.partition(MARKER)
    taken = [
        line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return above, taken


def _add_to_mapping(text: str, key: str, entry: str) -> str:
    block = re.search(rf"^{key}:[ \t]*(#.*)?$", text, re.M)
    if block:
        return text[: block.end()] + f"\n  {entry}" + text[block.end() :]
    flow = re.search(rf"^{key}:[ \t]*\{{(.*)\}}", text, re.M)
    if flow:
        inner = flow.group(1).strip()
        joined = f"{inner}, {entry}" if inner else entry
        return text[: flow.start(1)] + joined + text[flow.end(1) :]
    return text + f"{key}:\n  {entry}\n"


__all__ = ["MARKER", "Written", "updated"]
