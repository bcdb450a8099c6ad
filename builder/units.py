"""Responsible units: the registry of known names and the splitting of unit cells."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Collector, Problem
from .meta import line_of, load_yaml

_SEPARATORS = set(",，、;；/")
# How a unit's name ends. A line or a space after such an ending separates two units
# ("农业股 乡村产业发展股"); after anything else it only wraps one long name ("市人力资源 /
# 社会保障局" in a narrow column).
_UNIT_END_RE = re.compile(
    r"(局|委|办|厅|院|会|站|所|中心|公司|集团|政府|部|队|处|室|股|组|团|馆|校|行|街道|"
    r"乡|镇|区|县|市|省|委员会|管委会|机构|单位|部门|小组|联|协|司|署|台|场|园|[)）】])$"
)
_TRAILING_RE = re.compile(r"[。.;；,，:：]+$")
_ROLE_NOTE_RE = re.compile(
    r"[(（]?(?:牵头|配合|协办|协助|主责|负责|参与|责任|代建)(?:单位)?[)）]?$"
)
# A name with a bracket after it: 区教体局(区国资公司代建), 某公司(开发商配建学校项目).
_BRACKETED_RE = re.compile(r"^(.+?)\(([^()]+)\)$")
_OFFICE_RE = re.compile(r"【([^【】]*)】")
# A lead unit marked in a list of units: *市发改委, ★市财政局, 市住建局（牵头）.
_LEAD_MARK_RE = re.compile(r"^[*＊★☆]+|[(（]牵头(?:单位)?[)）]$|牵头$")
# Family names of the people who lead tasks; with one or two characters after them and no
# ending of a unit's name, a word in a unit cell is a person (市发改委 张建国), not a unit.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位"
    "厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈"
    "伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_DOUBLE_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "夏侯",
    "令狐",
    "宇文",
    "长孙",
    "司徒",
    "西门",
    "独孤",
    "南宫",
    "端木",
    "百里",
    "呼延",
)
_NOT_PERSON_RE = re.compile(
    r"(局|委|办|厅|院|会|站|所|中心|公司|集团|政府|部|队|处|室|股|组|团|馆|校|行|街道|乡|镇|区|县|"
    r"市|省|村|社区|园|场|港|台|司|署|联|协|科|庭|所|网|社|店|厂|矿|寺|段)"
)
_HAN_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def split_persons(text: str) -> list[str]:
    """People run together in one cell once its padding spaces are gone (何海平芮春祥,
    陆明俞悦): split where exactly one shortest split gives every piece a person's name."""
    if len(text) <= 3 or not _HAN_RE.match(text[:4]):
        return [text]
    ways: list[list[list[str]]] = [[] for _ in range(len(text) + 1)]
    ways[0] = [[]]
    for i in range(len(text)):
        for j in range(i + 2, min(len(text), i + 4) + 1):
            if ways[i] and is_person(text[i:j]):
                ways[j].extend([*w, text[i:j]] for w in ways[i])
    found = ways[len(text)]
    if not found:
        return [text]
    fewest = min(len(w) for w in found)
    best = [w for w in found if len(w) == fewest]
    return best[0] if len(best) == 1 and fewest > 1 else [text]


def is_person(word: str) -> bool:
    """Whether a word in a unit cell is a person's name (张建国, 欧阳明), not a unit."""
    if not _HAN_RE.match(word) or _NOT_PERSON_RE.search(word[1:]):
        return False
    if word[:2] in _DOUBLE_SURNAMES:
        return 3 <= len(word) <= 4
    return word[0] in _SURNAMES and len(word) <= 3


_OPEN, _CLOSE = "(（", ")）"


def normalize_name(name: str) -> str:
    """A unit name as compared and shown: no spaces, half-width parentheses."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class UnitEntry:
    name: str
    aliases: tuple[str, ...] = ()
    region: str | None = None
    """The place the entry belongs to; None for an entry that holds in every report."""


@dataclass(frozen=True)
class SplitUnits:
    names: tuple[str, ...]
    """Canonical names, in the order of the cell, without duplicates."""
    offices: tuple[str, ...]
    """Internal offices named in 【…】, e.g. 中小办."""
    unknown: tuple[str, ...]
    """Names the registry does not know (kept as units; the caller warns)."""
    persons: tuple[str, ...] = ()
    """People named in the cell (市发改委 张建国): shown as responsible persons, never units."""
    lead: tuple[str, ...] = ()
    """Names the cell marks as lead units (*市发改委, 市住建局（牵头）)."""


@dataclass
class Registry:
    """Known unit names with their aliases (``data/units.yml``), each valid everywhere or in
    one region."""

    entries: tuple[UnitEntry, ...] = ()
    _scopes: dict[str | None, Scope] = field(default_factory=dict, init=False, repr=False)

    def scope(self, region: str | None) -> Scope:
        """The names that hold in a report of ``region``: its own entries and the region-less."""
        scope = self._scopes.get(region)
        if scope is None:
            entries = [e for e in self.entries if e.region is None or e.region == region]
            scope = self._scopes[region] = Scope(tuple(entries))
        return scope


@dataclass
class Scope:
    """The names that hold in reports of one region: its own entries and the region-less."""

    entries: tuple[UnitEntry, ...]
    _canonical: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _longest: int = field(default=0, init=False, repr=False)
    # Unit cells repeat across a table's lines and reports; each is split once.
    _splits: dict[str, SplitUnits] = field(default_factory=dict, init=False, repr=False)
    _rewrites: dict[str, bool] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        # An entry of the region wins over a region-less one of the same name.
        for entry in sorted(self.entries, key=lambda e: e.region is not None):
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
        persons: list[str] = []
        lead: list[str] = []
        for token in (t for word in words(cell) for t in self._bracketed(word)):
            token = _TRAILING_RE.sub("", normalize_name(token))
            marked = bool(_LEAD_MARK_RE.search(token))
            token = _LEAD_MARK_RE.sub("", token)
            # "市发改委（牵头）", "市住建局牵头": a unit's role, not part of its name.
            noted = _ROLE_NOTE_RE.sub("", token)
            if noted and _balanced(noted):
                token = noted
            # "市城管局等": the list goes on; 等 is not part of the last unit's name.
            if token.endswith("等") and _UNIT_END_RE.search(token[:-1]):
                token = token[:-1]
            if not token:
                continue
            for piece, known in self._segment(token):
                name = self.canonical(piece) if known else piece
                assert name is not None
                if not known and is_person(name):
                    if name not in persons:
                        persons.append(name)
                    continue
                if not known and name not in unknown:
                    unknown.append(name)
                if name not in names:
                    names.append(name)
                if marked and name not in lead:
                    lead.append(name)
        return SplitUnits(tuple(names), offices, tuple(unknown), tuple(persons), tuple(lead))

    def _bracketed(self, word: str) -> list[str]:
        """A bracket after a unit's name holds a second body or a note, never part of the name
        unless the registry knows the whole (新区财政局(区财政局) as one unit's two names):
        区教体局(区国资公司代建) is two bodies, the second building for the first;
        某房地产有限公司(开发商配建学校项目) is a company with a note on what it does. The note
        stays in the cell as written, shown on the task page."""
        word = normalize_name(word)
        match = _BRACKETED_RE.match(word)
        if match is None or word in self._canonical:
            return [word]
        head, inner = match.groups()
        body = _ROLE_NOTE_RE.sub("", inner)
        # 各县(市、区), 相关县(市、区)政府: the bracket lists levels of one name; (牵头): a role.
        if (
            not body
            or any(ch in _SEPARATORS for ch in inner)
            or not (head in self._canonical or _UNIT_END_RE.search(head))
        ):
            return [word]
        if head in self._canonical and body in self._canonical:
            same = self.canonical(head) == self.canonical(body)
            return [head] if same else [head, body]
        if body != inner and len(body) >= 3 and _UNIT_END_RE.search(body):
            return [head, body]  # 区国资公司代建: a second body, by its role
        if _UNIT_END_RE.search(inner):
            return [word]  # two names of one unit the registry does not know: as written
        return [head]

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
    相关县(市、区)政府 is one name. Spaces and line breaks separate two names only where the
    first ends as a unit's name does."""
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
                yield from _soft_split("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        yield from _soft_split("".join(current))


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += 1 if ch in _OPEN else -1 if ch in _CLOSE else 0
        if depth < 0:
            return False
    return depth == 0


def _soft_split(token: str) -> Iterable[str]:
    fragments = token.split()
    name = ""
    for fragment in fragments:
        name += fragment
        if _UNIT_END_RE.search(_TRAILING_RE.sub("", name)):
            yield name
            name = ""
    if name:
        yield name


def load_registry(path: Path) -> tuple[Registry, tuple[Problem, ...]]:
    """Read ``units.yml``; a missing file is an empty registry."""
    c = Collector(path)
    if not path.exists():
        return Registry(), ()
    data = load_yaml(path, c)
    if data is None:
        return Registry(), tuple(c.problems)
    items = data.get("units") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        c.error(
            line_of(data, "units") or 1,
            "单位名录应为 `units:` 下的列表，每项有 name，可选 aliases（别名）和 region（所属地区）",
        )
        return Registry(), tuple(c.problems)
    entries: list[UnitEntry] = []
    seen: dict[tuple[str | None, str], tuple[str, int | None]] = {}
    item_lines = getattr(items, "lines", None) or []
    for i, item in enumerate(items):
        line = item_lines[i] if i < len(item_lines) else None
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            c.error(line, "单位名录中的这一项缺少 name（单位名称）")
            continue
        for key in item:
            if key not in ("name", "aliases", "region"):
                c.warning(
                    line_of(item, key) or line, f"未知的键“{key}”（可用：name、aliases、region）"
                )
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            c.error(
                line_of(item, "aliases") or line, f"单位“{item['name']}”的 aliases 应为名称列表"
            )
            continue
        region = item.get("region")
        if region is not None and not isinstance(region, str):
            c.error(line_of(item, "region") or line, f"单位“{item['name']}”的 region 应为地区名称")
            continue
        region = re.sub(r"\s+", "", region) if region else None
        name = normalize_name(item["name"])
        if not name:
            c.error(line, "单位名称是空的")
            continue
        for key in (name, *(normalize_name(a) for a in aliases)):
            other = seen.get((region, key))
            if other is not None and other[0] != name:
                where = f"（第 {other[1]} 行）" if other[1] else ""
                c.error(line, f"名称“{key}”同时属于“{other[0]}”{where}和“{name}”")
            seen[(region, key)] = (name, line)
        entries.append(UnitEntry(name, tuple(normalize_name(a) for a in aliases), region))
    return Registry(tuple(entries)), tuple(c.problems)
