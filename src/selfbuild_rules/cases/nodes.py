"""Reading YAML with its line numbers: the safe loader's node tree, then plain values.

A case file is composed into nodes (``yaml.compose`` with the safe loader), so each
field can be named with the line it is on; the values under a field are built by the
same safe constructor as ``yaml.safe_load``, except that dates stay texts, as in the
facts (so ``2018-02-30`` is the facts' error to report, not YAML's).

>>> node = compose("a: 1\\nb: 2018-03-01\\n", "x.cases.yaml")
>>> m = Mapping.of(node, "x.cases.yaml", "")
>>> m.line("b"), plain(m.get("b"))
(2, '2018-03-01')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import yaml

from selfbuild_rules.internal.i18n import N_

__all__ = ["CaseFileError", "Mapping", "compose", "fail", "line_of", "plain"]


class CaseFileError(ValueError):
    """A case file cannot be read: which file, line and field, and why (exit status 2).

    >>> str(CaseFileError("a.cases.yaml", 3, "cases[0].period", "missing"))
    'a.cases.yaml:3: cases[0].period: missing'
    """

    def __init__(self, path: str, line: int, field: str, message: str) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        where = f"{path}:{line}: {field}" if field else f"{path}:{line}"
        super().__init__(f"{where}: {message}")


class Loader(yaml.SafeLoader):
    """The safe loader, with no implicit timestamps: a date is the text it is written as."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def fail(path: str, node: yaml.Node, field: str, message: str) -> CaseFileError:
    """The error for ``field`` at ``node`` (returned, for ``raise fail(...)``)."""
    return CaseFileError(path, line_of(node), field, message)


def compose(text: str, path: str) -> yaml.Node:
    """The node tree of one YAML document, read by the safe loader."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = 1 if mark is None else mark.line + 1
        raise CaseFileError(
            path, line, "", N_("not YAML: {error}").format(error=exc.problem or exc)
        ) from None
    except yaml.YAMLError as exc:
        raise CaseFileError(path, 1, "", N_("not YAML: {error}").format(error=exc)) from None
    if node is None:
        raise CaseFileError(path, 1, "", N_("the file is empty"))
    return node


def plain(node: yaml.Node) -> Any:
    """The value under ``node``, as ``yaml.safe_load`` builds it (dates as texts)."""
    loader = Loader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


@attrs.frozen
class Mapping:
    """A YAML mapping's fields by name, each with its node (so its line), keys checked."""

    path: str
    where: str  # the field path of the mapping itself, e.g. ``cases[2]``
    node: yaml.MappingNode
    fields: dict[str, yaml.Node]

    @classmethod
    def of(cls, node: yaml.Node, path: str, where: str) -> Mapping:
        """The mapping at ``node``: an error unless it is one, with text keys given once."""
        if not isinstance(node, yaml.MappingNode):
            raise fail(path, node, where or "document", N_("must be a mapping"))
        fields: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = plain(key) if isinstance(key, yaml.ScalarNode) else None
            if not isinstance(name, str):
                raise fail(path, key, where or "document", N_("keys must be texts"))
            if name in fields:
                raise fail(path, key, _join(where, name), N_("given twice"))
            fields[name] = value
        return cls(path, where, node, fields)

    def field(self, name: str) -> str:
        """The field path of ``name`` in this mapping."""
        return _join(self.where, name)

    def get(self, name: str) -> yaml.Node | None:
        return self.fields.get(name)

    def line(self, name: str) -> int:
        node = self.fields.get(name)
        return line_of(self.node if node is None else node)

    def only(self, allowed: set[str]) -> None:
        """An error naming the first field not in ``allowed``."""
        for name, node in self.fields.items():
            if name not in allowed:
                known = ", ".join(sorted(allowed))
                raise fail(
                    self.path,
                    node,
                    self.field(name),
                    N_("unknown field (known: {known})").format(known=known),
                )

    def fail(self, name: str, message: str) -> CaseFileError:
        node = self.fields.get(name, self.node)
        return fail(self.path, node, self.field(name), message)

    def items(self) -> Iterator[tuple[str, yaml.Node]]:
        return iter(self.fields.items())


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
