"""The build's record in the site (MANIFEST): what each file was made from, and its bytes.

The next build reads it to keep what has not changed: a page whose view digest is recorded
is not rendered again, a file whose bytes are recorded is linked, not written again, and a
build whose every input is recorded does nothing at all. The record is plain JSON, sorted,
without times, so that equal sites carry equal manifests.

A recorded file counts only while it is still as the build left it: present, a regular
file, of the recorded size and not modified after the manifest was written (an edit in the
output folder makes it newer). Anything else is unknown, and unknown means changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MANIFEST = ".svccat-build.json"
_FORMAT = 2  # 2: digests are SHA-256 (cut to 16 bytes), no longer BLAKE2b


@dataclass(frozen=True)
class Entry:
    source: str | None  # digest of the page's view (None: a file made as bytes)
    digest: str  # of the file's bytes
    size: int


@dataclass(frozen=True, kw_only=True)
class Manifest:
    build: str  # svccat.site.fingerprint.build_digest
    inputs: str | None  # svccat.site.fingerprint.catalogue_digest
    errors: int  # lint errors (the site was built with --force when there were any)
    pages: int
    items: int
    files: Mapping[str, Entry]

    def to_bytes(self) -> bytes:
        record = {"format": _FORMAT, "build": self.build, "inputs": self.inputs,
                  "errors": self.errors, "pages": self.pages, "items": self.items,
                  "files": {path: [e.source, e.digest, e.size]
                            for path, e in sorted(self.files.items())}}
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                + "\n").encode("utf-8")


def parse_manifest(data: bytes) -> Manifest | None:
    """The manifest in data; None when it cannot be understood (another format, damage)."""
    try:
        return _manifest(json.loads(data))
    except (ValueError, TypeError, KeyError):
        return None


def _manifest(record: Any) -> Manifest:
    if not isinstance(record, dict) or record.get("format") != _FORMAT:
        raise ValueError("another format")
    files = {}
    for path, (source, digest, size) in record["files"].items():
        if not (isinstance(path, str) and (source is None or isinstance(source, str))
                and isinstance(digest, str) and isinstance(size, int)):
            raise TypeError("a file entry of the wrong shape")
        files[path] = Entry(source, digest, size)
    inputs = record["inputs"]
    fields = (record["build"], record["errors"], record["pages"], record["items"])
    if not (isinstance(fields[0], str) and all(isinstance(n, int) for n in fields[1:])
            and (inputs is None or isinstance(inputs, str))):
        raise TypeError("a manifest of the wrong shape")
    return Manifest(build=fields[0], inputs=inputs, errors=fields[1], pages=fields[2],
                    items=fields[3], files=files)


def intact(manifest: Manifest, written: int, listing: Listing) -> tuple[dict[str, Entry], bool]:
    """The recorded files still as the build left them (`written`: when the manifest was
    written, in ns), and whether the whole site is: no file missing, changed or added."""
    kept = {}
    for path, entry in manifest.files.items():
        status = listing.files.get(path)
        if status is not None and status.size == entry.size and status.mtime <= written:
            kept[path] = entry
    whole = not listing.strange and len(kept) == len(manifest.files) \
        and listing.files.keys() == kept.keys()
    return kept, whole


@dataclass(frozen=True)
class Stat:
    size: int
    mtime: int  # ns


@dataclass(frozen=True)
class Listing:
    """The regular files of a site folder besides svccat's own (the marker, the manifest),
    and whether anything else (a link, a pipe, which a build never makes) is there too."""

    files: Mapping[str, Stat]
    strange: bool
