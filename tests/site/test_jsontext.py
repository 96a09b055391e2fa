"""The open data's JSON text: each entry of a list on a line, and read back, the same data that
json.dumps(indent=2) writes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from svccat.site import jsontext

CASES: list[Any] = [
    {}, [], "", 0, None, True, [[[]]], {"k": {"l": [{"m": [], "n": {}}]}},
    {"名称": "居民身份证\n\"申领\"\t\\ \u2028 \x00", "numbers": [1, -2, 2.5, 1e100, -0.0, 10**30]},
    {3: "int key", 2.5: "float key", True: "bool key", False: "no", None: "null key"},
    [float("nan"), float("inf"), -float("inf")],
    {"date": datetime.date(2024, 6, 1), "tuple": (1, "二"), "bools": [False, True]},
    {"items": [{"id": "a", "n": [1, {3: float("nan")}]}, {"id": "b", "on": datetime.date(2024, 6, 1)}],
     "region": {"code": "370784"}, "empty": [], "count": 2},
]


def indented(data: Any) -> str:
    """The text as it was before each entry went on one line."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@pytest.mark.parametrize("data", CASES)
def test_reads_back_as_the_data_json_dumps_writes(data: Any) -> None:
    # Compared as text once read back, so that NaN (never equal to itself) counts too.
    text = jsontext.dumps(data)
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=2) == indented(data)


def test_the_top_level_is_indented_and_each_entry_of_a_list_is_on_a_line() -> None:
    data = {"region": {"code": "370784", "name": "安丘市", "items": ["不展开"]},
            "items": [{"id": "370784-sfz", "名称": "居民身份证", "days": [60, 2.5, 1e100]},
                      {"id": "370784-hz", "on": datetime.date(2024, 6, 1), "n": float("nan")}],
            "cancelled": [], "count": 2}
    assert jsontext.dumps(data) == (
        '{\n'
        '  "region": {"code": "370784", "name": "安丘市", "items": ["不展开"]},\n'
        '  "items": [\n'
        '    {"id": "370784-sfz", "名称": "居民身份证", "days": [60, 2.5, 1e+100]},\n'
        '    {"id": "370784-hz", "on": "2024-06-01", "n": NaN}\n'
        '  ],\n'
        '  "cancelled": [],\n'
        '  "count": 2\n'
        '}')
    assert jsontext.dumps([{"a": 1}, "二", None]) == '[\n  {"a": 1},\n  "二",\n  null\n]'
    assert jsontext.dumps({"a": 1}) == '{\n  "a": 1\n}'
    assert jsontext.dumps("二") == '"二"'


@pytest.mark.parametrize("data", [case for case in CASES if isinstance(case, dict) and case])
def test_each_value_is_what_json_dumps_writes_on_one_line(data: dict[Any, Any]) -> None:
    lines = jsontext.dumps(data).split("\n")
    expected = ["{"]
    for key, value in data.items():
        key_text = json.dumps({key: None}, ensure_ascii=False)[1:-7]
        if isinstance(value, (list, tuple)) and value:
            expected.append(f"  {key_text}: [")
            expected += [f"    {json.dumps(entry, ensure_ascii=False, default=str)},"
                         for entry in value]
            expected[-1] = expected[-1].removesuffix(",")
            expected.append("  ],")
        else:
            expected.append(f"  {key_text}: {json.dumps(value, ensure_ascii=False, default=str)},")
    expected[-1] = expected[-1].removesuffix(",")
    expected.append("}")
    assert lines == expected


def test_keys_json_refuses_are_refused() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({(1, 2): "tuple key"})
    with pytest.raises(TypeError):
        jsontext.dumps({"items": [{(1, 2): "tuple key"}]})


@pytest.mark.parametrize("data", CASES)
def test_pieces_join_to_the_same_text(data: Any) -> None:
    assert "".join(jsontext.dumps_pieces(data)) == jsontext.dumps(data)


def test_a_large_document_comes_in_pieces_of_a_few_entries() -> None:
    data = {"regions": [{"code": "370000"}], "items": [{"id": f"事项-{n}", "n": [n, n / 3]}
                                                       for n in range(20_000)]}
    pieces = list(jsontext.dumps_pieces(data))
    assert len(pieces) > 100
    assert max(piece.count("\n") for piece in pieces) < 1_000
    text = "".join(pieces)
    assert json.loads(text) == data
    lines = text.split("\n")
    assert len(lines) == 20_000 + 7
    assert lines[5] == '    {"id": "事项-0", "n": [0, 0.0]},'
    assert lines[-3] == '    {"id": "事项-19999", "n": [19999, 6666.333333333333]}'


def _encoded(data: Any) -> Any:
    """data with each entry of its top-level lists, and its other top-level values, encoded
    already."""
    if isinstance(data, dict):
        return {key: [jsontext.line(v) for v in value] if isinstance(value, (list, tuple))
                else jsontext.line(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [jsontext.line(v) for v in data]
    return jsontext.line(data)


@pytest.mark.parametrize("data", CASES)
def test_text_encoded_already_is_written_where_its_value_would_be(data: Any) -> None:
    assert jsontext.dumps(_encoded(data)) == jsontext.dumps(data)


def test_plain_text_that_looks_like_json_is_still_written_as_text() -> None:
    assert jsontext.dumps(["[1]", {"k": "{}"}]) == '[\n  "[1]",\n  {"k": "{}"}\n]'
