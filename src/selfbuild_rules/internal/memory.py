"""Building millions of objects without the cyclic garbage collector walking them.

Loading and evaluating create many long-lived objects and almost no reference
cycles. The collector would still traverse the growing heap again and again as it
fills (about a quarter of the run time at a million records), so bulk work runs with
it paused; it is restored afterwards, and nested use is safe.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["pause", "paused", "promote"]


def pause() -> None:
    """Pause the collector for good: in a worker process that only evaluates."""
    gc.disable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (reference counting goes on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def promote() -> None:
    """Move every tracked object to the collector's oldest generation, in constant time.

    Made with the collector paused, the records would all be walked by its next run
    (0.1 s a million) only to be moved there. Not done if the program froze objects
    itself: unfreezing would undo that."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
