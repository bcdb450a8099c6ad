"""Status charts made at build time: bars of HTML, so the labels are real text that grows
with the reader's font (长者模式) and wraps on a phone; nothing is loaded from elsewhere."""

from __future__ import annotations

import html
from collections.abc import Mapping

from .model import STATUS_ORDER, Status


def status_chart(counts: Mapping[Status, int], subject: str) -> str:
    """A bar per status, each labelled "已完成 15 项（88%）"; one line of HTML."""
    total = sum(counts.values())
    rows = [s for s in STATUS_ORDER if counts.get(s)]
    summary = "，".join(f"{s.label} {counts[s]} 项" for s in rows)
    label = html.escape(f"{subject}：共 {total} 项，{summary}", quote=True)
    parts = [f'<div class="gk-chart" role="img" aria-label="{label}">']
    for status in rows:
        n = counts[status]
        share = round(100 * n / total) if total else 0
        width = max(1, round(100 * n / total)) if total else 0
        parts.append(
            f'<div class="gk-chart__row"><span class="gk-chart__label">{status.label}</span>'
            f'<span class="gk-chart__track"><span class="gk-chart__bar gk-chart__bar--{status.value}" '
            f'style="width:{width}%"></span></span>'
            f'<span class="gk-chart__value">{n} 项（{share}%）</span></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def status_badge(status: Status, word: str | None = None) -> str:
    """The status as the office wrote it (正在推进), shaped and coloured by the category it
    is counted in; the category's name only where the office wrote nothing."""
    e = html.escape
    shown = word or status.label
    counted = f' title="统计时计为：{e(status.label)}"' if word and word != status.label else ""
    several = " gk-status--several" if "；" in shown else ""
    return f'<span class="gk-status gk-status--{status.value}{several}"{counted}>{e(shown)}</span>'


def stacked_bar(counts: Mapping[Status, int], label: str) -> str:
    """One period's statuses as a stacked bar, 100 units wide: a static SVG that scales to
    its box, coloured by the page's stylesheet like the other charts; the words beside it
    carry the same numbers for those who cannot see colour."""
    total = sum(counts.values())
    rects = []
    x = 0.0
    for status in STATUS_ORDER:
        n = counts.get(status, 0)
        if not n or not total:
            continue
        width = 100 * n / total
        rects.append(
            f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="10" '
            f'class="gk-chart__fill gk-chart__fill--{status.value}">'
            f"<title>{html.escape(status.label)} {n} 项</title></rect>"
        )
        x += width
    if not rects:
        rects.append('<rect x="0" y="0" width="100" height="10" fill="#f1f1f1"/>')
    return (
        f'<svg class="gk-moves__bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{html.escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"{''.join(rects)}</svg>"
    )
