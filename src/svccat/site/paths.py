"""Where each page and data file lives in the output, relative to the site root.

Ids are schema-checked (`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`) so they are safe file names;
theme names are free text, so their pages are named by a hash of the name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from svccat.site.labels import TYPE_SLUGS

INDEX = "index.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
DASHBOARD = "dashboard.html"
CERTIFICATES = "certificates.html"
STYLE = "static/style.css"
PRINT_STYLE = "static/print.css"
CATALOGUE_JSON = "data/catalogue.json"
CATALOGUE_CSV = "data/catalogue.csv"


def item(item_id: str) -> str:
    return f"items/{item_id}.html"


def region(code: str) -> str:
    return f"regions/{code}.html"


def consistency(code: str) -> str:
    return f"consistency/{code}.html"


def department(department_id: str) -> str:
    return f"departments/{department_id}.html"


def legal(document_id: str) -> str:
    return f"legal/{document_id}.html"


def theme(name: str) -> str:
    return f"themes/{hashlib.sha256(name.encode('utf-8')).hexdigest()[:12]}.html"


def item_type(name: str) -> str:
    # An unknown type only reaches the site under --force; its page still needs a safe name.
    slug = TYPE_SLUGS.get(name) or hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return f"types/{slug}.html"


def certificate(certificate_id: str) -> str:
    return f"{CERTIFICATES}#cert-{certificate_id}"


def region_data(code: str, suffix: str) -> str:
    return f"data/regions/{code}.{suffix}"


def registry_data(name: str) -> str:
    return f"data/registries/{name}.json"


def root_for(path: str, base_url: str | None) -> str:
    """The prefix that leads from a page back to the site root.

    Relative (`../`) by default so that the folder works when opened from disk; the base URL
    when the site is served under a known prefix.
    """
    if base_url is not None:
        return base_url
    return "../" * (len(PurePosixPath(path).parts) - 1)


def inside(folder: Path, path: str) -> Path:
    """The file for a site path, refusing any path that would leave the output folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"output path {path!r} leaves the site folder")
    target = folder.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"output path {path!r} leaves the site folder")
    return target


class Folders:
    """Where each site path goes in a new site's folder (svccat.site.output, whose render
    workers use it too). Folders are made and checked once each, not once per file:
    resolving every path cost a system call per component and page."""

    def __init__(self, building: Path) -> None:
        self.building = building
        self.made: set[tuple[str, ...]] = set()

    def target(self, path: str) -> Path:
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or ".." in parts:
            raise ValueError(f"output path {path!r} leaves the site folder")
        folder = parts[:-1]
        if folder not in self.made:
            # The folder is new and ours, but a component could be a link planted meanwhile.
            inside(self.building, path)
            self.building.joinpath(*folder).mkdir(parents=True, exist_ok=True)
            inside(self.building, path)
            self.made.add(folder)
        # open(..., "x") and link() refuse an existing name, a link included.
        return self.building.joinpath(*parts)
