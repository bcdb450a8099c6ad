"""All or nothing: the site is built beside the published one and replaces it only at the end.

MkDocs empties and rewrites its site folder as it builds; a check that fails after that
(text lost on a page, the search index, --strict warnings) would leave a half-written site
where the published one was. The build writes into ``<site>.staging`` instead, and the
published folder is swapped for it only after every check has passed.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class Staging:
    def __init__(self, target: Path):
        self.target = target
        """The published site folder."""
        self.folder = target.with_name(target.name + ".staging")
        self._old = target.with_name(target.name + ".old")
        self.parts = target.with_name(target.name + ".parts")
        """Where the downloads and the search index are written while MkDocs renders."""

    def prepare(self) -> Path:
        """A fresh staging folder; what an interrupted earlier build left there is removed."""
        for leftover in (self.folder, self._old, self.parts):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.folder.mkdir(parents=True)
        return self.folder

    def publish(self) -> Path:
        """Put the staging folder in the published one's place; the old site goes after."""
        if self.target.exists():
            self.target.rename(self._old)
            try:
                self.folder.rename(self.target)
            except OSError:
                self._old.rename(self.target)  # put the published site back
                raise
            shutil.rmtree(self._old, ignore_errors=True)
        else:
            self.folder.rename(self.target)
        return self.target

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
