"""Static SVG charts made at build time: no chart library, nothing loaded from elsewhere."""

from __future__ import annotations

import html
from collections.abc import Mapping

from .model import STATUS_ORDER, Status

# Fill colours have ≥ 3:1 contrast against white (WCAG 1.4.11); every bar is also labelled
# with its status and number, so the chart reads without colour.
_FILL = {
    Status.DONE: "#1b7f3b",
    Status.IN_PROGRESS: "#1f5fa8",
    Status.BEHIND: "#8a4b00",
    Status.NOT_DONE: "#b3261e",
    Status.UNMARKED: "#6b6b6b",
}
_ROW = 30
_LABEL_W = 64
_BAR_W = 220
_WIDTH = _LABEL_W + _BAR_W + 70


def status_chart(counts: Mapping[Status, int], subject: str) -> str:
    """A horizontal bar per status, each labelled "已完成 15 项 (88%)"; one line of SVG."""
    total = sum(counts.values())
    rows = [s for s in STATUS_ORDER if counts.get(s)]
    height = _ROW * len(rows) + 6
    summary = "，".join(f"{s.label} {counts[s]} 项" for s in rows)
    title = html.escape(f"{subject}：共 {total} 项，{summary}", quote=True)
    parts = [
        f'<svg class="gk-chart" role="img" aria-label="{title}" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{title}</title>",
    ]
    for i, status in enumerate(rows):
        y = 3 + i * _ROW
        n = counts[status]
        width = max(2, round(_BAR_W * n / total)) if total else 0
        share = round(100 * n / total) if total else 0
        parts.append(
            f'<text x="0" y="{y + 19}" font-size="15" fill="#1a1a1a">{status.label}</text>'
            f'<rect x="{_LABEL_W}" y="{y + 4}" width="{width}" height="20" rx="2" '
            f'fill="{_FILL[status]}"/>'
            f'<text x="{_LABEL_W + width + 6}" y="{y + 19}" font-size="15" fill="#1a1a1a">'
            f"{n} 项（{share}%）</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
