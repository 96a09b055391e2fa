/* svccat site search: finds items in the bigram index under search/, fetching only the files
 * a query needs. The index is written by svccat.site.search; docs/search.md describes it.
 *
 * The core (normalise, fnv1a32, cover, SearchIndex) touches no DOM, so Node can load this file
 * with require(): the tests check that it ranks exactly like the Python reader. */
(function () {
  "use strict";

  const FORMAT_VERSION = 1;
  const MANIFEST = "search/manifest.json";
  const EXACT = 0, PREFIX = 1, CONTAINS = 2;

  const utf8 = new TextEncoder();
  const utf8Decoder = new TextDecoder("utf-8");

  /* ------------------------------------------------------------------ core */

  function isDropped(codePoint, ranges) {
    let low = 0, high = ranges.length - 1;
    while (low <= high) {
      let middle = (low + high) >> 1;
      if (codePoint < ranges[middle][0]) high = middle - 1;
      else if (codePoint > ranges[middle][1]) low = middle + 1;
      else return true;
    }
    return false;
  }

  /* NFKC, lower case, and without the code point ranges the manifest lists as dropped. */
  function normalise(value, rules) {
    let folded = String(value).normalize(rules.form);
    if (rules.lower) folded = folded.toLowerCase();
    let kept = "";
    for (let character of folded) {
      if (!isDropped(character.codePointAt(0), rules.dropped)) kept += character;
    }
    return kept;
  }

  /* FNV-1a, 32 bits, over the UTF-8 bytes of key. */
  function fnv1a32(key, hash) {
    let bytes = utf8.encode(key);
    let value = hash.offset_basis;
    for (let i = 0; i < bytes.length; i++) {
      value = Math.imul(value ^ bytes[i], hash.prime) >>> 0;
    }
    return value >>> 0;
  }

  /* Offsets of the query bigrams to look up: every other one, and the last. */
  function cover(length) {
    let offsets = [];
    for (let offset = 0; offset < length - 1; offset += 2) offsets.push(offset);
    if (offsets[offsets.length - 1] !== length - 2) offsets.push(length - 2);
    return offsets;
  }

  function readVarint(bytes, cursor) {
    let value = 0, scale = 1, byte;
    do {
      byte = bytes[cursor.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  }

  /* A shard: varint key count; per key: varint byte length, UTF-8 key, varint posting length;
   * then the postings in key order. Returns key → the bytes of its posting list. */
  function readShard(bytes) {
    let cursor = { at: 0 };
    let count = readVarint(bytes, cursor);
    let entries = [];
    for (let i = 0; i < count; i++) {
      let size = readVarint(bytes, cursor);
      let key = utf8Decoder.decode(bytes.subarray(cursor.at, cursor.at + size));
      cursor.at += size;
      entries.push([key, readVarint(bytes, cursor)]);
    }
    let table = new Map();
    for (let j = 0; j < entries.length; j++) {
      table.set(entries[j][0], bytes.subarray(cursor.at, cursor.at + entries[j][1]));
      cursor.at += entries[j][1];
    }
    return table;
  }

  /* A posting list: varint document count; per document: varint number delta, varint
   * position count, varint position deltas. Returns document number → positions. */
  function readPostings(bytes) {
    let cursor = { at: 0 };
    let count = readVarint(bytes, cursor);
    let postings = new Map();
    let number = 0;
    for (let i = 0; i < count; i++) {
      number += readVarint(bytes, cursor);
      let occurrences = readVarint(bytes, cursor);
      let positions = new Array(occurrences);
      let position = 0;
      for (let j = 0; j < occurrences; j++) {
        position += readVarint(bytes, cursor);
        positions[j] = position;
      }
      postings.set(number, positions);
    }
    return postings;
  }

  /* First and last part of a sorted list (given each part's fence) that can hold
   * values equal to chars or starting with it; last < first when none can. */
  function prefixParts(fences, chars) {
    let low = 0, high = fences.length; // first fence > chars
    while (low < high) {
      let middle = (low + high) >> 1;
      if (fences[middle] <= chars) low = middle + 1; else high = middle;
    }
    let first = Math.max(0, low - 1);
    let last = first;
    while (last < fences.length && (fences[last] < chars || fences[last].startsWith(chars))) last++;
    return [first, last - 1];
  }

  function isAscii(text) {
    return /^[\x00-\x7f]*$/.test(text);
  }

  function shifted(positions, by) {
    let set = new Set();
    for (let i = 0; i < positions.length; i++) set.add(positions[i] + by);
    return set;
  }

  function readJson(bytes) {
    return JSON.parse(utf8Decoder.decode(bytes));
  }

  function readManifest(bytes) {
    let manifest = readJson(bytes);
    if (manifest.version !== FORMAT_VERSION) {
      throw new Error("search index version " + manifest.version + ", expected " +
                      FORMAT_VERSION);
    }
    return manifest;
  }

  /* The index files, fetched on demand through fetchBytes(path) → Promise<Uint8Array> and
   * each parsed at most once. */
  class SearchIndex {
    constructor(fetchBytes) {
      this.fetchBytes = fetchBytes;
      this.parsed = new Map(); // path → Promise of the parsed file
      this.decoded = new Map(); // path + " " + key → posting list
      this.asciiKeys = new Map(); // field name → Set
    }

    read(path, parse) {
      let pending = this.parsed.get(path);
      if (!pending) {
        let parsed = this.parsed;
        pending = Promise.resolve(this.fetchBytes(path)).then(parse);
        pending.catch(function () { parsed.delete(path); }); // a later search may try again
        parsed.set(path, pending);
      }
      return pending;
    }

    manifest() {
      return this.read(MANIFEST, readManifest);
    }

    async postings(field, key) {
      if (isAscii(key)) {
        let known = this.asciiKeys.get(field.name);
        if (!known) this.asciiKeys.set(field.name, known = new Set(field.ascii_keys));
        if (!known.has(key)) return new Map(); // no need to fetch the shard
      }
      let manifest = await this.manifest();
      let path = "search/" + field.name + "/" + (fnv1a32(key, manifest.hash) % field.shards) +
                 ".bin";
      let shard = await this.read(path, readShard);
      let postings = this.decoded.get(path + " " + key);
      if (!postings) {
        let body = shard.get(key);
        postings = body ? readPostings(body) : new Map();
        this.decoded.set(path + " " + key, postings);
      }
      return postings;
    }

    /* Document number → EXACT or PREFIX for the documents with a value equal to chars (an
     * array of code points) or starting with it. Values are ASCII: other queries skip them. */
    async prefixMatches(field, chars) {
      let found = new Map();
      let text = chars.join("");
      if (!isAscii(text)) return found;
      let fences = await this.read("search/" + field.name + "/fences.json", readJson);
      let parts = prefixParts(fences, text);
      if (parts[1] < parts[0]) return found;
      let wholeOnly = parts[1] - parts[0] + 1 > field.max_files;
      let wanted = [];
      for (let part = parts[0]; part <= (wholeOnly ? parts[0] : parts[1]); part++) {
        wanted.push(this.read("search/" + field.name + "/" + part + ".json", readJson));
      }
      (await Promise.all(wanted)).forEach(function (values) {
        values.forEach(function (entry) {
          let tier;
          if (entry[0] === text) tier = EXACT;
          else if (!wholeOnly && entry[0].startsWith(text)) tier = PREFIX;
          else return;
          entry[1].forEach(function (number) {
            let before = found.get(number);
            found.set(number, before === undefined ? tier : Math.min(before, tier));
          });
        });
      });
      return found;
    }

    /* Document number → EXACT, PREFIX or CONTAINS for the documents whose field contains
     * chars (an array of code points, two or more). */
    async bigramMatches(field, chars) {
      let self = this;
      let offsets = cover(chars.length);
      let lists = await Promise.all(offsets.map(function (offset) {
        return self.postings(field, chars[offset] + chars[offset + 1]);
      }));
      let found = new Map();
      if (lists.some(function (list) { return list.size === 0; })) return found;
      let smallest = lists.reduce(function (a, b) { return b.size < a.size ? b : a; });
      let starts = new Map();
      smallest.forEach(function (unused, number) {
        if (!lists.every(function (list) { return list.has(number); })) return;
        let here = lists[0].get(number).slice();
        for (let i = 1; i < offsets.length && here.length; i++) {
          let next = shifted(lists[i].get(number), -offsets[i]);
          here = here.filter(function (start) { return next.has(start); });
        }
        if (here.length) starts.set(number, here);
      });
      if (!field.sentinels || starts.size === 0) {
        starts.forEach(function (unused, number) { found.set(number, CONTAINS); });
        return found;
      }
      let manifest = await this.manifest();
      let ends = await Promise.all([
        this.postings(field, manifest.sentinels[0] + chars[0]),
        this.postings(field, chars[chars.length - 1] + manifest.sentinels[1]),
      ]);
      starts.forEach(function (here, number) {
        let heads = shifted(ends[0].get(number) || [], 1);
        let tails = new Set(ends[1].get(number) || []);
        let atStart = here.filter(function (start) { return heads.has(start); });
        let whole = atStart.some(function (start) { return tails.has(start + chars.length - 1); });
        found.set(number, whole ? EXACT : atStart.length ? PREFIX : CONTAINS);
      });
      return found;
    }

    /* Document numbers in rank order: by field, then exact, prefix, contains within the
     * field, then by number. Fields are searched in rank order; once `limit`
     * results are found the remaining fields are skipped and `complete` is false. */
    async search(query, limit) {
      let manifest = await this.manifest();
      let text = normalise(query, manifest.normalisation);
      let chars = Array.from(text);
      let result = { text: text, tooShort: chars.length < manifest.min_query, numbers: [],
                     complete: true };
      if (result.tooShort) return result;
      let max = limit === undefined ? Infinity : limit;
      let seen = new Set();
      for (let i = 0; i < manifest.fields.length; i++) {
        if (result.numbers.length >= max) {
          result.complete = false;
          break;
        }
        let field = manifest.fields[i];
        let found = await (field.kind === "bigrams" ? this.bigramMatches(field, chars)
                                                     : this.prefixMatches(field, chars));
        let numbers = Array.from(found.keys()).sort(function (a, b) {
          return found.get(a) - found.get(b) || a - b;
        });
        for (let j = 0; j < numbers.length; j++) {
          if (!seen.has(numbers[j])) {
            seen.add(numbers[j]);
            result.numbers.push(numbers[j]);
          }
        }
      }
      return result;
    }

    /* The documents' metadata (id, url, title, region, department, type), from their chunks. */
    async documents(numbers) {
      let manifest = await this.manifest();
      let self = this;
      let size = manifest.chunk_size;
      let rows = await Promise.all(numbers.map(function (number) {
        return self.read("search/docs/" + Math.floor(number / size) + ".json", readJson)
          .then(function (table) { return table[number % size]; });
      }));
      return rows.map(function (row) {
        let fields = {};
        manifest.columns.forEach(function (column, i) { fields[column] = row[i]; });
        return fields;
      });
    }
  }

  const core = {
    EXACT: EXACT, PREFIX: PREFIX, CONTAINS: CONTAINS,
    normalise: normalise, fnv1a32: fnv1a32, cover: cover, prefixParts: prefixParts,
    readShard: readShard, readPostings: readPostings, SearchIndex: SearchIndex,
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }

  /* ------------------------------------------------------------------ page */

  const PAGE = 50; // results shown at first, and added by each "more"
  const DELAY = 200; // milliseconds of quiet typing before searching
  // Overridable per page with data-msg-* attributes on the results list.
  const MESSAGES = {
    short: "请至少输入两个字（或两个字母、数字）再搜索。",
    empty: "没有找到包含“{q}”的事项。",
    count: "找到 {n} 个事项。",
    partial: "至少找到 {n} 个事项。",
    more: "显示更多",
    error: "搜索索引未能加载，请稍后再试。",
  };

  function message(list, name, values) {
    let template = list.getAttribute("data-msg-" + name) || MESSAGES[name];
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function siteRoot() {
    let meta = document.querySelector('meta[name="svccat-root"]');
    let root = meta ? meta.getAttribute("content") || "" : "";
    return root && root.charAt(root.length - 1) !== "/" ? root + "/" : root;
  }

  function fetcher(root) {
    return function (path) {
      return fetch(root + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.arrayBuffer();
      }).then(function (buffer) { return new Uint8Array(buffer); });
    };
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function resultItem(root, row) {
    let item = document.createElement("li");
    let link = document.createElement("a");
    link.href = root + row.url;
    link.textContent = row.title;
    let meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = row.region + " · " + row.department;
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(meta);
    return item;
  }

  function companion(list, id, tag, before) {
    let node = document.getElementById(id);
    if (node) return node;
    node = document.createElement(tag);
    node.id = id;
    node.className = id;
    list.parentNode.insertBefore(node, before ? list : list.nextSibling);
    return node;
  }

  function start() {
    let list = document.getElementById("search-results");
    if (!list) return;
    let root = siteRoot();
    let index = new SearchIndex(fetcher(root));
    let input = document.getElementById("q");
    let status = companion(list, "search-status", "p", true);
    status.setAttribute("role", "status");
    let more = companion(list, "search-more", "button", false);
    more.type = "button";
    more.hidden = true;
    more.textContent = message(list, "more", {});
    let latest = 0;
    let shown = { query: "", count: PAGE };
    // Leaving the page (Enter submits the header form) aborts the fetches under way: that is
    // no failure to show or report.
    let leaving = false;
    window.addEventListener("pagehide", function () { leaving = true; });
    window.addEventListener("pageshow", function () { leaving = false; });

    function settle(state, text) {
      status.textContent = text;
      list.setAttribute("data-state", state);
      list.removeAttribute("aria-busy");
    }

    async function run(query, count) {
      let mine = ++latest;
      shown = { query: query, count: count };
      if (!query.trim()) {
        clear(list);
        more.hidden = true;
        settle("idle", "");
        return;
      }
      list.setAttribute("data-state", "loading");
      list.setAttribute("aria-busy", "true");
      try {
        let result = await index.search(query, count + 1);
        let rows = await index.documents(result.numbers.slice(0, count));
        if (mine !== latest) return; // a newer query has started
        clear(list);
        rows.forEach(function (row) { list.appendChild(resultItem(root, row)); });
        let beyond = result.numbers.length > count || !result.complete;
        more.hidden = !beyond;
        if (result.tooShort) settle("short", message(list, "short", {}));
        else if (!rows.length) settle("empty", message(list, "empty", { q: query.trim() }));
        else settle("done", message(list, result.complete ? "count" : "partial", {
          n: result.numbers.length,
        }));
      } catch (error) {
        if (mine !== latest || leaving) return;
        clear(list);
        more.hidden = true;
        settle("error", message(list, "error", {}));
        console.error(error);
      }
    }

    more.addEventListener("click", function () {
      run(shown.query, shown.count + PAGE);
    });

    let initial = new URLSearchParams(window.location.search).get("q") || "";
    if (input && initial && !input.value) input.value = initial;
    run(initial, PAGE);

    if (input) {
      let timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          let query = input.value;
          let url = new URL(window.location.href);
          if (query.trim()) url.searchParams.set("q", query);
          else url.searchParams.delete("q");
          window.history.replaceState(null, "", url.toString());
          run(query, PAGE);
        }, DELAY);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
