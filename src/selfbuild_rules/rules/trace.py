"""Whether tallies record what they count, for a trace (see :mod:`.tallied`).

Tracing is for audit: a checker recounts a figure by hand from the trace. It costs
nothing when off: the tallies of :mod:`.tallies` read one number (:data:`on`) and,
while it is not zero, work their count out in :mod:`.tallied` instead, recording the
records behind it; :func:`.steps.steps` then walks a condition so made. The engine
turns tracing on only while it works out a rule's obligation a second time, for a
result it traces (see :mod:`selfbuild_rules.engine.trace`). The records of a trace are
loaded only then: a run without tracing never imports them.

>>> from selfbuild_rules.rules.tallies import tally_records
>>> tally_records(["lp-1"], open=False).trace is None
True
>>> with recording():
...     tally_records(["lp-1"], open=False).trace.facts
('lp-1',)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

__all__ = ["on", "recording"]

#: While not zero, tallies record what they count (:func:`recording`); read by every tally.
on = 0
_LOCK = threading.Lock()


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Tallies made inside record what they count. Another thread's tallies made
    meanwhile record too: they count the same, only slower."""
    global on
    with _LOCK:
        on += 1
    try:
        yield
    finally:
        with _LOCK:
            on -= 1
