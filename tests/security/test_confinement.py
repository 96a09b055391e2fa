"""What svccat never does, whatever the catalogue says (issue #8): write outside the output
folder, open a network connection, or run code written in the catalogue."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from svccat.site.output import MARKER
from tests.security.conftest import snapshot, svccat
from tests.site.small import write_small

LURES = {
    # Remote schemas and references an editor might add, or an attacker: never fetched.
    "catalogue/items/370784/370784-lure.yaml": """\
# yaml-language-server: $schema=https://schemas.evil.example/item.schema.json
$schema: https://schemas.evil.example/item.schema.json
id: 370784-lure
name: 诱饵事项 {{ ''.__class__.__mro__ }} {% include '/etc/passwd' %}
type: 公共服务
region: "370784"
department: 370784-gaj
tier: main
status: published
materials:
  - {name: "{{ config }}", necessity: 必要, $ref: "https://evil.example/r.json"}
channels:
  online: {depth: IV, url: "https://evil.example/online"}
""",
    # Jinja syntax in a valid item, so that it reaches the site.
    "catalogue/items/370784/370784-jinja.yaml": """\
# yaml-language-server: $schema=https://schemas.evil.example/item.schema.json
id: 370784-jinja
name: 模板语法 {{ ''.__class__.__mro__ }} {% include '/etc/passwd' %}
type: 公共服务
region: "370784"
department: 370784-gaj
tier: main
status: published
""",
    # A template where svccat would find it if it looked in the working directory or the
    # catalogue: it must not.
    "templates/base.html": "{{ 7*7 }} EVIL-TEMPLATE\n",
    "catalogue/templates/base.html": "{{ 7*7 }} EVIL-TEMPLATE\n",
}


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    """Protects: lint, build and diff write only the output folder, the files named with -o
    and lint's cache; everything else under the project, and beside it, stays byte for byte."""
    project = write_small(tmp_path / "project", extra=LURES)
    write_small(tmp_path / "other")
    before = snapshot(tmp_path)
    for args in (["lint"], ["lint", "--format", "sarif"], ["rules"],
                 ["diff", "../other/catalogue", "catalogue"], ["diff", "370784", "370785"],
                 ["build", "--force", "--out", "site"], ["build", "--force", "--out", "site"]):
        svccat(*args, cwd=project).assert_answered()
    svccat("lint", "-f", "json", "-o", "report.json", cwd=project).assert_answered()
    after = snapshot(tmp_path)
    added = sorted(set(after) - set(before))
    # The lint cache (docs/configuration.md) is the one other thing lint writes.
    assert all(name.startswith(("project/site", "project/.svccat-cache")) for name in added
               if name != "project/report.json")
    assert "project/report.json" in added and f"project/site/{MARKER}" in added
    assert {k: v for k, v in after.items() if k in before} == before


def test_no_network_connection_is_ever_opened(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: schemas are bundled and referenced by their inlined copies, templates load
    nothing, and no check looks anything up: `$schema`, `$ref` and URLs in the catalogue are
    text. Any attempt to resolve a name or connect fails this test."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("svccat must not use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    project = write_small(tmp_path / "project", extra=LURES)
    for args in (["lint"], ["build", "--force", "--out", "site"],
                 ["diff", "370784", "370785", "--format", "html"]):
        svccat(*args, cwd=project).assert_answered()
    assert attempts == []
    assert (project / "site" / MARKER).is_file()


def test_nothing_in_the_catalogue_runs_as_code(tmp_path: Path) -> None:
    """Protects: templates come from svccat's own package only, never from the working
    directory or the catalogue, and catalogue text is data, never a template: Jinja syntax
    in a name is shown as written."""
    project = write_small(tmp_path / "project", extra=LURES)
    done = svccat("build", "--force", "--out", "site", cwd=project)
    done.assert_answered()
    assert done.code == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html"))
    assert "EVIL-TEMPLATE" not in pages
    guide = (project / "site/items/370784-jinja.html").read_text(encoding="utf-8")
    assert "{{ &#39;&#39;.__class__.__mro__ }} {% include &#39;/etc/passwd&#39; %}" in guide
    assert "root:" not in pages
