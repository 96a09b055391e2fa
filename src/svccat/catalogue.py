"""Find a catalogue's files, load and validate each once, and assemble the Catalogue model."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from svccat import model, walk
from svccat.config import ConfigError
from svccat.loader import DEFAULT_MAX_FILE_SIZE, Document, LoadResult
from svccat.problems import Problem, make
from svccat.schema import REGISTRY_KINDS, Kind, validate
from svccat.walk import Stamp

if TYPE_CHECKING:
    from svccat.cache import LoadCache
    from svccat.parallel import Keyed, Placement

REGISTRIES = "registries"


class SourceFile:
    """A file of the catalogue: where it is, its name as shown to people (relative to the
    working directory where possible) and its kind (None: a file under registries/ that is
    no known registry). Immutable. The location is kept as text and made a Path only when
    asked: a province has 100,000 files, and most are only ever opened by name."""

    __slots__ = ("_path", "file", "kind", "location")

    def __init__(self, path: Path | str, file: str, kind: Kind | None) -> None:
        set_ = object.__setattr__
        set_(self, "location", os.fspath(path))
        set_(self, "_path", path if isinstance(path, Path) else None)
        set_(self, "file", file)
        set_(self, "kind", kind)

    location: str  # the absolute (or git) path, as text
    file: str
    kind: Kind | None
    _path: Path | None

    @property
    def path(self) -> Path:
        found: Path | None = self._path
        if found is None:
            found = Path(self.location)
            object.__setattr__(self, "_path", found)
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"SourceFile is immutable: cannot set {name}")

    def __reduce__(self) -> tuple[type[SourceFile], tuple[str, str, Kind | None]]:
        return SourceFile, (self.location, self.file, self.kind)  # to worker processes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceFile):
            return NotImplemented
        return (self.location, self.file, self.kind) == (other.location, other.file, other.kind)

    def __hash__(self) -> int:
        return hash((self.location, self.file, self.kind))

    def __repr__(self) -> str:
        return f"SourceFile({self.location!r}, {self.file!r}, {self.kind!r})"


def display_path(path: Path) -> str:
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(shown).as_posix() if not shown.startswith("..") else path.as_posix()


def kind_of(relative: PurePath) -> Kind | None:
    """What a file holds, from its path inside the catalogue: registries/NAME.yaml or
    registries/NAME/**/*.yaml (so that each county can keep its own file), else an item."""
    return kind_of_parts(relative.parts)


def kind_of_parts(parts: Sequence[str]) -> Kind | None:
    if parts[0] != REGISTRIES:
        return Kind.ITEM
    name = parts[1] if len(parts) > 2 else parts[1].rsplit(".", 1)[0]
    for kind in REGISTRY_KINDS:
        if name == kind.value:
            return kind
    return None


@dataclass(frozen=True)
class Folder:
    """What a walk found in one folder of the catalogue."""

    parts: tuple[str, ...]  # the folder inside the catalogue (() for the catalogue itself)
    # Its YAML files (and links to files) by name, each with its stamp when asked for
    # (None: not taken, or the link is broken).
    files: list[tuple[str, Stamp | None]]
    outside: list[str]  # links leading outside the catalogue, or looping (Y016)
    # Its signature, when the walk made it (where it listed the folder: svccat.walk).
    digest: bytes | None = field(default=None, compare=False)

    def signature(self) -> bytes:
        """Changes when a file of the folder is added, removed, changed (by its stamp) or
        replaced, or a link changes its target: svccat.incremental compares folders by it."""
        return self.digest if self.digest is not None else walk.signature(self.files,
                                                                          self.outside)


@dataclass(frozen=True)
class Scan:
    """Every folder of a catalogue, in the order of the walk (each folder's files, then its
    folders), and how to name and find its files."""

    root: Path  # resolved
    folders: dict[str, Folder]  # by the folder's path inside the catalogue ("" for the root)
    prefix: str  # how names start, seen from the working directory ("" or "catalogue/")
    cwd_inside: bool  # the working directory is inside the catalogue: names need relpath

    def file(self, parts: tuple[str, ...], name: str) -> str:
        """A file's name as shown to people (relative to the working directory)."""
        location = self.location(parts, name)
        if self.cwd_inside:
            return display_path(Path(location))
        return self.prefix + "".join(f"{part}/" for part in parts) + name

    def location(self, parts: tuple[str, ...], name: str) -> str:
        return os.path.join(self.root, *parts, name)

    def source(self, parts: tuple[str, ...], name: str) -> SourceFile:
        return SourceFile(self.location(parts, name), self.file(parts, name),
                          kind_of_parts((*parts, name)))

    def sources(self) -> list[SourceFile]:
        """The files as SourceFiles, in discover's order."""
        return [self.source(folder.parts, name)
                for folder in self.folders.values() for name, _ in folder.files]

    def problems(self) -> list[Problem]:
        return [_outside(Path(self.location(folder.parts, name)))
                for folder in self.folders.values() for name in folder.outside]


def folder_key(parts: tuple[str, ...]) -> str:
    return "/".join(parts)


def folder_parts(key: str) -> tuple[str, ...]:
    return tuple(key.split("/")) if key else ()


def walk_order(folder: str, name: str) -> tuple[tuple[int, str], ...]:
    """Where a file comes in discover's order: by name within a folder, a folder's files
    before its subfolders."""
    return (*((1, part) for part in folder.split("/") if part), (0, name))


def discover(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every YAML file of the catalogue, sorted (each folder's files, then its folders);
    links leading outside it are reported."""
    found = scan(root, stamps=False)
    return found.sources(), found.problems()


def scan(root: Path, *, stamps: bool, jobs: int | None = None) -> Scan:
    """Walk the catalogue: each folder's YAML files, with their stamps (size, modification
    time, inode and change time, for svccat.incremental) when asked, taken on `jobs`
    processes (default: one per usable core; svccat.walk uses two at most). Works on
    strings and makes no object per file beyond its name and stamp: a province has 100,000
    files."""
    root = root.resolve()
    shown = display_path(root)
    prefix = "" if shown == "." else f"{shown}/"
    # Names are shown relative to the working directory; from inside the catalogue some are
    # below it and some not, and each needs display_path.
    try:
        cwd_inside = Path.cwd().resolve().is_relative_to(root) and shown != "."
    except OSError:
        cwd_inside = False
    if jobs is None and stamps:
        from svccat.parallel import usable_cores

        jobs = usable_cores()
    folders = {folder_key(parts): Folder(parts, files, outside, digest)
               for parts, files, outside, digest
               in walk.walk(root, stamps=stamps, jobs=jobs or 1)}
    return Scan(root, folders, prefix, cwd_inside)


def paths_inside(paths: Sequence[Path], root: Path) -> list[Path]:
    """The given paths, resolved; one that is missing or outside the catalogue is a usage
    error (exit 2)."""
    root = root.resolve()
    resolved = []
    for path in paths:
        if not path.exists():
            raise ConfigError(f"路径不存在：{path}", f"no such path: {path}")
        full = path.resolve()
        if not full.is_relative_to(root):
            raise ConfigError(f"{path} 不在目录 {display_path(root)} 中",
                              f"{path} is not inside the catalogue {display_path(root)}")
        resolved.append(full)
    return resolved


def _outside(path: Path) -> Problem:
    return make("Y016", "符号链接指向目录之外或形成循环，未读取",
                "symbolic link points outside the catalogue or loops; not followed",
                file=display_path(path))


@dataclass(frozen=True)
class Loaded:
    """A catalogue after loading: the model, each file's document, and every problem so far."""

    catalogue: model.Catalogue
    documents: dict[str, Document]
    files: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]
    # From load_files: each file's cache key, and each item file's (id, parent, implements).
    keys: dict[str, bytes] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    unreadable: dict[str, LoadResult] = field(default_factory=dict)  # by workers


_ENTRY_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.REGIONS: ("regions",),
    Kind.DEPARTMENTS: ("departments",),
    Kind.LEGAL_DOCUMENTS: ("legal_documents",),
    Kind.CERTIFICATES: ("retained", "cancelled"),
}
_BUILDERS: dict[str, Callable[[dict[str, Any], str, str], Any]] = {
    "regions": model.region_from_data,
    "departments": model.department_from_data,
    "legal_documents": model.legal_document_from_data,
    "retained": model.retained_from_data,
    "cancelled": model.cancelled_from_data,
}


def _bad_entries(problems: Iterable[Problem], key: str) -> set[int]:
    prefix = f"/{key}/"
    bad = set()
    for p in problems:
        if p.path.startswith(prefix):
            bad.add(int(p.path[len(prefix):].split("/", 1)[0]))
    return bad


def load_catalogue(root: Path, *, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                   cache: LoadCache | None = None, jobs: int | None = None,
                   keep_data: bool = True) -> Loaded:
    """Read every file once; a broken file is a problem and the rest still load.

    Files are parsed and validated on `jobs` worker processes (default: every usable core).
    With a cache (svccat.cache), files whose content it knows are neither parsed nor
    validated again, and the new entries are stored. Without `keep_data` the documents keep
    their positions and suppressions but not their data, which the model holds anyway:
    lint needs no more, and a province's catalogue then fits in much less memory."""
    files, problems = discover(root)
    return load_files(files, problems, max_file_size=max_file_size, cache=cache, jobs=jobs,
                      keep_data=keep_data)


def load_files(files: Sequence[SourceFile], problems: list[Problem], *,
               max_file_size: int = DEFAULT_MAX_FILE_SIZE, cache: LoadCache | None = None,
               jobs: int | None = None, keep_data: bool = True,
               keyed: Sequence[Keyed] | None = None, prune: bool = True,
               salt: bytes | None = None) -> Loaded:
    """`load_catalogue` for files already found; `keyed`: the files already read and hashed
    for `cache` (svccat.parallel.key_files), which spares reading them twice. With `prune`
    (files are the whole catalogue), entries of files that are gone leave the cache.
    `salt`: of the content keys (`keys` of the result) when there is no cache; with one,
    the cache's."""
    from svccat import parallel  # parallel needs this module's SourceFile

    if cache is None or (keyed is None and not cache.known_keys()):
        # Nothing stored to reuse: the workers read and hash the files (the main process
        # doing it first would leave them idle).
        keyed = [parallel.Keyed(f, None) for f in files]
    elif keyed is None:
        keyed = parallel.key_files(files, cache.salt, max_file_size)
    salt = cache.salt if cache is not None else salt or b""
    results = parallel.Results(keyed, store=cache, salt=salt,
                               max_file_size=max_file_size,
                               jobs=jobs if jobs is not None else parallel.usable_cores())
    stream = iter(results)
    schema: dict[str, list[Problem]] = {}

    def read(source: SourceFile) -> LoadResult:
        for found, loaded in stream:  # in the files' order: the next one with a result
            if loaded is not None and found is source:
                result, schema[source.file] = loaded
                return result
        raise AssertionError(f"no result for {source.file}")

    def check(source: SourceFile, document: Document, kind: Kind, item: str | None
              ) -> list[Problem]:
        return schema.pop(source.file)

    try:
        loaded = assemble(files, read, problems, check=check, keep_data=keep_data)
        for _ in stream:  # none should be left; this stops the workers
            pass
    finally:
        stream.close()
    if cache is not None and prune:
        cache.keep_only(results.used)
    return replace(loaded, keys=results.keys, placements=results.index,
                   unreadable=results.unreadable)


Check = Callable[[SourceFile, Document, Kind, str | None], list[Problem]]


def _check(source: SourceFile, document: Document, kind: Kind, item: str | None) -> list[Problem]:
    return validate(document, kind, item=item)


def assemble(files: Sequence[SourceFile], read: Callable[[SourceFile], LoadResult],
             problems: list[Problem], *, check: Check = _check, keep_data: bool = True
             ) -> Loaded:
    """Load, validate and index files from any source (a folder, a git revision); `check`
    gives a document's schema problems (load_files answers from what workers found)."""
    documents: dict[str, Document] = {}
    entries: dict[str, dict[str, Any]] = {key: {} for key in _BUILDERS}
    items: dict[str, model.Item] = {}
    broken: set[str] = set()
    for source in files:
        if source.kind is None:
            problems.append(make(
                "X010", "未知的登记簿文件；登记簿为 regions、departments、legal-documents、certificates",
                "unknown registry file; registries are regions, departments, legal-documents, "
                "certificates", file=source.file))
            continue
        loaded = read(source)
        problems.extend(loaded.problems)
        document = loaded.document
        if document is None:
            if source.kind is Kind.ITEM and loaded.salvaged_id:
                broken.add(loaded.salvaged_id)
            continue
        raw_id = document.data.get("id")
        item_id = raw_id if isinstance(raw_id, str) else None
        found = check(source, document, source.kind, item_id)
        problems.extend(found)
        # Without the data once checked: the model below holds what it needs of it.
        documents[source.file] = document if keep_data else Document(
            document.file, {}, document.values, document.keys, document.plain_text,
            document.suppressions)
        if source.kind is Kind.ITEM:
            if found:
                if item_id:
                    broken.add(item_id)
                continue
            item = model.item_from_data(document.data, source.file)
            if item.id in items:
                first = items[item.id]
                problems.append(_duplicate(document, "/id", item.id, first.file, item=item.id))
            else:
                items[item.id] = item
            continue
        for key in _ENTRY_KEYS[source.kind]:
            listed = document.data.get(key)
            if not isinstance(listed, list):  # absent, or the wrong type: the schema said so
                continue
            bad = _bad_entries(found, key)
            for index, data in enumerate(listed):
                pointer = f"/{key}/{index}"
                if index in bad:
                    continue
                entry = _BUILDERS[key](data, source.file, pointer)
                ident = getattr(entry, "code", None) or entry.id
                # Retained and cancelled certificates share one id space.
                space = ("retained", "cancelled") if key in ("retained", "cancelled") else (key,)
                other = next((entries[k][ident] for k in space if ident in entries[k]), None)
                if other is not None:
                    id_key = "code" if key == "regions" else "id"
                    problems.append(_duplicate(document, f"{pointer}/{id_key}", ident, other.file))
                    continue
                entries[key][ident] = entry
    catalogue = model.Catalogue(
        regions=entries["regions"], departments=entries["departments"],
        legal_documents=entries["legal_documents"], retained=entries["retained"],
        cancelled=entries["cancelled"], items=items,
        broken_item_ids=frozenset(broken - set(items)))
    return Loaded(catalogue, documents, tuple(files), tuple(problems))


def _duplicate(document: Document, pointer: str, ident: str, first_file: str,
               item: str | None = None) -> Problem:
    m = document.mark(pointer)
    return make("X001", f"标识“{ident}”重复（已在 {first_file} 中使用）",
                f"id '{ident}' is used twice (already in {first_file})",
                file=document.file, line=m.line, column=m.column, path=pointer, item=item)
