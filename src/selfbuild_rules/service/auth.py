"""Bearer tokens read from a file; only their SHA-256 digests are kept in memory.

The file has one ``name token`` per line (``#`` starts a comment). The name is what
the audit log records; the token itself is never kept or written.

>>> tokens = Tokens.parse("# who  token\\nportal s3cret-portal-token\\n")
>>> tokens.name_of("Bearer s3cret-portal-token"), tokens.name_of("Bearer wrong")
('portal', None)
>>> tokens.name_of(None) is None
True
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from pathlib import Path

import attrs

from selfbuild_rules.internal.i18n import N_

__all__ = ["Tokens"]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


@attrs.frozen
class Tokens:
    """The digests of the accepted tokens, each with the name of whoever holds it."""

    names: Mapping[bytes, str]

    @classmethod
    def parse(cls, text: str) -> Tokens:
        """Tokens from the file's text; ``ValueError`` naming the first bad line."""
        names: dict[bytes, str] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2:
                raise ValueError(N_("line {line}: use 'name token'").format(line=number))
            name, token = parts
            if len(token) < 16:  # a short token is guessable: refuse to start
                raise ValueError(
                    N_("line {line}: the token of {name} is under 16 characters").format(
                        line=number, name=name
                    )
                )
            names[_digest(token)] = name
        if not names:
            raise ValueError(N_("no tokens in the file"))
        return cls(names)

    @classmethod
    def read(cls, path: str) -> Tokens:
        """Tokens from a file; ``ValueError`` with one line when it cannot be used."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(
                N_("cannot read {source}: {reason}").format(source=path, reason=exc.strerror or exc)
            ) from None
        try:
            return cls.parse(text)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None

    def name_of(self, authorization: str | None) -> str | None:
        """The holder's name for an ``Authorization`` header, or ``None``."""
        if authorization is None:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        given = _digest(token.strip())
        found = None
        for digest, name in self.names.items():  # every digest compared: no early exit
            if hmac.compare_digest(digest, given):
                found = name
        return found
