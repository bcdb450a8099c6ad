"""Deterministic synthetic report tables in the real text format, for benchmarks and tests.

    python benchmarks/synth.py OUT_DIR --tasks 10000 [--seed 1]

writes OUT_DIR/reports/<slug>.txt + <slug>.yml and OUT_DIR/units.yml. The tables have the
shapes and quirks of the two real ones (shared/seeds): the provincial year-end shape
(序号 工作事项 责任单位 完成情况, HTML or plain narratives, article numbers), the city
quarterly shape (two-line header, 进度安排 + 施工图 lines, ✓/√/word marks, merged empty
落实情况 cells, run-together unit names with 【科室】), headers repeated every few tasks
after a blank line, non-contiguous 序号; and a third shape with section rows, 牵头单位 /
配合单位, 完成时限 and a 完成状态 word column.

Every report is its own table (its title carries a batch number, 第 N 批), except the
series: a quarter of the N tasks are in reports that have two earlier periods (一季度 and
上半年 before 三季度, 1-3月 and 1-6月 before 1-9月…), written as two more reports with the
same issuer, year and title but for the period word, published earlier. Their tasks have the
same 序号 and text (1 in 20 slightly reworded, 1 in 50 not yet listed), less advanced
statuses, shorter narratives and a lower stated rate (完成进度为…%). Those earlier tasks come
on top of N: about N + 2 × N/4 task rows in all.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

PROVINCE_UNITS = [
    "省发展改革委", "省经济和信息化厅", "省科技厅", "省财政厅", "省生态环境厅", "省农业农村厅",
    "省商务厅", "省文化和旅游厅", "省卫生健康委", "省住房城乡建设厅", "省交通运输厅", "省水利厅",
    "省自然资源厅", "省教育厅", "省人力资源社会保障厅", "省市场监管局", "省统计局", "省能源局",
    "省数据资源局", "省地方金融监管局", "省国资委", "省通信管理局", "省税务局", "省民政厅",
]  # fmt: skip
CITY_UNITS = [
    "市经济和信息化局", "市发展改革委", "市科技局", "市财政局(市国资委)", "市招商中心", "市商务局",
    "市自然资源和规划局", "市生态环境局", "市住房城乡建设局", "市交通运输局", "市数据资源局",
    "市市场监管局", "市统计局", "市人力资源社会保障局", "市农业农村局", "市城管局", "市教育局",
    "市卫生健康委", "市文化和旅游局", "市供电公司", "安庆石化", "安庆高新区管委会", "安庆经开区管委会",
    "相关县(市、区)政府",
]  # fmt: skip
COUNTIES = [
    "怀宁县",
    "潜山市",
    "桐城市",
    "望江县",
    "太湖县",
    "宿松县",
    "岳西县",
    "大观区",
    "迎江区",
    "宜秀区",
]
COUNTY_DEPTS = ["政府", "工信局", "发改委", "财政局", "住建局", "统计局", "商务局", "科技局"]
ALIASES = {
    "市经济和信息化局": ["市工信局"],
    "省发展改革委": ["省发改委"],
    "省经济和信息化厅": ["省经信厅"],
}
OFFICES = [
    "中小办",
    "产业科",
    "投资办",
    "信推办",
    "重点办",
    "运行办",
    "节能科",
    "局招商组",
    "规划科",
]

VERBS = [
    "加快推进",
    "积极培育",
    "大力实施",
    "持续深化",
    "着力打造",
    "统筹推进",
    "全面落实",
    "有序开展",
    "深入推进",
    "支持",
]
OBJECTS = [
    "专精特新中小企业梯度培育", "传统产业技术改造", "制造业数字化转型", "5G基站和千兆光网建设",
    "绿色工厂和绿色供应链建设", "工业互联网平台应用", "首台套重大技术装备推广", "新能源汽车产业集群",
    "亩均效益评价改革", "重点技改项目建设", "产业链招商", "拖欠中小企业账款清理", "工业领域碳达峰",
    "智能工厂和数字化车间培育", "软件和信息服务业发展", "民营经济发展政策落实", "化工园区安全整治",
    "特色产业集群培育", "规上工业企业入规培育", "能效领跑者行动", "城市道路和地下管网改造",
    "高端装备制造业发展", "MTBE等化工新材料项目", "消费品工业增品种提品质创品牌",
]  # fmt: skip
TARGETS = [
    "新增省级专精特新企业{n}家", "实施亿元以上技改项目{n}项", "技改投资增长{p}%以上", "新建5G基站{k}个",
    "培育省级智能工厂{n}个", "新增规上工业企业{k}户", "单位工业增加值能耗下降{f}%", "招引亿元以上项目{k}个",
]  # fmt: skip
ACTIONS = [
    "组织开展政策宣讲和培训", "召开专题调度会议", "深入企业开展走访帮扶", "建立项目清单和工作台账",
    "会同有关部门开展联合督查", "印发年度工作要点", "组织企业申报省级以上项目", "开展第三方评估",
    "建立问题清单，实行销号管理", "加强要素保障，协调解决用地、用能、融资等问题",
]  # fmt: skip
RESULTS = [
    "{m}月份，全市新签约亿元以上项目{k}个，协议投资总额{a}亿元",
    "前三季度完成投资{a}亿元，同比增长{f}%",
    "已立项实施{k}万吨/年装置改造项目，项目投资{a}亿元",
    "1-{m}月份，全市技术改造投资同比增长{f}%，高于全省平均{g}个百分点",
    "{y} 年，累计认定创新型中小企业{k}户",
    "{m} 月 {d} 日，召开全市推进会议，部署下一阶段重点工作",
    "完成年度目标任务的{p}%，进度符合序时要求",
    "共收到投诉{n}起，均在规定时间内办结",
]  # fmt: skip
SECTIONS = [
    "一、稳住经济基本盘",
    "二、加快产业转型升级",
    "三、推进数字化绿色化",
    "四、优化营商环境",
    "五、保障和改善民生",
]
MARKS_DONE = ["✓"] * 10 + ["√"] * 3
WORDS_ONGOING = ["正在推进", "持续推进", "序时推进"]
STATUS_WORDS = ["已完成"] * 6 + ["序时推进"] * 3 + ["未完成"]


# How far a task is in one report; a later report of a series never says less.
DONE, ONGOING, NOT_DONE = 2, 1, 0

# Earlier periods of a series, the latest last; each shape's own usual periods.
SERIES_PERIODS = {
    "province": [("上半年", "三季度", "年度"), ("1-6月", "1-9月", "年度"), ("一季度", "上半年", "年度")],
    "city": [("一季度", "上半年", "三季度"), ("一季度", "二季度", "三季度"), ("二季度", "三季度", "四季度"), ("1-3月", "1-6月", "1-9月")],
    "county": [("一季度", "上半年", "三季度"), ("1-3月", "1-6月", "1-9月"), ("上半年", "三季度", "年度")],
}  # fmt: skip
PERIOD_END = {"一季度": 3, "1-3月": 3, "二季度": 6, "上半年": 6, "1-6月": 6, "三季度": 9, "1-9月": 9, "四季度": 12, "年度": 12}  # fmt: skip
PERIOD_SLUG = {"一季度": "q1", "1-3月": "m1-3", "二季度": "q2", "上半年": "h1", "1-6月": "m1-6", "三季度": "q3", "1-9月": "m1-9", "四季度": "q4", "年度": "y"}  # fmt: skip
# The city table's plan column is named after the quarter the report covers.
QUARTER_COLUMN = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}
# A progress rate stated in words, the way the builder reads a figure from a narrative.
FIGURE_FORMS = ["完成进度为{p}%。", "总体进度达{p}%。", "完成率{p}%。"]


@dataclass
class Version:
    """A task as one report of its series states it."""

    text: str | None
    """None: the task is not in this period's table (it was added later)."""
    status: int
    figure: int | None = None
    """A stated progress rate (series tasks only), rising over the periods."""


@dataclass
class Task:
    """What stays the same over a series: 序号, units, phone, deadline, section."""

    seq: int
    text: str
    status: int
    units: str = ""
    support: str = ""
    phone: str = ""
    deadline: str = ""
    section: str = ""
    article: str = ""
    figure_form: str = ""
    versions: list[Version] = field(default_factory=list)
    """One per report of the series, the earliest first; one alone for a report without."""


class Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def num(self, text: str) -> str:
        r = self.rng
        return text.format(
            n=r.randint(2, 60), k=r.randint(10, 1500), p=r.randint(5, 99), f=round(r.uniform(0.5, 35), 1),
            g=round(r.uniform(0.5, 9), 1), a=round(r.uniform(0.5, 1500), 2), m=r.randint(1, 12),
            d=r.randint(1, 28), y=r.choice([2022, 2023, 2024]),
        )  # fmt: skip

    def task_text(self) -> str:
        r = self.rng
        text = f"{r.choice(VERBS)}{r.choice(OBJECTS)}"
        if r.random() < 0.6:
            text += "，" + self.num(r.choice(TARGETS))
        return text

    def reword(self, text: str) -> str:
        """The same task slightly reworded, as an office edits its table between periods:
        another verb, or another number in the target."""
        r = self.rng
        head, comma, target = text.partition("，")
        # The target's own figure is its last number (新建5G基站120个).
        number = next(reversed(list(re.finditer(r"\d+(?:\.\d+)?", target))), None)
        if number and r.random() < 0.5:
            value = number.group()
            new = (
                str(int(value) + r.randint(1, 5))
                if value.isdigit()
                else f"{float(value) + 0.5:.1f}"
            )
            return f"{head}，{target[: number.start()]}{new}{target[number.end() :]}"
        verb = next(v for v in VERBS if head.startswith(v))
        return r.choice([v for v in VERBS if v != verb]) + head[len(verb) :] + comma + target

    def sentence(self) -> str:
        r = self.rng
        return f"{r.choice(ACTIONS)}，{self.num(r.choice(RESULTS))}。"

    def narrative(self, html: bool, lo: int = 1, hi: int = 4, sentences: int = 6) -> str:
        r = self.rng
        items = []
        for _ in range(r.randint(lo, hi)):
            items.append("".join(self.sentence() for _ in range(r.randint(1, sentences))))
        if len(items) == 1 and r.random() < 0.5:
            return f"<p>{items[0]}</p>" if html else items[0]
        if html:
            return " ".join(
                f"<p>{i}.{' ' if r.random() < 0.5 else ''}{t}</p>" for i, t in enumerate(items, 1)
            )
        return " ".join(f"{i}.{t}" for i, t in enumerate(items, 1))

    def progress(
        self, task: Task, version: Version, html: bool, lo: int, hi: int, back: int
    ) -> str:
        """What was done: shorter the earlier the period (``back`` periods before the latest),
        opening with the stated rate where the task has one."""
        text = self.narrative(html, lo, max(lo, hi - back), 6 - 2 * back)
        if version.figure is None:
            return text
        rate = task.figure_form.format(p=version.figure)
        return f"<p>{rate}</p> {text}" if html else rate + text

    def units(self, pool: list[str], run_together: bool) -> str:
        r = self.rng
        chosen = r.sample(pool, r.randint(1, 3))
        if pool is PROVINCE_UNITS:
            return ",".join(chosen)
        if chosen[0] != "市经济和信息化局" and r.random() < 0.7:
            chosen.insert(0, "市经济和信息化局")
        if r.random() < 0.05:
            chosen[0] = "市工信局"
        sep = "" if run_together else r.choice([" ", "、", "，"])
        office = f"{' ' if not run_together and r.random() < 0.5 else ''}【{r.choice(OFFICES)}】"
        return sep.join(dict.fromkeys(chosen)) + (office if r.random() < 0.85 else "")

    def history(self, tasks: list[Task], periods: int) -> None:
        """Each task's version in each of ``periods`` reports: the latest as generated; the
        earlier ones less advanced, with a lower stated rate, 1 in 20 slightly reworded and
        1 in 50 not yet in the table."""
        r = self.rng
        for task in tasks:
            if periods == 1:
                task.versions = [Version(task.text, task.status)]
                continue
            task.figure_form = r.choice(FIGURE_FORMS)
            statuses = [task.status]
            figures = [100 if task.status == DONE else r.randint(55, 95)]
            for back in range(1, periods):
                # Done by the period before the latest now and then; in progress before.
                done_early = task.status == DONE and back == 1 and r.random() < 0.2
                statuses.append(DONE if done_early else ONGOING)
                figures.append(100 if done_early else max(5, figures[-1] - r.randint(15, 40)))
            texts: list[str | None] = [task.text] * periods
            roll = r.random()
            if roll < 1 / 50:
                texts[0] = None  # added to the table later
                if periods > 2 and r.random() < 0.5:
                    texts[1] = None
            elif roll < 1 / 50 + 1 / 20:
                reworded = self.reword(task.text)
                texts[0] = reworded
                if periods > 2 and r.random() < 0.5:
                    texts[1] = reworded
            task.versions = [
                Version(text, status, figure)
                for text, status, figure in zip(
                    texts, reversed(statuses), reversed(figures), strict=True
                )
            ]
        for stage in range(periods - 1):  # never an empty table
            if all(t.versions[stage].text is None for t in tasks):
                tasks[0].versions[stage].text = tasks[0].text


def province_tasks(w: Writer, n: int) -> list[Task]:
    r = w.rng
    tasks = []
    article = r.randint(1, 30)
    for i in range(1, n + 1):
        article += r.randint(1, 9)
        tasks.append(
            Task(
                seq=i,
                text=w.task_text(),
                # The year-end shape states no status column; this sets the stated rate.
                status=DONE if r.random() < 0.8 else ONGOING,
                units=w.units(PROVINCE_UNITS, False),
                article=f"{article}." if r.random() < 0.85 else "",
            )
        )
    return tasks


def city_tasks(w: Writer, n: int) -> list[Task]:
    r = w.rng
    tasks = []
    seq = 0
    for _ in range(n):
        seq += r.randint(1, 3)
        roll = r.random()
        status = DONE if roll < 0.8 else ONGOING if roll < 0.93 else NOT_DONE
        tasks.append(
            Task(
                seq=seq,
                text=w.task_text(),
                status=status,
                phone=f"55{r.randint(10000, 99999)}",
                units=w.units(CITY_UNITS, r.random() < 0.4),
            )
        )
    return tasks


def county_tasks(w: Writer, n: int) -> list[Task]:
    r = w.rng
    county = r.choice(COUNTIES)
    depts = [county + d for d in COUNTY_DEPTS]
    sections = r.sample(SECTIONS, r.randint(2, 4))
    per = max(1, n // len(sections))
    tasks = []
    seq = 0
    for s, section in enumerate(sections):
        count = per if s < len(sections) - 1 else n - per * (len(sections) - 1)
        for _ in range(count):
            seq += 1
            lead, *support = r.sample(depts, r.randint(1, 3))
            word = r.choice(STATUS_WORDS)
            tasks.append(
                Task(
                    seq=seq,
                    text=w.task_text(),
                    status={"已完成": DONE, "未完成": NOT_DONE}.get(word, ONGOING),
                    units=lead,
                    support="、".join(support),
                    deadline=f"{r.choice([2024, 2025])} 年 {r.randint(1, 12)} 月",
                    section=section,
                )
            )
    return tasks


def present(tasks: list[Task], stage: int) -> list[tuple[Task, Version, str]]:
    return [(t, v, v.text) for t in tasks if (v := t.versions[stage]).text is not None]


def province_report(w: Writer, title: str, tasks: list[Task], stage: int) -> str:
    r = w.rng
    back = len(tasks[0].versions) - 1 - stage
    header = "序号\t工作事项\t责任单位\t完成情况"
    lines = ["", "", f"## {title}", "", header]
    for i, (task, version, text) in enumerate(present(tasks, stage), 1):
        if i > 1 and i % r.randint(3, 5) == 0:
            lines += ["", header]
        progress = w.progress(task, version, r.random() < 0.6, 1, 5, back)
        lines.append(f"{task.seq}\t{task.article}{text}。\t{task.units}\t{progress}")
    return "\n".join(lines) + "\n"


def city_report(w: Writer, title: str, tasks: list[Task], stage: int, quarter: str) -> str:
    r = w.rng
    back = len(tasks[0].versions) - 1 - stage
    top = f"序号\t目标任务\t责任分工\t监督方式\t季度\t{quarter}\t完成情况\t\t落实情况"
    sub = "\t\t\t\t类别\t\t已完成\t未完成\t"
    later = f"序号\t目标任务\t责任分工\t监督方式\t季度类别\t{quarter}\t完成情况\t\t落实情况"
    lines = ["", "", title, "", top, sub]
    for i, (task, version, text) in enumerate(present(tasks, stage)):
        if i and i % r.randint(2, 4) == 0:
            lines += ["", later, "\t\t\t\t\t\t已完成\t未完成\t"]
        done, not_done = "", ""
        if version.status == DONE:
            done = r.choice(MARKS_DONE)
        elif version.status == ONGOING:
            done = r.choice(WORDS_ONGOING)
        else:
            not_done = "✓"
        progress = w.progress(task, version, False, 1, 2, back)
        lines.append(
            f"{task.seq}\t{text}\t{task.units}\t{task.phone}\t进度安排\t{w.sentence()}\t{done}\t{not_done}\t{progress}"
        )
        merged = r.random() < 0.12
        progress = "" if merged else w.narrative(r.random() < 0.5, 1, max(1, 4 - back))
        lines.append(
            f"\t\t\t\t施工图\t{w.narrative(r.random() < 0.4, 1, 3)}\t{done}\t{not_done}\t{progress}"
        )
    return "\n".join(lines) + "\n"


def county_report(w: Writer, title: str, tasks: list[Task], stage: int) -> str:
    r = w.rng
    back = len(tasks[0].versions) - 1 - stage
    header = "序号\t重点任务\t牵头单位\t配合单位\t完成时限\t完成状态\t进展情况"
    lines = [title, header]
    section = ""
    for task, version, text in present(tasks, stage):
        if task.section != section:
            section = task.section
            lines.append(section)
        if version.status == DONE:
            word = "已完成"
        elif version.status == NOT_DONE:
            word = "未完成"
        elif back:
            word = r.choice(["序时推进", "推进中"])
        else:
            word = "序时推进"
        lines.append(
            f"{task.seq}\t{text}\t{task.units}\t{task.support}\t{task.deadline}"
            f"\t{word}\t{w.progress(task, version, False, 1, 3, back)}"
        )
    return "\n".join(lines) + "\n"


@dataclass
class Counts:
    reports: int = 0
    series: int = 0
    latest_tasks: int = 0
    """Tasks of the latest report of each table: the N asked for."""
    rows: int = 0
    """Task rows in all reports, the earlier periods of a series included."""


def published(r: random.Random, year: int, period: str) -> str:
    """Some days after the period ends: later periods of a series are published later."""
    end = PERIOD_END[period]
    if end == 12:
        return f"{year + 1}-{r.randint(1, 2):02d}-{r.randint(1, 28):02d}"
    return f"{year}-{end + 1:02d}-{r.randint(5, 28):02d}"


def generate(out: Path, tasks: int, seed: int) -> Counts:
    """N = ``tasks`` latest-period tasks; a quarter of them in series of three reports (the
    same issuer, year and title but for the period), whose two earlier reports come on top."""
    w = Writer(seed)
    r = w.rng
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    counts = Counts()
    left = {True: tasks // 4, False: tasks - tasks // 4}  # series or not: latest tasks to write
    index = 0
    while left[True] + left[False]:
        index += 1
        in_series = r.random() < left[True] / (left[True] + left[False])
        n = min(left[in_series], r.randint(40, 300))
        left[in_series] -= n
        year = r.choice([2022, 2023, 2024, 2025])
        kind = r.choices(["province", "city", "county"], weights=[3, 5, 2])[0]
        if in_series:
            periods = list(r.choice(SERIES_PERIODS[kind]))
        elif kind == "province":
            periods = ["年度"]
        elif kind == "city":
            periods = [f"{r.choice('一二三四')}季度"]
        else:
            periods = ["上半年"]
        made = {"province": province_tasks, "city": city_tasks, "county": county_tasks}[kind](w, n)
        w.history(made, len(periods))
        for stage, period in enumerate(periods):
            if kind == "province":
                # The year-end shape's title names no period; a series' titles all do.
                words = period if in_series else ""
                title = f"{year} 年省政府重点工作{words}完成情况（第 {index} 批）"
                text = province_report(w, title, made, stage)
                issuer = "安徽省经济和信息化厅"
            elif kind == "city":
                title = f"市工信局 {year} 年政府工作报告任务 {period}完成情况（第 {index} 批）"
                text = city_report(w, title, made, stage, QUARTER_COLUMN[PERIOD_END[period]])
                issuer = "安庆市经济和信息化局"
            else:
                title = f"{year} 年县政府工作报告重点任务{period}完成情况（第 {index} 批）"
                text = county_report(w, title, made, stage)
                issuer = "县人民政府办公室"
            if in_series:
                slug = f"{year}-{kind}-{PERIOD_SLUG[period]}-{index:04d}"
            elif kind == "city":
                slug = f"{year}-city-{PERIOD_SLUG[period]}-{index:04d}"
            else:
                slug = f"{year}-{kind}-{index:04d}"
            (reports / f"{slug}.txt").write_text(text, encoding="utf-8")
            meta = f"issuer: {issuer}\nyear: {year}\nperiod: {period}\npublished: {published(r, year, period)}\n"
            (reports / f"{slug}.yml").write_text(meta, encoding="utf-8")
            counts.reports += 1
            counts.rows += sum(t.versions[stage].text is not None for t in made)
        counts.series += in_series
        counts.latest_tasks += n
    names = PROVINCE_UNITS + CITY_UNITS + [c + d for c in COUNTIES for d in COUNTY_DEPTS]
    lines = ["units:"]
    for name in names:
        lines.append(f"  - name: {name}")
        if name in ALIASES:
            lines.append(f"    aliases: [{', '.join(ALIASES[name])}]")
    (out / "units.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--tasks", type=int, required=True, help="latest-period tasks (N)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    c = generate(args.out_dir, args.tasks, args.seed)
    print(
        f"wrote {c.latest_tasks} tasks ({c.rows} task rows with the earlier periods) "
        f"in {c.reports} reports ({c.series} series of 3) to {args.out_dir}"
    )


if __name__ == "__main__":
    main()
