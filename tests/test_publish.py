"""All or nothing: a failing build leaves the published site exactly as it was."""

from __future__ import annotations

from pathlib import Path

from conftest import data_with, make_project, mkdocs_build


def _published(project: Path) -> dict[str, bytes]:
    """A published site with a marker file, as a map of its files."""
    site = project / "site"
    site.mkdir()
    (site / "published.html").write_text("已发布的网站", encoding="utf-8")
    (site / "reports").mkdir()
    (site / "reports" / "old.html").write_text("旧的页面", encoding="utf-8")
    return _files(site)


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


_data = data_with


GOOD = "标题\n序号\t工作事项\t责任单位\n1\t任务甲乙\t省科技厅\n"


def _assert_untouched(project: Path, before: dict[str, bytes]) -> None:
    assert _files(project / "site") == before
    assert not (project / "site.staging").exists()


def test_a_bad_table_leaves_the_published_site(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, _data(tmp_path, "序号\t工作事项\t责任单位\n1\t任务\t省科技厅\t多\n")
    )
    before = _published(project)
    result = mkdocs_build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    _assert_untouched(project, before)


def test_lost_text_leaves_the_published_site(tmp_path: Path) -> None:
    project = make_project(tmp_path, _data(tmp_path, GOOD))
    main = project / "overrides/main.html"
    main.write_text(
        main.read_text(encoding="utf-8") + "\n{% block content %}<h1>x</h1>{% endblock %}\n",
        encoding="utf-8",
    )
    before = _published(project)
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "错误：单元格的文字没有出现在任务页上" in result.stderr
    _assert_untouched(project, before)


def test_a_failing_search_index_leaves_the_published_site(tmp_path: Path) -> None:
    project = make_project(tmp_path, _data(tmp_path, GOOD))
    # A hand-written file where the index's folder must go: the index cannot be written.
    (project / "content" / "search").write_text("not a folder", encoding="utf-8")
    before = _published(project)
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "与生成的下载文件或搜索索引同名" in result.stderr and "Traceback" not in result.stderr
    _assert_untouched(project, before)


def test_strict_with_warnings_leaves_the_published_site_even_when_quiet(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, _data(tmp_path, "标题\n序号\t工作事项\t责任单位\n1\t任务\t省新设局\n")
    )
    before = _published(project)
    for flags in (("--strict",), ("--strict", "-q")):
        result = mkdocs_build(project, *flags)
        assert result.returncode != 0, flags
        _assert_untouched(project, before)
    assert "--strict 模式下不发布" in result.stderr
    # Without --strict a warning does not stop the build: the new site replaces the old one.
    assert mkdocs_build(project, "-q").returncode == 0
    site = project / "site"
    assert not (site / "published.html").exists() and (site / "reports/x/1/index.html").exists()
    assert not (project / "site.staging").exists() and not (project / "site.old").exists()


def test_check_and_the_build_say_the_same(tmp_path: Path) -> None:
    import subprocess
    import sys

    data = _data(
        tmp_path,
        "标题\n序号\t工作事项\t责任单位\t完成状态\n1\t任务\t省新设局\t大部完成\n1\t任务二\t省科技厅\t\n",
    )
    (data / "reports/x.yml").write_text("year: 二〇二四\ncolumns: {没有: 任务}\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "builder", "check", "data"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    project = make_project(tmp_path / "p", data)
    build = mkdocs_build(project)
    assert check.returncode == 1 and build.returncode == 1
    said = [line for line in check.stdout.splitlines() if "：错误" in line or ": 错误" in line]
    assert len(said) >= 3
    for line in said:
        assert line in build.stderr, line
    assert "Traceback" not in check.stderr + build.stderr


def test_mkdocs_serve_builds_and_rebuilds(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    project = make_project(tmp_path, _data(tmp_path, GOOD))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip

    def page() -> str:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/reports/x/1/"
                with urllib.request.urlopen(url, timeout=5) as response:
                    return str(response.read().decode("utf-8"))
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    try:
        assert "任务甲乙" in page()
        (project / "data/reports/x.txt").write_text(GOOD.replace("甲乙", "丙丁"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "任务丙丁" not in page():
            assert time.monotonic() < deadline, "not rebuilt"
            time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output


def test_dotfiles_of_the_published_site_are_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path, _data(tmp_path, GOOD))
    _published(project)
    (project / "site/.git").mkdir()
    (project / "site/.git/HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (project / "site/.htaccess").write_text("ErrorDocument 404 /404.html\n", encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    site = project / "site"
    assert (site / ".git/HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert (site / ".htaccess").exists() and (site / "reports/x/1/index.html").exists()
    assert not (site / "published.html").exists()


def test_a_linked_web_root_is_filled_not_replaced(tmp_path: Path) -> None:
    project = make_project(tmp_path, _data(tmp_path, GOOD))
    webroot = tmp_path / "www"
    webroot.mkdir()
    (webroot / "old.html").write_text("old", encoding="utf-8")
    (project / "site").symlink_to(webroot)
    for _ in range(2):  # a second build over the first
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
    assert (project / "site").is_symlink()
    assert (webroot / "reports/x/1/index.html").exists() and not (webroot / "old.html").exists()


def test_two_builds_of_one_site_at_once_do_not_mix(tmp_path: Path) -> None:
    from builder.errors import GongkaiError
    from builder.publish import Staging

    first = Staging(tmp_path / "site")
    first.prepare()
    try:
        Staging(tmp_path / "site").prepare()
    except GongkaiError as exc:
        assert "正在由另一次生成写出" in str(exc)
    else:
        raise AssertionError("a second build started while the first was writing")
    first.discard()
    again = Staging(tmp_path / "site")
    again.prepare()  # free again once the first is done
    again.discard()


KILL_HOOK = Path(__file__).parent / "killhook"
ROOT_DIR = Path(__file__).parent.parent
TABLE_A = "标题\n序号\t工作事项\t责任单位\n1\t任务甲乙\t省科技厅\n"
TABLE_B = "标题\n序号\t工作事项\t责任单位\n1\t任务丙丁\t省科技厅\n2\t任务戊己\t省科技厅\n"
# The steps of Staging.publish, in order, for each way of swapping.
EXCHANGE_STEPS = ["dotfiles", "swapped", "removing-old", "published"]
RENAME_STEPS = ["dotfiles", "old-moved", "new-in-place", "removing-old"]
LINKED_STEPS = ["beside", "dotfiles", "swapped", "removing-old"]


def _listing(site: Path) -> tuple[str, ...]:
    return tuple(str(p.relative_to(site)) for p in sorted(site.rglob("*")))


def _which(site: Path, sites: dict[str, tuple[str, ...]]) -> str:
    """Which complete site ``site`` holds: its files are exactly those of one of ``sites``
    and its first task page says so."""
    assert site.is_dir(), "no published site"
    listing = _listing(site)
    found = [name for name, files in sites.items() if files == listing]
    assert found, f"neither complete site: {len(listing)} files"
    page = (site / "reports/x/1/index.html").read_text(encoding="utf-8")
    assert ("任务甲乙" if found[0] == "A" else "任务丙丁") in page
    return found[0]


def _killed_at_each_step(
    tmp_path: Path, steps: list[str], linked: bool, env: dict[str, str] | None = None
) -> None:
    """Build the site from table A, then from A and B in turn, killing each build (SIGKILL)
    after one step of publishing: the site is then the complete old or new one, and the
    next build, not killed, puts things right and publishes."""
    project = make_project(tmp_path, _data(tmp_path, TABLE_A))
    table = project / "data/reports/x.txt"
    site = project / "site"
    if linked:
        (tmp_path / "www").mkdir()
        site.symlink_to(tmp_path / "www")
    site.mkdir(exist_ok=True)
    (site / ".htaccess").write_text("ErrorDocument 404 /404.html\n", encoding="utf-8")
    sites: dict[str, tuple[str, ...]] = {}
    for name, text in (("B", TABLE_B), ("A", TABLE_A)):
        table.write_text(text, encoding="utf-8")
        done = mkdocs_build(project)
        assert done.returncode == 0, done.stderr
        sites[name] = _listing(site)
    assert sites["A"] != sites["B"] and ".htaccess" in sites["A"] and ".htaccess" in sites["B"]
    published = "A"
    hook = {"PYTHONPATH": f"{KILL_HOOK}:{ROOT_DIR}", **(env or {})}
    for step in steps:
        new = "B" if published == "A" else "A"
        table.write_text(TABLE_B if new == "B" else TABLE_A, encoding="utf-8")
        killed = mkdocs_build(project, env={**hook, "GONGKAI_KILL_AT": step})
        assert killed.returncode == -9, (step, killed.stderr)
        if step == "old-moved":
            # Between the two renames: no site; the next build puts the old one back.
            assert not site.exists() and _which(site.with_name("site.old"), sites) == published
        else:
            held = _which(site, sites)
            assert held == (published if step in ("beside", "dotfiles") else new), step
        assert (site.parent / "site.lock").exists()
        done = mkdocs_build(project)
        assert done.returncode == 0, (step, done.stderr)
        assert _which(site, sites) == new, step
        assert site.is_symlink() == linked
        leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith("site.")]
        leftovers += [p.name for p in tmp_path.iterdir() if p.name.startswith("www.")]
        assert sorted(leftovers) == ["site.lock"], (step, leftovers)
        published = new


def test_a_build_killed_at_each_step_of_publishing_leaves_a_whole_site(tmp_path: Path) -> None:
    _killed_at_each_step(tmp_path, EXCHANGE_STEPS, linked=False)


def test_without_an_atomic_exchange_the_next_build_restores_the_old_site(
    tmp_path: Path,
) -> None:
    _killed_at_each_step(tmp_path, RENAME_STEPS, linked=False, env={"GONGKAI_NO_EXCHANGE": "1"})


def test_a_linked_web_root_killed_at_each_step_is_never_emptied(tmp_path: Path) -> None:
    _killed_at_each_step(tmp_path, LINKED_STEPS, linked=True)


def test_a_mounted_site_folder_is_never_empty_and_the_next_build_finishes_the_swap(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path, _data(tmp_path, TABLE_A))
    table = project / "data/reports/x.txt"
    site = project / "site"
    sites: dict[str, tuple[str, ...]] = {}
    for name, text in (("B", TABLE_B), ("A", TABLE_A)):
        table.write_text(text, encoding="utf-8")
        assert mkdocs_build(project).returncode == 0
        sites[name] = _listing(site)
    mount = {"PYTHONPATH": str(KILL_HOOK), "GONGKAI_AS_MOUNT": "1"}
    published = "A"
    for step in ("beside", "swapping"):
        new = "B" if published == "A" else "A"
        table.write_text(TABLE_B if new == "B" else TABLE_A, encoding="utf-8")
        killed = mkdocs_build(project, env={**mount, "GONGKAI_KILL_AT": step})
        assert killed.returncode == -9, (step, killed.stderr)
        # Every entry is there, each whole from the old or the new site.
        entries = {p.name for p in site.iterdir()} - {".gongkai-staging"}
        assert entries == {p for p in sites[published] if "/" not in p}, step
        for entry in entries:
            held = {e for e in _listing(site) if e == entry or e.startswith(entry + "/")}
            assert held in (
                {e for e in sites[s] if e == entry or e.startswith(entry + "/")} for s in "AB"
            ), (step, entry)
        done = mkdocs_build(project, env=mount)
        assert done.returncode == 0, done.stderr
        assert _which(site, sites) == new
        assert not (site / ".gongkai-staging").exists()
        published = new
