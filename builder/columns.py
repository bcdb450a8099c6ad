"""What a header cell means: the roles of the report tables' columns and the names offices use.

The README's role table is written from ``ROLES``; keep the two in step.
"""

from __future__ import annotations

import enum
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class Role(enum.Enum):
    """The meanings a column can have. A column with none of them is shown under its own name."""

    SEQ = "序号"
    TASK = "任务"
    SECTION = "分组"
    UNITS = "责任单位"
    LEAD_UNITS = "牵头单位"
    SUPPORT_UNITS = "配合单位"
    LEADER = "责任领导"
    OFFICE = "责任科室"
    SUPERVISION = "监督电话"
    STEP_KIND = "类别"
    DEADLINE = "完成时限"
    PLAN = "计划"
    PROGRESS = "进展情况"
    FIGURE = "进度"
    TARGET = "目标"
    ACTUAL = "完成"
    STATUS = "完成状态"
    MARK_DONE = "已完成"
    MARK_NOT_DONE = "未完成"
    PROBLEMS = "存在问题"
    NEXT_STEPS = "下步计划"
    PLACE = "实施点位"
    REMARKS = "备注"
    EXTRA = "原样"
    """Declared in the ``.yml`` as a column shown under its own name, without a warning."""


# Per role: the header names recognised (compared after ``normalize_label``) and, for the
# README, how the role is shown. A name listed under two roles is ambiguous (目标任务 is the
# task in a city bureau's table and the target figure beside a 项目内容 column); the column
# takes the first role no clearer column has claimed.
@dataclass(frozen=True)
class RoleInfo:
    role: Role
    names: tuple[str, ...]
    patterns: tuple[str, ...]
    shown: str


def _role(role: Role, names: str, patterns: tuple[str, ...], shown: str) -> RoleInfo:
    return RoleInfo(role, tuple(names.split()), patterns, shown)


# Names as offices write them, most common first; a name under two roles is ambiguous.
ROLES: tuple[RoleInfo, ...] = (
    _role(
        Role.SEQ,
        "序号 编号 序列 项目序号",
        (),
        "任务的序号（原样显示）；没有序号列时按任务文字开头的 (1)、①、一、 编号或出现顺序",
    ),
    _role(
        Role.TASK,
        "工作事项 重点任务 工作任务 任务内容 主要任务 项目内容 实事名称 项目名称 重点工作 "
        "工作内容 目标任务 任务 事项 督查事项 督查内容 督办事项 督办内容 民生实事 实事项目 "
        "具体任务 重点事项 工作目标 项目 工作要点 任务事项 目标任务内容 重点项目 项目及内容 "
        "主要内容 实事内容 重点工作任务 年度目标任务 工作举措 子项目 具体项目 子任务 考核指标 "
        "指标名称 任务指标 攻坚目标任务",
        (r"^.{0,6}(任务|事项|实事名称|工作内容)$", r"^.{0,8}(事项|实事|项目|任务)名称$"),
        "任务页的标题；开头的“18.”是报告条目号，单独显示",
    ),
    _role(
        Role.SECTION,
        "类别 分类 工程名称 项目名称 项目类别 板块 领域 所属类别 工作类别 类型 大类",
        (),
        "分组：报告页按分组列出任务（也可以是表中单独一行的“一、……”）",
    ),
    _role(
        Role.UNITS,
        "责任单位 责任分工 责任部门 承办单位 实施单位 主体单位 责任主体 落实单位 主办单位 "
        "监考单位 考核单位 责任单位及责任人 业主单位 项目业主单位 建设单位 项目建设单位",
        (r"^.{0,4}责任(单位|部门)$",),
        "责任单位：每个单位一个页面，连写的名称按单位名录拆分",
    ),
    _role(
        Role.LEAD_UNITS,
        "牵头单位 牵头部门 市级牵头单位 县级牵头单位 牵头责任单位",
        (r"^.{0,4}牵头(责任)?(单位|部门)$",),
        "牵头单位：同责任单位",
    ),
    _role(
        Role.SUPPORT_UNITS,
        "配合单位 配合部门 协办单位 参与单位 协同单位 相关单位 协同责任单位 协同配合单位 "
        "配合责任单位",
        (r"^.{0,6}(配合|协办|协同|协助)(配合)?(责任)?(单位|部门)$",),
        "配合单位：各有单位页面，在任务页上与牵头单位分列",
    ),
    _role(
        Role.LEADER,
        "责任领导 分管领导 具体分管领导 牵头领导 包保领导 县级领导 市级领导 联系领导 责任人 "
        "分管县领导 分管市领导 分管区领导 领衔领导 负责人 牵头县领导 牵头市领导 牵头区领导 "
        "责任县领导 市领导 县领导 区领导",
        (
            r"^.{0,8}(领导|责任人)$",
            r"^(分管|牵头|责任|包保|联系|挂联)?.{0,2}(省长|市长|县长|区长|镇长|乡长)$",
        ),
        "责任领导：人名，显示在任务页上，不建单位页面",
    ),
    _role(
        Role.OFFICE,
        "责任科室 责任股室 承办科室 具体责任科室",
        (r"^.{0,4}(科室|股室)$",),
        "责任科室：单位内部的科室（也来自单位名后的【…】）；表中没有责任单位列时（乡镇的表），科室就是责任单位",
    ),
    _role(
        Role.SUPERVISION,
        "监督方式 监督电话 联系电话 监督举报电话 咨询电话",
        (),
        "监督电话：可拨打的链接",
    ),
    _role(Role.STEP_KIND, "季度类别", (), "步骤类别（进度安排、施工图）"),
    _role(
        Role.DEADLINE,
        "完成时限 时间节点 完成时间 时限要求 办结时限 时限 计划完成时间 完成期限 时间要求 "
        "起止年限 建设年限 实施年限 建设期限 起止时间",
        (),
        "完成时限：显示在任务页上，与“数据截至”并列",
    ),
    _role(
        Role.PLAN,
        "第一季度 第二季度 第三季度 第四季度 年度目标 全年目标 上半年 下半年 年度计划 进度安排 "
        "计划进度 月度计划 季度计划 工作计划 序时进度 时序进度 节点目标 工作安排 月度工作计划 "
        "季度工作计划 工作任务安排 本月计划 本季度计划 计划安排",
        (
            r"^第?[一二三四1-4]季度(工作)?(计划|目标|安排)?(进度)?$",
            r"^\d{1,2}月(份)?(工作)?(计划|目标|安排)?(进度)?$",
            r"^\d{1,2}[-—~至]\d{1,2}月(计划|目标)(进度)?$",
            r"^(本月|本季度|本期|月度|季度)(工作)?(计划|目标)",
        ),
        "本期计划：在步骤表中与完成情况并列",
    ),
    _role(
        Role.PROGRESS,
        "完成情况 落实情况 进展情况 推进情况 实际进度情况 当前进度 工作进展 进展 执行情况 "
        "办理情况 实施情况 完成进度 目前进展 工作推进情况 项目进展情况 进度情况 整改情况 "
        "贯彻落实情况 工作完成情况 完成情况及成效 截至目前进展情况 推进落实情况 落实进展 "
        "工作落实情况 截至目前进展 推进情况说明",
        (
            r"^.{0,8}(进展|落实|推进|完成|执行|办理|实施)情况$",
            r"^(\d{4}年)?\d{1,2}([-—~至]\d{1,2})?月(份)?(实际)?(进展|完成|落实|推进)情况$",
            r"^(\d{4}年)?.{0,8}(进展|进度)(情况)?$",
            r"^(进展|落实|推进|完成)情况[、及和]",
            r"^.{0,10}(取得|工作)成效$",
        ),
        "进展情况：原文，段落和编号保留；开头的“已完成。”读作原表所写的完成状态",
    ),
    _role(
        Role.FIGURE,
        "完成率 累计进度 完成比例 进度 形象进度 完成目标(%) 累计完成率 项目进度 投资完成率 "
        "年度完成率 工程进度 累计完成比例 任务完成率 占比 完成百分比",
        (
            r"^.{0,6}(完成率|完成比例|进度)(\(%\))?$",
            r"^.{0,6}(完成率|完成比例)",
            r"^.{0,4}(开工|建成|到位|投资完成|实施)率$",
            r"^占.{0,8}(之比|比例|比重|的比例)$",
            r"^占(年度|全年|年)(计划|目标|任务)(之比|比例|比重)?$",
        ),
        "进度数字：原表所写的百分比，配一条进度条，从不由本站计算",
    ),
    _role(
        Role.TARGET,
        "目标 目标任务 年度目标任务 目标任务数 计划任务 年度任务 计划数 目标数 任务数 年度计划数 "
        "计划投资 年度计划投资 工作目标 攻坚目标任务 全年目标任务 具体完成情况",
        (
            r"^(\d{4}年(度)?)?(年度|全年|攻坚)?(任务)?(目标|计划)(任务)?(数|量)?(\(.+\))?$",
            r"^(年度|全年)?(目标|计划)(完成|开工|建设|投资|建成)(任务)?(数|额|量)?$",
            r"^(年|年度|全年)?投资计划(数|额)?$",
        ),
        "目标数：与完成数并排显示",
    ),
    _role(
        Role.ACTUAL,
        "累计完成 完成数 实际完成 进度 实际进度 已完成数 完成量 累计完成数 完成投资 累计完成投资 "
        "实际完成情况 已完成情况",
        (
            r"^(累计|实际|已)?完成(数|量|投资)?(\(.+\))?$",
            r"^(累计|实际|已)(完成|开工|建成|投资|完成投资|到位)(数|额|量)?$",
            r"^(累计|实际|已)?(完成投资|投资完成)(额|数)?$",
        ),
        "完成数：与目标数并排显示",
    ),
    _role(
        Role.STATUS,
        "完成状态 状态 推进状态 进度状态 是否完成 完成与否 办结情况 是否办结 是否达到序时进度 "
        "是否达序时进度 是否达序 目标完成情况 进展状态",
        (),
        "完成状态：原表的词原样显示，另按已完成 / 推进中 / 进度滞后 / 未完成计数",
    ),
    _role(Role.MARK_DONE, "已完成", (), "“已完成”栏的标记（✓）"),
    _role(Role.MARK_NOT_DONE, "未完成", (), "“未完成”栏的标记"),
    _role(
        Role.PROBLEMS,
        "存在问题 存在的问题 问题 困难问题 存在困难 存在问题及困难 存在困难和问题",
        (),
        "存在问题：原文",
    ),
    _role(
        Role.NEXT_STEPS,
        "下步计划 下步打算 下一步计划 下一步打算 下一步工作 下步工作 下步措施 下一步措施 "
        "下一步工作计划 下步工作计划",
        (),
        "下步计划：原文",
    ),
    _role(Role.PLACE, "实施点位 实施地点 建设地点 地点 点位 实施范围", (), "实施点位：原文"),
    _role(Role.REMARKS, "备注 说明 备考", (), "备注：原文"),
)

_synonyms: dict[str, tuple[Role, ...]] = {}
_PATTERNS: list[tuple[re.Pattern[str], Role]] = []
for _info in ROLES:
    for _name in _info.names:
        _synonyms[_name] = (*_synonyms.get(_name, ()), _info.role)
    _PATTERNS.extend((re.compile(p), _info.role) for p in _info.patterns)
SYNONYMS: Mapping[str, tuple[Role, ...]] = _synonyms


def role_table() -> str:
    """The README's table of column roles (kept in step with ROLES by a test)."""
    rows = [
        "| 作用（.yml 中的列名） | 认得的表头（另认得含这些词的写法） | 网站上怎么显示 |",
        "|---|---|---|",
    ]
    for info in ROLES:
        names = "、".join(info.names)
        rows.append(f"| {info.role.value} | {names} | {info.shown} |")
    rows.append(
        f"| {Role.EXTRA.value} | （.yml 中声明） | 不认识的列按原表列名显示；在 .yml 中写成“原样”就不再警告 |"
    )
    return "\n".join(rows)


# A role's Chinese name, as staff write it on the right of a ``columns:`` mapping.
ROLE_NAMES: Mapping[str, Role] = {
    **{role.value: role for role in Role},
    **{name: roles[0] for name, roles in SYNONYMS.items()},
    "其他": Role.EXTRA,
    "原样显示": Role.EXTRA,
}

# Roles a table has at most one column of; a second column of the same role is shown
# under its own name (目标任务 twice: both kept).
SINGLE = frozenset(Role) - {Role.EXTRA}
REPEATED = frozenset({Role.TARGET, Role.ACTUAL, Role.FIGURE})
"""Roles a table may give two columns by their own names: 计划完成数 … 开工率 and then
计划投资额 … 投资完成率 measure one task twice."""

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_STAR_RE = re.compile(r"[*＊※]+$")


def normalize_label(text: str) -> str:
    """Header text as compared: markup, spaces and width differences removed."""
    if "<" in text:
        text = html.unescape(_TAG_RE.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    return _STAR_RE.sub("", _SPACE_RE.sub("", text))


_UNIT_SUFFIX_RE = re.compile(r"\((%|％|[^()]{1,8})\)$")


def roles_of(label: str, overrides: Mapping[str, Role] | None = None) -> tuple[Role, ...]:
    """The roles a header label may have, most likely first; () for a label we do not know.

    ``overrides`` maps a report's own (normalised) header names to a role (from the report's
    ``.yml``), e.g. ``{"推进情况说明": Role.PROGRESS}``; they win over the synonym table.
    """
    key = normalize_label(label)
    if not key:
        return ()
    if overrides and key in overrides:
        return (overrides[key],)
    for candidate in (key, _UNIT_SUFFIX_RE.sub("", key)):
        if candidate in SYNONYMS:
            return SYNONYMS[candidate]
        for pattern, role in _PATTERNS:
            if pattern.match(candidate):
                return (role,)
    return ()


def assign_roles(candidates: Sequence[tuple[Role, ...]]) -> list[Role | None]:
    """A role for each column of a header, each single role given to one column at most.

    Unambiguous names claim their role first; then each ambiguous column takes the first of
    its roles still free. A column left without a role is shown under its own name.
    """
    assigned: list[Role | None] = [None] * len(candidates)
    taken: set[Role] = set()
    for only_clear in (True, False):
        for index, roles in enumerate(candidates):
            if assigned[index] is not None or not roles:
                continue
            if only_clear and len(roles) > 1:
                continue
            for role in roles:
                if (
                    role not in taken
                    or role not in SINGLE
                    or (role in REPEATED and len(roles) == 1 and not only_clear)
                ):
                    assigned[index] = role
                    taken.add(role)
                    break
    return assigned
