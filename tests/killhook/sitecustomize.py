"""Test hook, on PYTHONPATH only in tests/test_publish.py: with ``GONGKAI_KILL_AT=<step>`` a
build kills itself with SIGKILL once that step of publishing is done, as a power cut or
``kill -9`` would stop it there; ``GONGKAI_NO_EXCHANGE=1`` makes it swap by two renames, as
on a file system without RENAME_EXCHANGE; ``GONGKAI_AS_MOUNT=1`` treats the site folder as a
mounted file system."""

import os
import signal

_KILL_AT = os.environ.get("GONGKAI_KILL_AT")

if _KILL_AT:
    from builder import publish

    _init = publish.Staging.__init__

    def _kill(name: str) -> None:
        if name == _KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)

    def _init_with_kill(self, target, on_step=None):  # type: ignore[no-untyped-def]
        _init(self, target, _kill)

    publish.Staging.__init__ = _init_with_kill  # type: ignore[method-assign]
    if os.environ.get("GONGKAI_NO_EXCHANGE"):
        publish._exchange = lambda a, b: False
    if os.environ.get("GONGKAI_AS_MOUNT"):
        publish._is_mount = lambda path: True
