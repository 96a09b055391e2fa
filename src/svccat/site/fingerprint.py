"""Digests of what a build is made from: everything global, the catalogue's files, each page.

Equal digests mean equal output, so the build may keep a file of the previous site instead
of making it again. Each digest therefore errs towards "changed": it covers svccat's whole
code, the templates and schemas, the library versions and every setting, and anything that
cannot be read is no digest at all (None), which never equals a recorded one.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import svccat
from svccat.catalogue import SourceFile
from svccat.config import Config
from svccat.resources import schemas_dir, templates_dir
from svccat.site.digest import StreamDigest

# Raised when the meaning of a recorded digest changes (what goes into it, or how).
FORMAT = 2  # 2: the catalogue's digest is made of the files' content keys


def _folder(digest: StreamDigest, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix().encode()
        data = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(relative), relative, len(data)))
        digest.update(data)


def build_digest(config: Config, *, base_url: str | None, drafts: bool) -> str:
    """Everything besides the catalogue that decides the site: svccat's code (a checkout
    changes before its version does), templates, schemas, libraries, settings, options."""
    digest = StreamDigest()
    libraries = [f"{name}={importlib.metadata.version(name)}"
                 for name in ("jinja2", "markupsafe", "msgspec", "pyyaml")]
    facts = (FORMAT, svccat.__version__, sys.version, libraries, repr(config), base_url, drafts)
    digest.update(repr(facts).encode())
    for folder in (Path(svccat.__file__).resolve().parent, templates_dir(), schemas_dir()):
        digest.update(str(folder).encode() + b"\0")
        _folder(digest, folder)
    return digest.hexdigest()


def catalogue_digest(root: Path, files: Sequence[SourceFile], keys: Mapping[str, bytes]
                     ) -> str | None:
    """A digest of every file the catalogue is loaded from, by path and content key
    (svccat.cache.content_key, by file name: the keys the load made, or the ones made to
    check whether a site is up to date, with the same salt); None when a loaded file has no
    key, because it could not be read (the build then loads everything and lint says why).

    From the load's keys, not the files read again: reading and hashing a province's files
    took five seconds of one core, with the other idle, before the load could start."""
    top = len(str(root.resolve())) + 1
    digest = StreamDigest()
    for source in files:
        if source.kind is None:  # not loaded (an unknown registry): only its path counts
            key = b""
        else:
            found = keys.get(source.file)
            if found is None:
                return None
            key = found
        # The location as text (discover found it below the root): no Path per file.
        relative = source.location[top:].replace(os.sep, "/").encode()
        digest.update(b"%d:%s%d:%s" % (len(relative), relative, len(key), key))
    return digest.hexdigest()
