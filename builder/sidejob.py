"""The downloads and the search index, written on the second core while MkDocs renders pages.

They need only the data, not the pages, so a forked process writes them into a folder
beside the site while the build goes on; the plugin moves them into the site at the end.
Where forking is not safe (no ``fork``, or other threads running, as under ``mkdocs
serve``) the same work runs in this process when its result is needed.

A forked process costs a second copy of the model, not a shared one: Python writes the
reference count of every object it reads, so each page of memory the work touches is
copied. A province's archive (100,000 tasks: a model of over a gigabyte) would need it
twice, so a large site's work is done in this process instead, at once, before MkDocs holds
anything of its pages (``fork=False``): slower by the work's time, lighter by the model.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import shutil
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Generic, TypeVar

from .errors import GongkaiError

Result = TypeVar("Result")


class SideJobError(GongkaiError):
    """The downloads or the search index could not be written."""


class SideJob(Generic[Result]):
    def __init__(self, work: Callable[[Path], Result], folder: Path, fork: bool = True):
        self.work = work
        self.folder = folder
        """Where the work writes; moved into the site by :meth:`finish`."""
        self.fork = fork
        """Run the work in a forked process where that is safe; else in this one, at once."""
        self._process: multiprocessing.process.BaseProcess | None = None
        self._receive: Connection | None = None
        self._done: tuple[Result] | None = None
        self._failed: GongkaiError | None = None

    def start(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        if not self.fork:
            # Its errors are raised by finish(), where a forked process's would be.
            try:
                self._done = (self.work(self.folder),)
            except GongkaiError as exc:
                self._failed = exc
            except Exception:
                self._failed = SideJobError(_defect())
            _release_freed()
            return
        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(self.work, self.folder, send))
        self._process.start()
        send.close()

    def finish(self, site_dir: Path) -> Result:
        """Wait for the work (or do it now), then move what it wrote into ``site_dir``."""
        result: Result
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed
        if self._done is not None:
            (result,), self._done = self._done, None
        elif self._process is None:
            result = self.work(self.folder)
        else:
            assert self._receive is not None
            try:
                message = self._receive.recv()
            except EOFError:
                message = ("error", "生成下载文件和搜索索引的进程意外退出")
            self._process.join()
            self._process = None
            if message[0] == "error":
                raise SideJobError(message[1])
            result = message[1]
        for part in sorted(self.folder.iterdir()):
            target = site_dir / part.name
            if target.exists():
                raise SideJobError(
                    f"网站中已有 {part.name}（手写页面或主题文件），与生成的下载文件或搜索索引同名，请改名"
                )
            part.rename(target)
        self.cancel()
        return result

    def cancel(self) -> None:
        self._done = self._failed = None
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._process = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _release_freed() -> None:
    """Hand back to the system what the work freed. Its records and postings were a
    gigabyte at 100,000 tasks; glibc keeps freed memory in the process, where the pages
    MkDocs then holds do not all fit into it, so the peak was the two together."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _child(work: Callable[[Path], object], folder: Path, send: Connection) -> None:
    try:
        send.send(("ok", work(folder)))
    except GongkaiError as exc:
        send.send(("error", str(exc)))
    except Exception:
        send.send(("error", _defect()))
    finally:
        send.close()


def _defect() -> str:
    return "生成下载文件和搜索索引时出错：\n" + traceback.format_exc(limit=3)
