"""Stage 5: the MkDocs adapter. The only module that imports mkdocs."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Container, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import get_build_date
from mkdocs.utils.templates import TemplateContext

from . import preview
from .build import FORK_LIMIT, Build, FileStats, Settings
from .errors import GongkaiError
from .incremental import fingerprint
from .load import defect_message
from .paging import PAGE_SIZE
from .parked import Parked
from .paths import HOME
from .sidejob import SideJob
from .siteinfo import site_info

log = logging.getLogger("mkdocs.plugins.gongkai")
PREVIEW = "读表结果"
"""Where `mkdocs serve` shows the staff preview; never part of a built site."""


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
    page_size = c.Type(int, default=PAGE_SIZE)
    """Rows per page of a report's or a unit's task list before it is split into pages."""
    incremental = c.Type(bool, default=True)
    """Take unchanged pages and tables from the last published build (incremental.py)."""
    fork_limit = c.Type(int, default=FORK_LIMIT)
    """Task rows up to which the downloads and search index are written by a second process
    while MkDocs renders; a larger site writes them first, in one process (sidejob.py)."""


class GongkaiPlugin(BasePlugin[GongkaiConfig]):  # type: ignore[no-untyped-call]
    """Translates MkDocs' events into the steps of a :class:`~builder.build.Build`."""

    def __init__(self) -> None:
        self.config_file: str | None = None
        self.build: Build | None = None
        self.pending: dict[str, Callable[[], str]] = {}
        """The generated pages by path, each made when MkDocs reads it (render.Pending)."""
        self.parked: Parked | None = None
        self.files: Files | None = None
        self.side: SideJob[FileStats] | None = None
        self.warnings_logged = 0
        self.serving = False
        self.nav: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

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
        gc.unfreeze()  # what an earlier build of this process froze (on_pre_build)
        self.config_file = config.config_file_path
        _quiet_links.reused = {}
        if self.build is not None:
            self.build.discard()  # an earlier build of this process (mkdocs serve)
        try:
            info = site_info(config.extra, config.site_url or "")
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        if info.is_demo:
            # Information, not a warning: the shipped demonstration builds under --strict.
            log.info(info.notice())
        self.build = Build(
            self.data_dir,
            Settings(
                site_name=config.site_name,
                site_url=config.site_url or "",
                directory_urls=config.use_directory_urls,
                search=self.config.search,
                info=info,
                page_size=self.config.page_size,
                fork_limit=self.config.fork_limit,
            ),
        )
        try:
            config.site_dir = str(self.build.stage(Path(config.site_dir)))
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        if self.config.incremental:
            self.build.keep_cache(self._fingerprint(config))
            self.nav = _nav_paths(config.nav)
        self.warnings_logged = 0
        return config

    def _fingerprint(self, config: MkDocsConfig) -> str:
        custom = config.theme.custom_dir
        settings = {
            key: config.get(key)
            for key in ("site_name", "site_url", "use_directory_urls", "extra", "nav", "strict")
        }
        settings["extra_files"] = [str(x) for x in (*config.extra_css, *config.extra_javascript)]
        settings["gongkai"] = dict(self.config)
        settings["serving"] = self.serving
        # Every page's print footer names the day it was made (overrides/main.html): a page
        # of another day's build is not what a full build gives today.
        settings["build_date"] = get_build_date()
        return fingerprint(
            Path(config.config_file_path) if config.config_file_path else None,
            (Path(config.docs_dir), Path(custom) if custom else None),
            settings,
        )

    def _warn(self, message: str) -> None:
        # Counted here, not through MkDocs' log handler: `-q` lowers the log level and MkDocs
        # then counts nothing, so `--strict -q` would publish a table with warnings.
        self.warnings_logged += 1
        log.warning(message)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Read and check everything here: MkDocs empties site_dir right after this event,
        # and a table with errors must leave the published site as it was.
        build = self.build
        assert build is not None and build.staging is not None
        try:
            loaded = build.read()
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:  # past the tables (each file's own are reported by name)
            raise PluginError(
                f"{self.data_dir}: 错误：{defect_message('读取数据时出错', exc)}"
            ) from None
        for warning in loaded.warnings:
            self._warn(str(warning))
        if self.side is not None:
            self.side.cancel()
        # Started before the pages are rendered: the process shares only the data with us.
        # A province's site writes them here and now, before MkDocs holds its pages.
        self.side = SideJob(build.write_files, build.staging.parts, fork=build.forks)
        self.side.start()
        # Only the list of pages here: each page is made when MkDocs reads it (on_pre_page)
        # and let go once written, so the site's pages are never all in memory at once.
        self.pending = self._making(lambda: {p.path: p.make for p in build.pending()})
        if self.parked is not None:
            self.parked.close()
        self.parked = Parked()
        # The model and the page list live until the build ends. Frozen, Python's collector
        # no longer walks their millions of objects at each full collection while MkDocs
        # renders (a last collection first: garbage frozen would stay; work done in this
        # process was collected after it, by SideJob.start). on_config thaws them for the
        # next build of `mkdocs serve`.
        if self.side.fork:
            gc.collect()
        gc.freeze()

    @staticmethod
    def _making(make: Callable[[], Any]) -> Any:
        try:
            return make()
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:  # a defect of ours: said in words, not as a traceback
            raise PluginError(
                f"生成页面时出错（这是本站的缺陷，请报告，并附上这一行）：{type(exc).__name__}: {exc}"
            ) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None and self.build.loaded is not None
        if self.serving and self.build.loaded.data is not None:
            # 读表结果 for staff while they preview; `mkdocs build` never writes it.
            for item in preview.pages(self.build.loaded.data):
                files.append(File.generated(config, f"{PREVIEW}/{item.path}", content=item.html))
        for path in self.pending:
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path} 与自动生成的页面同名：请改名或删除这个手写页面"
                )
            # Empty until MkDocs reads the page: on_pre_page makes its Markdown.
            file = File.generated(config, path, content="")
            files.append(file)
            if self.build.reuse is not None:
                self._offer(file, path, self.pending[path], config)
        for report in self.build.loaded.site.reports:
            log.info(
                f"报告 {report.slug}：发布 {len(report.tasks)} 项任务、"
                f"{len(report.units)} 个责任单位（{report.path}）"
            )
        for line in self.build.loaded.series_notices:
            log.info(line.strip())
        if self.build.reuse is not None and self.build.reuse.reused:
            _quiet_links.reused = self.build.reuse.reused
            log.info(
                f"增量生成：{len(self.build.reuse.reused)} 个页面与上次发布的相同，不再生成；"
                f"其余 {len(self.pending) - len(self.build.reuse.reused)} 个页面重新生成"
            )
        self.files = files
        return files

    def _offer(self, file: File, path: str, make: Callable[[], str], config: MkDocsConfig) -> None:
        """A page outside the navigation whose Markdown is as last published is left out of
        MkDocs' rendering (excluded: still found by links) and taken from the published site.
        Its Markdown is made here to be compared and let go; a page that changed is made again
        when MkDocs reads it (the task pages, most of a site, are known from their tables). A
        page the last publish did not have (every page of a full build) is made once, when
        MkDocs reads it."""
        assert self.build is not None and self.build.reuse is not None
        set_exclusions([file], config)
        reusable = file.inclusion is InclusionLevel.NOT_IN_NAV and path not in self.nav
        if path in self.build.reuse.reused:  # known before its Markdown was made
            if not reusable:
                raise PluginError(
                    f"{path}：上次发布的页面不能取用，但没有重新生成（这是本站的缺陷，请报告）"
                )
            file.inclusion = InclusionLevel.EXCLUDED
        elif reusable and self.build.reuse.offer(path, file.dest_uri, lambda: self._making(make)):
            file.inclusion = InclusionLevel.EXCLUDED

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        reuse = self.build.reuse if self.build is not None else None
        if template_name == "sitemap.xml" and reuse is not None and reuse.reused and self.files:
            # The sitemap lists every page, the ones taken from the published site too, in
            # the order a full build gives: those as MkDocs would give them to the template
            # (a province's 175,000 pages as MkDocs pages cost seconds and memory).
            pages: list[Any] = []
            date = get_build_date()
            for file in self.files:
                included = file.inclusion.is_included()  # type: ignore[no-untyped-call]
                if file.is_documentation_page() and (included or file.src_uri in reuse.reused):
                    pages.append(file if file.page is not None else _Listed(file, config, date))
            context["pages"] = pages
        return context

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.build is not None
        env.globals["gk_feeds"] = self.build.site_feeds()
        # The theme's templates (main.html) show the 示例站点 banner from this.
        env.globals["gk_demo_reasons"] = self.build.info.demo_reasons
        return env

    def on_pre_page(self, page: MkDocsPage, /, *, config: MkDocsConfig, files: Files) -> MkDocsPage:
        make = self.pending.get(page.file.src_uri)
        if make is not None:
            # Through the file, so MkDocs reads the page's front matter (title, gk_feed…)
            # as it reads a hand-written page's.
            markdown = page.file.content_string = self._making(make)
            if self.build is not None and self.build.reuse is not None:
                self.build.reuse.made(page.file.src_uri, page.file.dest_uri, markdown)
        return page

    def on_page_markdown(
        self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri == HOME and self.build is not None and self.build.loaded is not None:
            return self.build.home(markdown)
        return markdown

    # After other plugins changed the HTML: what is parked is what the page shows.
    @event_priority(-100)
    def on_page_content(
        self, html: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        uri = page.file.src_uri
        if uri not in self.pending or self.parked is None:
            return html
        # MkDocs reads every page before it writes any and would hold them all until the
        # end. The title and anchors are kept (made by the render); the toc and the front
        # matter wait on disk with the HTML; the Markdown is let go, as "" rather than None:
        # Page.title is None while page.markdown is None.
        page.file.content_string = ""
        page.markdown = ""
        self.parked.put(uri, (html, page.toc, page.meta))
        page.toc = TableOfContents([])
        page.meta = _before_context(page.meta)
        return ""

    # Before other plugins: they see the page's HTML.
    @event_priority(100)
    def on_page_context(
        self,
        context: TemplateContext,
        /,
        *,
        page: MkDocsPage,
        config: MkDocsConfig,
        nav: Navigation,
    ) -> TemplateContext:
        uri = page.file.src_uri
        if self.parked is not None and uri in self.parked:
            page.content, page.toc, page.meta = self.parked.take(uri)
        return context

    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        assert self.build is not None
        self.build.verify(page.file.src_uri, output)
        if page.file.src_uri in self.pending and self.files is not None:
            # Written and checked: let go of what MkDocs would keep to the end. Its links to
            # other pages' anchors are checked now, as MkDocs would after the last page
            # (every page's anchors are known once all are read), then forgotten.
            page.validate_anchor_links(files=self.files, log_level=config.validation.links.anchors)
            page.links_to_anchors = None
            page.content = ""
            page.toc = TableOfContents([])
            page.meta = _before_context(page.meta)
        return output

    # Before the search index (and any other plugin's post-build work) is made.
    @event_priority(50)
    def _fail_on_lost_text(self, config: MkDocsConfig) -> None:
        assert self.build is not None
        self._unpark()
        try:
            self.build.check_verified()
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None

    # After other plugins have written their files.
    @event_priority(-100)
    def _downloads_and_index(self, config: MkDocsConfig) -> None:
        assert self.side is not None and self.build is not None
        try:
            stats = self.side.finish(Path(config.site_dir))
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        finally:
            self.side = None
        self.build.files_written(stats)
        if stats.search_files:
            log.info(
                f"搜索索引：{stats.search_records} 个结果（单位、报告和任务），{stats.search_files} 个文件，"
                f"{stats.search_bytes} 字节"
            )

    # After the downloads and the index are moved in: the reused pages go where MkDocs
    # would have written them.
    @event_priority(-500)
    def _reused_pages(self, config: MkDocsConfig) -> None:
        assert self.build is not None
        if self.build.reuse is not None and self.build.reuse.reused:
            try:
                self.build.reuse.link_into(Path(config.site_dir))
            except OSError as exc:
                raise PluginError(f"无法取用上次发布的页面：{exc}") from None

    # Last of all post-build handlers: publish only what passed every check.
    @event_priority(-1000)
    def _publish(self, config: MkDocsConfig) -> None:
        assert self.build is not None and self.build.staging is not None
        if config.strict:
            # Ours are counted by MkDocs too, unless -q hid them from it.
            counted = max(self.warnings_logged, _mkdocs_warnings())
            if counted:
                raise PluginError(
                    f"有 {counted} 条警告，--strict 模式下不发布，已发布的网站保持不变"
                )
        try:
            config.site_dir = str(self.build.publish())
        except GongkaiError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"已发布到 {self.build.staging.target}")

    on_post_build = CombinedEvent(_fail_on_lost_text, _downloads_and_index, _reused_pages, _publish)

    def on_shutdown(self) -> None:
        # At exit Python walks every object once more before freeing them: at 10,000
        # tasks two seconds of an incremental build's twelve. Frozen, they are only freed.
        gc.freeze()
        _quiet_links.reused = {}
        if self.serving and self.build is not None and self.build.reuse is not None:
            # `mkdocs serve` builds into a temporary folder, removed when it stops: so is the
            # manifest of what that folder held.
            self.build.reuse.forget()

    def _unpark(self) -> None:
        if self.parked is not None:
            self.parked.close()
            self.parked = None

    def on_build_error(self, *, error: Exception) -> None:
        self._unpark()
        if self.side is not None:
            self.side.cancel()
            self.side = None
        if self.build is not None:
            self.build.discard()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.data_dir))
        return server


class _Listed:
    """A page taken from the published site as the sitemap reads it: MkDocs'
    ``Page._set_canonical_url`` and ``update_date``, without the rest of a page."""

    def __init__(self, file: File, config: MkDocsConfig, date: str):
        self.page = self
        self.is_link = False
        self.update_date = date
        self.canonical_url: str | None = None
        self.abs_url: str | None = None
        base = config.site_url
        if base:
            self.canonical_url = urljoin(base if base.endswith("/") else base + "/", file.url)
            self.abs_url = urlsplit(self.canonical_url).path


def _before_context(meta: MutableMapping[str, Any]) -> dict[str, Any]:
    """What MkDocs reads of a page's front matter before the page-context event (build.py:
    ``_build_page`` picks the page's template)."""
    return {"template": meta["template"]} if "template" in meta else {}


def _nav_paths(nav: Any) -> set[str]:
    """The pages named in mkdocs.yml's nav: their neighbours are part of their HTML."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return {path for item in nav for path in _nav_paths(item)}
    return set()


class _ReusedLinks(logging.Filter):
    """MkDocs says (at INFO) that a page links to one "excluded from the built site": the pages
    taken from the published site are left out of MkDocs' rendering only, and are published."""

    def __init__(self) -> None:
        super().__init__()
        self.reused: Container[str] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.reused or record.levelno > logging.INFO:
            return True
        found = re.search(r"contains a link to '([^']+)' which is excluded", record.getMessage())
        return found is None or found.group(1) not in self.reused


_quiet_links = _ReusedLinks()
logging.getLogger("mkdocs.structure.pages").addFilter(_quiet_links)
