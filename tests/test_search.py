"""Search: full recall for Chinese keywords, in Python and in a real browser."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import expect
from series_fixture import series_data

from builder.load import load_site
from builder.paths import Urls, report_path
from builder.search import (
    LEAF_BYTES,
    LONGEST_TERM,
    TITLE_MARK,
    Kind,
    SearchRecord,
    _payload,
    build_search_index,
    cjk_bigrams,
    example_word,
    normalize,
    search_records,
    terms,
)
from builder.series import report_date

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


def report_tasks(stem: str) -> set[str]:
    """Every task URL of one report, read from its source lines without the project's code."""
    path = REPORTS / f"{stem}.txt"
    seqs = {line.split("\t")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()}
    return {f"/reports/{stem}/{seq}/" for seq in seqs if seq.isdigit()}


ANQING = "2024-anqing-industry-q3"
PROVINCE = "2023-province-key-tasks"


def test_bigrams() -> None:
    assert cjk_bigrams("城市道路 5G基站") == "城市 市道 道路 路 5G 基站 站"
    assert cjk_bigrams("省") == "省"
    assert cjk_bigrams("目，") == "目"
    assert cjk_bigrams("MTBE项目，2.56亿元“硅谷”") == "MTBE 项目 目 2.56 亿元 元 硅谷 谷"
    # Full-width and half-width forms are one (NFKC), here as in gk-search.js.
    assert cjk_bigrams("ＭＴＢＥ项目，２．５６亿元　５Ｇ") == "MTBE 项目 目 2.56 亿元 元 5G"


@given(st.text())
def test_normalize_is_nfkc(text: str) -> None:
    assert normalize(text) == unicodedata.normalize("NFKC", text)


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
    st.text(alphabet=st.sampled_from(list("城市道路推进 ，。5GMTbe2.56%-ＭＴ５％．")), max_size=30),
    st.text(max_size=20),
    st.dictionaries(st.sampled_from(["报告", "状态"]), st.text(max_size=10)),
)
def test_index_terms_are_the_bigrams_of_title_text_and_meta(
    text: str, title: str, meta: dict[str, str]
) -> None:
    searched = "\n".join([title, text, *meta.values()])
    expected = {t[:LONGEST_TERM] for t in cjk_bigrams(searched).lower().split()}
    expected |= {TITLE_MARK + t[:LONGEST_TERM] for t in cjk_bigrams(title).lower().split()}
    assert terms(SearchRecord("x/", title, text, meta)) == expected


def test_example_word_is_a_whole_frequent_word_of_the_titles() -> None:
    titles = ["培育专精特新企业", "推进专精特新工作", "专精特新“小巨人”", "推进工作", "推进工作"]
    # Not 推进/工作 (found in more titles, but stop words), not 专精 (a piece of 专精特新).
    assert example_word(titles) == "专精特新"
    assert example_word(["ＡＢ", "推进", "", "的"]) is None


def test_records_hold_aliases_report_period_and_status() -> None:
    site = load_site(ROOT / "data").site
    records = {r.url: r for r in search_records(site)}
    first = records[f"reports/{ANQING}/1/"]
    # The units' other names find the task but are never shown: the excerpt is its lines.
    assert {"市工信局", "市经信局"} <= set(first.hidden)
    assert "市经信局" not in first.text and "市经信局" not in "".join(first.meta.values())
    assert first.meta["责任单位"].startswith("市经济和信息化局")
    assert first.meta["发布单位"] == "安庆市经济和信息化局"
    assert "2024" in first.meta["时期"] and "三季度" in first.meta["时期"]
    assert first.meta["状态"] == "已完成"
    assert records[f"reports/{ANQING}/19/"].meta["状态"] == "正在推进（计为推进中）"
    assert "省经信厅" in records[f"reports/{PROVINCE}/1/"].hidden
    # Phones and offices are searched, and shown with their label where they are found.
    more = dict(records[f"reports/{ANQING}/18/"].more)
    assert more["监督电话"] == "5514062" and more["科室"] == "重点办"
    [unit] = [r for r in records.values() if r.kind is Kind.UNIT and r.title == "市经济和信息化局"]
    assert unit.names == ("市工信局", "市经信局") and unit.note == "17 项任务"
    assert records[f"reports/{ANQING}/"].kind is Kind.REPORT


def test_results_are_units_then_reports_then_tasks_latest_period_first(tmp_path: Path) -> None:
    site = load_site(series_data(tmp_path)).site
    records = search_records(site)
    kinds = [r.kind for r in records]
    assert kinds == sorted(kinds, key=[Kind.UNIT, Kind.REPORT, Kind.TASK].index)
    dates = {Urls().url(report_path(r)): report_date(r) for r in site.reports}
    report_dates = [dates[r.url] for r in records if r.kind is Kind.REPORT]
    assert report_dates == sorted(report_dates, reverse=True)
    # Each task once, at its latest period: the 二季度 and 三季度 pages of a task that the
    # 四季度 table lists are no results of their own.
    tasks = [r for r in records if r.kind is Kind.TASK]
    assert len(tasks) == len({r.url for r in tasks}) == len(site.current(site.tasks))
    by_url = {r.url: r for r in tasks}
    q4 = "2024-anqing-industry-q4"
    assert f"reports/{q4}/25/" in by_url and f"reports/{ANQING}/25/" not in by_url
    assert by_url[f"reports/{q4}/25/"].periods == (
        "2024 年二季度",
        "2024 年三季度",
        "2024 年四季度",
    )
    # Task 31 is not listed in 四季度: its result is its 三季度 page, and says so.
    assert by_url[f"reports/{ANQING}/31/"].gone == "2024 年四季度"
    # What only 二季度 said (620 stations) still finds task 25, and is its excerpt there.
    assert ("2024 年二季度", "2024年已新建5G基站620个。") in by_url[f"reports/{q4}/25/"].more
    order = [r.url for r in tasks]
    assert order.index(f"reports/{q4}/1/") < order.index(f"reports/{ANQING}/31/")
    assert order.index(f"reports/{ANQING}/31/") < order.index(f"reports/{PROVINCE}/1/")


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


PLACEHOLDER = "搜索任务、单位或任意词语"


@pytest.fixture(params=[360, 1280], ids=["360px", "1280px"])
def sized_page(request: pytest.FixtureRequest, browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page at a phone's width (touch, mobile viewport) and at a desktop's."""
    width = request.param
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 780 if phone else 900}, is_mobile=phone, has_touch=phone
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda error: errors.append(str(error)))
    yield pg
    context.close()
    assert errors == []


def found(page, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The task pages a query finds (units and reports left out)."""
    urls = page.evaluate(SEARCH_JS, [query])
    assert len(urls) == len(set(urls)), f"{query}: a page found twice"
    return {url for url in urls if TASK_URL.match(url)}


TASK_URL = re.compile(r"^/reports/[^/]+/[^/]+/$")


def type_query(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """As a person does: the header's search button, then the query, one key at a time."""
    page.locator(".gk-search-button").click()
    box = page.get_by_placeholder(PLACEHOLDER)
    expect(box).to_be_focused()
    box.press_sequentially(query, delay=20)
    expect(page.locator(".gk-search__status")).to_contain_text("找到")
    page.wait_for_function(
        "document.querySelectorAll('.gk-search__result').length > 0 || !!document.querySelector('.gk-search__suggest:not([hidden])')"
    )


def query_in_url(page) -> str | None:  # type: ignore[no-untyped-def]
    values = parse_qs(urlsplit(page.url).query, keep_blank_values=True).get("q")
    return values[0] if values else None


def test_unit_short_names_find_the_units_tasks(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    page.wait_for_function("window.gkSearch !== undefined")
    # 市经济和信息化局 leads every task of the Anqing report; the tables also call it 市经信局.
    anqing = report_tasks(ANQING)
    assert len(anqing) == 17
    assert found(page, "经信局") == anqing
    assert found(page, "市工信局") == anqing
    assert found(page, "省经信厅") == report_tasks(PROVINCE)
    type_query(page, "经信局")
    expect(page.locator(".gk-search__status")).to_have_text(
        "找到含有“经信局”的 1 个单位、17 项任务"
    )
    expect(page.locator(".gk-search__link")).to_have_count(10)
    # The unit itself first, found by its other name, which its excerpt shows.
    unit = page.locator(".gk-search__result").first
    expect(unit.locator(".gk-search__link")).to_have_text("单位市经济和信息化局")
    expect(unit.locator(".gk-search__excerpt mark")).to_have_text(["经信局"])
    expect(unit.locator(".gk-search__meta")).to_contain_text("17 项任务")
    unit.locator(".gk-search__link").click()
    page.wait_for_url("**/units/**")
    expect(page.locator("article h1")).to_contain_text("市经济和信息化局")
    page.go_back()
    # The tasks' excerpts are their lines, not the units' other names the index found them by.
    page.locator(".gk-search__result--task .gk-search__excerpt").first.wait_for()
    excerpts = page.locator(".gk-search__result--task .gk-search__excerpt").all_inner_texts()
    assert excerpts and not any("经信局" in text for text in excerpts)
    box = page.locator("dialog.gk-search-dialog").bounding_box()
    assert (
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    )


def test_the_reports_region_issuer_and_title_find_all_its_tasks(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    page.wait_for_function("window.gkSearch !== undefined")
    anqing = report_tasks(ANQING)
    assert found(page, "安庆") >= anqing
    assert found(page, "2024 三季度") == anqing
    # Two words: the tasks with both. 专精特新 alone finds provincial tasks too.
    both = found(page, "安庆 专精特新")
    assert both == expected_tasks("专精特新") & anqing
    assert both and expected_tasks("专精特新") - anqing
    assert not any(PROVINCE in url for url in both)
    type_query(page, "安庆 专精特新")
    expect(page.locator(".gk-search__link")).to_have_count(len(both))


def test_full_width_and_half_width_forms_find_the_same(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    page.wait_for_function("window.gkSearch !== undefined")
    assert found(page, "ＭＴＢＥ") == found(page, "MTBE") == expected_tasks("MTBE") != set()
    assert found(page, "５Ｇ") == found(page, "5G")
    type_query(page, "ｍｔｂｅ")
    expect(page.locator(".gk-search__excerpt mark").first).to_have_text("MTBE")


def test_the_address_opens_the_search_with_its_results(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    for path in (
        "units/?q=专精特新",
        f"reports/{ANQING}/4/?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0",
    ):
        page.goto(site_url + path)
        expect(page.locator("dialog.gk-search-dialog[open]")).to_have_count(1)
        expect(page.get_by_placeholder(PLACEHOLDER)).to_have_value("专精特新")
        count = len(found(page, "专精特新"))
        assert count == len(expected_tasks("专精特新"))
        expect(page.locator(".gk-search__status")).to_have_text(
            f"找到含有“专精特新”的 {count} 项任务"
        )
        expect(page.locator(".gk-search__link").first).to_be_visible()
    # Closing the search takes ?q= away from the address.
    page.keyboard.press("Escape")
    expect(page.locator("dialog.gk-search-dialog[open]")).to_have_count(0)
    page.wait_for_function("!new URLSearchParams(location.search).has('q')")
    assert page.url.endswith(f"reports/{ANQING}/4/")


def test_typing_keeps_the_query_in_the_address_and_back_restores_the_results(
    sized_page, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url + "units/")
    type_query(page, "安庆 专精特新")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '安庆 专精特新'")
    first = page.locator(".gk-search__link").first
    title, href = first.inner_text(), first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href}")
    assert query_in_url(page) is None
    page.go_back()
    expect(page.locator("dialog.gk-search-dialog[open]")).to_have_count(1)
    expect(page.get_by_placeholder(PLACEHOLDER)).to_have_value("安庆 专精特新")
    expect(page.locator(".gk-search__link").first).to_have_text(title)
    assert urlsplit(page.url).path.endswith("/units/")
    assert query_in_url(page) == "安庆 专精特新"


def test_back_in_the_search_returns_to_the_previous_results_then_the_page(
    sized_page, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    page.goto(site_url + "units/")
    type_query(page, "隔膜")
    page.wait_for_timeout(1500)  # the list settles: it keeps its own history entry
    box = page.get_by_placeholder(PLACEHOLDER)
    box.fill("羚羊")
    expect(page.locator(".gk-search__status")).to_contain_text("“羚羊”")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '羚羊'")
    page.go_back()
    expect(box).to_have_value("隔膜")
    expect(page.locator(".gk-search__status")).to_contain_text("“隔膜”")
    page.go_back()
    expect(page.locator("dialog.gk-search-dialog[open]")).to_have_count(0)
    assert query_in_url(page) is None and urlsplit(page.url).path.endswith("/units/")
    # Closing goes back through the entries the search added: Back then leaves the page.
    type_query(page, "技改")
    page.wait_for_timeout(1500)
    box.fill("基站")
    expect(page.locator(".gk-search__status")).to_contain_text("“基站”")
    page.get_by_role("button", name="关闭").click()
    page.wait_for_function("!new URLSearchParams(location.search).has('q')")
    expect(page.locator("dialog.gk-search-dialog[open]")).to_have_count(0)
    assert urlsplit(page.url).path.endswith("/units/")
    page.go_back()
    assert urlsplit(page.url).path == urlsplit(site_url).path


def test_matched_words_are_marked_in_titles_excerpts_and_reports(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    type_query(page, "安庆 专精特新")
    result = page.locator(".gk-search__result").first
    expect(result.locator(".gk-search__link mark")).to_have_text(["专精特新"])
    expect(result.locator(".gk-search__excerpt mark").first).to_have_text("专精特新")
    expect(result.locator(".gk-search__meta mark")).to_have_text(["安庆"])
    marks = page.eval_on_selector_all(".gk-search__result mark", "ms => ms.map(m => m.textContent)")
    assert marks and set(marks) <= {"安庆", "专精特新"}
    # Nothing but <mark> is added to the text: the marked HTML is the escaped text.
    for html in page.eval_on_selector_all(
        ".gk-search__title, .gk-search__excerpt, .gk-search__meta", "es => es.map(e => e.innerHTML)"
    ):
        html = re.sub(r'^<span class="gk-search__where">[^<]*</span>', "", html)
        assert re.sub(r"</?mark>", "", html).count("<") == 0, html


def test_the_example_word_comes_from_the_data(sized_page, site_dir: Path, site_url: str) -> None:  # type: ignore[no-untyped-def]
    meta = json.loads((site_dir / "search/meta.json").read_text(encoding="utf-8"))
    word = meta["example"]
    assert 2 <= len(word) <= 4 and expected_tasks(word), word
    page = sized_page
    page.goto(site_url)
    page.locator(".gk-search-button").click()
    hint = page.locator(".gk-search__hint")
    expect(hint).to_contain_text("例如")
    example = page.locator(".gk-search__example")
    expect(example).to_have_text(word)
    assert "道路" not in page.locator("dialog.gk-search-dialog").inner_text()
    example.click()
    expect(page.get_by_placeholder(PLACEHOLDER)).to_have_value(word)
    count = len(found(page, word))
    expect(page.locator(".gk-search__status")).to_contain_text(f"{count} 项任务")
    assert "道路" not in (site_dir / "about/index.html").read_text(encoding="utf-8")


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
    # More than 65,535 pages, page numbers far apart (varints of 1–3 bytes); a term in every
    # page (the pages without it: none), in nearly every page, in every third (a bitmap);
    # files split into parts with directories, and unions of heavy prefixes (numbers).
    count = 66_000
    rare = {3, 65_600, 65_999}
    records = [
        SearchRecord(
            f"t/{i}/",
            f"任务{i}",
            "共同措施"
            + ("稀有设备" if i in rare else "")
            + ("" if i % 1000 == 7 else "几乎全有")
            + ("三分之一" if i % 3 == 0 else "")
            + (" MTBE" if i == 65_700 else "")
            + (" X" * 100 + " " + "Y" * 70_000 if i == 5 else ""),
            {},
        )
        for i in range(count)
    ]
    assert {_payload(p, count)[0] for p in ([3, 65_600], list(range(0, count, 3)), [1])} == {
        0,
        2,
    }
    assert _payload([i for i in range(count) if i % 1000 != 7], count)[0] == 1
    site = tmp_path / "site"
    site.mkdir()
    search_page(site)
    build_search_index(site, records)
    parts = list((site / "search/t").glob("*.*.bin"))
    assert parts and max(p.stat().st_size for p in parts) <= LEAF_BYTES + 8_300
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
    counted = "async (q) => (await window.gkSearch.find(q)).results.length"
    assert page.evaluate(counted, "共同") == count
    assert page.evaluate(counted, "几乎全有") == count - 66
    assert page.evaluate(counted, "三分之一") == 22_000
    # Prefixes of the numbers in the titles: as many as a plain count says.
    for prefix in ("1", "12", "123", "6", "65", "659", "65999", "7"):
        expected = sum(str(i).startswith(prefix) for i in range(count))
        assert page.evaluate(counted, prefix) == expected, prefix
    assert page.evaluate(SEARCH_JS, ["任务 65999"]) == ["/t/65999/"]
    page.close()


@pytest.mark.parametrize("query", ["安庆 专精特新", "经信局", "隔膜厂房扩建工程"])
def test_the_open_search_passes_axe(sized_page, site_url: str, query: str) -> None:  # type: ignore[no-untyped-def]
    """Results with marks, a unit result and the no-results suggestions."""
    from axe_playwright_python.sync_playwright import Axe

    page = sized_page
    page.goto(site_url + "?q=" + query)
    expect(page.locator(".gk-search__example")).to_be_visible()
    expect(page.locator(".gk-search__excerpt mark, .gk-search__suggest a").first).to_be_visible()
    results = Axe().run(page, context="dialog.gk-search-dialog").response
    blocking = [
        (v["id"], v["impact"], [n["html"][:120] for n in v["nodes"]])
        for v in results["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert blocking == []


RESULTS_JS = """async ([query]) => {
  const found = await window.gkSearch.find(query);
  const out = [];
  for (const result of found.results) {
    const item = await result.data();
    out.push({url: item.url, title: item.title, kind: item.kind});
  }
  return out;
}"""


def results(page, query: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return page.evaluate(RESULTS_JS, [query])  # type: ignore[no-any-return]


def assert_title_matches_first(query: str, listed: list[dict[str, str]]) -> None:
    in_title = [query in normalize(item["title"]).lower() for item in listed]
    assert in_title == sorted(in_title, reverse=True), [i["title"][:20] for i in listed]


def test_title_matches_come_before_text_matches(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    page.wait_for_function("window.gkSearch !== undefined")
    mixed = []
    for query in ("专精特新", "技改", "招商", "5g", "隔膜", "安庆"):
        listed = results(page, query)
        assert_title_matches_first(query, listed)
        in_title = {query in normalize(i["title"]).lower() for i in listed}
        if in_title == {True, False}:
            mixed.append(query)
    assert len(mixed) >= 3, mixed  # title matches listed above matches in the text only
    type_query(page, "专精特新")
    expect(page.locator(".gk-search__result").first.locator(".gk-search__link mark")).to_have_text(
        ["专精特新"]
    )


def test_the_excerpt_starts_at_the_match(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url)
    for query in ("隔膜", "技改", "羚羊"):
        page.goto(site_url + "?q=" + query)
        expect(page.locator(".gk-search__result").first).to_be_visible()
        for html in page.locator(".gk-search__excerpt").evaluate_all(
            "es => es.map(e => e.innerHTML)"
        ):
            text = re.sub(r"<[^>]+>", "", html)
            if "<mark>" in html and len(text) > 90:
                before = re.sub(r"<[^>]+>", "", html.split("<mark>")[0])
                assert len(before) <= 7, (query, html[:80])  # "…" or a few characters
    # A phone number is found, and shown with what it is, not as bare digits.
    page.goto(site_url + "?q=5514062")
    excerpt = page.locator(".gk-search__excerpt").first
    expect(excerpt).to_have_text("监督电话：5514062")
    expect(excerpt.locator("mark")).to_have_text(["5514062"])


def test_no_results_offer_a_shorter_word_and_the_units(sized_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = sized_page
    page.goto(site_url + "?q=隔膜厂房扩建工程")
    status = page.locator(".gk-search__status")
    expect(status).to_have_text("没有找到含有“隔膜厂房扩建工程”的任务、单位或报告")
    suggest = page.locator(".gk-search__suggest")
    expect(suggest).to_contain_text("试试短一些的词")
    units = suggest.get_by_role("link", name="全部责任单位")
    assert units.get_attribute("href") == urlsplit(site_url).path + "units/"
    suggest.get_by_role("button", name=re.compile("隔膜")).click()
    expect(page.get_by_placeholder(PLACEHOLDER)).to_have_value("隔膜")
    expect(status).to_contain_text("找到含有“隔膜”的")
    expect(suggest).to_be_hidden()
    units_link = urlsplit(site_url).path + "units/"
    page.goto(site_url + "?q=没有这个词语")
    expect(page.locator(".gk-search__suggest a")).to_have_attribute("href", units_link)
    page.locator(".gk-search__suggest a").click()
    page.wait_for_url("**/units/")


def test_a_task_of_several_periods_is_one_result_at_its_latest(  # type: ignore[no-untyped-def]
    sized_page, serve, series_site: Path
) -> None:
    page = sized_page
    url = serve(series_site)
    base = urlsplit(url).path
    q4 = f"{base}reports/2024-anqing-industry-q4/"
    page.goto(url)
    page.wait_for_function("window.gkSearch !== undefined")
    # Every task once, at its latest period (31 is not in 四季度: its 三季度 page).
    listed = [i["url"] for i in results(page, "经济和信息化")]
    tasks = [u for u in listed if TASK_URL.match(u)]
    assert len(tasks) == len(set(tasks))
    anqing = [u for u in tasks if "anqing" in u]
    # 四季度 drops 31, adds 32 and lists another task as 30 (the 三季度 30 ends there).
    seqs = {u.split("/")[-2] for u in report_tasks(ANQING)}
    assert set(anqing) == {f"{q4}{n}/" for n in seqs - {"31"} | {"32"}} | {
        f"{base}reports/{ANQING}/{n}/" for n in ("30", "31")
    }
    # The latest period first: the 四季度 tasks, then 31 (三季度), then the 2023 provincial ones.
    order = [u for u in tasks if "anqing" in u or PROVINCE in u]
    assert order.index(f"{base}reports/{ANQING}/31/") > max(
        order.index(u) for u in order if u.startswith(q4)
    )
    assert min(order.index(u) for u in order if PROVINCE in u) > order.index(
        f"{base}reports/{ANQING}/31/"
    )
    # Words only the 二季度 table has (620 stations) find task 25, once, at 四季度.
    page.goto(url + "?q=基站620个")
    result = page.locator(".gk-search__result")
    expect(result).to_have_count(1)
    expect(result.locator(".gk-search__link")).to_have_attribute("href", q4 + "25/")
    expect(result.locator(".gk-search__periods")).to_have_text("共 3 期，最新：2024 年四季度")
    expect(result.locator(".gk-search__where")).to_have_text("2024 年二季度：")
    expect(result.locator(".gk-search__excerpt mark").last).to_have_text("基站620个")
    page.goto(url + "?q=5G基站")
    expect(page.locator(".gk-search__status")).to_contain_text("找到")
    expect(page.locator(".gk-search__periods").first).to_have_text("共 3 期，最新：2024 年四季度")
    found_25 = [u for u in found(page, "5G基站") if u.endswith("/25/")]
    assert found_25 == [q4 + "25/"]
    # A task last listed in 三季度 says that 四季度 no longer lists it.
    page.goto(url + "?q=领跑者")
    result = page.locator(".gk-search__result").first
    expect(result.locator(".gk-search__link")).to_have_attribute(
        "href", f"{base}reports/{ANQING}/31/"
    )
    expect(result.locator(".gk-search__periods")).to_have_text(
        "共 2 期，最新：2024 年三季度（2024 年四季度未再列出）"
    )
