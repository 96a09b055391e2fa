"""Where the two sides of a diff come from: a folder, or a git revision read straight from
the object store (the working tree is never touched)."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from svccat.catalogue import YAML_SUFFIXES, Loaded, SourceFile, assemble, kind_of, load_catalogue
from svccat.config import ConfigError
from svccat.loader import DEFAULT_MAX_FILE_SIZE, LoadResult, load_bytes
from svccat.problems import make


def load_folder(path: Path, *, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Loaded:
    if not path.is_dir():
        raise ConfigError(f"找不到目录文件夹 {path}", f"no catalogue folder at {path}")
    return load_catalogue(path, max_file_size=max_file_size)


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        # Paths are literal, never patterns; no argument is ever parsed as an option of git's.
        return subprocess.run(["git", "--literal-pathspecs", "-C", str(repo), *args],
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
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ConfigError(f"{folder} 不在 git 仓库中", f"{folder} is not inside a git repository")
    top = Path(done.stdout.decode().strip()).resolve()
    return top, PurePosixPath(folder.resolve().relative_to(top).as_posix())


def resolve_revision(repo: Path, revision: str) -> str:
    """The commit a revision names, or a clear error saying how to get it."""
    check_revision(revision)
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                f"{revision}^{{commit}}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise ConfigError("仓库还没有任何提交", "the repository has no commits yet")
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
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
    # -l gives each blob's size, so that an oversized one (a few kilobytes of zeros in the
    # object store can inflate to gigabytes) is reported without being read into memory.
    listing = _git(repo, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", str(inside))
    if listing.returncode != 0:
        raise ConfigError(f"无法读取版本 {revision}", f"cannot list revision {revision}: "
                          f"{listing.stderr.decode(errors='replace').strip()}")
    blobs: list[tuple[str, str, int]] = []  # sha, path inside the catalogue, size
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha, size = meta.decode().split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or not path.endswith(YAML_SUFFIXES):
            continue  # links are not followed, exactly as on disk
        relative = PurePosixPath(path).relative_to(inside)
        if any(part.startswith(".") for part in relative.parts):
            continue
        blobs.append((sha, relative.as_posix(), int(size)))
    contents = _read_blobs(repo, sorted({sha for sha, _, size in blobs if size <= max_file_size}))
    files = [SourceFile(Path(relative), f"{revision}:{inside / relative}", kind_of(PurePosixPath(relative)))
             for _, relative, _ in blobs]
    by_file = {f.file: (sha, size) for f, (sha, _, size) in zip(files, blobs, strict=True)}

    def read(source: SourceFile) -> LoadResult:
        sha, size = by_file[source.file]
        if size > max_file_size:
            return LoadResult(None, [make("Y009", f"文件大小 {size} 字节，超过上限，未读取",
                                          f"file is {size} bytes, over the limit; not read",
                                          file=source.file)])
        return load_bytes(contents[sha], source.file)

    return assemble(files, read, [])


def _read_blobs(repo: Path, shas: list[str]) -> dict[str, bytes]:
    """All blobs in one `git cat-file --batch` call."""
    if not shas:
        return {}
    done = _git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in shas).encode())
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
