#!/usr/bin/env python3
"""Write a catalogue's items as a Hugo site: one Markdown page with front matter per item.

    python benchmarks/hugo/convert.py --catalogue DIR --out SITE

SITE receives a copy of benchmarks/hugo/site/ (config and layouts), then
`content/items/<region>/<id>.md` for every item file, whose YAML front matter holds the
title, `draft: true` unless the item is published (Hugo, like svccat, leaves drafts out) and
the item's own fields under `item:` (so that fields such as `type` do not collide with
Hugo's own front matter keys), and `data/{regions,departments,legal}.json`: the registries as
id → entry tables, for the names the item page shows (region, department, law titles).
Each region folder gets an `_index.md`, so Hugo writes one list page per region, as svccat does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

SITE = Path(__file__).resolve().parent / "site"
LOADER: Any = yaml.CSafeLoader
DUMPER: Any = yaml.CSafeDumper


def _load(path: Path) -> Any:
    with open(path, "rb") as handle:
        return yaml.load(handle.read().decode("utf-8"), Loader=LOADER)


def _registries(catalogue: Path) -> dict[str, dict[str, Any]]:
    """The registries the item page looks names up in, as id → entry."""
    registries = catalogue / "registries"
    regions = {r["code"]: r for r in _load(registries / "regions.yaml")["regions"]}
    departments: dict[str, Any] = {}
    for path in sorted((registries / "departments").glob("*.yaml")):
        departments.update({d["id"]: d for d in _load(path)["departments"]})
    legal = {d["id"]: {"title": d["title"], "number": d.get("number")}
             for d in _load(registries / "legal-documents.yaml")["legal_documents"]}
    return {"regions": regions, "departments": departments, "legal": legal}


def page(item: dict[str, Any]) -> str:
    """The Markdown page of one item: front matter only (the layout renders the fields)."""
    front = {"title": item["name"], "draft": item.get("status") != "published", "item": item}
    return "---\n" + yaml.dump(front, Dumper=DUMPER, allow_unicode=True, sort_keys=False) + "---\n"


def convert(catalogue: Path, out: Path) -> int:
    """Write the Hugo site of catalogue into out (replacing its content/ and data/); the
    number of item pages written."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SITE, out, dirs_exist_ok=True)
    for sub in ("content", "data"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir()
    for name, table in _registries(catalogue).items():
        (out / "data" / f"{name}.json").write_text(json.dumps(table, ensure_ascii=False, default=str),
                                                   encoding="utf-8")
    items = out / "content" / "items"
    items.mkdir()
    (items / "_index.md").write_text("---\ntitle: 全部事项\n---\n", encoding="utf-8")
    (out / "content" / "_index.md").write_text("---\ntitle: 公共服务事项办事指南\n---\n", encoding="utf-8")
    regions = _registries_names(out)
    written = 0
    for folder, dirnames, filenames in os.walk(catalogue / "items"):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or not filename.endswith((".yaml", ".yml")):
                continue
            item = _load(Path(folder, filename))
            region = str(item["region"])
            target = items / region
            if not target.is_dir():
                target.mkdir()
                title = regions.get(region, region)
                front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
                (target / "_index.md").write_text(front, encoding="utf-8")
            (target / f"{item['id']}.md").write_text(page(item), encoding="utf-8")
            written += 1
    return written


def _registries_names(site: Path) -> dict[str, str]:
    text = (site / "data" / "regions.json").read_text(encoding="utf-8")
    regions: dict[str, dict[str, Any]] = json.loads(text)
    return {code: str(entry["name"]) for code, entry in regions.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a catalogue's items as a Hugo site.")
    parser.add_argument("--catalogue", type=Path, required=True,
                        help="catalogue folder (items/, registries/)")
    parser.add_argument("--out", type=Path, required=True, help="Hugo site folder to write")
    args = parser.parse_args(argv)
    written = convert(args.catalogue, args.out)
    print(f"{args.out}: {written} item pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
