"""YAML text for the files svccat writes itself, close to the canonical layout of `svccat fmt`
(which has the last word): block collections with each list's `- ` under its key, time limits
and short legal references on one line, text that YAML would read as a number, date or boolean
in double quotes, no line folding."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
_TIME_LIMIT_KEYS = frozenset({"days", "unit", "note"})
_SHORT_REF_KEYS = frozenset({"document", "article"})


class _Dumper(yaml.SafeDumper):
    pass


def _one_line(data: dict[str, Any]) -> bool:
    keys = set(data)
    return ((keys <= _TIME_LIMIT_KEYS and "days" in keys)
            or (keys <= _SHORT_REF_KEYS and "document" in keys))


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    # What the text would be read as without quotes: "370784" a number, "2025-01-01" a date.
    implicit = dumper.resolve(ScalarNode, data, (True, False))  # type: ignore[no-untyped-call]
    style = '"' if implicit != _STR else None
    return dumper.represent_scalar(_STR, data, style=style)


def _represent_dict(dumper: _Dumper, data: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                    flow_style=_one_line(data))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)


def dump(data: dict[str, Any]) -> str:
    """A mapping as YAML, keys in the order given."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1_000_000)
    return text


def scalar(value: str) -> str:
    """One text value as it would appear after `key: ` (quoted only when it must be)."""
    return dump({"v": value}).removeprefix("v: ").rstrip("\n")
