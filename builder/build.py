"""One build of the site, in order: read → model → pages → downloads → feeds → search →
verify → publish.

Two doors lead here. The MkDocs plugin calls these steps from MkDocs' events (MkDocs turns
the pages into HTML between them); ``python -m builder render`` calls them in a row and
writes the pages as Markdown. Both write the downloads, feeds and search index through
:meth:`Build.write_files`, so both give the same files.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import GongkaiError, Problem
from .incremental import Reuse, TableCache, TermsCache, digest, report_keys
from .load import Loaded, load_file, load_site
from .model import Report, Task
from .paging import PAGE_SIZE
from .paths import (
    CHANGES_FEED,
    HOME,
    REPORTS_FEED,
    Urls,
    json_path,
    report_path,
    task_path,
    thread_path,
)
from .publish import Staging
from .render import Page, Pending, Renderer
from .search import build_search_index, search_records
from .siteinfo import SiteInfo, site_info
from .verify import verify_report_page, verify_task_page

FORK_LIMIT = 20_000
"""Task rows (all periods) up to which the downloads, feeds and search index are written by
a forked process beside MkDocs (sidejob.py). The process copies the part of the model the
work reads, and has the work's own memory: a city's site (10,000 tasks, some 15,000 rows)
peaks near 540 MB for the two processes, 336 MB in one, which takes 15–25 s longer. A
province's site (150,000 rows: 2.6 GB in one process) writes them in the build process,
before MkDocs holds its pages (benchmarks/RESULTS.md)."""


@dataclass(frozen=True)
class Settings:
    """What a build takes from the site's configuration (mkdocs.yml)."""

    site_name: str = "政府工作报告任务公开"
    site_url: str = ""
    """The published address; feeds link absolutely to it where it is known."""
    directory_urls: bool = True
    search: bool = True
    """Write the search index (``search/`` in the site)."""
    info: SiteInfo | None = None
    """Who runs the site and under which licence (``extra`` of mkdocs.yml)."""
    page_size: int = PAGE_SIZE
    """Rows a page of a task or report list holds before the list is split into pages."""
    fork_limit: int = FORK_LIMIT
    """Task rows up to which the downloads, feeds and search index are written by a forked
    process while MkDocs renders (:data:`FORK_LIMIT`)."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml with its tags read as plain values (``!!python/name:…`` as nothing, ``!ENV``
    as MkDocs reads it): only a few plain settings are wanted from it."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # As MkDocs reads it (pyyaml-env-tag): `!ENV NAME` or `!ENV [NAME, OTHER, default]`.
    nodes = list(node.value) if isinstance(node, yaml.SequenceNode) else []
    default = loader.construct_object(nodes.pop()) if len(nodes) > 1 else None
    names = [loader.construct_scalar(n) for n in nodes or [node] if isinstance(n, yaml.ScalarNode)]
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            return yaml.safe_load(value)
    return default


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _untagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def read_settings(config_file: Path) -> Settings:
    """The settings of the site configured by ``config_file`` (mkdocs.yml), with MkDocs'
    defaults for what it leaves out."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GongkaiError(f"无法读取网站配置：{exc}", config_file) from None
    if not isinstance(config, dict):
        raise GongkaiError("网站配置应为 YAML 映射（site_name: …）", config_file)
    search, page_size = True, PAGE_SIZE
    for plugin in config.get("plugins") or ():
        if isinstance(plugin, dict) and isinstance(plugin.get("gongkai"), dict):
            search = bool(plugin["gongkai"].get("search", True))
            page_size = int(plugin["gongkai"].get("page_size", PAGE_SIZE))
    return Settings(
        site_name=str(config.get("site_name") or Settings.site_name),
        site_url=str(config.get("site_url") or ""),
        directory_urls=bool(config.get("use_directory_urls", True)),
        search=search,
        page_size=page_size,
        info=site_info(config.get("extra") or {}, str(config.get("site_url") or "")),
    )


@dataclass(frozen=True)
class FileStats:
    """What :meth:`Build.write_files` wrote."""

    files: int
    search_records: int = 0
    search_files: int = 0
    search_bytes: int = 0
    made_from: dict[str, str] = field(default_factory=dict)
    """The downloads made from one report and its series: path → hash of their tables
    (:func:`~builder.incremental.report_keys`), for the next build to take them as they are."""


class LostTextError(GongkaiError):
    """Text of the source tables is missing from the pages: the site must not be published."""


class Build:
    """The steps of one build of the site from ``data_dir``."""

    def __init__(self, data_dir: Path, settings: Settings = Settings()):
        self.data_dir = data_dir
        self.settings = settings
        self.urls = Urls(settings.directory_urls, settings.site_url)
        self.info = settings.info or SiteInfo(operator="", site_url=settings.site_url, licence=None)
        self.loaded: Loaded | None = None
        self.renderer: Renderer | None = None
        self.staging: Staging | None = None
        self.lost: list[Problem] = []
        """Source text not found on the page made for it (:meth:`verify`)."""
        self._tasks: dict[str, Task] = {}
        self._stable: set[str] = set()
        self._reports: dict[str, Report] = {}
        self.reuse: Reuse | None = None
        """Pages of the last published build that are unchanged (incremental.py)."""
        self.tables: TableCache | None = None
        """Tables read by an earlier build, by the hash of what they were read from."""
        self._report_keys: dict[str, str] = {}
        self.terms: TermsCache | None = None
        """Search terms of the records the last build indexed (incremental.py)."""

    # -- read → model ---------------------------------------------------------------------
    def read(self) -> Loaded:
        """Read and check every table into the model; DataError lists every error, and
        nothing has been written then."""
        load = self.tables.wrap(load_file) if self.tables is not None else None
        loaded = self.loaded = load_site(self.data_dir, load)
        site = loaded.site
        self.renderer = Renderer(
            site,
            site_name=self.settings.site_name,
            urls=self.urls,
            info=self.info,
            page_size=self.settings.page_size,
        )
        self._tasks = {task_path(t): t for t in site.tasks}
        self._stable = {thread_path(t) for s in site.series for t in s.threads}
        self._reports = {report_path(r): r for r in site.reports}
        self.lost = []
        if self.tables is not None:
            self._report_keys = report_keys(site, self.tables.keys)
        return loaded

    def _renderer(self) -> Renderer:
        if self.renderer is None:
            raise RuntimeError("Build.read() first")
        return self.renderer

    # -- pages ----------------------------------------------------------------------------
    def pages(self) -> Iterable[Page]:
        """Every generated page, as Markdown (``python -m builder render``)."""
        return self._renderer().pages()

    def _known(self, path: str, reports: Sequence[Report | None]) -> bool:
        keys = [self._report_keys.get(r.slug) if r is not None else "" for r in reports]
        if self.reuse is None or None in keys:
            return False
        key = keys[0] if len(keys) == 1 else digest("\0".join(map(str, keys)).encode())
        assert key is not None
        return self.reuse.known(path, key)

    def pending(self) -> Iterable[Pending]:
        """Every generated page, each made when asked (the plugin asks as MkDocs reads it);
        with :meth:`keep_cache`, a task page made from the same tables as the published one
        has no Markdown to make (it is reused)."""
        return self._renderer().pending(self._known if self.reuse is not None else None)

    def home(self, markdown: str) -> str:
        """The hand-written home page with the overview of the reports after it."""
        return self._renderer().home_page(markdown)

    def site_feeds(self) -> list[dict[str, str]]:
        """The site-wide feeds every page offers a browser (``<link rel="alternate">``)."""
        name = self.settings.site_name
        return [
            {"title": f"{name}：新报告", "url": self.urls.url(REPORTS_FEED)},
            {"title": f"{name}：任务状态变化", "url": self.urls.url(CHANGES_FEED)},
        ]

    # -- downloads → feeds → search -------------------------------------------------------
    @property
    def forks(self) -> bool:
        """Whether :meth:`write_files` may run in a forked process (``fork_limit``)."""
        rows = sum(len(r.tasks) for r in self._renderer().site.reports)
        return rows <= self.settings.fork_limit

    def write_files(self, folder: Path) -> FileStats:
        """Every published file that is not a page, into ``folder``: the downloads, the
        feeds and the search index. They need only the model, not the pages, so the plugin
        runs this on the second core while MkDocs renders (sidejob.py)."""
        renderer = self._renderer()
        count = 0
        made_from: dict[str, str] = {}
        reuse = self.reuse if self.reuse is not None and not self.reuse.full else None
        kept = self._kept_json if reuse is not None else None
        # One file at a time: together the downloads weigh as much as the pages.
        for asset in itertools.chain(renderer.downloads(kept), renderer.feeds()):
            key = self._report_keys.get(asset.report) if asset.report is not None else None
            if asset.content is None:  # as last published (_kept_json)
                assert reuse is not None and key is not None
                paths = [p for p in reuse.kept_files(key) if p.startswith(asset.path)]
                if not paths or (not asset.path.endswith("/") and paths != [asset.path]):
                    # Never published without it: a defect, said as one (sidejob.py).
                    raise RuntimeError(f"{asset.path}：上次发布的文件不全，无法取用")
                reuse.link_files(paths, folder)
                made_from.update(dict.fromkeys(paths, key))
                count += len(paths)
                continue
            if key is not None:
                made_from[asset.path] = key
            target = folder / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(asset.content, bytes):
                target.write_bytes(asset.content)
            else:
                with target.open("wb") as out:
                    out.writelines(asset.content)
            count += 1
        if not self.settings.search:
            return FileStats(count, made_from=made_from)
        terms = self.terms.terms if self.terms is not None else None
        stats = build_search_index(folder, search_records(renderer.site, self.urls), terms)
        if self.terms is not None:
            self.terms.stage()
        return FileStats(count + stats.files, stats.records, stats.files, stats.bytes, made_from)

    def _kept_json(self, report: Report) -> bytes | None:
        """The report's JSON as last published, where the last publish made its downloads
        from the same tables and they are all still there."""
        key = self._report_keys.get(report.slug)
        if key is None or self.reuse is None:
            return None
        path = json_path(report)
        if path not in self.reuse.kept_files(key):
            return None
        try:
            return self.reuse.published(path).read_bytes()
        except OSError:
            return None

    def files_written(self, stats: FileStats) -> None:
        """What :meth:`write_files` made (maybe in another process), for the next build."""
        if self.reuse is not None:
            self.reuse.files = dict(stats.made_from)

    # -- verify ---------------------------------------------------------------------------
    def verify(self, path: str, html: str) -> None:
        """Check the published HTML of the page made from ``path`` against its source and
        keep what is missing (:meth:`check_verified` reports it once every page is written,
        so the page's HTML may be let go now)."""
        task = self._tasks.get(path)
        if task is not None:
            site = self._renderer().site
            source = site.report(task.report_slug)
            self.lost.extend(verify_task_page(task, html, source.path, source.step_columns))
            return
        if path in self._stable:
            return  # a task's series address: the latest period's page again, verified there
        report = self._reports.get(path)
        if report is not None:
            lines = [
                *report.preamble,
                *report.notes,
                *(text for row in report.totals for _, text in row),
            ]
            self.lost.extend(verify_report_page(report.source_title, lines, html, report.path))

    def check_verified(self) -> None:
        """Stop the build where any source text is missing from the site."""
        if self.lost:
            raise LostTextError(
                f"有 {len(self.lost)} 处原表文字没有出现在网站上，网站不应发布：\n"
                + "\n".join(str(p) for p in self.lost)
            )

    # -- publish --------------------------------------------------------------------------
    def stage(self, site_dir: Path) -> Path:
        """The folder to build into instead of ``site_dir`` (publish.py)."""
        if self.staging is not None:
            self.staging.discard()
        self.staging = Staging(site_dir)
        return self.staging.prepare()

    def keep_cache(self, fingerprint: str) -> None:
        """Take the tables and pages that did not change from the last published build, and
        keep this build's for the next one (in ``.gongkai-cache/`` beside the site).
        ``fingerprint``: everything site-wide the pages depend on (incremental.py)."""
        if self.staging is None:
            raise RuntimeError("Build.stage() first")
        self.reuse = Reuse(self.staging.target, fingerprint)
        self.tables = TableCache(self.reuse.folder / "tables", self.data_dir / "units.yml")
        self.terms = TermsCache(self.reuse.folder)
        self.tables.discard()  # what a build that did not publish may have left
        self.terms.discard()

    def publish(self) -> Path:
        """Put the staged site in the published one's place."""
        if self.staging is None:
            raise RuntimeError("Build.stage() first")
        if self.reuse is not None:
            self.reuse.forget()
        target = self.staging.publish()
        try:
            if self.tables is not None:
                self.tables.save()
            if self.terms is not None:
                self.terms.save()
            if self.reuse is not None:
                self.reuse.save()
        except OSError:
            pass  # published; with no manifest (forgotten above) the next build is a full one
        return target

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()
        if self.tables is not None:
            self.tables.discard()
        if self.terms is not None:
            self.terms.discard()


def render(
    data_dir: Path,
    out_dir: Path,
    settings: Settings,
    content: Path | None,
    warn: Callable[[str], None],
) -> int:
    """``python -m builder render``: the same build without MkDocs, into ``out_dir`` — the
    pages as Markdown (with the hand-written ``content`` folder), and the downloads, feeds
    and search index as the published site has them. Returns the number of pages."""
    build = Build(data_dir, settings)
    for warning in build.read().warnings:
        warn(str(warning))
    if content is not None:
        shutil.copytree(content, out_dir, dirs_exist_ok=True)
    count = 0
    for page in build.pages():
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        count += 1
    home = out_dir / HOME
    if content is not None and home.exists():
        home.write_text(build.home(home.read_text(encoding="utf-8")), encoding="utf-8")
    build.write_files(out_dir)
    return count
