"""What loading and schema-validating each file produced, remembered by the file's content.

`svccat lint` on a catalogue that has not changed since the last run then reads each file's
bytes (for the key), but neither parses nor validates it again. Reference checks and rules
run every time: they need the whole catalogue and are fast.

- Key of a file: sha256 of its bytes, its kind, and a fingerprint of everything else that
  decides the result (svccat's version and loading code, the bundled schemas, the YAML and
  JSON Schema libraries, the Python version, `max_file_size`). The content, not the path or
  the modification time, is the key: a file that changes is read again, a file that moves
  or is copied is not, and a clock or a checkout that keeps times cannot fool it.
- Value: the document (data, positions, the text of plain scalars, suppressions), the
  loading problems, the id salvaged from a broken file and the schema problems. Problems
  are stored without their file name and stamped with the file's current name on the way
  out, so a moved file reports its new name.
- Store: one file per catalogue, `lint/<hash of the catalogue's path>.marshal` under the
  cache folder, read whole at the start and written atomically when an entry was added or
  dropped (entries of files that are gone are dropped then). One file reads much faster
  than 10,000 small ones. Each document's positions stay encoded until a problem asks for
  a line: most documents never need them.
- A cache file that cannot be read, is truncated or was written by another version is
  ignored and rewritten; a cache that cannot be written is no error. The file is decoded
  with `marshal`, which trusts its input, and a forged entry could hide problems: a store
  is read only when it is a private file of the user (mode 0600, as svccat writes it; a
  file from a git checkout is 0644), and the cache folder is local to one machine and must
  not be shared with, or writable by, untrusted parties.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import marshal
import os
import stat
import sys
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from svccat import __version__
from svccat.atomic import write_atomically
from svccat.catalogue import SourceFile
from svccat.loader import Document, LoadResult, Mark, load_bytes, read_file
from svccat.problems import Problem, Severity, Text
from svccat.resources import schemas_dir
from svccat.schema import Kind, validate
from svccat.suppress import Suppression

FOLDER = ".svccat-cache"
_MAGIC = b"svccat-cache\n"
_FORMAT = 1
# Modules whose code decides what loading and validating produce: a change to any of them
# (in a checkout, before the version number moves) makes every entry stale.
_MODULES = ("cache.py", "loader.py", "schema.py", "suppress.py", "problems.py")

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
    package = Path(__file__).resolve().parent
    for path in [*(package / name for name in _MODULES),
                 *sorted(schemas_dir().glob("*.schema.json"))]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


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


class Positions(Mapping[str, Mark]):
    """Pointer → Mark, decoded from the cache on first use (equal to the dict it encodes)."""

    __slots__ = ("_decoded", "_encoded")

    def __init__(self, encoded: bytes) -> None:
        self._encoded = encoded
        self._decoded: dict[str, Mark] | None = None

    @staticmethod
    def encode(marks: Mapping[str, Mark]) -> bytes:
        return marshal.dumps((list(marks), [n for mark in marks.values() for n in mark]))

    def _marks(self) -> dict[str, Mark]:
        if self._decoded is None:
            pointers, numbers = marshal.loads(self._encoded)
            pairs = iter(numbers)
            self._decoded = dict(zip(pointers, map(Mark, pairs, pairs), strict=True))
        return self._decoded

    def __getitem__(self, pointer: str) -> Mark:
        return self._marks()[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks())

    def __len__(self) -> int:
        return len(self._marks())

    def __repr__(self) -> str:
        return repr(self._marks())


def _store_problems(problems: list[Problem], file: str) -> list[_StoredProblem] | None:
    if any(p.file != file for p in problems):
        return None  # a problem about another file: not this entry's to replay
    return [(p.code, p.severity.value, p.message.zh, p.message.en, p.line, p.column, p.path,
             p.item) for p in problems]


def _problems(stored: list[_StoredProblem], file: str) -> list[Problem]:
    return [Problem(code=code, severity=Severity(severity), message=Text(zh, en), file=file,
                    line=line, column=column, path=path, item=item)
            for code, severity, zh, en, line, column, path, item in stored]


def _entry(result: LoadResult, schema: list[Problem], file: str) -> tuple[Any, ...] | None:
    """An entry as plain values that marshal stores (None: not cacheable)."""
    loading = _store_problems(result.problems, file)
    checked = _store_problems(schema, file)
    if loading is None or checked is None:
        return None
    document = result.document
    if document is None:
        return (None, b"", b"", {}, [], loading, result.salvaged_id, checked)
    suppressions = [(s.line, s.column, s.codes, s.reason, s.target)
                    for s in document.suppressions]
    return (document.data, Positions.encode(document.values), Positions.encode(document.keys),
            document.plain_text, suppressions, loading, result.salvaged_id, checked)


def _result(entry: tuple[Any, ...], file: str) -> tuple[LoadResult, list[Problem]]:
    data, values, keys, plain_text, suppressions, loading, salvaged, checked = entry
    document = None
    if data is not None:
        document = Document(file, data, Positions(values), Positions(keys), plain_text,
                            tuple(Suppression(*s) for s in suppressions))
    return LoadResult(document, _problems(loading, file), salvaged), _problems(checked, file)


class LoadCache:
    """Answers `assemble`'s read and check callbacks from the store where it can."""

    def __init__(self, path: Path, *, max_file_size: int) -> None:
        self.path = path
        self.max_file_size = max_file_size
        self._salt = fingerprint(max_file_size)
        self._known = self._read_store()
        self._used: dict[str, tuple[Any, ...]] = {}
        self._changed = False
        self._schema: dict[str, list[Problem]] = {}  # file → schema problems, from the store
        self._fresh: dict[str, tuple[str, LoadResult]] = {}  # file → key, loaded just now

    @classmethod
    def for_catalogue(cls, folder: Path, catalogue: Path, *, max_file_size: int) -> LoadCache:
        name = hashlib.sha256(os.fsencode(catalogue.resolve())).hexdigest()[:16]
        return cls(folder / "lint" / f"{name}.marshal", max_file_size=max_file_size)

    def _read_store(self) -> dict[str, tuple[Any, ...]]:
        try:
            with open(self.path, "rb") as handle:
                status = os.fstat(handle.fileno())
                if not _own_private(status):
                    return {}
                raw = handle.read()
        except OSError:
            return {}
        header = len(_MAGIC) + len(self._salt)
        if raw[:header] != _MAGIC + self._salt or len(raw) < header + 4:
            return {}  # another version, other settings, or not a cache file
        body = memoryview(raw)[header + 4:]
        if zlib.crc32(body) != int.from_bytes(raw[header:header + 4], "big"):
            return {}  # truncated or damaged
        # Millions of acyclic objects: the cycle collector would walk them again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            entries = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return {}
        finally:
            if collecting:
                gc.enable()
        return entries if isinstance(entries, dict) else {}

    def read(self, source: SourceFile) -> LoadResult:
        """`assemble`'s read callback: the stored result, or the file loaded afresh."""
        raw = read_file(source.path, source.file, max_size=self.max_file_size)
        if isinstance(raw, LoadResult):
            return raw  # unreadable, too large, not a file: nothing to parse, nothing to keep
        kind = source.kind.value if source.kind is not None else ""
        key = hashlib.sha256(self._salt + kind.encode() + b"\0" + raw).hexdigest()
        entry = self._known.get(key)
        if entry is not None and key not in self._used:  # a second copy gets its own data
            try:
                result, schema = _result(entry, source.file)
            except (TypeError, ValueError):  # an entry of the wrong shape: load afresh
                pass
            else:
                self._used[key] = entry
                if result.document is not None:
                    self._schema[source.file] = schema
                return result
        result = load_bytes(raw, source.file)
        if result.document is None:
            self._keep(key, _entry(result, [], source.file))
        else:
            self._fresh[source.file] = (key, result)
        return result

    def validate(self, source: SourceFile, document: Document, kind: Kind,
                 item: str | None) -> list[Problem]:
        """`assemble`'s check callback: stored schema problems, or the schema's answer."""
        stored = self._schema.pop(source.file, None)
        if stored is not None:
            return stored
        found = validate(document, kind, item=item)
        fresh = self._fresh.pop(source.file, None)
        if fresh is not None:
            key, result = fresh
            # After validation: it may have put back the text of plain scalars into the data.
            self._keep(key, _entry(result, found, source.file))
        return found

    def _keep(self, key: str, entry: tuple[Any, ...] | None) -> None:
        if entry is not None:
            self._used[key] = entry
            self._changed = True

    def save(self) -> None:
        """Write the entries of this run, if any was added or dropped; never fails."""
        if not self._changed and self._used.keys() == self._known.keys():
            return
        try:
            body = marshal.dumps(self._used)
        except ValueError:  # a value marshal cannot store: keep no cache rather than fail
            return
        with contextlib.suppress(OSError):  # a read-only folder: lint still works
            write_atomically(self.path, _MAGIC + self._salt
                             + zlib.crc32(body).to_bytes(4, "big") + body)
