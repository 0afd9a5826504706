"""What a run's receipts and report counts are about: the records a target's output shows.

ADAPTERS.md: "``ledger show ID`` proves when and where a record was made public", so a
target gives receipts only for the records its output shows. A publisher says which with
its optional ``shows(record_type)`` and ``shown(job)`` (see ``protocol.py``); the state
store keeps, per target and record, whether the output left it out (``hidden``). A
record's receipt follows from what it was and is:

=============================  ===================  ====================
this run                       shown before         not shown before
=============================  ===================  ====================
shown, live, changed           ``updated``          ``published``
shown, live, unchanged         none                 ``published``
shown, withdrawn, changed      ``withdrawn``        ``withdrawn`` (new)
shown, withdrawn, unchanged    none                 (cannot happen)
not shown                      ``removed``          none
gone from the selection        ``removed``          none
=============================  ===================  ====================

"Shown before": tracked by the target and not hidden (a record new to the target was not).
A tombstone is receipted as the output shows it, whether or not the output showed the
record's previous revision: the kiosk lists every withdrawn disclosure, whatever its
category, so a withdrawn budget disclosure it never showed live gets a ``withdrawn``
receipt there, for the notice it shows. A record that failed keeps its
flag and gets no receipt (it is retried next run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from attrs import frozen

from ..model import RECORD_TYPES
from .protocol import Job, RecordKey

__all__ = ["Outcome", "Shown", "settle"]


class _Kinds(dict[str, bool]):
    """Type -> whether the publisher ``shows`` it, asked once per type (a dict lookup per
    record: runs look up every selected record's type), of ``kinds`` at once."""

    def __init__(self, shows: Callable[[str], object] | None, kinds: Iterable[str] = ()
                 ) -> None:
        super().__init__()
        self._shows = shows
        for kind in kinds:
            self.__missing__(kind)

    def __missing__(self, kind: str) -> bool:
        verdict = self[kind] = self._shows is None or bool(self._shows(kind))
        return verdict


class Shown:
    """Which records a target's output shows: its publisher's optional ``shows`` and
    ``shown``. ``shows`` is asked of every record type at once, here, so that the pipeline
    knows where an exception it raises comes from."""

    def __init__(self, publisher: Any) -> None:
        self.kinds = _Kinds(getattr(publisher, "shows", None), RECORD_TYPES)
        self._shown: Callable[[Job], Iterable[RecordKey]] | None = getattr(
            publisher, "shown", None)

    def left_out(self, job: Job, keys: Iterable[RecordKey]) -> set[RecordKey]:
        """The records of ``keys``, of types the publisher shows, that its output for
        ``job`` leaves out (its ``shown``; none without it)."""
        if self._shown is None:
            return set()
        kept = self._shown(job)
        if not isinstance(kept, AbstractSet):
            kept = set(kept)
        kinds = self.kinds
        return {key for key in keys if key not in kept and kinds[key[0]]}

    def count(self, keys: Iterable[RecordKey], hidden: AbstractSet[RecordKey]) -> int:
        """How many of ``keys`` the output shows, given the records it leaves out."""
        kinds = self.kinds
        return sum(1 for key in keys if kinds[key[0]] and key not in hidden)


@frozen(kw_only=True)
class Outcome:
    """A target's receipts of a run and what the report counts of them."""

    #: ``((type, id), action)`` of each receipt, in key order, those of ``removed`` last
    actions: list[tuple[RecordKey, str]]
    #: the state store's ``hidden`` flags that change (True: left out from now on)
    hidden: dict[RecordKey, bool]
    written: int
    withdrawn: int
    removed: int
    unchanged: int


def settle(shown: Shown, *, keys: Iterable[RecordKey], changed: AbstractSet[RecordKey],
           removed: AbstractSet[RecordKey], stones: AbstractSet[RecordKey],
           known: Mapping[RecordKey, object], before: AbstractSet[RecordKey],
           left_out: AbstractSet[RecordKey], failed: AbstractSet[RecordKey] = frozenset(),
           lost: AbstractSet[RecordKey] = frozenset()) -> Outcome:
    """The receipts of a run (see the module docstring).

    Args:
        shown: the publisher's verdicts.
        keys: every selected record (records and tombstones).
        changed: the records new or changed since the target's last run.
        removed: the records gone from the selection since then.
        stones: the selected tombstones.
        known: the target's state rows before the run.
        before: the records the state says the output left out.
        left_out: those the output leaves out in this run (:meth:`Shown.left_out`).
        failed: the records the publisher failed (they keep their state).
        lost: failed records a full run unpublished (they get a ``removed`` receipt).
    """
    kinds = shown.kinds
    selected = keys if isinstance(keys, AbstractSet) else set(keys)
    # a tombstone is receipted as the output shows it, whether or not its record was
    hidden = (set(left_out) - failed) | (before & failed)
    flips = {key for key in (hidden ^ before) & selected if kinds[key[0]]} - failed
    actions = []
    for key in sorted((changed - failed) | flips):
        if kinds[key[0]]:
            action = _action(key in stones, key in changed,
                             was=key in known and key not in before, now=key not in hidden)
            if action is not None:
                actions.append((key, action))
    actions += [(key, "removed") for key in sorted(removed | lost)
                if kinds[key[0]] and key not in before]
    done = {key for key, _ in actions}
    return Outcome(
        actions=actions, hidden={key: key in hidden for key in flips},
        written=sum(1 for _, action in actions if action in ("published", "updated")),
        withdrawn=sum(1 for _, action in actions if action == "withdrawn"),
        removed=sum(1 for key, action in actions if action == "removed" and key not in lost),
        unchanged=shown.count((key for key in selected if key not in done
                               and key not in failed), hidden))


def _action(stone: bool, changed: bool, *, was: bool, now: bool) -> str | None:
    """The receipt of a selected record: shown before (``was``) and now (``now``)."""
    if not now:
        return "removed" if was else None
    if stone:
        return "withdrawn" if changed else None
    if not was:
        return "published"
    return "updated" if changed else None
