"""The SHA-256 of the facts an evaluation read, for a report's provenance.

Of the bytes read, for a file, JSON Lines or a stream (standard input, a request
body): ``sha256sum`` of the same file gives the same digest. A text stream is hashed
as its UTF-8 encoding. Facts given in memory (a dict, or loaded :class:`Facts`) have
no bytes: they are hashed in a canonical encoding (:func:`canonical`), and the digest
says so (``of``).

>>> digest = Digest()
>>> digest.update(b'{"format": "selfbuild-rules.facts/1"}')
>>> found = digest.value()
>>> found.of, found.sha256 == sha256_hex(b'{"format": "selfbuild-rules.facts/1"}')
('bytes', True)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import mmap
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

__all__ = [
    "BYTES",
    "CANONICAL",
    "Digest",
    "FactsDigest",
    "Hashing",
    "canonical",
    "hashed_aside",
    "read_through",
    "sha256_hex",
]

#: ``of`` when the digest is of the bytes read.
BYTES = "bytes"
#: ``of`` when the digest is of the canonical encoding of facts given in memory.
CANONICAL = "canonical-json"


def sha256_hex(data: bytes | bytearray | memoryview) -> str:
    """The SHA-256 of ``data`` in hexadecimal, as ``sha256sum`` prints it: the one
    function the command line, the API and the service hash facts with.

    >>> sha256_hex(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in facts")


def canonical(document: Mapping[str, Any]) -> bytes:
    """Facts given as a dict, encoded canonically: keys sorted, no spaces, UTF-8 as
    is (dates, if any, as ``YYYY-MM-DD``). The same bytes as ``json.dumps(document,
    sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")``.

    >>> canonical({"b": 1, "a": "班子"}).decode()
    '{"a":"班子","b":1}'
    """
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    return text.encode("utf-8", "surrogatepass")


@attrs.frozen
class FactsDigest:
    """The SHA-256 of the facts (hexadecimal), and what it is of: ``"bytes"`` (the bytes
    read) or ``"canonical-json"`` (facts given in memory, see :func:`canonical`).

    >>> FactsDigest.of_document({"a": 1}).of
    'canonical-json'
    """

    sha256: str
    of: str = BYTES

    @classmethod
    def of_document(cls, document: Mapping[str, Any]) -> FactsDigest:
        """The digest of facts given as a dict (or dumped from :class:`Facts`)."""
        return cls(sha256_hex(canonical(document)), CANONICAL)


class Digest:
    """A SHA-256 being made while facts are read: the loader feeds it what it reads.

    >>> d = Digest()
    >>> d.document({"a": 1})
    >>> d.value() == FactsDigest.of_document({"a": 1})
    True
    """

    __slots__ = ("_hash", "_of")

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._of = BYTES

    def update(self, data: bytes | bytearray | memoryview | mmap.mmap | str) -> None:
        """Add bytes read (text is added as its UTF-8 encoding)."""
        self._hash.update(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)

    def document(self, document: Mapping[str, Any]) -> None:
        """The facts were given as a dict: the digest is of its canonical encoding."""
        self._hash = hashlib.sha256(canonical(document))
        self._of = CANONICAL

    def value(self) -> FactsDigest:
        """The digest of everything added."""
        return FactsDigest(self._hash.hexdigest(), self._of)


@contextlib.contextmanager
def hashed_aside(digest: Digest | None, data: bytes | memoryview | mmap.mmap) -> Iterator[None]:
    """``digest`` fed ``data`` on another thread while the block runs (and done when it
    ends): hashlib lets go of the interpreter lock for large buffers, so on a second
    core the digest costs no time (0.05 s a 100 MB file).

    >>> d = Digest()
    >>> with hashed_aside(d, b"{}"):
    ...     pass
    >>> d.value().sha256 == sha256_hex(b"{}")
    True
    """
    if digest is None:
        yield
        return
    hashing = threading.Thread(target=digest.update, args=(data,))
    hashing.start()
    try:
        yield
    finally:
        hashing.join()


class Hashing:
    """A stream that adds what is read from it to a :class:`Digest`.

    >>> import io
    >>> d = Digest()
    >>> Hashing(io.BytesIO(b"abc"), d).read(2), d.value().sha256 == sha256_hex(b"ab")
    (b'ab', True)
    """

    __slots__ = ("_digest", "_stream")

    def __init__(self, stream: IO[bytes] | IO[str], digest: Digest) -> None:
        self._stream, self._digest = stream, digest

    def read(self, size: int = -1) -> Any:
        """Read as the stream does, hashing what comes."""
        data = self._stream.read(size)
        self._digest.update(data)
        return data


def read_through(source: Any, digest: Digest | None) -> Any:
    """``source`` (a stream, or an iterable of JSON lines) read through ``digest``, if
    there is one: what is read is hashed as it is read.

    >>> d = Digest()
    >>> list(read_through(["a\\n", "b\\n"], d)), d.value().sha256 == sha256_hex(b"a\\nb\\n")
    (['a\\n', 'b\\n'], True)
    """
    if digest is None:
        return source
    if hasattr(source, "read"):
        return Hashing(source, digest)
    return _each_hashed(source, digest)


def _each_hashed(lines: Iterable[Any], digest: Digest) -> Iterator[Any]:
    for line in lines:
        digest.update(line)
        yield line
