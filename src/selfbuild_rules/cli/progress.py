"""Progress on stderr, shown only when stderr is a terminal; never a name in it. A
terminal that has gone (hung up) is no error: progress is a courtesy, not an outcome.

>>> import io
>>> quiet = Progress(io.StringIO())   # not a terminal: nothing is written
>>> quiet("reading facts"); quiet.stream.getvalue()
''
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TextIO

from selfbuild_rules.internal.i18n import _

__all__ = ["Progress"]

_CLEAR = "\r\x1b[K"


class Progress:
    """One status line, rewritten in place; :meth:`done` clears it."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.shown = False
        self.started = time.monotonic()

    def __call__(self, text: str) -> None:
        if not self.enabled:
            return
        seconds = time.monotonic() - self.started
        with contextlib.suppress(OSError, ValueError):  # a terminal hung up: never mind
            self.stream.write(f"{_CLEAR}selfbuild-rules: {text} ({seconds:.1f} s)")
            self.stream.flush()
            self.shown = True

    def records(self, count: int) -> None:
        """Report how many records have been read so far."""
        self(_("reading facts: {count} records").format(count=f"{count:,}"))

    def done(self) -> None:
        """Clear the status line (if one was shown)."""
        if self.shown:
            self.shown = False
            with contextlib.suppress(OSError, ValueError):  # it may be gone (SIGHUP)
                self.stream.write(_CLEAR)
                self.stream.flush()
