"""Where a report's law came from: the library, the base regulation and each module,
with the distribution and version that shipped them, the SHA-256 of the facts read and
the parameters the caller set, so a result can be traced (and reproduced) a year later.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": []}
>>> made = sr.evaluate(doc, "2018", "2019-03-01").provenance
>>> from selfbuild_rules.evaluation import base_for
>>> made.regulation.id == base_for().id, made.regulation.distribution, made.modules
(True, 'selfbuild-rules', ())
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import metadata

import attrs

from selfbuild_rules.facts.digest import FactsDigest
from selfbuild_rules.plugins.discovery import Installed
from selfbuild_rules.plugins.law import Law

__all__ = ["LIBRARY", "Origin", "Provenance"]

#: The distribution name of this library.
LIBRARY = "selfbuild-rules"


@functools.cache
def library_version() -> str:
    """This library's installed version (``unknown`` when run from an uninstalled tree)."""
    try:
        return metadata.version(LIBRARY)
    except metadata.PackageNotFoundError:
        return "unknown"


@attrs.frozen
class Origin:
    """A base regulation or module: its id and version, and the distribution that shipped
    it (``None`` for one made in code rather than installed)."""

    id: str
    version: str | None
    distribution: str | None
    distribution_version: str | None


@attrs.frozen
class Provenance:
    """The library's version, the base regulation's origin and each module's, in order;
    the digest of the facts (``None`` when not known), and the names of the parameters
    the caller set (their values are the report's ``parameters``: not repeated here)."""

    library: str
    regulation: Origin
    modules: tuple[Origin, ...]
    facts: FactsDigest | None = None
    overrides: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        law: Law,
        origins: Mapping[str, Installed],
        facts: FactsDigest | None = None,
        overrides: tuple[str, ...] = (),
    ) -> Provenance:
        """The provenance of ``law``: its base and the modules applied, with the
        distributions ``origins`` names (by ``regulation`` and by module id)."""
        return cls(
            f"{LIBRARY} {library_version()}",
            _origin(origins.get("regulation"), law.base.id, law.base.version),
            tuple(_origin(origins.get(m.id), m.id, None) for m in law.applied),
            facts,
            tuple(sorted(overrides)),
        )


def _origin(found: Installed | None, id: str, version: str | None) -> Origin:
    if found is None:
        return Origin(id, version, None, None)
    return Origin(id, version, found.distribution, found.version)
