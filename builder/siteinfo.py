"""Who runs the site and on what terms its data may be used: ``extra`` in mkdocs.yml.

The shipped ``data/`` and ``mkdocs.yml`` are a demonstration: they name a placeholder operator
and an ``example.com`` address. A site built so says it on every page (a 示例站点 banner) and
every build says it to staff, so that nobody publishes the demonstration as the real thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import GongkaiError

PLACEHOLDER_WORD = "示例"
"""In the operator's name, it marks the shipped placeholder (政府工作报告任务公开（示例站点）)."""

_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class Licence:
    """The licence the open data is published under, as ``extra.licence`` names it."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class SiteInfo:
    operator: str
    site_url: str
    licence: Licence | None

    @property
    def demo_reasons(self) -> tuple[str, ...]:
        """Why this build is a demonstration, in words for staff; empty for a real site."""
        reasons = []
        if not self.operator.strip():
            reasons.append("mkdocs.yml 中没有写主办单位（extra.operator.name）")
        elif PLACEHOLDER_WORD in self.operator:
            reasons.append(f"主办单位还是示例“{self.operator}”（extra.operator.name）")
        host = (urlsplit(self.site_url).hostname or "").lower()
        if not host:
            reasons.append("mkdocs.yml 中没有写网站地址（site_url）")
        elif any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS):
            reasons.append(f"网站地址还是示例地址 {self.site_url}（site_url）")
        return tuple(reasons)

    @property
    def is_demo(self) -> bool:
        return bool(self.demo_reasons)

    def notice(self) -> str:
        """The line every build of a demonstration prints (information, not a warning: the
        shipped demonstration builds under --strict)."""
        return (
            "这是示例站点，每个页面顶部显示“示例站点”："
            + "；".join(self.demo_reasons)
            + "。正式发布前请按 README“上线之前”一节设置。"
        )


def site_info(extra: Mapping[str, Any], site_url: str) -> SiteInfo:
    """Read ``extra.operator.name`` and ``extra.licence`` ({name, url}) of mkdocs.yml."""
    operator = extra.get("operator") or {}
    if not isinstance(operator, Mapping):
        raise GongkaiError("mkdocs.yml: 错误：extra.operator 应写成 name、contact 等几项")
    licence = extra.get("licence")
    parsed = None
    if licence:
        if not isinstance(licence, Mapping) or not str(licence.get("name") or "").strip():
            raise GongkaiError(
                "mkdocs.yml: 错误：extra.licence 应写成 name（许可名称）和 url（许可全文的网址）两项"
            )
        parsed = Licence(str(licence["name"]).strip(), str(licence.get("url") or "").strip())
    return SiteInfo(str(operator.get("name") or ""), site_url or "", parsed)
