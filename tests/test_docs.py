"""Generated documentation stays in sync with the code it is generated from."""

from __future__ import annotations

import pytest

from svccat.docgen import problems_markdown, rules_markdown
from svccat.lintconfig import known_codes
from svccat.problems import CODES
from svccat.rules import RULES
from tests.conftest import REPO, run_svccat


@pytest.mark.parametrize(("name", "render"), [("problems.md", problems_markdown),
                                               ("rules.md", rules_markdown)])
def test_generated_docs_are_in_sync(name: str, render: object) -> None:
    on_disk = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert on_disk == render(), f"run `make docs` to regenerate docs/{name}"  # type: ignore[operator]


def test_every_code_is_documented_with_both_languages() -> None:
    text = problems_markdown()
    for info in CODES.values():
        assert f"`{info.code}`" in text and info.title.zh in text and info.title.en in text
    text = rules_markdown()
    for rule in RULES.values():
        assert f"### {rule.code} `{rule.name}`" in text


@pytest.mark.parametrize("rule", sorted(RULES.values(), key=lambda r: r.code), ids=lambda r: r.code)
def test_every_rule_documents_a_bad_and_a_good_example(rule: type) -> None:
    doc = rule.doc()  # type: ignore[attr-defined]
    assert "Bad:" in doc and "Good:" in doc
    assert rule.title.zh and rule.title.en  # type: ignore[attr-defined]
    assert rule.severity in {"error", "warning", "info"}  # type: ignore[attr-defined]


def test_rules_command_lists_and_explains() -> None:
    done = run_svccat("rules", "--lang", "en", cwd=REPO)
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines()]
    assert listed == list(known_codes())
    done = run_svccat("rules", "C002", cwd=REPO)
    assert done.returncode == 0 and "要求已取消的证明" in done.stdout and "Bad:" in done.stdout
    done = run_svccat("rules", "G002", "--lang", "en", cwd=REPO)
    assert "threshold = 3" in done.stdout
    assert run_svccat("rules", "Z999", cwd=REPO).returncode == 2


def _schema_rows() -> list[tuple[str, str, str, bool]]:
    """(schema, key, Chinese title, is a container) of every property of every schema."""
    from svccat.schema import load_schemas

    found: list[tuple[str, str, str, bool]] = []

    def container(prop: dict[str, object]) -> bool:
        items = prop.get("items")
        return prop.get("type") == "object" or (
            isinstance(items, dict) and items.get("type") == "object")

    def walk(node: object, schema: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                found.append((schema, key, sub["title"], container(sub)))
            for key, sub in node.items():
                if key not in ("if", "then", "else"):
                    walk(sub, schema)
        elif isinstance(node, list):
            for sub in node:
                walk(sub, schema)

    for name, schema in load_schemas().items():
        walk(schema, name)
    return found


def test_format_reference_covers_every_schema_property_in_both_languages() -> None:
    """docs/format.md's field tables were generated from the schemas; a property added to a
    schema without its row in both halves of the page fails here. A block (mapping or list of
    mappings) may be described by a section instead of a row."""
    import re

    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    chinese, _, english = text.partition("\n## English")
    missing = []
    for schema, key, title, is_block in _schema_rows():
        row = re.compile(rf"\| `(?:[\w.\[\]]*\.)?{re.escape(key)}` \| {re.escape(title)} \|")
        for half in (chinese, english):
            documented = row.search(half) or (
                is_block and (f"`{key}`" in half or f"\n{key}:" in half or f" {key}:" in half))
            if not documented:
                missing.append(f"{schema}: {key} ({title})")
    assert not missing, missing
