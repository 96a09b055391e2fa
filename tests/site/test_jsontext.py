"""The fast JSON writer writes exactly what json.dumps writes (the open data's bytes)."""

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
]


@pytest.mark.parametrize("data", CASES)
def test_same_text_as_json_dumps(data: Any) -> None:
    assert jsontext.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2, default=str)


def test_keys_json_refuses_are_refused() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({(1, 2): "tuple key"})


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("data", CASES)
def test_pieces_join_to_the_same_text(data: Any, depth: int) -> None:
    joined = "".join(jsontext.dumps_pieces(data, depth=depth))
    assert joined == json.dumps(data, ensure_ascii=False, indent=2, default=str)


def test_a_large_document_comes_in_several_pieces() -> None:
    data = {"regions": [{"code": "370000"}], "items": [{"id": f"事项-{n}", "n": [n, n / 3]}
                                                       for n in range(20_000)]}
    pieces = list(jsontext.dumps_pieces(data))
    assert len(pieces) > 3
    assert "".join(pieces) == json.dumps(data, ensure_ascii=False, indent=2, default=str)
