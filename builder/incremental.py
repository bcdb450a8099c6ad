"""Publish what changed, take the rest from the published site.

A build's pages are the same as the last published build's wherever their input is: the
page's own Markdown and everything site-wide (mkdocs.yml, the theme and its overrides, the
hand-written pages, the versions of MkDocs, the theme and this builder). Task, report, unit
and series pages are not in the navigation, so nothing else goes into their HTML
(``tests/test_incremental.py`` compares a site built this way with a full build, file by
file). Such a page is not rendered again: MkDocs is told to leave it out, and its HTML is
linked from the published site into the staging folder before the swap (publish.py), so the
published site is not touched until then. Task pages and the pages of a report's task list
are known unchanged before their Markdown is even written, where the tables they are made
from (their report's, or all of its series') are (:func:`report_keys`); so are a report's
downloads (its source table, CSV and JSON, and the rows of its split list), linked the same
way. The sitemap, the file of all data, the unit lists' rows, the feeds and the search index
are written in full every time, the index from the terms of the records that did not change
(:class:`TermsCache`). Every page's print footer names the day it was built, so the day is
part of the fingerprint: the first build of a day is a full one.

What was read from a table is kept too, keyed by the bytes of the table, its ``.yml``, the
units registry and this builder's source: an unchanged table is not parsed again.

Both live in ``.gongkai-cache/`` beside the site folder (never inside it) and take effect
only after a publish has succeeded. Anything that cannot be shown to be unchanged is built
again: a different fingerprint, a missing or unreadable manifest, a published site that is
not the one the manifest describes, a page whose file is gone. Deleting the folder forces a
full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import posixpath
import shutil
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .search import SearchRecord, terms

if TYPE_CHECKING:
    from .model import Site

CACHE = ".gongkai-cache"
"""The cache folder's name, beside the published site folder."""
_FORMAT = 3
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe")

Result = TypeVar("Result")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@cache
def builder_version() -> str:
    """A hash of this builder's own source and templates: a change to any of them may change
    any page, so it counts as a change of everything."""
    h = hashlib.blake2b(digest_size=16)
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in {".pyc", ".pyo"}:
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _tree(h: Any, folder: Path | None) -> None:
    if folder is None or not folder.is_dir():
        h.update(b"-\0")
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")


def fingerprint(
    config_file: Path | None, folders: Iterable[Path | None], settings: dict[str, Any]
) -> str:
    """Everything site-wide a page's HTML may depend on: the configuration file, the folders
    of hand-written pages and theme overrides, the resolved settings (``!ENV`` values
    included), the versions of Python, MkDocs, the theme and Markdown, and this builder."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT}\0{sys.version}\0{builder_version()}\0".encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    h.update(config_file.read_bytes() if config_file is not None else b"-")
    for folder in folders:
        _tree(h, folder)
    h.update(json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False).encode())
    return h.hexdigest()


class TableCache:
    """What :func:`builder.load.load_file` made of each table, kept by the hash of all it
    reads. A new entry is written at once, beside the cache (a province's tables pickled
    weigh as much as the model, too much to hold until the publish), and moved in by
    :meth:`save` after a publish; a build that does not publish leaves the cache as it was
    (:meth:`discard`)."""

    def __init__(self, folder: Path, units_file: Path):
        self.folder = folder
        self.staged = folder.with_name(folder.name + ".new")
        """This build's new entries until it publishes."""
        try:
            units = units_file.read_bytes()
        except OSError:
            units = b"-"
        self._base = f"{_FORMAT}\0{builder_version()}\0".encode() + digest(units).encode()
        self.keys: dict[str, str] = {}
        """Each table read (by its path as given): the hash of all it was read from."""
        self.hits = 0
        self.misses = 0

    def _key(self, path: Path) -> str | None:
        h = hashlib.blake2b(self._base, digest_size=16)
        h.update(str(path).encode() + b"\0")
        try:
            h.update(path.read_bytes() + b"\0")
        except OSError:
            return None
        for suffix in (".yml", ".yaml"):
            try:
                h.update(suffix.encode() + path.with_suffix(suffix).read_bytes() + b"\0")
            except OSError:
                h.update(suffix.encode() + b"-\0")
        return h.hexdigest()

    def wrap(self, load: Callable[[Path, Any], Result]) -> Callable[[Path, Any], Result]:
        """``load`` (path, registry) → result, answered from the cache where it can be."""

        def cached(path: Path, registry: Any) -> Result:
            key = self._key(path)
            if key is not None:
                self.keys[str(path)] = key
                try:
                    result: Result = pickle.loads((self.folder / key).read_bytes())
                except Exception:  # missing, or unreadable: read the table again
                    pass
                else:
                    self.hits += 1
                    return result
            self.misses += 1
            result = load(path, registry)
            if key is not None:
                try:
                    self.staged.mkdir(parents=True, exist_ok=True)
                    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                    (self.staged / key).write_bytes(data)
                except OSError:
                    pass  # not kept: read again next time
            return result

        return cached

    def save(self) -> None:
        """Keep the tables of this build, and only those (a changed table's old entry would
        never be read again)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.staged.is_dir():
            for entry in self.staged.iterdir():
                os.replace(entry, self.folder / entry.name)
            self.discard()
        used = set(self.keys.values())
        for entry in self.folder.iterdir():
            if entry.name not in used:
                with contextlib.suppress(OSError):
                    entry.unlink()

    def discard(self) -> None:
        shutil.rmtree(self.staged, ignore_errors=True)


class TermsCache:
    """The search terms of every record the last build indexed, by a hash of the record's
    searched text: a record that did not change is not cut into terms again. New terms are
    written beside the cache by the process that writes the index (maybe a forked one) and
    moved in by :meth:`save` after a publish, as the tables are."""

    def __init__(self, folder: Path):
        self.path = folder / "terms"
        self.staged = folder / "terms.new"
        self._last: dict[bytes, bytes] = {}
        self._made: dict[bytes, bytes] = {}
        self.hits = 0

    def _load(self) -> None:
        try:
            version, last = pickle.loads(self.path.read_bytes())
        except Exception:  # missing, or unreadable: every record is cut again
            return
        if version == builder_version() and isinstance(last, dict):
            self._last = last

    def terms(self, record: SearchRecord) -> set[str]:
        """:func:`builder.search.terms` of ``record``, from the last build where it can be."""
        if not self._made and not self._last:
            self._load()
        key = _record_key(record)
        packed = self._last.get(key)
        if packed is None:
            found = terms(record)
            packed = zlib.compress("\n".join(found).encode("utf-8"), 1)
        else:
            self.hits += 1
            text = zlib.decompress(packed).decode("utf-8")
            found = set(text.split("\n")) if text else set()
        self._made[key] = packed
        return found

    def stage(self) -> None:
        """Keep this build's terms (and only those) until the publish."""
        if not self._made:
            return
        try:
            self.staged.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps((builder_version(), self._made), pickle.HIGHEST_PROTOCOL)
            _write_atomically(self.staged, data)
        except OSError:
            pass  # not kept: cut again next time
        self._last, self._made = {}, {}

    def save(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.staged, self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.staged.unlink()


def _record_key(record: SearchRecord) -> bytes:
    # Everything terms() reads, in fields that cannot run into each other.
    parts = [
        record.title,
        *record.names,
        "\x1e",
        record.text,
        *record.meta.values(),
        "\x1e",
        *(text for _, text in record.more),
        "\x1e",
        *record.hidden,
    ]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).digest()


def report_keys(site: Site, tables: Mapping[str, str]) -> dict[str, str]:
    """Per report (by slug), a hash of everything its task pages and the pages of its task
    list are made from (render.py: ``Renderer.pages``): the tables of its series (the other
    periods' tasks are on each page) or its own table, and the series' address. The rest
    comes from what the fingerprint and the table hashes cover (the units registry, this
    builder, the configuration)."""
    keys: dict[str, str] = {}
    for report in site.reports:
        series = site.series_of(report)
        members = series.reports if series is not None else (report,)
        parts = [series.id if series is not None else ""]
        for member in members:
            table = tables.get(str(member.path))
            if table is None:
                break
            parts.append(f"{member.slug}={table}")
        else:
            keys[report.slug] = digest("\0".join(sorted(parts)).encode())
    return keys


class Reuse:
    """Which pages of this build can be taken from the published site, and taking them.

    ``site`` is the published site folder (or the link to it); the manifest of what it was
    built from is ``.gongkai-cache/pages-<name>.json`` beside it."""

    def __init__(self, site: Path, fingerprint: str):
        self.site = site
        self.folder = site.parent / CACHE
        self.manifest = self.folder / f"pages-{site.name}.json"
        self.fingerprint = fingerprint
        self._published = self._root()
        self._last, self._last_files = self._read()
        self.pages: dict[str, tuple[str, str, str]] = {}
        """This build's generated pages: source path → (digest of its Markdown, output path,
        hash of what it is made from where that is known)."""
        self._keys: dict[str, str] = {}
        self.reused: dict[str, str] = {}
        """Pages taken from the published site: source path → output path."""
        self.files: dict[str, str] = {}
        """This build's downloads made from one report's tables: path → hash of them."""
        self._by_key: dict[str, list[str]] | None = None

    @property
    def full(self) -> bool:
        """No page can be reused: the whole site is built."""
        return self._last is None

    def _root(self) -> Path:
        return Path(os.path.realpath(self.site))

    def _identity(self) -> list[Any]:
        root = self._root()
        try:
            info = root.stat()
        except OSError:
            return []
        return [str(root), info.st_dev, info.st_ino]

    def _read(self) -> tuple[dict[str, list[str]] | None, dict[str, str]]:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
            if (
                data.get("format") != _FORMAT
                or data.get("fingerprint") != self.fingerprint
                or data.get("site") != self._identity()
            ):
                return None, {}
            pages, files = data["pages"], data["files"]
            if not isinstance(pages, dict) or not all(len(v) == 3 for v in pages.values()):
                return None, {}
            if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
                return None, {}
            return pages, files
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None, {}

    def known(self, src_uri: str, key: str) -> bool:
        """True where a page made from what ``key`` hashes (:func:`report_keys`) was made
        from the same last time: its Markdown need not even be written."""
        self._keys[src_uri] = key
        last = self._last.get(src_uri) if self._last is not None else None
        if not last or last[2] != key or not os.path.isfile(self._published / last[1]):
            return False
        self.pages[src_uri] = (last[0], last[1], key)
        self.reused[src_uri] = last[1]
        return True

    def offer(self, src_uri: str, dest_uri: str, make: Callable[[], str]) -> bool:
        """True where the page's HTML may be taken from the published site instead of being
        rendered: the last publish has it at the same address, from the same Markdown. Only
        then is its Markdown made (by ``make``) to compare; every page of a full build is
        made once, when MkDocs reads it (:meth:`made`)."""
        last = self._last.get(src_uri) if self._last is not None else None
        if not last or last[1] != dest_uri or not os.path.isfile(self._published / dest_uri):
            return False
        if self.made(src_uri, dest_uri, make()) != last[0]:
            return False
        self.reused[src_uri] = dest_uri
        return True

    def made(self, src_uri: str, dest_uri: str, markdown: str) -> str:
        """Record the Markdown of a page MkDocs renders, for the next build to compare."""
        mark = digest(markdown.encode("utf-8"))
        self.pages[src_uri] = (mark, dest_uri, self._keys.get(src_uri, ""))
        return mark

    def kept_files(self, key: str) -> list[str]:
        """The downloads the last publish made from the tables ``key`` hashes
        (:func:`report_keys`), where every one of them is still in the published site."""
        if self._by_key is None:
            self._by_key = {}
            for path, made_from in self._last_files.items():
                self._by_key.setdefault(made_from, []).append(path)
        paths = self._by_key.get(key, [])
        if not all(os.path.isfile(self._published / path) for path in paths):
            return []
        return paths

    def published(self, path: str) -> Path:
        """A file of the published site."""
        return self._published / path

    def link_files(self, paths: Iterable[str], folder: Path) -> None:
        """Put files of the published site into ``folder`` at the same paths."""
        for path in paths:
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(self._published / path, target)

    def link_into(self, staging: Path) -> int:
        """Put the reused pages' HTML into the staging folder: hard links where the file
        system allows (the published files are never written to), copies elsewhere."""
        root = str(self._published)
        base = str(staging)
        made: set[str] = set()
        # os, not pathlib: a province's 175,000 pages each have a folder of their own, and
        # pathlib's per-call work cost more than the file system's.
        for dest_uri in self.reused.values():
            folder = posixpath.dirname(dest_uri)
            if folder not in made:
                os.makedirs(os.path.join(base, folder), exist_ok=True)
                made.add(folder)
            _link(os.path.join(root, dest_uri), os.path.join(base, dest_uri))
        return len(self.reused)

    def forget(self) -> None:
        """Before the published site is replaced: the manifest describes the old one, and a
        publish cut short must not leave it describing the new one."""
        with contextlib.suppress(FileNotFoundError):
            self.manifest.unlink()

    def save(self) -> None:
        """After a publish: the manifest of the site now published."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": _FORMAT,
            "fingerprint": self.fingerprint,
            "site": self._identity(),
            "pages": {src: list(value) for src, value in self.pages.items()},
            "files": self.files,
        }
        _write_atomically(
            self.manifest, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        )


def _link(source: str | Path, target: str | Path) -> None:
    """A hard link where the file system allows (the published file is never written to),
    a copy elsewhere."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
