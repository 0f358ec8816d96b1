"""Messages in the reader's language: the one place that looks text up in the catalogs.

The catalogs are gettext's: ``locale/zh_CN/LC_MESSAGES/selfbuild_rules.po`` (the
source, committed) and the ``.mo`` compiled from it, shipped in the package and read
by the standard library's :mod:`gettext`. A message id *is* its English text, so
English needs no catalog and reads exactly as the source says.

The language is a context variable, set by a front door (the command line) with
:func:`use`; everything else speaks English, the service's machine-readable JSON
included. :func:`_` looks a message up; :func:`N_` only marks one for extraction
where it is made in English and told later (a facts problem, say), and
:func:`translated` finds its template again when it is told.

>>> with use("zh"):
...     print(_("reading facts"))
...     print(translated("2018-02-30 is not a date"))
读取事实
2018-02-30 不是日期
>>> print(_("reading facts"))
reading facts
>>> chosen(None, {"LANG": "zh_CN.UTF-8"}), chosen(None, {"LANG": "zh_CN.UTF-8",
...     "SELFBUILD_LANG": "en"}), chosen("zh", {"SELFBUILD_LANG": "en"})
('zh', 'en', 'zh')
"""

from __future__ import annotations

import contextlib
import gettext
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "KINDS",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "SYSTEM_REASONS",
    "_",
    "catalog",
    "chosen",
    "language",
    "ngettext",
    "translated",
    "use",
]

DOMAIN = "selfbuild_rules"
#: The languages the messages come in; the first is the default and the source.
LANGUAGES = ("en", "zh")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The catalog folder of each language other than English (gettext's locale names).
_FOLDER = {"zh": "zh_CN"}
#: Where the language is read from when none is given, first found first.
_ENVIRONMENT = ("SELFBUILD_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

_language: ContextVar[str] = ContextVar("selfbuild_rules_language", default="en")


def language() -> str:
    """The language messages are told in here and now (``en`` unless :func:`use` says)."""
    return _language.get()


@contextlib.contextmanager
def use(lang: str) -> Iterator[None]:
    """Tell messages in ``lang`` inside the block."""
    if lang not in LANGUAGES:
        raise ValueError(f"{lang!r}: use one of {', '.join(LANGUAGES)}")
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


def _spoken(value: str) -> str:
    # zh, zh_CN.UTF-8, zh_TW, zh-Hans: Chinese; C, POSIX, en_US, anything else: English.
    return "zh" if value.strip().lower().startswith("zh") else "en"


def chosen(given: str | None, environ: Mapping[str, str]) -> str:
    """The language to speak: ``given`` (``--lang``), else ``SELFBUILD_LANG``, else the
    locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as POSIX orders them); the first
    that is set and not empty decides, ``zh…`` meaning Chinese; else English."""
    if given:
        return _spoken(given)
    for name in _ENVIRONMENT:
        value = environ.get(name, "")
        if value.strip():
            return _spoken(value)
    return LANGUAGES[0]


@cache
def catalog(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The messages of ``domain`` in ``lang``. English has none to look up; a missing
    catalog of another language is a broken installation, and says so."""
    if lang == LANGUAGES[0]:
        return gettext.NullTranslations()
    return gettext.translation(domain, LOCALE_DIR, languages=[_FOLDER[lang]])


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (it is told later)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (as it is, where the catalog lacks it)."""
    return catalog(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for ``count``, in the current language."""
    return catalog(_language.get()).ngettext(singular, plural, count)


_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _templates(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The catalog's messages with ``{fields}``, as patterns that find the fields again in
    the English text made from them; the longer the fixed text, the sooner tried."""
    messages: dict[object, str] = getattr(catalog(lang), "_catalog", {})
    found = []
    for msgid, msgstr in messages.items():
        if not isinstance(msgid, str) or not _FIELD.search(msgid):
            continue  # plural forms are keyed by (msgid, n): told by ngettext only
        pattern, seen, at = [], set(), 0
        for match in _FIELD.finditer(msgid):
            name = match.group(1)
            pattern.append(re.escape(msgid[at : match.start()]))
            pattern.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
            at = match.end()
        pattern.append(re.escape(msgid[at:]))
        fixed = len(_FIELD.sub("", msgid))
        found.append((fixed, re.compile("".join(pattern), re.DOTALL), msgstr))
    found.sort(key=lambda entry: -entry[0])
    return tuple((pattern, msgstr) for _fixed, pattern, msgstr in found)


def translated(text: str) -> str:
    """English ``text`` made elsewhere, in the current language: the catalog's entry for
    the whole text, or for the ``{field}`` template it was made from (:func:`N_`), its
    fields (paths, values) kept as they are; or, for ``name: message``, the name as it
    is and the message told; else the text as it is."""
    lang = _language.get()
    if lang == LANGUAGES[0]:
        return text
    whole = catalog(lang).gettext(text)
    if whole != text:
        return whole
    for pattern, msgstr in _templates(lang):
        match = pattern.fullmatch(text)
        if match:
            fields = {k: _field(k, v) for k, v in match.groupdict().items()}
            return msgstr.format(**fields)
    where, colon, rest = text.partition(": ")
    if colon and rest:  # a message after what it is about (a name, an option): kept
        told = translated(rest)
        return f"{where}: {told}" if told != rest else text
    return text


#: Template fields that hold text of ours rather than of the input, and are told too:
#: a message made the same way (``not valid JSON: {reason}``), or a word (``{label}``).
_MESSAGES, _WORDS = frozenset({"message", "reason", "position"}), frozenset({"label", "what"})
#: What our code writes in place of a value it will not show: its type (``a str``, ``an
#: int``) or a kind (``a larger number``). A value as written is quoted, so never matches.
_KIND = re.compile(r"an? [A-Za-z_][\w ]*")
#: The kinds the catalog has; another class (``a Decimal``) is told by :data:`_TYPE`.
KINDS = (
    N_("a str"), N_("a bool"), N_("an int"), N_("a float"), N_("a list"), N_("a tuple"),
    N_("a dict"), N_("a NoneType"), N_("a date"), N_("a datetime"), N_("a set"),
    N_("a number"), N_("a string"), N_("an object"), N_("an empty list"),
    N_("a larger number"),
)  # fmt: skip
_TYPE = N_("a value of Python type {type}")
#: The system's reasons a file cannot be read or written that come up most (``strerror``,
#: English: Python leaves the C locale alone); told as a ``{reason}``, any other as it is.
SYSTEM_REASONS = (
    N_("No such file or directory"), N_("Permission denied"), N_("Is a directory"),
    N_("Not a directory"), N_("File exists"), N_("No space left on device"),
    N_("Read-only file system"),
)  # fmt: skip


def _field(name: str, value: str) -> str:
    if name in _MESSAGES:
        return translated(value)
    if name in _WORDS:
        return catalog(_language.get()).gettext(value)
    where, colon, rest = value.rpartition(": ")  # a name before it (a parameter's): kept
    if _KIND.fullmatch(rest):
        return f"{where}{colon}{_kind(rest)}"
    return value  # a path, an id, a value from the input: as written


def _kind(text: str) -> str:
    """A kind the catalog has; or a class of someone else's (``a Decimal``): a capital
    letter, as no bare word of the input could pass for (those are quoted); else as is."""
    told = catalog(_language.get()).gettext(text)
    name = text.partition(" ")[2]
    if told != text or not re.fullmatch(r"[A-Z]\w*", name):
        return told
    return catalog(_language.get()).gettext(_TYPE).format(type=name)
