"""Hostile cells never run a script, load from elsewhere or vanish; they are shown literally."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, make_project, mkdocs_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.clean import clean_cell
from builder.load import load_site
from builder.render import Renderer
from builder.verify import verify_task_page

HOSTILE = [
    "任务</title><script>window.pwned=1</script>",
    "<img src=x onerror=window.pwned=1>",
    "<svg onload=window.pwned=1>",
    '"><script>window.pwned=1</script>',
    '<a href="javascript:window.pwned=1">点我</a>',
    "[点我](javascript:window.pwned=1)",
    '<iframe src="https://example.com"></iframe>外部',
    "<object data=x></object><embed src=x><form action=x><input></form>表单",
    "{{ config }}{% raw %}{{ 7*7 }}",
    "**粗** _斜_ `代码` # 标题 > 引用 | 表 |",
    "&lt;script&gt;window.pwned=1&lt;/script&gt;",
    '<p onclick="window.pwned=1">段落</p><style>body{display:none}</style>',
    '<img src="https://example.com/x.png" alt="远程图片">',
    "<scr<script>ipt>window.pwned=1</script>",
    "javascript:window.pwned=1",
]
HEADER = "序号\t工作事项\t责任单位\t监督方式\t季度类别\t第三季度\t完成状态\t落实情况\t备注"


def hostile_table(cells: list[str]) -> str:
    lines = [cells[0].replace("<", "＜") + " 完成情况", HEADER]
    for i, text in enumerate(cells, start=1):
        cols = [
            str(i),
            text,
            f"省科技厅、{text[:12]}",
            text,
            "进度安排",
            text,
            "已完成",
            text,
            text,
        ]
        lines.append("\t".join(c.replace("\t", " ") for c in cols))
        lines.append("\t".join(["", "", "", "", text[:8], text, "正在推进", text, ""]))
    lines.insert(2, "一、" + cells[-1])
    return "\n".join(lines) + "\n"


def write_data(root: Path, cells: list[str]) -> Path:
    data = root / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text(
        (ROOT / "data/units.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (data / "reports/hostile.txt").write_text(hostile_table(cells), encoding="utf-8")
    (data / "reports/hostile.yml").write_text(
        yaml.safe_dump({"title": cells[0], "issuer": cells[1]}, allow_unicode=True),
        encoding="utf-8",
    )
    return data


def assert_inert(html: str, where: str) -> None:
    doc = BeautifulSoup(html, "html.parser")
    assert not doc.find_all(["script", "iframe", "object", "embed", "form", "style"]), where
    for tag in doc.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (where, tag)
            if name in ("href", "src"):
                assert not str(value).strip().lower().startswith("javascript:"), (where, tag)
        if tag.name == "img":
            raise AssertionError(f"{where}: image {tag}")


cell_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
    ),
    min_size=1,
    max_size=3,
).map(lambda parts: "".join(parts).replace("\t", " ").strip() or "空")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(cell_text, min_size=2, max_size=4))
def test_no_cell_text_becomes_markup(cells: list[str], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    data = write_data(tmp_path_factory.mktemp("hostile"), cells)
    site = load_site(data).site
    # One row a page: every task list is split, with its page links and filter counts.
    for page in Renderer(site, page_size=1).pages():
        # Front matter as MkDocs reads it: a value may hold "---" (a unit address 000---script).
        match = re.match(r"---\n(.*?)\n---\n(.*)", page.markdown, re.S)
        assert match is not None, page.path
        front, body = match.groups()
        title = yaml.safe_load(front)["title"]
        assert "<" not in title and ">" not in title, title
        html = markdown.markdown(body, extensions=["tables", "toc"])
        assert_inert(html, page.path)
        if page.path.startswith("reports/hostile/") and page.path[17:-3].isdigit():
            task = next(t for t in site.tasks if f"/{t.seq}.md" in page.path)
            columns = site.report(task.report_slug).step_columns
            article = f"<article>{html}</article>"
            assert verify_task_page(task, article, Path(page.path), columns) == []


def _scripts(html: str) -> list[str]:
    """Every script of a page: its src, or its text for inline ones."""
    doc = BeautifulSoup(html, "html.parser")
    found = []
    for script in doc.find_all("script"):
        text = script.get_text()
        # The relative path back to the site root differs by page depth, nothing else.
        text = re.sub(r'"(\.\./)+', '"', re.sub(r'"base":\s*"[^"]*"', '"base":""', text))
        text = re.sub(r'new URL\("[./]*",location\)', "new URL(ROOT,location)", text)
        found.append(re.sub(r"^(\.\./)+", "", str(script.get("src") or text)))
    return sorted(found)


def test_real_build_of_hostile_tables_runs_no_script_of_theirs(
    tmp_path: Path,
    site_dir: Path,
    serve,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    data = write_data(tmp_path, HOSTILE)
    project = make_project(tmp_path / "p", data)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    theme = _scripts((site / "about/index.html").read_text(encoding="utf-8"))
    pages = sorted(site.glob("reports/hostile/**/index.html")) + sorted(
        site.glob("units/**/index.html")
    )
    pages.append(site / "index.html")
    assert len(pages) > 30
    for path in pages:
        html = path.read_text(encoding="utf-8")
        doc = BeautifulSoup(html, "html.parser")
        assert doc.title is not None and doc.title.find_all(True) == [], path
        article = doc.select_one("article")
        assert article is not None
        assert_inert(str(article), str(path))
        assert _scripts(html) == theme, path

    base = serve(site)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    task = site / "reports/hostile/1/index.html"
    for path in (
        task,
        site / "reports/hostile/index.html",
        site / "index.html",
        next(site.glob("units/省科技厅/index.html")),
    ):
        page.goto(base + path.parent.relative_to(site).as_posix() + "/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.pwned") is None, path
    page.goto(base + "reports/hostile/1/")
    # The task text is cleaned like every cell: its script is dropped (and warned about),
    # the rest is shown as text.
    assert page.locator("article h1").inner_text() == clean_cell(HOSTILE[0]).text
    assert page.title().startswith(clean_cell(HOSTILE[0]).text + " - ")
    page.close()
    assert dialogs == []
