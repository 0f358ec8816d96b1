"""Text from the facts made safe to show a person: on a terminal, in a log, in a report.

Names, ids, assessors and field names come from whoever wrote the facts. Shown raw,
an escape sequence (``ESC [``, ``ESC ]``) would drive the terminal, a carriage return
or backspace would overwrite what was printed, a newline would forge a whole line (a
fake ``compliant`` result, a fake ``valid:``), and a bidirectional override would
show characters in another order than they are. :func:`printable` writes every such
character as an escape instead, the way Python spells it (``\\x1b``, ``\\n``,
``\\u202e``), and leaves everything else, Chinese included, as it is. Every
human-readable form uses it; JSON output stays faithful (JSON escapes on its own).

>>> printable("成员甲\\n6.integrity  m01  compliant")
'成员甲\\\\n6.integrity  m01  compliant'
>>> printable("\\x1b]0;owned\\x07 \\u202egnp.exe")
'\\\\x1b]0;owned\\\\x07 \\\\u202egnp.exe'
>>> quoted("2018-13"), quoted("x" * 40)
("'2018-13'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'")
"""

from __future__ import annotations

import re

__all__ = ["SHORT", "printable", "printable_lines", "quoted"]

# C0 and C1 controls and DEL; the Arabic letter mark, LRM and RLM; the line and paragraph
# separators; the bidi embeddings and overrides (U+202A–U+202E) and isolates
# (U+2066–U+2069); lone surrogates, which no encoding can write.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

#: How many characters of a bad value an error message quotes: enough for the longest
#: ISO datetime a date field takes (``2018-05-05T10:00:00.000000+08:00``), no more.
SHORT = 32


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control, separator, bidi control and lone surrogate escaped.

    Idempotent: the escapes it writes are plain characters, so escaping again changes
    nothing.
    """
    if _UNSAFE.search(text) is None:  # nearly always: no copy made
        return text
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """Text of several lines with each line made :func:`printable`: its own line breaks
    are kept, any other control is escaped.

    >>> printable_lines("a\\x1b[2J\\nb\\n")
    'a\\\\x1b[2J\\nb\\n'
    """
    return "\n".join(map(printable, text.split("\n")))


def quoted(text: str, limit: int = SHORT) -> str:
    """A bad value as an error message quotes it: ``repr`` of at most ``limit``
    characters (then ``…``), so a message never carries a whole document's worth of
    input, and escaped as :func:`printable` does."""
    shown = repr(text[:limit])
    if len(text) > limit:
        shown = shown[:-1] + "…" + shown[-1]
    return printable(shown)
