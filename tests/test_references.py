"""Cross-file checks on small catalogues written for each case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import lint_json
from tests.test_cli import GOOD_ITEM, REGISTRIES


def _item(ident: str, **fields: str) -> str:
    text = GOOD_ITEM.replace("370000-a", ident)
    return text + "".join(f"{k}: {v}\n" for k, v in fields.items())


def _codes(root: Path) -> list[tuple[str, str, int | None]]:
    _, report = lint_json(cwd=root)
    return [(p["code"], p["file"].rsplit("/", 1)[-1], p["line"]) for p in report["problems"]]


def test_three_item_cycle_is_reported_on_each_member(write: Any) -> None:
    root = write({**REGISTRIES,
                  "catalogue/items/a.yaml": _item("a", parent="b"),
                  "catalogue/items/b.yaml": _item("b", parent="c"),
                  "catalogue/items/c.yaml": _item("c", parent="a"),
                  "catalogue/items/d.yaml": _item("d", parent="a")})
    assert _codes(root) == [("X008", "a.yaml", 11), ("X008", "b.yaml", 11), ("X008", "c.yaml", 11)]


def test_a_broken_parent_is_not_reported_again_as_unknown(write: Any) -> None:
    root = write({**REGISTRIES,
                  "catalogue/items/p.yaml": _item("p") + "name: [\n",
                  "catalogue/items/q.yaml": _item("q", parent="p", implements="p")})
    assert _codes(root) == [("Y001", "p.yaml", 12)]


def test_an_invalid_parent_is_not_reported_again_as_unknown(write: Any) -> None:
    root = write({**REGISTRIES,
                  "catalogue/items/p.yaml": _item("p", colour="red"),
                  "catalogue/items/q.yaml": _item("q", parent="p")})
    assert _codes(root) == [("S002", "p.yaml", 11)]


def test_registries_may_be_split_into_folders_and_yml(write: Any) -> None:
    root = write({
        "svccat.toml": REGISTRIES["svccat.toml"],
        "catalogue/registries/regions.yaml": REGISTRIES["catalogue/registries/regions.yaml"],
        "catalogue/registries/legal-documents.yml":
            REGISTRIES["catalogue/registries/legal-documents.yaml"],
        "catalogue/registries/departments/370000.yaml":
            REGISTRIES["catalogue/registries/departments.yaml"],
        "catalogue/registries/departments/370700.yaml":
            "departments:\n  - {id: 370700-gaj, name: 潍坊市公安局, region: '370700', system: 公安}\n",
        "catalogue/items/370000-a.yaml": GOOD_ITEM,
        "catalogue/.drafts/ignored.yaml": "not: [valid\n",
        "catalogue/notes.txt": "not yaml",
    })
    assert _codes(root) == [("X002", "370700.yaml", 2)]


def test_registry_entry_errors_keep_the_other_entries(write: Any) -> None:
    regions = ("regions:\n  - {code: '370000', name: 山东省, level: province}\n"
               "  - {code: '3707', name: 潍坊市, level: city}\n")
    root = write({**REGISTRIES, "catalogue/registries/regions.yaml": regions,
                  "catalogue/items/370000-a.yaml": GOOD_ITEM})
    assert _codes(root) == [("S005", "regions.yaml", 3)]


def test_certificate_ids_share_one_space(write: Any) -> None:
    certs = ("retained:\n  - {id: c1, name: 户籍证明, basis: [{document: sfzf}], demanding_unit: 公安,"
             " issuing_unit: 派出所}\n"
             "cancelled:\n  - {id: c1, name: 居住证明, category: 无依据, reason: 无依据,"
             " cancelled_by: {document: sfzf}}\n")
    root = write({**REGISTRIES, "catalogue/registries/certificates.yaml": certs,
                  "catalogue/items/370000-a.yaml": GOOD_ITEM})
    assert _codes(root) == [("X001", "certificates.yaml", 4)]


def test_unknown_references_in_registries(write: Any) -> None:
    certs = ("retained:\n  - id: c1\n    name: 户籍证明\n    basis: [{document: nope}]\n"
             "    demanding_unit: 公安\n    issuing_unit: 派出所\n"
             "    data_sharing: {holder: 370000-nobody}\n")
    root = write({**REGISTRIES, "catalogue/registries/certificates.yaml": certs,
                  "catalogue/items/370000-a.yaml": GOOD_ITEM})
    assert _codes(root) == [("X004", "certificates.yaml", 4), ("X003", "certificates.yaml", 7)]
