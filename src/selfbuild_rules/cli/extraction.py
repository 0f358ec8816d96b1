"""A Babel extraction method for the command line (``locale/babel.cfg``), so that one
``pybabel extract`` gives every message of the catalog.

Run on ``cli/main.py``, it gives that file's marked messages, as Babel's Python method
finds them, and every help string of the parser ``build_parser()`` builds: they are
plain English in the source and told from the catalog when the help is printed
(:mod:`selfbuild_rules.cli.language`), so no marker finds them.

>>> import io
>>> found = [m for _line, _f, m, _c in extract(io.BytesIO(b"_('x')"), ["_"], [], {})]
>>> found[0], "evaluate a facts file for a period" in found
('x', True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from selfbuild_rules.cli.language import help_texts
from selfbuild_rules.cli.parser import build_parser

__all__ = ["extract"]


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's ``(line, function, message, comments)`` for each message found."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in dict.fromkeys(help_texts(build_parser())):
        yield 0, None, text, []
