"""Stage 5: the MkDocs adapter. The only module that imports mkdocs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import GongkaiError, Problem
from .load import Loaded, load_site
from .model import Report, Task
from .paths import HOME, report_path, task_path, thread_path
from .publish import Staging
from .render import Page, Renderer
from .search import build_search_index, search_records
from .sidejob import SideJob
from .verify import verify_report_page, verify_task_page

log = logging.getLogger("mkdocs.plugins.gongkai")


def _mkdocs_warnings() -> int:
    """Warnings MkDocs has counted so far under --strict (its own and other plugins'): MkDocs
    checks them only after the post-build event, when the site would already be replaced."""
    from mkdocs.utils import CountHandler

    total = 0
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            total += sum(count for _, count in handler.get_counts())
    return total


class GongkaiConfig(base.Config):  # type: ignore[no-untyped-call]
    data_dir = c.Type(str, default="data")
    """The data folder, relative to mkdocs.yml."""
    search = c.Type(bool, default=True)
    """Build the search index (search/ in the site) after the pages are written."""


class GongkaiPlugin(BasePlugin[GongkaiConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.config_file: str | None = None
        self.loaded: Loaded | None = None
        self.renderer: Renderer | None = None
        self.pages: list[Page] = []
        self.tasks_by_path: dict[str, Task] = {}
        self.stable_paths: set[str] = set()
        self.reports_by_path: dict[str, Report] = {}
        self.lost: list[Problem] = []
        self.staging: Staging | None = None
        self.side: SideJob | None = None
        self.warnings_logged = 0

    @property
    def data_dir(self) -> Path:
        assert self.config_file is not None
        path = (Path(self.config_file).parent / self.config.data_dir).resolve()
        # Messages name files as staff see them from where they run mkdocs: data/reports/x.txt.
        try:
            return path.relative_to(Path.cwd())
        except ValueError:
            return path

    # Last of all config handlers: MkDocs and other plugins see the staging folder as the
    # site folder, so nothing is written where the published site is until every check passed.
    @event_priority(-1000)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.config_file = config.config_file_path
        if self.staging is not None:
            self.staging.discard()  # an earlier build of this process (mkdocs serve)
        self.staging = Staging(Path(config.site_dir))
        try:
            config.site_dir = str(self.staging.prepare())
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        self.warnings_logged = 0
        return config

    def _warn(self, message: str) -> None:
        # Counted here, not through MkDocs' log handler: `-q` lowers the log level and MkDocs
        # then counts nothing, so `--strict -q` would publish a table with warnings.
        self.warnings_logged += 1
        log.warning(message)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Read and check everything here: MkDocs empties site_dir right after this event,
        # and a table with errors must leave the published site as it was.
        try:
            self.loaded = load_site(self.data_dir)
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        for warning in self.loaded.warnings:
            self._warn(str(warning))
        site = self.loaded.site
        self.tasks_by_path = {task_path(t): t for t in site.tasks}
        self.stable_paths = {thread_path(t) for s in site.series for t in s.threads}
        self.reports_by_path = {report_path(r): r for r in site.reports}
        self.lost = []
        self.renderer = Renderer(
            self.loaded.site, config.use_directory_urls, config.site_name, config.site_url or ""
        )
        assert self.staging is not None
        renderer, search = self.renderer, self.config.search
        directory_urls = config.use_directory_urls

        def downloads_and_index(folder: Path) -> dict[str, int]:
            for asset in renderer.assets():
                target = folder / asset.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(asset.content)
            if not search:
                return {}
            stats = build_search_index(folder, search_records(site, directory_urls))
            return {"records": stats.records, "files": stats.files, "bytes": stats.bytes}

        if self.side is not None:
            self.side.cancel()
        # Started before the pages are rendered: the process shares only the data with us.
        self.side = SideJob(downloads_and_index, self.staging.parts)
        self.side.start()
        try:
            self.pages = list(self.renderer.pages())
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:  # a defect of ours: said in words, not as a traceback
            raise PluginError(
                f"生成页面时出错（这是本站的缺陷，请报告，并附上这一行）：{type(exc).__name__}: {exc}"
            ) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None
        for page in self.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{page.path} 与自动生成的页面同名：请改名或删除这个手写页面"
                )
            files.append(File.generated(config, page.path, content=page.markdown))
        for report in self.loaded.site.reports:
            log.info(
                f"报告 {report.slug}：发布 {len(report.tasks)} 项任务、"
                f"{len(report.units)} 个责任单位（{report.path}）"
            )
        for line in self.loaded.series_notices:
            log.info(line.strip())
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri == HOME and self.renderer is not None:
            return markdown.rstrip() + "\n\n" + self.renderer.home_overview()
        return markdown

    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        src = page.file.src_uri
        if (task := self.tasks_by_path.get(src)) is not None:
            self.lost.extend(verify_task_page(task, output, self._report_file(task.report_slug)))
            # MkDocs keeps every page's Markdown and HTML until the build ends; a task page's
            # are not needed once its output exists (at 10,000 tasks: hundreds of MB).
            page.markdown = None
            page.content = None
        elif src in self.stable_paths:
            # A task's series address: the latest period's page again, verified there.
            page.markdown = None
            page.content = None
        elif (report := self.reports_by_path.get(src)) is not None:
            lines = [
                *report.preamble,
                *report.notes,
                *(text for row in report.totals for _, text in row),
            ]
            self.lost.extend(verify_report_page(report.source_title, lines, output, report.path))
        return output

    def _report_file(self, slug: str) -> Path:
        assert self.loaded is not None
        return self.loaded.site.report(slug).path

    # Before the search index (and any other plugin's post-build work) is made.
    @event_priority(50)
    def _fail_on_lost_text(self, config: MkDocsConfig) -> None:
        if self.lost:
            raise PluginError(
                f"有 {len(self.lost)} 处原表文字没有出现在网站上，网站不应发布：\n"
                + "\n".join(str(p) for p in self.lost)
            )

    # After other plugins have written their files.
    @event_priority(-100)
    def _downloads_and_index(self, config: MkDocsConfig) -> None:
        assert self.side is not None
        try:
            stats = self.side.finish(Path(config.site_dir))
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        finally:
            self.side = None
        if stats:
            log.info(
                f"搜索索引：{stats['records']} 个结果（单位、报告和任务），{stats['files']} 个文件，{stats['bytes']} 字节"
            )

    # Last of all post-build handlers: publish only what passed every check.
    @event_priority(-1000)
    def _publish(self, config: MkDocsConfig) -> None:
        assert self.staging is not None
        if config.strict:
            # Ours are counted by MkDocs too, unless -q hid them from it.
            counted = max(self.warnings_logged, _mkdocs_warnings())
            if counted:
                raise PluginError(
                    f"有 {counted} 条警告，--strict 模式下不发布，已发布的网站保持不变"
                )
        try:
            config.site_dir = str(self.staging.publish())
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"已发布到 {self.staging.target}")

    on_post_build = CombinedEvent(_fail_on_lost_text, _downloads_and_index, _publish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.side is not None:
            self.side.cancel()
            self.side = None
        if self.staging is not None:
            self.staging.discard()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.data_dir))
        return server
