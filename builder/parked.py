"""Page HTML kept on disk while MkDocs reads the other pages.

MkDocs turns every page into HTML before it writes any (``commands/build.py``: a loop of
``_populate_page``, then a loop of ``_build_page``), and keeps each page's HTML in memory
in between: at 100,000 tasks, gigabytes. The plugin parks each generated page's HTML here
once it is made and takes it back just before the page is written.
"""

from __future__ import annotations

import tempfile


class Parked:
    """Texts by key in one temporary file (deleted when closed or collected)."""

    def __init__(self) -> None:
        # Open for the object's life, closed by close() (the plugin's build ends or fails).
        self._file = tempfile.TemporaryFile(prefix="gongkai-pages-")  # noqa: SIM115
        self._where: dict[str, tuple[int, int]] = {}
        self._end = 0

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def put(self, key: str, text: str) -> None:
        data = text.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        self._where[key] = (self._end, len(data))
        self._end += len(data)

    def take(self, key: str) -> str:
        """The text put under ``key``, which is then forgotten (its bytes stay on disk until
        :meth:`close`: a page is written once)."""
        offset, size = self._where.pop(key)
        self._file.seek(offset)
        return self._file.read(size).decode("utf-8")

    def close(self) -> None:
        self._where.clear()
        self._file.close()
