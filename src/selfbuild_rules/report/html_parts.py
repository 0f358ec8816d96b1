"""Small pieces every part of the HTML report writes alike: escaping, status badges and
rule headings (the rule's title, its id small beside it).

>>> esc('<b a="1">')
'&lt;b a=&quot;1&quot;&gt;'
>>> cap("needs attention")
'Needs attention'
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Status
from selfbuild_rules.report.view import SYMBOL, label, title

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = ["cap", "esc", "rule_heading", "status_html"]


def esc(value: object) -> str:
    """Text made safe inside an element or a quoted attribute."""
    return escape(str(value), quote=True)


def cap(text: str) -> str:
    """The text with its first letter a capital (Chinese is left as it is)."""
    return text[:1].upper() + text[1:]


def status_html(status: Status, lang: str, short: bool = False) -> str:
    """The status's symbol (hidden from screen readers) and its word."""
    text = label(status, lang, short=short)
    return f'<span class="sym" aria-hidden="true">{SYMBOL[status]}</span> {esc(text)}'


def rule_heading(report: Report, rule: str, lang: str) -> str:
    """The rule's title with its id small beside it (the id alone when it has no title)."""
    name = title(report, rule, lang)
    if name == rule:
        return f"<code>{esc(rule)}</code>"
    return f'<span class="title">{esc(name)}</span> <code class="id">{esc(rule)}</code>'
