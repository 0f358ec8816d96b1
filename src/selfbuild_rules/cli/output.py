"""Writing what a command produced: to stdout, or to a file that appears whole or not at all.

>>> import pathlib, tempfile
>>> target = pathlib.Path(tempfile.mkdtemp()) / "report.json"
>>> write_atomically(iter([b"{", b"}"]), str(target))
>>> target.read_text()
'{}'
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, Protocol, runtime_checkable

__all__ = ["Output", "UsageError", "Writer", "write_atomically"]


class UsageError(Exception):
    """A problem with how the command was called or where it writes (exit status 2)."""


@runtime_checkable
class Writer(Protocol):
    """Output that writes itself (a JSON report being evaluated): ``seekable`` when the
    stream is a file of its own, which it may write at any offset."""

    def write_into(self, stream: BinaryIO, seekable: bool = False) -> None: ...


Output = str | bytes | Iterator[bytes] | Writer


def _pieces(text: str | bytes | Iterator[bytes]) -> Iterator[bytes]:
    if isinstance(text, str):
        yield text.encode("utf-8")
    elif isinstance(text, bytes):
        yield text
    else:
        yield from text


def _write(text: Output, stream: IO[bytes], seekable: bool) -> None:
    if isinstance(text, Writer):
        text.write_into(stream, seekable)  # type: ignore[arg-type]
    else:
        for piece in _pieces(text):
            stream.write(piece)


def write_atomically(text: Output, output: str | None) -> None:
    """Write to stdout, or atomically to ``output`` (a temporary file, then a rename).

    The output may come in pieces (a large JSON report), written as they come.
    """
    if output is None:
        stream: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a replaced sys.stdout without bytes (e.g. in some tests)
            buffer = io.BytesIO()
            _write(text, buffer, seekable=False)
            sys.stdout.write(buffer.getvalue().decode("utf-8"))
        elif isinstance(stream, io.RawIOBase):  # PYTHONUNBUFFERED: sys.stdout.buffer is raw
            # A raw write may write only part of what it is given (to a pipe its reader
            # leaves, say) and say so only in what it returns: buffer it, which writes all.
            sys.stdout.flush()
            with open(os.dup(stream.fileno()), "wb") as whole:
                _write(text, whole, seekable=False)
        else:
            sys.stdout.flush()
            _write(text, stream, seekable=False)  # may be a pipe, or a file opened to append
            stream.flush()
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            _write(text, out, seekable=True)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
        raise
