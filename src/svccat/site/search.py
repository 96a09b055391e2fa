"""The site's search index: overlapping character bigrams with positions, sharded by hash.

`index_files` writes the files under `search/`; the browser (templates/static/search.js) and
`query` below read them with the same algorithm. docs/search.md describes the format.

Why bigrams: Chinese has no spaces, so word segmentation (Pagefind's, Lunr's) misses
substrings such as 公积金 inside 住房公积金提取. Every substring of two or more characters is a
chain of overlapping bigrams, so a bigram index finds all of them; the positions stored with
each bigram make the match exact (the bigrams must be adjacent, not merely present).

Codes are the exception: a few dozen digit and letter bigrams (`37`, `00`) occur in every
code, so their posting lists would be the whole corpus. Codes go into a sorted list instead,
split into files by range, and match whole or as a prefix.
"""

from __future__ import annotations

import bisect
import json
import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

FORMAT_VERSION = 1
MIN_QUERY = 2  # characters, after normalisation
CHUNK_SIZE = 50  # documents per metadata file
SHARD_TARGET = 32 * 1024  # bytes of postings aimed at per shard file (hashing is uneven)
CODES_TARGET = 16 * 1024  # bytes aimed at per file of the sorted code list
# A code prefix spanning more files than this (say `37`, which starts every Shandong code)
# is looked up as a whole code only, so that a short query never fetches the whole list.
CODES_MAX_FILES = 4
# Sentinels around each segment of a field that ranks whole and prefix matches first.
# Normalisation removes both characters from all text, so they never occur inside a segment.
START, END = "^", "$"
SEGMENT_BREAK = "\n"  # between the segments of a field; no bigram spans it
FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193  # FNV-1a, 32 bits, over the key's UTF-8 bytes

# Code point ranges that normalisation removes after NFKC and lower-casing: controls, spaces,
# punctuation and symbols. The manifest carries this table so that search.js uses the very
# same one instead of its own idea of Unicode categories.
DROPPED: tuple[tuple[int, int], ...] = (
    (0x0000, 0x002F),  # controls, space, ! " # $ % & ' ( ) * + , - . /
    (0x003A, 0x0040),  # : ; < = > ? @
    (0x005B, 0x0060),  # [ \ ] ^ _ `
    (0x007B, 0x00BF),  # { | } ~, C1 controls, Latin-1 punctuation and signs (· « » ¥ °)
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x2000, 0x206F),  # general punctuation: — ‘ ’ “ ” … ‧ zero-width spaces
    (0x2190, 0x2BFF),  # arrows, mathematical and technical symbols, shapes, dingbats
    (0x2E00, 0x2E7F),  # supplemental punctuation
    (0x3000, 0x3004),  # ideographic space 、 。 〃 〄 (々 〆 〇 stay: they are letters)
    (0x3008, 0x3020),  # 〈 〉 《 》 「 」 『 』 【 】 〔 〕 〖 〗 〜 〝 〞 〟 〠
    (0x3030, 0x3030),  # 〰
    (0x303D, 0x303F),  # 〽 〾 〿
    (0xFE00, 0xFE1F),  # variation selectors, vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFEFF, 0xFEFF),  # byte order mark
    (0xFF00, 0xFF0F),  # fullwidth punctuation that NFKC leaves alone
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0xFFE0, 0xFFFF),  # fullwidth signs, specials
    (0x1F000, 0x1FAFF),  # game symbols, emoji
)
_DROP_TABLE: dict[int, None] = {cp: None for low, high in DROPPED for cp in range(low, high + 1)}

# Within a field: the whole segment is the query, the segment starts with it, or contains it.
EXACT, PREFIX, CONTAINS = 0, 1, 2
DOC_COLUMNS = ("id", "url", "title", "region", "department", "type")
MANIFEST = "search/manifest.json"


@dataclass(frozen=True)
class SearchDoc:
    id: str
    url: str  # relative to the site root, e.g. "items/370784-x.html"
    title: str  # item name
    region: str  # region name, e.g. 安丘市
    department: str  # department name
    type: str  # item type label
    codes: tuple[str, ...]
    materials: tuple[str, ...]
    conditions: tuple[str, ...]


class Kind(Enum):
    BIGRAMS = "bigrams"  # substring search through positional bigram postings, sharded by hash
    PREFIX = "prefix"  # whole-value or prefix search in a sorted list split by range


@dataclass(frozen=True, kw_only=True)
class Field:
    """A searched field; FIELDS is in rank order: a title match outranks a code match, …"""

    name: str
    kind: Kind
    segments: Callable[[SearchDoc], Sequence[str]]
    sentinels: bool = False  # index START/END bigrams, so exact and prefix matches rank first


FIELDS: tuple[Field, ...] = (
    Field(name="title", kind=Kind.BIGRAMS, sentinels=True, segments=lambda doc: (doc.title,)),
    Field(name="codes", kind=Kind.PREFIX, segments=lambda doc: doc.codes),
    Field(name="department", kind=Kind.BIGRAMS, segments=lambda doc: (doc.department,)),
    Field(name="materials", kind=Kind.BIGRAMS, segments=lambda doc: doc.materials),
    Field(name="conditions", kind=Kind.BIGRAMS, segments=lambda doc: doc.conditions),
)


def normalise(text: str) -> str:
    """NFKC, lower case, and only letters, digits and marks: `３７０７８４ＧＡ` → `370784ga`,
    `户口 迁移（省内）` → `户口迁移省内`."""
    return unicodedata.normalize("NFKC", text).lower().translate(_DROP_TABLE)


def fnv1a32(key: str) -> int:
    """FNV-1a, 32 bits, over the UTF-8 bytes of key (search.js computes the same)."""
    value = FNV_OFFSET
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value


def shard_path(field: str, number: int) -> str:
    return f"search/{field}/{number}.bin"


def list_path(field: str, number: int) -> str:
    return f"search/{field}/{number}.json"


def fences_path(field: str) -> str:
    return f"search/{field}/fences.json"


def chunk_path(chunk: int) -> str:
    return f"search/docs/{chunk}.json"


def field_text(field: Field, doc: SearchDoc) -> str:
    """The field's normalised segments, each between sentinels where the field has them,
    joined by SEGMENT_BREAK; bigram positions are offsets into this text."""
    segments = [normalise(segment) for segment in field.segments(doc)]
    if field.sentinels:
        segments = [f"{START}{s}{END}" for s in segments if s]
    return SEGMENT_BREAK.join(s for s in segments if s)


# ---------------------------------------------------------------------------- writing


def index_files(docs: Sequence[SearchDoc]) -> dict[str, bytes]:
    """Files of the search index, keyed by posix path relative to the site root, all under "search/"."""
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise ValueError(f"two search documents with the id {doc.id!r}")
        seen.add(doc.id)
    # A document's number is its place among equally good matches: shorter title first, then
    # by title (so that one item's copies in many regions sit together, in one metadata
    # chunk), then by url. Ranking results then needs no document data at all.
    ordered = sorted(docs, key=lambda doc: (len(doc.title), doc.title, doc.url, doc.id))
    files: dict[str, bytes] = {}
    fields: list[dict[str, Any]] = []
    for field in FIELDS:
        about: dict[str, Any] = {"name": field.name, "kind": field.kind.value}
        if field.kind is Kind.BIGRAMS:
            postings = _postings(field, ordered)
            shards = _shard_files(postings)
            for number, data in enumerate(shards):
                files[shard_path(field.name, number)] = data
            # Listing the few keys made of ASCII alone spares a code query the shards of the
            # text fields, where digits and letters are rare.
            about.update(sentinels=field.sentinels, shards=len(shards),
                         ascii_keys=sorted(key for key in postings if key.isascii()))
        else:
            parts = _sorted_lists(field, ordered)
            for number, part in enumerate(parts):
                files[list_path(field.name, number)] = _json(part)
            # Long (hundreds of codes at 100,000 items), so kept out of the manifest that
            # every search page loads; only a query that may be a code fetches it.
            files[fences_path(field.name)] = _json(_fences(parts))
            about.update(parts=len(parts), max_files=CODES_MAX_FILES)
        fields.append(about)
    for start in range(0, len(ordered), CHUNK_SIZE):
        rows = [[getattr(doc, column) for column in DOC_COLUMNS]
                for doc in ordered[start:start + CHUNK_SIZE]]
        files[chunk_path(start // CHUNK_SIZE)] = _json(rows)
    files[MANIFEST] = _json({
        "version": FORMAT_VERSION,
        "documents": len(ordered),
        "chunk_size": CHUNK_SIZE,
        "columns": list(DOC_COLUMNS),
        "fields": fields,
        "min_query": MIN_QUERY,
        "sentinels": [START, END],
        "hash": {"name": "fnv-1a-32", "input": "utf-8", "offset_basis": FNV_OFFSET,
                 "prime": FNV_PRIME},
        "normalisation": {"form": "NFKC", "lower": True, "dropped": [list(r) for r in DROPPED]},
    })
    return dict(sorted(files.items()))


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            + "\n").encode("utf-8")


class _Posting:
    __slots__ = ("body", "count", "last")

    def __init__(self) -> None:
        self.body = bytearray()
        self.count = 0
        self.last = 0


def _postings(field: Field, ordered: Sequence[SearchDoc]) -> dict[str, bytes]:
    """Bigram → its posting list: for each document (by number) the positions of the bigram."""
    postings: dict[str, _Posting] = {}
    for number, doc in enumerate(ordered):
        text = field_text(field, doc)
        found: dict[str, list[int]] = {}
        for position in range(len(text) - 1):
            key = text[position:position + 2]
            if SEGMENT_BREAK not in key:
                found.setdefault(key, []).append(position)
        for key, positions in found.items():
            posting = postings.get(key)
            if posting is None:
                posting = postings[key] = _Posting()
            body = posting.body
            _varint(number - posting.last, body)
            _varint(len(positions), body)
            previous = 0
            for position in positions:
                _varint(position - previous, body)
                previous = position
            posting.last = number
            posting.count += 1
    encoded: dict[str, bytes] = {}
    for key, posting in postings.items():
        head = bytearray()
        _varint(posting.count, head)
        encoded[key] = bytes(head + posting.body)
    return encoded


def _shard_files(postings: dict[str, bytes]) -> list[bytes]:
    """Postings spread over as many files as it takes to keep each near SHARD_TARGET bytes.

    A shard: varint key count; per key its UTF-8 byte length, the key, its posting list's byte
    length; then the posting lists in the same order. A posting list: varint document count;
    per document the number's difference from the previous one, the count of positions, and
    the positions as differences. Varints are unsigned LEB128.
    """
    size = sum(len(key.encode("utf-8")) + len(body) + 4 for key, body in postings.items())
    count = max(1, math.ceil(size / SHARD_TARGET))
    groups: list[list[str]] = [[] for _ in range(count)]
    for key in sorted(postings):  # code point order, which is also UTF-8 byte order
        groups[fnv1a32(key) % count].append(key)
    files = []
    for keys in groups:
        out = bytearray()
        _varint(len(keys), out)
        for key in keys:
            raw = key.encode("utf-8")
            _varint(len(raw), out)
            out += raw
            _varint(len(postings[key]), out)
        for key in keys:
            out += postings[key]
        files.append(bytes(out))
    return files


def _varint(value: int, out: bytearray) -> None:
    """Unsigned LEB128: seven bits a byte, low bits first, high bit set on all but the last."""
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _sorted_lists(field: Field, ordered: Sequence[SearchDoc]) -> list[list[list[Any]]]:
    """The field's normalised values in sorted order, each with its document numbers, cut into
    parts of about CODES_TARGET bytes: `[["370000ga0100", [0, 7]], …]`."""
    numbers: dict[str, list[int]] = {}
    for number, doc in enumerate(ordered):
        for value in dict.fromkeys(normalise(segment) for segment in field.segments(doc)):
            if value:
                numbers.setdefault(value, []).append(number)
    parts: list[list[list[Any]]] = []
    size = CODES_TARGET
    for value in sorted(numbers):
        if size >= CODES_TARGET:
            parts.append([])
            size = 0
        parts[-1].append([value, numbers[value]])
        size += len(value) + 6 + 6 * len(numbers[value])
    return parts


def _fences(parts: Sequence[Sequence[Sequence[Any]]]) -> list[str]:
    """Per part, the shortest string that sorts after every value of the previous part and
    not after its own first value ("" for the first part): where a lookup starts."""
    fences = []
    for number, part in enumerate(parts):
        if number == 0:
            fences.append("")
            continue
        before, first = parts[number - 1][-1][0], part[0][0]
        fences.append(next(first[:n] for n in range(1, len(first) + 1) if first[:n] > before))
    return fences


# ---------------------------------------------------------------------------- reading


def query(files: Mapping[str, bytes], text: str) -> list[str]:
    """Ids of the documents that contain `text` (normalised) in a searched field, best first.

    Reads what the browser reads: the manifest, the shards of the query's bigrams, the parts
    of the code list, and the metadata chunks of the results. Fewer than MIN_QUERY characters
    find nothing.
    """
    return Index(files).ids(text)


@dataclass(frozen=True, kw_only=True)
class Ranked:
    numbers: list[int]  # document numbers, best first
    complete: bool  # False: the search stopped at its limit and more may match
    too_short: bool  # the query has fewer than MIN_QUERY characters


class Index:
    """The index files as the browser sees them, each read at most once."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.manifest: dict[str, Any] = json.loads(files[MANIFEST])
        if self.manifest["version"] != FORMAT_VERSION:
            raise ValueError(f"search index version {self.manifest['version']}, "
                             f"expected {FORMAT_VERSION}")
        self._parsed: dict[str, Any] = {}
        self._ascii: dict[str, frozenset[str]] = {}
        self._postings: dict[tuple[str, str], dict[int, list[int]]] = {}

    def _read(self, path: str, parse: Callable[[bytes], Any]) -> Any:
        if path not in self._parsed:
            self._parsed[path] = parse(self.files[path])
        return self._parsed[path]

    def postings(self, field: dict[str, Any], key: str) -> dict[int, list[int]]:
        if key.isascii() and key not in self._ascii_keys(field["name"]):
            return {}
        path = shard_path(field["name"], fnv1a32(key) % field["shards"])
        if (path, key) not in self._postings:
            shard: dict[str, bytes] = self._read(path, _read_shard)
            body = shard.get(key)
            self._postings[path, key] = _read_postings(body) if body is not None else {}
        return self._postings[path, key]

    def _ascii_keys(self, name: str) -> frozenset[str]:
        if name not in self._ascii:
            field = next(f for f in self.manifest["fields"] if f["name"] == name)
            self._ascii[name] = frozenset(field["ascii_keys"])
        return self._ascii[name]

    def ids(self, text: str) -> list[str]:
        return [self.document(number)["id"] for number in self.search(text).numbers]

    def document(self, number: int) -> dict[str, str]:
        chunk, row = divmod(number, self.manifest["chunk_size"])
        rows: list[list[str]] = self._read(chunk_path(chunk), json.loads)
        return dict(zip(self.manifest["columns"], rows[row], strict=True))

    def search(self, text: str, *, limit: int | None = None) -> Ranked:
        """Document numbers in rank order: by field (FIELDS order), then exact, prefix, contains
        within the field, then by number (shorter title, title, url). Fields are searched in
        that order; once `limit` documents are found the remaining fields are skipped."""
        chars = normalise(text)
        if len(chars) < self.manifest["min_query"]:
            return Ranked(numbers=[], complete=True, too_short=True)
        ranked: list[int] = []
        seen: set[int] = set()
        for field in self.manifest["fields"]:
            if limit is not None and len(ranked) >= limit:
                return Ranked(numbers=ranked, complete=False, too_short=False)
            if field["kind"] == Kind.BIGRAMS.value:
                found = self.bigram_matches(field, chars)
            else:
                found = self.prefix_matches(field, chars)
            for number in sorted(found, key=lambda n: (found[n], n)):
                if number not in seen:
                    seen.add(number)
                    ranked.append(number)
        return Ranked(numbers=ranked, complete=True, too_short=False)

    def bigram_matches(self, field: dict[str, Any], chars: str) -> dict[int, int]:
        """Document number → EXACT, PREFIX or CONTAINS, for the documents whose field contains
        chars (two or more characters, normalised)."""
        offsets = cover(len(chars))
        lists = [self.postings(field, chars[offset:offset + 2]) for offset in offsets]
        if not all(lists):
            return {}
        smallest = min(lists, key=len)
        candidates = set(smallest)
        for posting in lists:
            candidates &= posting.keys()
        starts: dict[int, set[int]] = {}
        for number in candidates:
            here = set(lists[0][number])
            for offset, posting in zip(offsets[1:], lists[1:], strict=True):
                here &= {position - offset for position in posting[number]}
            if here:
                starts[number] = here
        if not field["sentinels"] or not starts:
            return dict.fromkeys(starts, CONTAINS)
        heads = self.postings(field, START + chars[0])
        tails = self.postings(field, chars[-1] + END)
        found = {}
        for number, here in starts.items():
            at_start = here & {position + 1 for position in heads.get(number, ())}
            ends = set(tails.get(number, ()))
            if any(start + len(chars) - 1 in ends for start in at_start):
                found[number] = EXACT
            else:
                found[number] = PREFIX if at_start else CONTAINS
        return found

    def prefix_matches(self, field: dict[str, Any], chars: str) -> dict[int, int]:
        """Document number → EXACT or PREFIX, for the documents with a value equal to chars or
        starting with it. Values are ASCII, so only ASCII queries are looked up (which also
        keeps string order the same here and in JavaScript)."""
        if not chars.isascii():
            return {}
        fences: list[str] = self._read(fences_path(field["name"]), json.loads)
        first, last = prefix_parts(fences, chars)
        if last < first:
            return {}
        whole_only = last - first + 1 > field["max_files"]
        found: dict[int, int] = {}
        for part in range(first, first + 1 if whole_only else last + 1):
            values: list[list[Any]] = self._read(list_path(field["name"], part), json.loads)
            for value, numbers in values:
                if value == chars:
                    tier = EXACT
                elif not whole_only and value.startswith(chars):
                    tier = PREFIX
                else:
                    continue
                for number in numbers:
                    found[number] = min(found.get(number, tier), tier)
        return found


def cover(length: int) -> list[int]:
    """Offsets of the query bigrams to look up: every other one, and the last. Each character
    is in some looked-up bigram, and positions pin each bigram's place, so the match is exact
    with about half the lookups of the full chain."""
    if length < 2:
        raise ValueError("a query needs at least two characters")
    offsets = list(range(0, length - 1, 2))
    if offsets[-1] != length - 2:
        offsets.append(length - 2)
    return offsets


def prefix_parts(fences: Sequence[str], chars: str) -> tuple[int, int]:
    """First and last part of a sorted list (given each part's fence) that can hold
    values equal to chars or starting with it; last < first when none can."""
    first = max(0, bisect.bisect_right(fences, chars) - 1)
    last = bisect.bisect_left(fences, chars)
    while last < len(fences) and fences[last].startswith(chars):
        last += 1
    return first, last - 1


def _read_shard(data: bytes) -> dict[str, bytes]:
    position = 0
    count, position = _read_varint(data, position)
    entries: list[tuple[str, int]] = []
    for _ in range(count):
        size, position = _read_varint(data, position)
        key = data[position:position + size].decode("utf-8")
        position += size
        length, position = _read_varint(data, position)
        entries.append((key, length))
    shard = {}
    for key, length in entries:
        shard[key] = data[position:position + length]
        position += length
    return shard


def _read_postings(body: bytes) -> dict[int, list[int]]:
    count, position = _read_varint(body, 0)
    postings: dict[int, list[int]] = {}
    number = 0
    for _ in range(count):
        delta, position = _read_varint(body, position)
        number += delta
        occurrences, position = _read_varint(body, position)
        positions = []
        previous = 0
        for _ in range(occurrences):
            delta, position = _read_varint(body, position)
            previous += delta
            positions.append(previous)
        postings[number] = positions
    return postings


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7
