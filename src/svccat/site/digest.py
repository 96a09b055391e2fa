"""The digest of a file's bytes, as the build's manifest records it.

A module of its own, apart from svccat.site.fingerprint: the render workers digest every page
they write, and should not import the catalogue's loader to start.
"""

from __future__ import annotations

import hashlib

SIZE = 16  # bytes of each digest: ample against accidental collisions, and a smaller manifest


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=SIZE).hexdigest()


class StreamDigest:
    """bytes_digest and the size of bytes that come in pieces."""

    def __init__(self) -> None:
        self._digest = hashlib.blake2b(digest_size=SIZE)
        self.size = 0

    def update(self, piece: bytes) -> None:
        self._digest.update(piece)
        self.size += len(piece)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
