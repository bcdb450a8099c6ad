"""How tables number their lines and write their figures: 1. (1) 一、 （一） ①, 80%, 3个."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

# 1  1.  1、  (1)  （1）  1-2  9*  ①  一、  （一）
_CN_DIGITS = "〇一二三四五六七八九"
_CN_NUM = "[一二三四五六七八九十百〇零两]+"
SEQ_RE = re.compile(
    r"^[★☆]?(?:\d+(?:[.\-－]\d+)*[.．、]?|[(（]\d+[)）]|[(（]?"
    + _CN_NUM
    + r"[)）、.．]?|[①-⑳㉑-㉟㊱-㊿])[*＊]?$"
)
TEXT_MARK_RE = re.compile(
    r"^\s*(?:[(（](\d{1,3})[)）]|(\d{1,3})[.．、](?!\d)|([①-⑳])|[(（]("
    + _CN_NUM
    + r")[)）]|("
    + _CN_NUM
    + r")、)\s*"
)
SECTION_RE = re.compile(
    r"^(?:"
    + _CN_NUM
    + r"[、.．]|[（(]"
    + _CN_NUM
    + r"[)）]|第"
    + _CN_NUM
    + r"[部分类项章]|[A-Z][、.．])"
)
# A group's row: its count in brackets, 教育优先（4项）.
COUNTED_RE = re.compile(r"[(（]\s*\d+\s*(?:项|个|件)\s*[)）]$")
CN_SEQ_RE = re.compile(r"^(?:[(（])?[一二三四五六七八九十百]+(?:[)）、.．])?$")


def seq_style(seq: str) -> str:
    """How a 序号 is written — 1, (1), 一, (一), ① — the level it marks in a nested list."""
    text = unicodedata.normalize("NFKC", seq).strip().strip("★☆").rstrip("*＊.．、")
    bracketed = text.startswith("(")
    core = text.strip("()")
    if core.isdigit():
        return "(1)" if bracketed else "1"
    if chinese_number(core) is not None:
        return "(一)" if bracketed else "一"
    return "①" if core and "\u2460" <= core[0] <= "\u2473" else "?"


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None for what is not such a numeral."""
    text = text.replace("两", "二").replace("零", "〇")
    if not text or any(ch not in _CN_DIGITS + "十百" for ch in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS.index(ch)) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.index(ch)
    return total + current


def seq_key(seq: str) -> str:
    """The number of a 序号 as it goes into an address: (1) → 1, 一、 → 1, ① → 1, 1-2 → 1-2."""
    text = unicodedata.normalize("NFKC", seq).strip().strip("★☆").rstrip("*＊.．、")
    text = text.strip("()（）")
    if len(text) == 1 and "\u2460" <= text <= "\u2473":
        return str(ord(text) - 0x2460 + 1)
    if (number := chinese_number(text)) is not None:
        return str(number)
    if "\u3251" <= text[:1] <= "\u32bf":
        return str(unicodedata.numeric(text[0], 0)).removesuffix(".0")
    return text.replace("－", "-")


INTEGER_RE = re.compile(r"^\d{1,4}$")


def numbered_in_order(lines: Sequence[Sequence[str]], index: int) -> bool:
    """Whether the column's lines open with numbers that go up (14. 15. 16.)."""
    numbers = []
    for cells in lines:
        text = cells[index] if index < len(cells) else ""
        if not text:
            continue
        m = TEXT_MARK_RE.match(text)
        if m is None:
            return False
        key = seq_key(m.group(0).strip().rstrip(".．、"))
        numbers.append(int(key) if key.isdigit() else -1)
    return len(numbers) >= 2 and all(b > a >= 0 for a, b in itertools.pairwise(numbers))


AMOUNT_RE = re.compile(r"^[约近超]?\d+(?:\.\d+)?\s*[%％]?[^\d\s，,。；;]{0,4}$")


def marker_style(text: str) -> str | None:
    """How the number opening a task text is written: (1), 1., ①, (一), 一、; None if none."""
    m = TEXT_MARK_RE.match(text)
    if m is None or m.lastindex is None:
        return None
    return ("(1)", "1.", "①", "(一)", "一、")[m.lastindex - 1]


def strip_marker(text: str) -> tuple[str, str] | None:
    """A task text opening with its number: (the number without its dot, the text after)."""
    m = TEXT_MARK_RE.match(text)
    if m is None or not text[m.end() :].strip():
        return None
    return m.group(0).strip().rstrip(".．、"), text[m.end() :].strip()


def flat(text: str) -> str:
    return text.strip()


TAG_RE = re.compile(r"<[^>]*>")
