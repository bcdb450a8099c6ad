"""All or nothing: the site is built beside the published one and replaces it only at the end.

MkDocs empties and rewrites its site folder as it builds; a check that fails after that
(text lost on a page, the search index, --strict warnings) would leave a half-written site
where the published one was. The build writes into ``<site>.staging`` instead, and the
published folder is swapped for it only after every check has passed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import IO

from .errors import GongkaiError


class PublishError(GongkaiError):
    """The staging folder cannot be made, or the published site cannot be replaced."""


class Staging:
    def __init__(self, target: Path):
        self.target = target
        """The published site folder."""
        self.folder = target.with_name(target.name + ".staging")
        self._old = target.with_name(target.name + ".old")
        self.parts = target.with_name(target.name + ".parts")
        """Where the downloads and the search index are written while MkDocs renders."""
        self._lock_path = target.with_name(target.name + ".lock")
        self._lock: IO[str] | None = None

    def prepare(self) -> Path:
        """A fresh staging folder; what an interrupted earlier build left there is removed.
        Two builds of one site at once would write into each other's folders: the second
        stops with a message."""
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            if self._lock is None:
                self._lock = open(self._lock_path, "w")  # noqa: SIM115 - held for the build
                try:
                    fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self._lock.close()
                    self._lock = None
                    raise PublishError(
                        f"{self.target} 正在由另一次生成写出，请等它结束后再生成"
                    ) from None
            for leftover in (self.folder, self._old, self.parts):
                _remove(leftover)
            self.folder.mkdir(parents=True)
        except OSError as exc:
            raise PublishError(
                f"无法在 {self.target.parent} 中准备生成目录：{exc.strerror}"
            ) from None
        return self.folder

    def publish(self) -> Path:
        """Put the staging folder in the published one's place; the old site goes after."""
        try:
            if self.target.is_symlink() or os.path.ismount(self.target):
                # A web root linked or mounted here: fill the folder it points at, which
                # cannot be swapped whole.
                self._replace_contents(self.target.resolve())
            elif self.target.exists():
                self._keep_dotfiles()
                self.target.rename(self._old)
                try:
                    self.folder.rename(self.target)
                except OSError:
                    self._old.rename(self.target)  # put the published site back
                    raise
                _remove(self._old)
            else:
                self.folder.rename(self.target)
        except OSError as exc:
            raise PublishError(f"无法替换已发布的网站 {self.target}：{exc.strerror}") from None
        finally:
            self._unlock()
        return self.target

    def discard(self) -> None:
        _remove(self.folder)
        _remove(self.parts)
        self._unlock()

    def _keep_dotfiles(self) -> None:
        # MkDocs keeps the site folder's dotfiles (.git of a gh-pages checkout, .htaccess)
        # when it cleans it; so does the swap.
        for item in self.target.iterdir():
            if item.name.startswith(".") and not (self.folder / item.name).exists():
                item.rename(self.folder / item.name)

    def _replace_contents(self, root: Path) -> None:
        for item in root.iterdir():
            if not item.name.startswith("."):
                _remove(item)
        for item in self.folder.iterdir():
            if not (root / item.name).exists():
                shutil.move(str(item), root / item.name)
        _remove(self.folder)

    def _unlock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
