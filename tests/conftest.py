"""Shared fixtures: real builds of fixture sites, a local HTTP server, a real browser."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import hypothesis
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"


# CI draws the same examples every run (a failure there is a finding to reproduce, not luck);
# a developer's run draws new ones, which is where the fuzzing finds new losses.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The fast loop while working: `pytest -m "not browser"` leaves out every test that
    # drives Chromium (the README's test command runs them all).
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def mkdocs_build(
    project: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build` in a project folder, as staff would."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
    )


def data_with(tmp_path: Path, table: str) -> Path:
    """A data folder with the shipped units.yml and one table, data/reports/x.txt."""
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "units.yml").write_text(
        (ROOT / "data/units.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (data / "reports/x.txt").write_text(table, encoding="utf-8")
    return data


def make_project(tmp: Path, data: Path | None = None) -> Path:
    """A copy of this project's site sources (mkdocs.yml, content, overrides) with ``data``."""
    project = tmp / "project"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(data or ROOT / "data", project / "data")
    return project


def plugin_option(project: Path, option: str) -> None:
    """Give the gongkai plugin in ``project``'s mkdocs.yml one more option (``page_size: 5``)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      data_dir: data\n" in text
    config.write_text(
        text.replace("      data_dir: data\n", f"      data_dir: data\n      {option}\n"),
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def shipped_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The shipped data, built with `mkdocs build --strict` exactly as the README says."""
    project = make_project(tmp_path_factory.mktemp("shipped"))
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site", result


@pytest.fixture(scope="session")
def site_dir(shipped_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return shipped_build[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[object]:
    """serve(directory) → base URL of a local HTTP server for that folder."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(serve: object, site_dir: Path) -> str:
    return serve(site_dir)  # type: ignore[operator]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def series_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with series: the shipped data plus the marked 二季度 and 四季度 tables
    derived from it (tests/series_fixture.py), and the real 拱墅区 2020 quarterly series."""
    from series_fixture import series_data

    tmp = tmp_path_factory.mktemp("series")
    data = series_data(tmp)
    corpus = ROOT / "tests/corpus"
    for table in sorted(corpus.glob("2020-gongshu-q*-gov-report-key-tasks.html")):
        for suffix in (".html", ".yml"):
            shutil.copy(
                table.with_suffix(suffix), data / "reports" / table.with_suffix(suffix).name
            )
    # The shipped registry holds the 安庆 units, the corpus one the 拱墅区 units: both.
    corpus_units = (corpus / "units.yml").read_text(encoding="utf-8").splitlines()
    gongshu = [line for line in corpus_units if "region: 浙江省杭州市拱墅区" in line]
    shipped = (data / "units.yml").read_text(encoding="utf-8")
    (data / "units.yml").write_text(
        shipped.rstrip() + "\n" + "\n".join(gongshu) + "\n", encoding="utf-8"
    )
    project = make_project(tmp, data)
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="session")
def print_pdf(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """print_pdf(file) → the Word or Excel file printed to PDF by LibreOffice headless, as an
    office exports it; each file once per session (LibreOffice takes a second or two)."""
    printed = tmp_path_factory.mktemp("printed")
    # A profile of its own: LibreOffice refuses to start beside another instance's profile.
    profile = tmp_path_factory.mktemp("libreoffice-profile")
    done: dict[str, Path] = {}

    def convert(source: Path) -> Path:
        key = hashlib.sha256(source.read_bytes()).hexdigest()[:16] + source.suffix
        if key not in done:
            folder = printed / key.replace(".", "-")
            folder.mkdir()
            shutil.copy(source, folder / source.name)
            subprocess.run(
                ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(folder), str(folder / source.name)],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            done[key] = folder / f"{source.stem}.pdf"
        return done[key]

    return convert
