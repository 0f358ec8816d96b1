"""Writing what a command produced: to stdout, or to a file that appears whole or not at all.

>>> import pathlib, tempfile
>>> target = pathlib.Path(tempfile.mkdtemp()) / "report.json"
>>> write_atomically(iter([b"{", b"}"]), str(target))
>>> target.read_text()
'{}'
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, Protocol, runtime_checkable

from selfbuild_rules.internal import signals
from selfbuild_rules.internal.i18n import N_, _

__all__ = ["Output", "UsageError", "Writer", "replaceable", "write_atomically"]


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

    The output may come in pieces (a large JSON report), written as they come. What
    ``output`` replaces must be a regular file with one name (:func:`replaceable`),
    whose permissions (and, where this process may, owner and group) the new file
    keeps; a new file's are ``0666`` less the umask, as for any file.
    """
    if output is None:
        _to_stdout(text)
        return
    target = Path(output)
    replaceable(output)  # before the work of writing: and again before the rename
    temporary: str | None = None
    try:
        with signals.held():  # a signal waits until the file is known, to be removed
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as out:
            _write(text, out, seekable=True)
        _take_over(temporary, replaceable(output))
        os.replace(temporary, target)
    except BaseException as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(output, exc.strerror or str(exc)) from None
        raise


def _to_stdout(text: Output) -> None:
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


_KINDS = (
    (stat.S_ISLNK, N_("it is a symbolic link (name the file it points to)")),
    (stat.S_ISDIR, N_("it is a directory (end it with / to write one report per team into it)")),
    (stat.S_ISFIFO, N_("it is a FIFO (to write into it, redirect: > {path})")),
    (stat.S_ISCHR, N_("it is a character device (to write into it, redirect: > {path})")),
    (stat.S_ISBLK, N_("it is a block device")),
    (stat.S_ISSOCK, N_("it is a socket")),
)


def _unwritable(output: str, reason: str) -> UsageError:
    return UsageError(_("cannot write {path}: {reason}").format(path=output, reason=reason))


def replaceable(output: str) -> os.stat_result | None:
    """What is at ``output``, if it may be replaced: nothing (None), or a regular file
    with one name (its status). Anything else is a :class:`UsageError` naming it.

    Renaming onto a symbolic link, a device or a FIFO would replace it with a regular
    file; onto a file with other names (hard links), it would leave them the old report.

    >>> import os, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> replaceable(str(folder / "new.json")) is None
    True
    >>> os.symlink(folder / "new.json", folder / "link.json")
    >>> try:
    ...     replaceable(str(folder / "link.json"))
    ... except UsageError as exc:
    ...     print(str(exc).replace(str(folder), "DIR"))
    cannot write DIR/link.json: it is a symbolic link (name the file it points to)
    """
    try:
        found = os.lstat(output)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unwritable(output, exc.strerror or str(exc)) from None
    for test, kind in _KINDS:
        if test(found.st_mode):
            raise _unwritable(output, _(kind).format(path=output))
    if not stat.S_ISREG(found.st_mode):
        raise _unwritable(output, _("it is not a regular file"))
    if found.st_nlink > 1:
        told = _(
            "it has {count} names (hard links), and replacing it would leave the others "
            "the old report"
        )
        raise _unwritable(output, told.format(count=found.st_nlink))
    return found


def _take_over(temporary: str, replaced: os.stat_result | None) -> None:
    """Give the new file the permissions of the one it replaces (and its owner and
    group, where this process may), or those of any new file."""
    if replaced is None:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        return
    os.chmod(temporary, stat.S_IMODE(replaced.st_mode) & 0o777)  # never set-id bits
    chown = getattr(os, "chown", None)
    if chown is None:  # Windows
        return
    # Only root may give a file away; a member of the group may still keep the group.
    for uid in (replaced.st_uid, -1):
        try:
            chown(temporary, uid, replaced.st_gid)
            return
        except PermissionError:
            continue


def json_text(document: object) -> str:
    """Indented JSON, UTF-8 as is; a lone surrogate (which UTF-8 cannot hold, but a
    problem path may) written as its JSON escape, the only place it can stand."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
