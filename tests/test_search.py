"""Search: full recall for Chinese keywords, in Python and in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from builder.search import (
    LONGEST_TERM,
    TITLE_MARK,
    SearchRecord,
    build_search_index,
    cjk_bigrams,
    terms,
)

REPORTS = ROOT / "data" / "reports"
# Short keywords that sit inside longer words (a segmenter cuts 专精特新 as one word, so
# 精特 is lost to it), plus Latin letters and digits inside Chinese text.
KEYWORDS = [
    "精特", "硅谷", "巨人", "羚羊", "技改", "隔膜", "碳达峰", "零碳", "亩均", "首台套",
    "链主", "数字化车间", "招商", "化肥", "拖欠", "基站", "MTBE", "5G", "IGBT", "专精特新",
]  # fmt: skip


def expected_tasks(keyword: str) -> set[str]:
    """Task URLs whose source lines contain the keyword, read without the project's code."""
    found = set()
    for path in sorted(REPORTS.glob("*.txt")):
        seq = None
        for line in path.read_text(encoding="utf-8").splitlines():
            first = line.split("\t")[0].strip()
            if first.isdigit():
                seq = first
            if seq and keyword.lower() in re.sub(r"\s+", "", line).lower():
                found.add(f"/reports/{path.stem}/{seq}/")
    return found


def test_bigrams() -> None:
    assert cjk_bigrams("城市道路 5G基站") == "城市 市道 道路 路 5G 基站 站"
    assert cjk_bigrams("省") == "省"
    assert cjk_bigrams("目，") == "目"
    assert cjk_bigrams("MTBE项目，2.56亿元“硅谷”") == "MTBE 项目 目 2.56 亿元 元 硅谷 谷"


def test_every_substring_of_a_task_is_covered_by_its_bigrams() -> None:
    # Latin words and numbers are found whole or by their beginning (5G, MTBE, 2.56).
    text = "加快推进安庆石化轻烃资源综合利用及高端材料项目，建设 5G 基站"
    tokens = set(cjk_bigrams(text).split())
    for n in range(2, 6):
        for i in range(len(text) - n + 1):
            if i and text[i].isascii() and text[i].isalnum() and text[i - 1].isalnum():
                continue  # starts inside a Latin word
            for term in cjk_bigrams(text[i : i + n]).split():
                # A lone character (beside punctuation) is matched as a prefix (gk-search.js).
                assert any(token.startswith(term) for token in tokens), (text[i : i + n], term)


@given(
    st.text(alphabet=st.sampled_from(list("城市道路推进 ，。5GMTbe2.56%-")), max_size=30),
    st.text(max_size=20),
)
def test_index_terms_are_the_bigrams_of_title_and_text(text: str, title: str) -> None:
    expected = {t[:LONGEST_TERM] for t in cjk_bigrams(f"{title}\n{text}").lower().split()}
    expected |= {TITLE_MARK + t[:LONGEST_TERM] for t in cjk_bigrams(title).lower().split()}
    assert terms(SearchRecord("x/", title, text, {})) == expected


def test_keywords_are_in_the_seeds() -> None:
    for keyword in KEYWORDS:
        assert expected_tasks(keyword), keyword


SEARCH_JS = """async ([query]) => {
  const found = await window.gkSearch.find(query);
  const urls = [];
  for (const result of found.results) urls.push((await result.data()).url);
  return urls;
}"""


def assert_full_recall(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_function("window.gkSearch !== undefined")
    for keyword in KEYWORDS:
        found = page.evaluate(SEARCH_JS, [keyword])
        assert len(found) == len(set(found)), f"{keyword}: a task found twice"
        missing = expected_tasks(keyword) - set(found)
        assert not missing, f"{keyword}: not found {sorted(missing)}"


def test_every_keyword_finds_every_task_containing_it(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    assert_full_recall(page, site_url)


def test_header_search_opens_a_result(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    fetched: list[int] = []
    page.on(
        "response",
        lambda r: fetched.append(len(r.body())) if "/search/" in r.url and r.ok else None,
    )
    page.goto(site_url + "reports/2024-anqing-industry-q3/")
    page.get_by_role("button", name="搜索").click()
    search_box = page.get_by_placeholder("搜索任务、单位或任意词语")
    search_box.fill("隔膜")
    result = page.locator(".gk-search__link").first
    result.wait_for()
    assert "衡川电池隔膜" in result.inner_text()
    excerpt = page.locator(".gk-search__excerpt").first.inner_html()
    assert "<mark>隔膜</mark>" in excerpt
    assert 0 < sum(fetched) < 100_000, fetched
    result.click()
    page.wait_for_url("**/reports/2024-anqing-industry-q3/18/")
    assert page.locator("article h1").inner_text().startswith("推进衡川电池隔膜")


def test_search_is_keyboard_reachable(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    box = page.get_by_placeholder("搜索任务、单位或任意词语")
    box.wait_for()
    expect_focused = page.evaluate("document.activeElement.tagName")
    assert expect_focused == "INPUT"
    page.keyboard.type("羚羊")
    page.locator(".gk-search__link").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.locator("dialog.gk-search-dialog[open]").count()


@pytest.mark.parametrize(
    "hostile", ["<script>window.pwned=1</script>", "<img src=x onerror=window.pwned=1>"]
)
def test_results_show_hostile_text_as_text(tmp_path: Path, serve, browser, hostile: str) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    (site / "x").mkdir(parents=True)
    search_page(site)
    build_search_index(
        site, [SearchRecord("x/", f"任务{hostile}", f"说明{hostile}测试", {"报告": hostile})]
    )
    page = browser.new_page()
    page.goto(serve(site))
    page.get_by_role("button", name="搜索").click()
    page.get_by_placeholder("搜索任务、单位或任意词语").fill("说明")
    page.locator(".gk-search__link").first.wait_for()
    assert hostile in page.locator(".gk-search__link").first.inner_text()
    assert hostile in page.locator(".gk-search__excerpt").first.inner_text()
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    page.close()


def search_page(site: Path) -> None:
    """A bare page with the header search, for an index written by build_search_index."""
    (site / "gk-search.js").write_bytes((ROOT / "overrides/assets/gk-search.js").read_bytes())
    (site / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="gk-base" content=".">'
        '</head><body><header><div class="md-header__inner"></div></header>'
        '<script src="gk-search.js"></script></body></html>',
        encoding="utf-8",
    )


def test_every_kind_of_term_entry_is_read_in_the_browser(tmp_path: Path, serve, browser) -> None:  # type: ignore[no-untyped-def]
    # More than 65,535 tasks: task numbers are 32-bit; a term in every task is a bitmap.
    count = 66_000
    rare = {3, 65_600, 65_999}
    records = [
        SearchRecord(
            f"t/{i}/",
            f"任务{i}",
            "共同措施"
            + ("稀有设备" if i in rare else "")
            + (" MTBE" if i == 65_700 else "")
            + (" X" * 100 + " " + "Y" * 70_000 if i == 5 else ""),
            {},
        )
        for i in range(count)
    ]
    site = tmp_path / "site"
    site.mkdir()
    search_page(site)
    build_search_index(site, records)
    page = browser.new_page()
    page.goto(serve(site))
    page.wait_for_function("window.gkSearch !== undefined")
    assert page.evaluate(SEARCH_JS, ["稀有设备"]) == [f"/t/{i}/" for i in sorted(rare)]
    assert page.evaluate(SEARCH_JS, ["mt"]) == page.evaluate(SEARCH_JS, ["M"]) == ["/t/65700/"]
    assert page.evaluate(SEARCH_JS, ["没有的词"]) == []
    # A word longer than any term is found by its beginning, and by the whole of it.
    assert (
        page.evaluate(SEARCH_JS, ["Y" * 80])
        == page.evaluate(SEARCH_JS, ["Y" * 70_000])
        == ["/t/5/"]
    )
    found = page.evaluate("async () => (await window.gkSearch.find('共同')).results.length")
    assert found == count
    page.close()
