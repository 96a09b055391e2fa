"""Where the two sides of a diff come from: a folder, or a git revision read straight from
the object store (the working tree is never touched)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from svccat.catalogue import Loaded, SourceFile, assemble, kind_of, load_catalogue
from svccat.config import ConfigError
from svccat.loader import DEFAULT_MAX_FILE_SIZE, LoadResult, load_bytes
from svccat.problems import make
from svccat.walk import YAML_SUFFIXES


def load_folder(path: Path, *, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Loaded:
    if not path.is_dir():
        raise ConfigError(f"找不到目录文件夹 {path}", f"no catalogue folder at {path}")
    return load_catalogue(path, max_file_size=max_file_size)


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        # Paths are literal, never patterns; no argument is ever parsed as an option of git's.
        # Commands that read the index would ask a file-system monitor the repository's
        # settings name, which may be any program: never.
        return subprocess.run(["git", "--literal-pathspecs", "-c", "core.fsmonitor=false",
                               "-C", str(repo), *args],
                              input=stdin, capture_output=True, timeout=600, check=False)
    except FileNotFoundError:
        raise ConfigError("找不到 git 命令", "git is not installed") from None


def check_revision(text: str) -> str:
    """A revision argument is never an option and never shell syntax."""
    if not text or text.startswith("-") or any(ch in text for ch in "\0\n\r;|&$`<>(){}[]*?!\\ \"'"):
        raise ConfigError(f"不是有效的版本：“{text}”", f"not a valid revision: '{text}'")
    return text


def repository_of(folder: Path) -> tuple[Path, PurePosixPath]:
    """The repository's top folder, and the catalogue's path inside it."""
    done = run_git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ConfigError(f"{folder} 不在 git 仓库中", f"{folder} is not inside a git repository")
    top = Path(done.stdout.decode().strip()).resolve()
    return top, PurePosixPath(folder.resolve().relative_to(top).as_posix())


def resolve_revision(repo: Path, revision: str) -> str:
    """The commit a revision names, or a clear error saying how to get it."""
    check_revision(revision)
    done = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{revision}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise ConfigError("仓库还没有任何提交", "the repository has no commits yet")
    shallow = run_git(repo, "rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
    hint_zh = (f"这是浅克隆（shallow clone），请先获取该版本，例如：git fetch --no-tags --depth=1 origin "
               f"{revision}，或 git fetch --unshallow" if shallow else
               f"请确认版本名称，或先获取它：git fetch origin {revision}")
    hint_en = (f"this is a shallow clone; fetch it first, e.g. git fetch --no-tags --depth=1 origin "
               f"{revision}, or git fetch --unshallow" if shallow else
               f"check the name, or fetch it first: git fetch origin {revision}")
    raise ConfigError(f"找不到版本“{revision}”：{hint_zh}", f"revision '{revision}' not found: {hint_en}")


def load_revision(folder: Path, revision: str, *, max_file_size: int = DEFAULT_MAX_FILE_SIZE
                  ) -> Loaded:
    """The catalogue as it was at a revision, read from git objects."""
    check_revision(revision)  # before any git command, whatever the folder
    repo, inside = repository_of(folder)
    commit = resolve_revision(repo, revision)
    blobs = list_blobs(repo, commit, inside, inside, revision=revision)
    return load_blobs(repo, blobs, inside, revision, max_file_size=max_file_size)


@dataclass(frozen=True)
class Blob:
    """A file of a revision: its path inside the catalogue, its object and (when listed
    with sizes) its size."""

    path: str
    sha: str
    size: int | None = None


def catalogue_prefix(inside: PurePosixPath) -> str:
    """What git's paths start with inside the catalogue: "" at the top of the repository."""
    return "" if inside == PurePosixPath(".") else f"{inside}/"


def catalogue_file(mode: str, path: str, prefix: str) -> str | None:
    """The path inside the catalogue (whose paths start with prefix) of a file git lists, or
    None when it is not one the catalogue reads (a link, a submodule, not YAML, hidden)."""
    if mode not in ("100644", "100755") or not path.endswith(YAML_SUFFIXES):
        return None  # links are not followed, exactly as on disk
    # Plain string work: this runs for every file of a province's catalogue.
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    if relative.startswith(".") or "/." in relative:
        return None
    return relative


def list_blobs(repo: Path, commit: str, under: PurePosixPath, inside: PurePosixPath, *,
               revision: str, sizes: bool = True) -> list[Blob]:
    """The catalogue's files under a folder of a revision, in git's order."""
    # -l gives each blob's size, so that an oversized one (a few kilobytes of zeros in the
    # object store can inflate to gigabytes) is reported without being read into memory;
    # it costs a look at every object, so a listing of a whole catalogue that reads no
    # content goes without.
    listing = run_git(repo, "ls-tree", "-r", *(["-l"] if sizes else []), "-z", "--full-tree",
                      commit, "--", str(under))
    if listing.returncode != 0:
        raise ConfigError(f"无法读取版本 {revision}", f"cannot list revision {revision}: "
                          f"{listing.stderr.decode(errors='replace').strip()}")
    prefix = catalogue_prefix(inside)
    blobs: list[Blob] = []
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, _kind, sha, *size = meta.split()
        relative = catalogue_file(mode, path, prefix)
        if relative is not None:
            blobs.append(Blob(relative, sha, int(size[0]) if size else None))
    return blobs


def load_blobs(repo: Path, blobs: Sequence[Blob], inside: PurePosixPath, revision: str, *,
               max_file_size: int, contents: Mapping[str, bytes | int] | None = None) -> Loaded:
    """Load and assemble the given files of a revision (contents: those already read)."""
    if contents is None:
        contents = read_blobs(repo, blobs, max_file_size=max_file_size)
    files = [SourceFile(Path(b.path), f"{revision}:{inside / b.path}", kind_of(PurePosixPath(b.path)))
             for b in blobs]
    by_file = {f.file: b.sha for f, b in zip(files, blobs, strict=True)}

    def read(source: SourceFile) -> LoadResult:
        content = contents[by_file[source.file]]
        if isinstance(content, int):
            return LoadResult(None, [make("Y009", f"文件大小 {content} 字节，超过上限，未读取",
                                          f"file is {content} bytes, over the limit; not read",
                                          file=source.file)])
        return load_bytes(content, source.file)

    return assemble(files, read, [])


def read_blobs(repo: Path, blobs: Iterable[Blob], *, max_file_size: int) -> dict[str, bytes | int]:
    """Each blob's content, or its size when that is over the limit (then it is not read).
    Sizes not listed come from one `git cat-file --batch-check` call, contents from one
    `--batch` call."""
    sizes = {b.sha: b.size for b in blobs}
    unknown = sorted(sha for sha, size in sizes.items() if size is None)
    if unknown:
        done = run_git(repo, "cat-file", "--batch-check",
                       stdin="".join(f"{sha}\n" for sha in unknown).encode())
        if done.returncode != 0:
            raise ConfigError("无法读取 git 对象", "cannot read git objects: "
                              f"{done.stderr.decode(errors='replace').strip()}")
        for line in done.stdout.decode().splitlines():
            sha, _kind, size = line.split()
            sizes[sha] = int(size)
    found: dict[str, bytes | int] = {sha: size for sha, size in sizes.items()
                                     if size is not None and size > max_file_size}
    found.update(_read_blobs(repo, sorted(sha for sha in sizes if sha not in found)))
    return found


def _read_blobs(repo: Path, shas: list[str]) -> dict[str, bytes]:
    """All blobs in one `git cat-file --batch` call."""
    if not shas:
        return {}
    done = run_git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in shas).encode())
    if done.returncode != 0:
        raise ConfigError("无法读取 git 对象", "cannot read git objects: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    out, at, found = done.stdout, 0, {}
    for _ in shas:
        header_end = out.index(b"\n", at)
        sha, _kind, size = out[at:header_end].decode().split()
        start = header_end + 1
        found[sha] = out[start:start + int(size)]
        at = start + int(size) + 1
    return found
