"""Page HTML kept on disk while MkDocs reads the other pages.

MkDocs turns every page into HTML before it writes any (``commands/build.py``: a loop of
``_populate_page``, then a loop of ``_build_page``), and keeps each page's HTML, table of
contents and front matter in memory in between: at 100,000 tasks, gigabytes. The plugin
parks them here once the page is made and takes them back just before it is written.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Any


class Parked:
    """Values (texts, or anything that pickles) by key in one temporary file, deleted when
    closed or collected."""

    def __init__(self) -> None:
        # Open for the object's life, closed by close() (the plugin's build ends or fails).
        self._file = tempfile.TemporaryFile(prefix="gongkai-pages-")  # noqa: SIM115
        self._where: dict[str, tuple[int, int]] = {}
        self._end = 0

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def put(self, key: str, value: Any) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._where[key] = (self._end, len(data))
        self._end += len(data)

    def take(self, key: str) -> Any:
        """The value put under ``key``, which is then forgotten (its bytes stay on disk until
        :meth:`close`: a page is written once)."""
        offset, size = self._where.pop(key)
        self._file.seek(offset)
        return pickle.loads(self._file.read(size))

    def close(self) -> None:
        self._where.clear()
        self._file.close()
