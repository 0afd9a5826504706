"""The outbox: deliveries a publisher owes to the outside world, kept in the state store.

A publisher that pushes its output somewhere (the ``webhook`` publisher's HTTP endpoints)
queues each delivery with :meth:`Outbox.add` while it renders. The pipeline stores the
queued deliveries in the ``outbox`` table of the state store in the same transaction as
the run's state and receipts, so a delivery exists exactly when the run that made it
committed. Once the new output is live, the publisher's ``after_switch`` reads the
pending deliveries of its target (:meth:`Outbox.pending`, oldest first: what earlier
runs could not deliver comes first) and settles each one: :meth:`Outbox.delivered`
deletes it, :meth:`Outbox.failed` counts the attempts, notes when they were made and keeps
it for the next run, :meth:`Outbox.drop` discards it. Nothing is ever deleted but by the
publisher.

Reads and settlements go through a connection of the outbox's own (a connection must not
cross a fork), opened when first needed and closed by :meth:`Outbox.close`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from attrs import frozen

from ..errors import PublishError

__all__ = ["Delivery", "Outbox", "Queued", "pending"]

#: A delivery queued by a run: ``(channel, key, body, subject)``.
Queued = tuple[str, str, bytes, str | None]
_COLUMNS = ("seq", "channel", "key", "body", "queued", "attempts", "last_error", "subject",
            "first_attempt", "last_attempt")


@frozen(kw_only=True)
class Delivery:
    """One pending delivery of a target.

    Attributes:
        seq: its place in the outbox (deliveries are settled in this order).
        channel: where it goes, as the publisher named it (an endpoint URL).
        key: what identifies it for the receiver (unique per target and channel while
            pending: the same key queued twice is one delivery).
        body: the bytes to deliver.
        queued: the ``as_of`` of the run that queued it (ISO 8601).
        attempts: attempts made so far, in earlier runs or this one.
        last_error: why the last attempt failed, if one did.
        subject: what it is about (``type:id`` of a record), if the publisher said.
        first_attempt: when an attempt at it first failed (UTC, ISO 8601), if one did.
        last_attempt: when an attempt at it last failed (UTC, ISO 8601), if one did.
    """

    seq: int
    channel: str
    key: str
    body: bytes
    queued: str
    attempts: int = 0
    last_error: str | None = None
    subject: str | None = None
    first_attempt: str | None = None
    last_attempt: str | None = None


def pending(db: sqlite3.Connection, target: str) -> list[Delivery]:
    """The deliveries of ``target`` in the state store ``db``, oldest first.

    Raises:
        sqlite3.Error: the store cannot be read.
    """
    rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM outbox "  # noqa: S608 - constants
                      "WHERE target = ? ORDER BY seq", (target,))
    return [Delivery(**dict(zip(_COLUMNS, row, strict=True))) for row in rows]


class Outbox:
    """The outbox of one target (see the module docstring).

    Args:
        path: the state store, or None for a job run without one (a test's): deliveries
            are then only queued, never stored, and nothing is pending.
        target: the publisher whose deliveries these are.
    """

    def __init__(self, path: Path | None, target: str) -> None:
        self.path = path
        self.target = target
        #: what this run queued, in order (stored at its commit)
        self.added: list[Queued] = []
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def add(self, channel: str, key: str, body: bytes, subject: str | None = None) -> None:
        """Queue a delivery; it is stored when the run commits, and is pending from then
        until the publisher settles it (a key already pending for ``channel`` is not
        queued twice).

        Args:
            channel: where it goes.
            key: what identifies it for the receiver.
            body: the bytes to deliver.
            subject: what it is about, e.g. ``type:id`` of a record: a delivery with a
                subject replaces the ones of that subject still pending for ``channel``
                (only the latest state is owed: an older document of a record that has
                since become secret must never go out).
        """
        self.added.append((channel, key, bytes(body), subject))

    def pending(self) -> list[Delivery]:
        """The target's deliveries not yet delivered, oldest first (call it in
        ``after_switch``: deliveries queued by this run are stored by then)."""
        db = self._connection()
        if db is None:
            return []
        try:
            return pending(db, self.target)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def delivered(self, delivery: Delivery) -> None:
        """The receiver took ``delivery``: it leaves the outbox."""
        self._execute("DELETE FROM outbox WHERE target = ? AND seq = ?",
                      (self.target, delivery.seq))

    def drop(self, delivery: Delivery) -> None:
        """Discard ``delivery`` undelivered (its channel is gone): say so in a warning."""
        self.delivered(delivery)

    def failed(self, delivery: Delivery, error: str, attempts: int = 1) -> None:
        """``attempts`` more attempts at ``delivery`` failed, the last with ``error``: it
        stays pending for the next run. They are dated now (UTC); with 0 attempts (none
        could be made), its attempt times stay as they were."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds") if attempts else None
        self._execute("UPDATE outbox SET attempts = attempts + ?, last_error = ?, "
                      "first_attempt = coalesce(first_attempt, ?), "
                      "last_attempt = coalesce(?, last_attempt) WHERE target = ? AND seq = ?",
                      (attempts, error, now, now, self.target, delivery.seq))

    def close(self) -> None:
        """Close the outbox's connection, if it opened one."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _execute(self, sql: str, args: tuple[object, ...]) -> None:
        db = self._connection()
        if db is not None:
            try:
                db.execute(sql, args)
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def _error(self, exc: sqlite3.Error) -> PublishError:
        return PublishError(f"{self.path}: the outbox of {self.target!r} is unusable: {exc}",
                            publisher=self.target)

    def _connection(self) -> sqlite3.Connection | None:
        if self.path is None or not self.path.is_file():
            return None
        if self._db is None or self._pid != os.getpid():  # never a parent's connection
            try:
                self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                self._db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            self._pid = os.getpid()
        return self._db
