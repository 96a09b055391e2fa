"""What loading and schema-validating each file produced, remembered by the file's content;
and what a whole lint run reported, remembered by the content of every file.

- Entry of a file: sha256 of its bytes, its kind, and a fingerprint of everything else that
  decides the result (svccat's version and loading code, the bundled schemas, the YAML and
  JSON Schema libraries, the Python version, `max_file_size`). The content, not the path or
  the modification time, is the key: a file that changes is read again, a file that moves
  or is copied is not, and a clock or a checkout that keeps times cannot fool it. The value
  is the document (data, positions, the text of plain scalars, suppressions), the loading
  problems, the id salvaged from a broken file and the schema problems, marshalled and
  compressed. Problems are stored without their file name and stamped with the file's
  current name on the way out, so a moved file reports its new name.
- Run record: the problems, counts and suppressions of a whole run, keyed by the keys of
  every file with its name, the working directory (problems show paths relative to it),
  the lint settings, the baseline's bytes and a fingerprint of all of svccat's code. A run
  whose key was seen before replays the record without loading anything: the cost of an
  unchanged catalogue is reading and hashing its files.
- Store: one SQLite database per catalogue, `lint/<hash of the catalogue's path>.sqlite`
  under the cache folder. SQLite reads single entries without reading the rest (a run
  with a few changed files) and writes only what changed; entries of files that are gone
  are dropped after a run over the whole catalogue. It does not wait for the disk
  (`synchronous=OFF`): a cache need not outlive a power cut, and waiting made a province's
  first run a quarter slower. svccat stopping mid-write loses nothing stored; a store left
  damaged by a system crash shows as SQLite's error or a wrong checksum (every entry and
  record has one) and is discarded.
- A store that cannot be read, is damaged or was written by another version is discarded
  and rebuilt; a cache that cannot be written is no error. Entries are decoded with
  `marshal`, which trusts its input, and a forged entry could hide problems: a store is
  read only when it is a private file of the user (mode 0600, as svccat creates it; a file
  from a git checkout is 0644), and the cache folder is local to one machine and must not
  be shared with, or writable by, untrusted parties.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import marshal
import os
import sqlite3
import stat
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from svccat import __version__
from svccat.loader import Document, Layout, LoadResult, Marks
from svccat.problems import Problem, Severity, Text
from svccat.resources import schemas_dir
from svccat.suppress import Suppression
from svccat.walk import Stamp

FOLDER = ".svccat-cache"
_FORMAT = 2
# The store's tables (SQLite's user_version): a store of another layout is discarded. 3:
# entries in a rowid table (WITHOUT ROWID is slow for rows of kilobytes, as SQLite says);
# 4: the files' state in a table of its own (svccat.incremental).
_LAYOUT = 4
# Modules whose code decides what loading and validating produce: a change to any of them
# (in a checkout, before the version number moves) makes every entry stale. Run records
# depend on every module (the rules above all): see code_fingerprint.
_MODULES = ("cache.py", "loader.py", "schema.py", "suppress.py", "problems.py")
_PACKAGE = Path(__file__).resolve().parent
_RECORDS_KEPT = 8  # run records: one per combination of settings, paths, working directory

_STATE_INDEXED = ("file", "id", "parent", "implements")
# A file's row of the state: (folder, name, file, kind, size, modification time, inode,
# change time, content key, id, parent, implements); see svccat.incremental.
StateRow = tuple[str, str, str, str, int | None, int | None, int | None, int | None,
                 bytes | None, str | None, str | None, str | None]
# A stored problem: (code, severity, zh, en, line, column, path, item), without the file.
_StoredProblem = tuple[str, str, str, str, int | None, int | None, str, str | None]


def default_folder(settings_file: Path | None, cwd: Path) -> Path:
    """The cache folder: beside the settings file, else in the working directory."""
    return (settings_file.parent if settings_file is not None else cwd) / FOLDER


def fingerprint(max_file_size: int) -> bytes:
    """A digest of everything besides a file's bytes and kind that decides its entry."""
    digest = hashlib.sha256()
    versions = [str(_FORMAT), __version__, sys.implementation.name, sys.version,
                yaml.__version__, str(yaml.__with_libyaml__), str(max_file_size)]
    for distribution in ("jsonschema", "jsonschema-rs"):
        try:
            versions.append(f"{distribution}={importlib.metadata.version(distribution)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{distribution}=none")
    digest.update("\0".join(versions).encode())
    for path in [*(_PACKAGE / name for name in _MODULES),
                 *sorted(schemas_dir().glob("*.schema.json"))]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def code_fingerprint() -> bytes:
    """A digest of all of svccat's code: rules, references, settings, suppressions."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def content_key(salt: bytes, kind: str, raw: bytes) -> bytes:
    return hashlib.sha256(salt + kind.encode() + b"\0" + raw).digest()


def _own_private(status: os.stat_result) -> bool:
    """Whether a store is a private file of this user, as svccat writes it (0600): never one
    that came with a checkout (git writes 0644), e.g. committed in a pull request to make
    lint skip problems, nor one that another user could have written."""
    if not stat.S_ISREG(status.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owner or mode bits to go by
        return True
    return status.st_uid == getuid() and not status.st_mode & 0o077


def store_problems(problems: Iterable[Problem]) -> list[_StoredProblem]:
    return [(p.code, p.severity.value, p.message.zh, p.message.en, p.line, p.column, p.path,
             p.item) for p in problems]


def stored_problems(stored: Iterable[_StoredProblem], file: str) -> list[Problem]:
    return [Problem(code=code, severity=Severity(severity), message=Text(zh, en), file=file,
                    line=line, column=column, path=path, item=item)
            for code, severity, zh, en, line, column, path, item in stored]


def encode(result: LoadResult, schema: list[Problem], file: str) -> bytes | None:
    """A file's entry as bytes (None: not cacheable: a problem about another
    file is not this entry's to replay)."""
    if any(p.file != file for p in [*result.problems, *schema]):
        return None
    loading, checked = store_problems(result.problems), store_problems(schema)
    document = result.document
    if document is None:
        entry: tuple[Any, ...] = (None, b"", b"", b"", {}, [], loading, result.salvaged_id,
                                  checked)
    else:
        suppressions = [(s.line, s.column, s.codes, s.reason, s.target)
                        for s in document.suppressions]
        values, keys = Marks.of(document.values), Marks.of(document.keys)
        layout = values.layout
        if layout is None or keys.layout is not layout:  # not the loader's: named in full
            values, keys, layout = Marks.of(dict(values)), Marks.of(dict(keys)), None
        entry = (document.data, values.encode(), keys.encode(),
                 layout.encode() if layout is not None else b"", document.plain_text,
                 suppressions, loading, result.salvaged_id, checked)
    try:
        # Not compressed as a whole: the positions, most of an entry, already are, and
        # compressing costs the workers more than the bytes cost the store.
        body = marshal.dumps(entry)
        return zlib.crc32(body).to_bytes(4, "big") + body  # damage shows, not wrong problems
    except ValueError:  # a value marshal cannot store
        return None


def decode(blob: bytes, file: str, *, verify: bool = True) -> tuple[LoadResult, list[Problem]]:
    """What `encode` stored, for the file's current name; ValueError if it is damaged.
    `verify=False` skips the checksum, for an entry just made by a worker."""
    if verify and zlib.crc32(blob[4:]) != int.from_bytes(blob[:4], "big"):
        raise ValueError("damaged cache entry")
    try:
        data, values, keys, named, plain_text, suppressions, loading, salvaged, checked = \
            marshal.loads(memoryview(blob)[4:])
        document = None
        if data is not None:
            layout = Layout(encoded=named) if named else None
            document = Document(file, data, Marks(encoded=values, layout=layout),
                                Marks(encoded=keys, layout=layout, keys=True), plain_text,
                                tuple(Suppression(*s) for s in suppressions))
        return (LoadResult(document, stored_problems(loading, file), salvaged),
                stored_problems(checked, file))
    except (EOFError, TypeError, ValueError) as e:
        raise ValueError(f"damaged cache entry: {e}") from e


class LoadCache:
    """The store of one catalogue: entries by content key, run records by run key.

    Every method swallows the store's errors: a cache that fails is a slower run, never a
    failed one. A damaged or foreign store is removed and started afresh."""

    busy_timeout = 10.0  # seconds to wait for another svccat's lock before going without

    def __init__(self, path: Path, *, max_file_size: int) -> None:
        self.path = path
        self.max_file_size = max_file_size
        self.salt = fingerprint(max_file_size)
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._known: set[bytes] | None = None
        self._failures = 0  # errors mid-run (see failed)

    @classmethod
    def for_catalogue(cls, folder: Path, catalogue: Path, *, max_file_size: int) -> LoadCache:
        name = hashlib.sha256(os.fsencode(catalogue.resolve())).hexdigest()[:16]
        return cls(folder / "lint" / f"{name}.sqlite", max_file_size=max_file_size)

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        for _ in range(2):  # a second try after discarding a damaged or foreign store
            try:
                self._db = self._open()
                return self._db
            except sqlite3.OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    return None  # another svccat is writing: no cache this time, nothing lost
                self._discard()
            except (sqlite3.Error, OSError, ValueError):
                self._discard()
        return None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            # Created private before SQLite opens it; SQLite gives its journal the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        else:
            if not _own_private(status):
                raise ValueError("not a private file of this user")
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            (layout,) = db.execute("PRAGMA user_version").fetchone()
            if layout != _LAYOUT:
                if db.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchone() is not None:
                    raise ValueError("a store of another layout")
                db.execute(f"PRAGMA user_version={_LAYOUT}")
            db.execute("CREATE TABLE IF NOT EXISTS meta (salt BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS entries "
                       "(key BLOB PRIMARY KEY, value BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS runs (key BLOB PRIMARY KEY, "
                       "value BLOB NOT NULL, used INTEGER NOT NULL)")
            # The files' state after a full run (svccat.incremental), by the run family (a
            # key of `runs`, whose record holds the rest): each file's stamp, content key
            # and place, indexed for finding an item's neighbours without reading them all.
            db.execute("CREATE TABLE IF NOT EXISTS state (family BLOB NOT NULL, "
                       "folder TEXT NOT NULL, name TEXT NOT NULL, file TEXT NOT NULL, "
                       "kind TEXT NOT NULL, size INTEGER, mtime INTEGER, ino INTEGER, "
                       "ctime INTEGER, key BLOB, id TEXT, parent TEXT, implements TEXT, "
                       "PRIMARY KEY (family, folder, name)) WITHOUT ROWID")
            for column in _STATE_INDEXED:
                db.execute(f"CREATE INDEX IF NOT EXISTS state_{column} ON state "
                           f"(family, {column})")
            row = db.execute("SELECT salt FROM meta").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES (?)", (self.salt,))
            elif row[0] != self.salt:  # another version or other settings: start afresh
                db.execute("BEGIN")
                db.execute("DELETE FROM entries")
                db.execute("DELETE FROM runs")
                db.execute("UPDATE meta SET salt = ?", (self.salt,))
                db.execute("COMMIT")
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def _failed(self, error: BaseException) -> None:
        """A store error mid-run: stop using the store for this run. A damaged store is
        removed (the next run starts afresh); one that is busy (another svccat holding a
        lock too long), read-only or on a full disk is left as it is."""
        self._failures += 1
        if isinstance(error, sqlite3.OperationalError):
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                self._db = None
            return
        self._discard()

    @property
    def failed(self) -> bool:
        """Whether the store opened and then failed this run: what it answered since may be
        short (a query that fails answers nothing), so a result built on it is not sure."""
        return self._failures > 0

    def known_keys(self) -> set[bytes]:
        """The keys of every stored entry (not their values), as when first asked."""
        if self._known is not None:
            return self._known
        db = self._connect()
        if db is None:
            return set()
        try:
            self._known = {key for (key,) in db.execute("SELECT key FROM entries")}
        except sqlite3.Error as error:
            self._failed(error)
            return set()
        return self._known

    def which(self, keys: Iterable[bytes]) -> set[bytes]:
        """Which of these keys the store has."""
        return {row[0] for row in self._rows("key", keys)}

    def writable_path(self) -> str | None:
        """Where workers may add entries (svccat.cache.add_entries), if the store opened."""
        return str(self.path) if self._connect() is not None else None

    def entries(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        """The stored entries of these keys (those there are)."""
        return {key: value for key, value in self._rows("key, value", keys)}

    def _rows(self, columns: str, keys: Iterable[bytes]) -> list[tuple[bytes, ...]]:
        """Rows of the entries with these keys, asked for in batches (SQLite limits the
        parameters of one statement); none when the store fails."""
        db = self._connect()
        if db is None:
            return []
        wanted = list(keys)
        rows: list[tuple[bytes, ...]] = []
        try:
            for start in range(0, len(wanted), 500):
                batch = wanted[start:start + 500]
                marks = ",".join("?" * len(batch))
                rows.extend(db.execute(
                    f"SELECT {columns} FROM entries WHERE key IN ({marks})", batch))
        except sqlite3.Error as error:
            self._failed(error)
            return []
        return rows

    def add(self, pairs: Iterable[tuple[bytes, bytes]]) -> None:
        """Store entries; they are written in one transaction by `commit` (a commit per
        batch of files would cost a disk flush each)."""
        db = self._connect()
        if db is None:
            return
        try:
            if not db.in_transaction:
                db.execute("BEGIN")
            added = list(pairs)
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", added)
            if self._known is not None:
                self._known.update(key for key, _ in added)
        except sqlite3.Error as error:
            self._failed(error)

    def commit(self) -> None:
        if self._db is not None and self._db.in_transaction:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                self._failed(error)

    def keep_only(self, keys: set[bytes]) -> None:
        """Drop the entries of files that are gone (after a run over the whole catalogue)."""
        db = self._connect()
        if db is None:
            return
        try:
            self.commit()
            (count,) = db.execute("SELECT count(*) FROM entries").fetchone()
            if count <= len(keys):
                return
            db.execute("BEGIN")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key BLOB PRIMARY KEY)")
            db.execute("DELETE FROM kept")
            db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in keys))
            db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM kept)")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            self._failed(error)

    def record(self, key: bytes) -> Any:
        """A run record, or None."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM runs WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            with contextlib.suppress(sqlite3.Error):  # a read-only store still replays
                db.execute("UPDATE runs SET used = (SELECT max(used) FROM runs) + 1 "
                           "WHERE key = ?", (key,))
            blob = row[0]
            if blob[:1] == b"z":  # zlib checks what it inflates
                return marshal.loads(zlib.decompress(blob[1:]))
            if zlib.crc32(blob[5:]) != int.from_bytes(blob[1:5], "big"):
                raise ValueError("damaged run record")
            return marshal.loads(memoryview(blob)[5:])
        except (sqlite3.Error, EOFError, ValueError, TypeError, zlib.error) as error:
            self._failed(error)
            return None

    def add_record(self, key: bytes, value: Any, *, compress: bool = True,
                   state: Iterable[StateRow] | None = None,
                   restamped: Iterable[tuple[str, str, Stamp]] | None = None) -> None:
        """Store a record (`compress=False`: one read on every run, where time counts more
        than space). With `state`, the record is a family's and these rows its files' state;
        with `restamped`, new stamps of files of the family's state, by folder and name.
        Either is stored with the record: a state is never half old, half new."""
        db = self._connect()
        if db is None:
            return
        self.commit()
        try:
            body = marshal.dumps(value)
            blob = (b"z" + zlib.compress(body, 1) if compress
                    else b"m" + zlib.crc32(body).to_bytes(4, "big") + body)
            db.execute("BEGIN")
            db.execute("INSERT OR REPLACE INTO runs VALUES "
                       "(?, ?, (SELECT coalesce(max(used), 0) + 1 FROM runs))", (key, blob))
            db.execute("DELETE FROM runs WHERE key NOT IN "
                       "(SELECT key FROM runs ORDER BY used DESC LIMIT ?)", (_RECORDS_KEPT,))
            if state is not None:
                db.execute("DELETE FROM state WHERE family = ?", (key,))
                db.executemany("INSERT INTO state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               ((key, *row) for row in state))
            if restamped is not None:
                db.executemany("UPDATE state SET size = ?, mtime = ?, ino = ?, ctime = ? "
                               "WHERE family = ? AND folder = ? AND name = ?",
                               ((*stamp, key, folder, name) for folder, name, stamp in restamped))
            # The states of families whose records were dropped go with them.
            db.execute("DELETE FROM state WHERE family NOT IN (SELECT key FROM runs)")
            db.execute("COMMIT")
        except (sqlite3.Error, ValueError) as error:
            self._failed(error)

    def state_rows(self, family: bytes, where: str, value: str) -> list[StateRow]:
        """The state rows of a family whose `where` column (folder, file, id, parent or
        implements) has this value; none when the store fails."""
        assert where in ("folder", *_STATE_INDEXED)
        db = self._connect()
        if db is None:
            return []
        try:
            # SQLite's planner, without statistics, prefers the primary key's prefix
            # (family) and scans the family's every row: the index is named.
            index = f"INDEXED BY state_{where}" if where in _STATE_INDEXED else ""
            return db.execute(f"SELECT folder, name, file, kind, size, mtime, ino, ctime, key, "
                              f"id, parent, implements FROM state {index} WHERE family = ? "
                              f"AND {where} = ?", (family, value)).fetchall()
        except sqlite3.Error as error:
            self._failed(error)
            return []

    def state_keys(self, family: bytes) -> dict[str, bytes]:
        """Each file's content key in a family's state."""
        db = self._connect()
        if db is None:
            return {}
        try:
            return dict(db.execute("SELECT file, key FROM state WHERE family = ? "
                                   "AND key IS NOT NULL", (family,)))
        except sqlite3.Error as error:
            self._failed(error)
            return {}

    def close(self) -> None:
        """Commit and close the database (a later call opens it again)."""
        self.commit()
        self._known = None
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        self._opened = False


_worker_db: dict[str, sqlite3.Connection] = {}  # a worker process's connection, by store


def add_entries(path: str, pairs: list[tuple[bytes, bytes]]) -> None:
    """Store entries from a worker process (the main process opened and checked the store
    first); a store that is busy or broken just misses them."""
    if not pairs:
        return
    try:
        db = _worker_db.get(path)
        if db is None:
            db = _worker_db[path] = sqlite3.connect(path, timeout=60, isolation_level=None)
            db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", pairs)
        db.execute("COMMIT")
    except sqlite3.Error:
        _worker_db.pop(path, None)
