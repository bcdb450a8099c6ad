"""All or nothing: the site is built beside the published one and replaces it only at the end.

MkDocs empties and rewrites its site folder as it builds; a check that fails after that
(text lost on a page, the search index, --strict warnings) would leave a half-written site
where the published one was. The build writes into ``<site>.staging`` instead, and the
published folder is swapped for it only after every check has passed.

The swap never leaves the published folder without a complete site. Where the file system
can (Linux's ``renameat2(RENAME_EXCHANGE)``: ext4, xfs, btrfs, tmpfs) the new and the old
folder trade places in one step, and the old one is deleted after by a process of its own
(``.gongkai-removing-…``: deleting a large site takes minutes on a slow disk). Elsewhere the
old folder is renamed to ``<site>.old`` and the new one into its place; a build interrupted between
the two renames (power cut, kill) is undone when the next one starts: the old site comes
back. Where ``site`` is a link to the web server's folder, that folder is swapped the same
way and the link left as it is. Where a file system is mounted at ``site`` (which cannot be
renamed), its entries are swapped one by one: never empty, though not all at once.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import GongkaiError


class PublishError(GongkaiError):
    """The staging folder cannot be made, or the published site cannot be replaced."""


class Staging:
    def __init__(self, target: Path, on_step: Callable[[str], None] | None = None):
        self.target = target
        """The published site folder, or a link to it."""
        self.folder = target.with_name(target.name + ".staging")
        self.parts = target.with_name(target.name + ".parts")
        """Where the downloads and the search index are written while MkDocs renders."""
        self.on_step = on_step
        """Called with the name of each step of :meth:`publish` once it is done (the tests
        stop a build there)."""
        self._lock_path = target.with_name(target.name + ".lock")
        self._lock: IO[str] | None = None

    @property
    def root(self) -> Path:
        """The folder that is swapped: the published folder, or the one ``target`` links to
        (also where a link points nowhere after an interrupted swap)."""
        return Path(os.path.realpath(self.target)) if self.target.is_symlink() else self.target

    def _beside(self, suffix: str) -> Path:
        root = self.root
        return root.with_name(root.name + suffix)

    def prepare(self) -> Path:
        """A fresh staging folder; what an interrupted earlier build left is put right first.
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
            self.recover()
            for trash in self.root.parent.glob(f"{TRASH}{self.root.name}-*"):
                _remove_later(trash)  # what an interrupted build had not removed yet
            for leftover in (
                self.folder,
                self._beside(".staging"),
                self.parts,
                self.root / MOUNT_STAGING,
            ):
                _remove(leftover)
            self.folder.mkdir(parents=True)
        except OSError as exc:
            raise PublishError(
                f"无法在 {self.target.parent} 中准备生成目录：{exc.strerror}"
            ) from None
        return self.folder

    def recover(self) -> None:
        """Finish what an interrupted publish left half done: with no published site and
        the last one in ``<site>.old``, that one comes back; beside a published site,
        ``<site>.old`` is the previous one, which was being removed."""
        root, old = self.root, self._beside(".old")
        if not old.exists():
            return
        if root.exists():
            _remove(old)
        else:
            old.rename(root)

    def publish(self) -> Path:
        """Put the staging folder in the published one's place; the old site goes after."""
        try:
            root = self.root
            if _is_mount(root):
                self._replace_entries(root)
                self._step("published")
                return self.target
            new = self._beside(".staging")
            if new != self.folder:
                _move(self.folder, new)  # beside the linked folder, on its file system
                self._step("beside")
            if not root.exists():
                new.rename(root)
                self._step("published")
                return self.target
            self._keep_dotfiles(root, new)
            self._step("dotfiles")
            if _exchange(new, root):
                self._step("swapped")
                self._drop(new)
            else:
                old = self._beside(".old")
                root.rename(old)
                self._step("old-moved")
                try:
                    new.rename(root)
                except OSError:
                    old.rename(root)  # put the published site back
                    raise
                self._step("new-in-place")
                self._drop(old)
            self._step("published")
        except OSError as exc:
            raise PublishError(f"无法替换已发布的网站 {self.target}：{exc.strerror}") from None
        finally:
            self._unlock()
        return self.target

    def discard(self) -> None:
        _remove(self.folder)
        _remove(self.parts)
        self._unlock()

    def _drop(self, old: Path) -> None:
        """Remove the replaced site: renamed out of the way in one step, then deleted by a
        process of its own. The new site is published already, and on a slow disk deleting
        the tens of thousands of folders of a large site takes a minute or more."""
        trash = old.with_name(f"{TRASH}{self.root.name}-{os.getpid()}-{time.time_ns()}")
        old.rename(trash)
        self._step("removing-old")
        _remove_later(trash)

    def _step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name)

    def _keep_dotfiles(self, root: Path, new: Path) -> None:
        # MkDocs keeps the site folder's dotfiles (.git of a gh-pages checkout, .htaccess)
        # when it cleans it; so does the swap. Linked (or copied), not moved: until the swap
        # has happened they stay where they were.
        for item in root.iterdir():
            target = new / item.name
            if not item.name.startswith(".") or target.exists() or target.is_symlink():
                continue
            if item.is_symlink():
                os.symlink(os.readlink(item), target)
            elif item.is_dir():
                shutil.copytree(item, target, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(item), str(target))

    def _replace_entries(self, root: Path) -> None:
        """A file system mounted at the site folder (a container's volume) cannot be renamed:
        its entries are swapped one at a time instead, each in one step. The folder is never
        empty, but until the last entry is swapped it holds some old and some new ones; an
        interrupted swap is finished by the next build."""
        new = root / MOUNT_STAGING
        _remove(new)
        _move(self.folder, new)  # onto the mounted file system: each entry moves in one step
        self._step("beside")
        names = {item.name for item in new.iterdir()}
        for name in sorted(names):
            item, target = new / name, root / name
            if not (target.exists() or target.is_symlink()):
                item.rename(target)
            elif not _exchange(item, target):
                if target.is_dir() and not target.is_symlink():
                    target.rename(new / f".gongkai-old-{name}")
                os.replace(item, target)
            self._step("swapping")
        for item in root.iterdir():
            if not item.name.startswith(".") and item.name not in names:
                _remove(item)
        _remove(new)

    def _unlock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


TRASH = ".gongkai-removing-"
"""Beside the site, a replaced site being deleted (``.gongkai-removing-site-…``)."""
MOUNT_STAGING = ".gongkai-staging"
"""Where the new site waits inside a mounted site folder while its entries are swapped."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _is_mount(path: Path) -> bool:
    return os.path.ismount(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _move(source: Path, target: Path) -> None:
    try:
        source.rename(target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(source, target, symlinks=True)
        _remove(source)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _remove_later(path: Path) -> None:
    """Delete ``path`` in a process that outlives this one (``rm`` in the background);
    here and now where that cannot be started."""
    try:
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(path)],
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        _remove(path)


def _remove(path: Path) -> None:
    """Remove a file, link or folder."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
