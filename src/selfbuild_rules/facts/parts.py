"""One JSON document read in parts, for worker processes that each evaluate some members.

Loading a large document is the one step of ``--jobs N`` no worker could share: a
million records take about as long to load as ``json.load`` takes to parse them. Read
in parts, the main process takes only the top of the document (:func:`split`): the
team, the members and every category no member owns, whole and checked; each worker
then takes what its members own (:func:`take`). A worker still decodes every record of
those categories (a document groups records by category, not by member: there is no
other way to find its own), so msgspec checks every field of every record in each;
it counts the keys of its share of the batches, keeps every id to check them unique,
and fills in, converts and cross-checks only its own members' records.

Together the parts are as strict as the whole: the facts are right exactly when the
main process and every worker take them. When one does not, nothing is lost but time:
the caller loads the document whole, the way that names every problem.

Records a process has not taken stay out of sight: a category its members own is a
:class:`Withheld` tuple there, which, once :meth:`~Withheld.seal`-ed, refuses to be
read whole (:class:`PartRefused`) — so that a rule that looks past one member's own
records (``ctx.records("research_trips")``) sends the evaluation back to the whole
facts rather than count some members' records as all.

>>> doc = ('{"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},'
...        ' "members": [{"id": "m1", "name": "甲", "post": "mayor",'
...        ' "tenure": {"start": "2017-06-01"}}, {"id": "m2", "name": "乙",'
...        ' "post": "vice_mayor", "tenure": {"start": "2017-06-01"}}],'
...        ' "violations": [{"id": "v1", "member": "m1", "date": "2018-03-01",'
...        ' "kind": "other"}, {"id": "v2", "member": "m2", "date": "2018-04-01",'
...        ' "kind": "other"}]}')
>>> top = split(doc.encode())
>>> len(top.facts.members), isinstance(top.facts.violations, Withheld)
(2, True)
>>> [v.id for v in take(top, frozenset({"m2"}), 0, 2).violations]
['v2']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex, overload

import attrs

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.consistency import consistent, unique_ids
from selfbuild_rules.facts.fastload import FAILED, Pages, Part, categories_of, category
from selfbuild_rules.facts.fastrecords import Shared
from selfbuild_rules.facts.faststructs import one_of
from selfbuild_rules.facts.records import Facts

__all__ = ["OWNED", "PartRefused", "Split", "Withheld", "split", "take"]

#: The categories whose records each belong to one member: the ones read in parts.
OWNED = frozenset(c for c, _f, target, _l, _s in _checks.REFERENCES if target == "members")


class PartRefused(Exception):
    """Some members' records were asked for as if they were all: evaluate the whole facts."""


class Withheld(tuple[Any, ...]):
    """A category's records as one process took them: its own members' (or none).

    Read like any tuple until :meth:`seal` is called (an index is built from them);
    after that, reading it whole raises :class:`PartRefused`. Present either way: a
    category supplied stays supplied (``is not None``), however few records it has here.

    >>> part = Withheld(("v1",))
    >>> list(part), part is not None
    (['v1'], True)
    >>> part.seal()
    >>> list(part)
    Traceback (most recent call last):
    ...
    selfbuild_rules.facts.parts.PartRefused: records of other members asked for
    """

    sealed = False

    def seal(self) -> None:
        """From now on, refuse to be read whole."""
        self.sealed = True

    def _refuse(self) -> None:
        if self.sealed:
            raise PartRefused("records of other members asked for")

    def __iter__(self) -> Iterator[Any]:
        self._refuse()
        return super().__iter__()

    def __len__(self) -> int:
        self._refuse()
        return super().__len__()

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        self._refuse()
        return super().__getitem__(index)

    def __contains__(self, value: object) -> bool:
        self._refuse()
        return super().__contains__(value)


@attrs.frozen
class Split:
    """A document's top, read: the facts without the records members own (each such
    category :class:`Withheld`, empty) and those categories' raw JSON, for :func:`take`."""

    facts: Facts
    raws: dict[str, Any]
    #: The text the raw JSON is part of (a mapped file stays open while it is held).
    data: Any = attrs.field(repr=False)
    #: Lets go of the text's pages read so far (a mapped file's), or does nothing.
    release: Callable[[], None] = attrs.field(default=lambda: None, repr=False)


def split(
    data: Any,
    judgments: _checks.Judgments | None = None,
    release: Callable[[], None] = lambda: None,
) -> Split | None:
    """The top of the JSON document ``data`` (bytes or a mapped file, which must stay
    open while its parts are taken), its own categories checked; ``None`` when the
    document needs the careful path (:func:`selfbuild_rules.load_facts` names why).
    ``release`` lets go of the pages of ``data`` read so far (here and in :func:`take`)."""
    read = categories_of(data, release, OWNED)
    if read is None:
        return None
    team, categories, raws = read
    if categories.get("assessments") and not _checks.assessments_fit(categories, judgments):
        return None
    withheld: dict[str, Any] = {name: Withheld() for name in raws}
    return Split(Facts(team=team, **categories, **withheld), raws, data, release)


def take(split: Split, own: frozenset[str], share: int, of: int) -> Facts | None:
    """The facts as worker ``share`` of ``of`` takes them: the members ``own`` (by id)
    own records of each category, as :class:`Withheld` (not sealed yet); ``None`` when
    anything is not right (then the whole document must be loaded)."""
    members = split.facts.members
    ids = tuple(m.id for m in members)
    literal, every = (one_of(ids) if ids else None), frozenset(ids)
    shared = Shared()
    taken: dict[str, tuple[Any, ...]] = {}
    known: set[str] = set()
    pages = Pages(split.release)
    try:
        for name, raw in split.raws.items():
            part = Part(own, every, share, of)
            found = category(name, raw, literal, len(members), shared, pages, part)
            if found is None or not unique_ids(part.ids):
                return None
            records, _inside, checked = found
            if checked:
                known.add(name)
            taken[name] = tuple(records)
    except FAILED:
        return None
    if not consistent({"members": members, **taken}, frozenset(known)):
        return None
    parts: dict[str, Any] = {name: Withheld(records) for name, records in taken.items()}
    return attrs.evolve(split.facts, **parts)
