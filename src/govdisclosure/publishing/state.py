"""The state store and the ledger: one SQLite file in the output root.

``records`` holds, per target and record, the content hash, the digest of the source it
was computed from (so an unchanged source is not hashed again), the first and last
publication times, the instant of the last publication of a new revision (``revised``;
NULL while the first revision is the only one published, so that an edit published at
the very instant of the first publication still counts) and whether the target's output
leaves the record out (``hidden``: a kiosk lists only some categories of disclosure);
``files`` the hash of every output file
(so unchanged bytes are never rewritten); ``ledger`` the append-only, hash-chained receipts
of every publication; ``outbox`` the deliveries a target queued and has not delivered yet
(see ``outbox.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import LedgerError, PublishError
from .outbox import Delivery, Queued, pending
from .protocol import RecordKey, StateRow

__all__ = ["GENESIS", "Receipt", "StateStore", "first_published", "lost_ledger",
           "publication_times", "publications", "state_path"]

GENESIS = "0" * 64
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    target TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL,
    first_published TEXT NOT NULL, last_published TEXT NOT NULL, source BLOB,
    hidden INTEGER NOT NULL DEFAULT 0, revised TEXT,
    PRIMARY KEY (target, type, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    target TEXT NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (target, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL,
    id TEXT NOT NULL, revision_hash TEXT NOT NULL, action TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_record ON ledger (type, id);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, channel TEXT NOT NULL,
    key TEXT NOT NULL, body BLOB NOT NULL, queued TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, subject TEXT,
    first_attempt TEXT, last_attempt TEXT, UNIQUE (target, channel, key));
"""


def state_path(out: Path) -> Path:
    """Where the state store of an output root lives."""
    return out / ".govdisclosure" / "state.sqlite"


def _empty(path: Path) -> bool:
    """Whether the state store at ``path`` is missing or holds nothing (0 bytes)."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _holds_output(out: Path) -> bool:
    """Whether the output root ``out`` holds published output: a target's folder, or a
    release of one."""
    try:
        return any(not entry.name.startswith(".") for entry in out.iterdir()) or any(
            (out / ".govdisclosure" / "releases").iterdir())
    except OSError:  # no such folder
        return False


def lost_ledger(path: Path) -> str | None:
    """Why the ledger of the state store at ``path`` is lost, or None: the store is
    missing or empty (0 bytes) while its output root holds published output."""
    out = path.parent.parent
    if not _empty(path) or not _holds_output(out):
        return None
    state = "missing" if not path.exists() else "empty (0 bytes)"
    return (f"the state store {path} is {state}, but {out} holds published output: the "
            "ledger of its publications is lost (restore the file from a backup)")


def first_published(out: Path) -> dict[RecordKey, dt.datetime]:
    """``(type, id) ->`` first publication, from the ledger of the output root ``out``.

    Raises:
        LedgerError: nothing was ever published into ``out``.
    """
    with StateStore(state_path(Path(out)), create=False) as store:
        return store.first_published()


def publication_times(path: Path, target: str, *, revised: bool = False
                      ) -> dict[RecordKey, tuple[dt.datetime, dt.datetime]]:
    """``(type, id) -> (first, last)`` publication of each record ``target`` shows (with
    ``revised``, of those it published a new revision of since their first publication),
    from the state store at ``path`` ({} where there is none). Opens a read-only
    connection of its own, so that a forked worker may call it (a connection must not
    cross a fork)."""
    if not path.is_file():
        return {}
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _times(db, target, revised=revised)
    finally:
        db.close()


def _times(db: sqlite3.Connection, target: str, *, revised: bool = False
           ) -> dict[RecordKey, tuple[dt.datetime, dt.datetime]]:
    """:func:`publication_times` over an open connection: the records the target's output
    leaves out (``hidden``) were never published there, whatever their rows' times."""
    columns = _columns(db)
    query = _SHOWN_TIMES if "hidden" in columns else _TIMES
    if revised:  # a store without the column (read-only: a dry run's) tells by the times
        query += f" AND {_REVISED if 'revised' in columns else _REVISED_BEFORE}"
    rows = db.execute(query, (target,))
    return {(kind, ident): (dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last))
            for kind, ident, first, last in rows}


_TIMES = ("SELECT type, id, first_published, last_published FROM records "
          "WHERE target = ?")
_SHOWN_TIMES = _TIMES + " AND NOT hidden"
_REVISED = "revised IS NOT NULL"
#: What ``revised`` is filled from in a store written before it existed.
_REVISED_BEFORE = "last_published != first_published"
#: Records whose times :meth:`StateStore.publication_times` looks up one by one, at most.
_ONE_BY_ONE = 10_000


def _columns(db: sqlite3.Connection) -> set[str]:
    """The columns of the ``records`` table (a store written before ``hidden`` or
    ``revised`` existed and opened read-only, by a dry run, lacks them)."""
    return {row[1] for row in db.execute("PRAGMA table_info(records)")}


def publications(out: Path, audience: str | None = None) -> dict[RecordKey, list[dt.datetime]]:
    """``(type, id) ->`` every publication of new content (first or updated), in time
    order, from the ledger of the output root ``out``.

    Args:
        out: the output root.
        audience: the audience the output must serve, if it matters (the audit wants
            publication to the public: an internal output proves none).

    Raises:
        LedgerError: nothing was ever published into ``out``, or it serves another
            audience.
    """
    with StateStore(state_path(Path(out)), create=False) as store:
        served = store.get_meta("audience")
        if audience is not None and served is not None and served != audience:
            raise LedgerError(f"{out} holds {served!r} output, not {audience!r}: publish the "
                              f"{audience!r} audience there, or name another output")
        return store.publications()


@attrs.frozen(kw_only=True)
class Receipt:
    """One ledger row: proof that a record was published somewhere at some time."""

    seq: int
    at: str
    target: str
    type: str
    id: str
    revision_hash: str
    action: str
    prev_hash: str
    hash: str

    @staticmethod
    def digest(seq: int, at: str, target: str, type_: str, ident: str, revision: str,
               action: str, prev: str) -> str:
        """The hash of a receipt: sha256 over its fields and the previous hash."""
        payload = json.dumps([seq, at, target, type_, ident, revision, action, prev],
                             ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _immutable(path: Path) -> sqlite3.Connection:
    """A connection that only reads the store at ``path``, as a file that cannot change:
    no write, no WAL or lock file beside it, not even its folder's modification time.

    Raises:
        PublishError: it cannot be read as a state store.
    """
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        db.execute("SELECT count(*) FROM meta").fetchone()
    except sqlite3.DatabaseError as exc:
        raise PublishError(f"{path}: the state store is unreadable: {exc}") from exc
    return db


class StateStore:
    """The SQLite state of one output root. Use as a context manager."""

    def __init__(self, path: Path, *, create: bool = True, read_only: bool = False) -> None:
        """Open (or make, with ``create``) the store at ``path``; ``read_only`` (a dry run)
        opens an existing one as immutable: no write, no WAL or lock file beside it, not
        even its folder's modification time changes."""
        if read_only:
            self.db = _immutable(path)
            self.restarted, self.path = False, path
            return
        lost = lost_ledger(path)
        if not create and lost is not None:
            raise LedgerError(lost)
        if not create and _empty(path):
            raise LedgerError(f"no state store at {path}: nothing was published there")
        #: the ledger starts anew here while published output exists (see :meth:`verify`)
        self.restarted = lost is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            columns = _columns(self.db)
            if "source" not in columns:  # a store written before source digests were kept
                self.db.execute("ALTER TABLE records ADD COLUMN source BLOB")
            if "hidden" not in columns:  # before outputs said which records they leave out
                self.db.execute("ALTER TABLE records ADD COLUMN hidden INTEGER NOT NULL "
                                "DEFAULT 0")
            if "revised" not in columns:  # before an edit at the first instant was told;
                # one transaction: a store left with the column unfilled would forget edits
                self.db.executescript(
                    "BEGIN IMMEDIATE; ALTER TABLE records ADD COLUMN revised TEXT; "  # noqa: S608
                    f"UPDATE records SET revised = last_published WHERE {_REVISED_BEFORE};"
                    " COMMIT;")
            outbox = {row[1] for row in self.db.execute("PRAGMA table_info(outbox)")}
            # an outbox made before deliveries had subjects, or attempt times
            for column in ("subject", "first_attempt", "last_attempt"):
                if column not in outbox:
                    self.db.execute(f"ALTER TABLE outbox ADD COLUMN {column} TEXT")
            if self.restarted:  # marked for good: verify never again calls the chain whole
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('restarted', ?)",
                                (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),))
        except sqlite3.DatabaseError as exc:
            if create:
                raise PublishError(f"{path}: the state store is unreadable: {exc}") from exc
            # a reader (`ledger verify` in an inquiry) on a read-only copy or mount, where
            # SQLite cannot make the files it reads a WAL database with: read it as it is,
            # unless receipts wait in its write-ahead log, which that reading would miss
            wal = path.with_name(f"{path.name}-wal")
            if wal.is_file() and wal.stat().st_size:
                raise PublishError(
                    f"{path}: the state store cannot be opened ({exc}), and its latest "
                    f"receipts are still in {wal.name}, which only a writable copy applies: "
                    "copy the output folder where it can be written") from exc
            self.db = _immutable(path)
        if create:  # publishing: the ledger's readers (create=False) only read
            self._check_writable(path)
        self.path = path

    def _check_writable(self, path: Path) -> None:
        """Refuse a store that cannot be written (a read-only file, a full disk) now,
        before any output is switched: a release switched without its receipts would be
        public with nothing in the ledger to prove when. The probe write is rolled back:
        the file does not change."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('writable', '')")
            finally:
                self.db.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise PublishError(f"{path}: the state store cannot be written: {exc}; nothing "
                               "was published") from exc

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    # -- settings ----------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A stored setting (``audience``, ``config:<target>``)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- records and files -------------------------------------------------------------------

    def record_state(self, target: str) -> dict[RecordKey, StateRow]:
        """``(type, id) -> (hash, source digest)`` as last published to ``target``."""
        rows = self.db.execute("SELECT type, id, hash, source FROM records WHERE target = ?",
                               (target,))
        return {(kind, ident): (digest, source) for kind, ident, digest, source in rows}

    def hidden(self, target: str) -> set[RecordKey]:
        """``(type, id)`` of the records ``target`` tracks and its output leaves out."""
        if "hidden" not in _columns(self.db):
            return set()
        rows = self.db.execute("SELECT type, id FROM records WHERE target = ? AND hidden",
                               (target,))
        return set(rows.fetchall())

    def publication_times(self, target: str, *, revised: bool = False,
                          keys: Iterable[RecordKey] | None = None,
                          ) -> dict[RecordKey, tuple[dt.datetime, dt.datetime]]:
        """:func:`publication_times` through this store's connection (a dry run's, which
        opens no other); with ``keys``, of those records only (looked up one by one, as
        long as that is faster than reading every row: 15 us a key, 0.2 s for 100k rows)."""
        if keys is None:
            return _times(self.db, target, revised=revised)
        keys = list(keys)
        if len(keys) > _ONE_BY_ONE:
            every = _times(self.db, target)
            return {key: every[key] for key in keys if key in every}
        query = ((_SHOWN_TIMES if "hidden" in _columns(self.db) else _TIMES)
                 + " AND type = ? AND id = ?")
        found = {}
        for kind, ident in keys:
            row = self.db.execute(query, (target, kind, ident)).fetchone()
            if row is not None:
                found[kind, ident] = (dt.datetime.fromisoformat(row[2]),
                                      dt.datetime.fromisoformat(row[3]))
        return found

    def file_hashes(self, target: str) -> dict[str, str]:
        """``path -> sha256`` of every file last written for ``target``."""
        rows = self.db.execute("SELECT path, hash FROM files WHERE target = ?", (target,))
        return dict(rows.fetchall())

    def pending_deliveries(self, target: str) -> int:
        """How many deliveries ``target`` queued that are not delivered yet (its outbox)."""
        row = self.db.execute("SELECT count(*) FROM outbox WHERE target = ?",
                              (target,)).fetchone()
        return int(row[0])

    def deliveries(self, target: str) -> list[Delivery]:
        """The deliveries ``target`` queued that are not delivered yet, oldest first."""
        return pending(self.db, target)

    def first_published(self) -> dict[RecordKey, dt.datetime]:
        """``(type, id) ->`` the earliest publication anywhere (for the audit).

        Compared as instants: receipts keep each run's ``as_of`` with its own UTC offset,
        so the text of a later instant can sort first (``16:30Z`` before ``23:00+08:00``).
        """
        return {key: times[0] for key, times in self.publications().items()}

    def publications(self) -> dict[RecordKey, list[dt.datetime]]:
        """``(type, id) ->`` the instants of its ``published`` and ``updated`` receipts
        anywhere, in time order (compared as instants, as :meth:`first_published`)."""
        rows = self.db.execute(
            "SELECT DISTINCT type, id, at FROM ledger WHERE action IN ('published', 'updated')")
        times: dict[RecordKey, list[dt.datetime]] = {}
        for kind, ident, at in rows:
            times.setdefault((kind, ident), []).append(dt.datetime.fromisoformat(at))
        for found in times.values():
            found.sort()
        return times

    def commit_run(
        self,
        *,
        target: str,
        at: str,
        records: Mapping[RecordKey, StateRow],
        removed: Iterable[RecordKey],
        actions: Iterable[tuple[RecordKey, str]],
        files: Mapping[str, str | None],
        meta: dict[str, str],
        replace_files: bool = False,
        outbox: Iterable[Queued] = (),
        hidden: Mapping[RecordKey, bool] | None = None,
    ) -> None:
        """Record one target's run in a single transaction: state, files and receipts.

        Args:
            target: the publisher.
            at: the run's instant (ISO 8601).
            records: ``(type, id) -> (hash, source digest)`` of the records whose row
                may have changed; a row whose hash is the same keeps its last publication.
            removed: the records no longer published.
            actions: ``((type, id), action)`` of the receipts to append, in order.
            files: ``path -> sha256`` of the files written, None for those removed.
            meta: settings to store.
            replace_files: ``files`` is every file of the target, replacing all rows.
            outbox: ``(channel, key, body, subject)`` of the deliveries the run queued, in
                order (a key already pending for its channel is not queued again; one with a
                subject replaces those of its subject pending for its channel).
            hidden: the records whose ``hidden`` flag changes: True when the target's
                output leaves them out from now on, False when it shows them again (their
                publication starts anew: first and last are ``at``).
        """
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for key, value in meta.items():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            # rows are made one at a time: lists of 100k rows took 40 MB at the run's peak
            db.executemany("DELETE FROM records WHERE target=? AND type=? AND id=?",
                           ((target, kind, ident) for kind, ident in removed))
            db.executemany(  # a new source with the same hash is not a new publication
                "INSERT INTO records (target, type, id, hash, first_published, last_published, "
                "source) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, type, id) "
                "DO UPDATE SET source = excluded.source, last_published = CASE "
                "WHEN hash = excluded.hash THEN last_published ELSE excluded.last_published END, "
                "revised = CASE WHEN hash = excluded.hash THEN revised "
                "ELSE excluded.last_published END, hash = excluded.hash",
                ((target, kind, ident, digest, at, at, source)
                 for (kind, ident), (digest, source) in records.items()))
            flags = (hidden or {}).items()
            db.executemany("UPDATE records SET hidden = 1 WHERE target = ? AND type = ? AND "
                           "id = ?", ((target, kind, ident) for (kind, ident), flag in flags
                                      if flag))
            db.executemany("UPDATE records SET hidden = 0, first_published = ?, "
                           "last_published = ?, revised = NULL WHERE target = ? AND "
                           "type = ? AND id = ?",
                           ((at, at, target, kind, ident) for (kind, ident), flag in flags
                            if not flag))
            if replace_files:
                db.execute("DELETE FROM files WHERE target = ?", (target,))
            db.executemany("DELETE FROM files WHERE target = ? AND path = ?",
                           ((target, path) for path, digest in files.items() if digest is None))
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                           ((target, path, digest) for path, digest in files.items()
                            if digest is not None))
            for channel, key, body, subject in outbox:
                if subject is not None:  # only the latest state of a subject is owed
                    db.execute("DELETE FROM outbox WHERE target = ? AND channel = ? AND "
                               "subject = ? AND key != ?", (target, channel, subject, key))
                db.execute("INSERT OR IGNORE INTO outbox (target, channel, key, body, queued, "
                           "subject) VALUES (?, ?, ?, ?, ?, ?)",
                           (target, channel, key, body, at, subject))
            head = self._append(target, at, records, actions)
            if head is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('ledger_head', ?)", (head,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # -- the ledger --------------------------------------------------------------------------

    def _append(self, target: str, at: str,
                records: Mapping[RecordKey, StateRow],
                actions: Iterable[tuple[RecordKey, str]]) -> str | None:
        row = self.db.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
        seq, head = (row[0], row[1]) if row else (0, GENESIS)
        first = seq

        def receipts() -> Iterator[tuple[Any, ...]]:  # one at a time: 100k rows are 25 MB
            nonlocal seq, head
            for (kind, ident), action in actions:
                seq += 1
                revision = records[kind, ident][0] if (kind, ident) in records else ""
                prev, head = head, Receipt.digest(seq, at, target, kind, ident, revision, action,
                                                  head)
                yield (seq, at, target, kind, ident, revision, action, prev, head)

        self.db.executemany("INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", receipts())
        return head if seq > first else None

    def receipts(self, ident: str | None = None) -> Iterator[Receipt]:
        """Every receipt in order, or those of records with id (or ``type:id``) ``ident``."""
        query = "SELECT * FROM ledger"
        args: tuple[Any, ...] = ()
        if ident is not None:
            kind, _, bare = ident.rpartition(":")
            query += " WHERE id = ?" + (" AND type = ?" if kind else "")
            args = (bare, kind) if kind else (bare,)
        for row in self.db.execute(query + " ORDER BY seq", args):
            yield Receipt(seq=row[0], at=row[1], target=row[2], type=row[3], id=row[4],
                          revision_hash=row[5], action=row[6], prev_hash=row[7], hash=row[8])

    def backdated(self) -> list[Receipt]:
        """The first receipt of each run that is dated before a receipt written earlier
        (a run ``--as-of`` a past instant): the chain holds, but such a receipt does not
        prove its time, nor does the audit's ``disclosure.late`` that counts from it."""
        found: list[Receipt] = []
        latest: dt.datetime | None = None
        last_at = None
        for receipt in self.receipts():
            if receipt.at == last_at:
                continue
            last_at = receipt.at
            moment = dt.datetime.fromisoformat(receipt.at)
            if latest is not None and moment < latest:
                found.append(receipt)
            latest = moment if latest is None else max(latest, moment)
        return found

    def latest_receipt(self) -> str | None:
        """The time of the last receipt written, if any."""
        row = self.db.execute("SELECT at FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    def verify(self) -> int:
        """Check the whole hash chain; returns the number of receipts.

        Raises:
            LedgerError: a row was edited, deleted or inserted (names the first bad seq).
        """
        prev, expected_seq, count = GENESIS, 1, 0
        for receipt in self.receipts():
            if receipt.seq != expected_seq:
                raise LedgerError(f"ledger row {expected_seq} is missing (next is {receipt.seq})")
            if receipt.prev_hash != prev:
                raise LedgerError(f"ledger row {receipt.seq} does not follow row {receipt.seq - 1}")
            digest = Receipt.digest(receipt.seq, receipt.at, receipt.target, receipt.type,
                                    receipt.id, receipt.revision_hash, receipt.action, prev)
            if digest != receipt.hash:
                raise LedgerError(f"ledger row {receipt.seq} was altered (hash mismatch)")
            prev, expected_seq, count = receipt.hash, expected_seq + 1, count + 1
        head = self.get_meta("ledger_head")
        if head is not None and head != prev:
            raise LedgerError("the last ledger rows were deleted (head hash mismatch)")
        restarted = self.get_meta("restarted")
        if restarted is not None:
            raise LedgerError(
                f"the ledger was started anew at {restarted}: its state store had been "
                "emptied or deleted while the output root held published output, so the "
                "receipts of earlier publications are lost (the chain of the "
                f"{count} receipts since then is intact)")
        return count
