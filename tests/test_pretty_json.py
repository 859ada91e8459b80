"""pretty_json.dumps is json.dumps(value, ensure_ascii=False, indent=1), to the character."""

from __future__ import annotations

import json
from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.pretty_json import dumps


def stdlib(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4)
                      | st.dictionaries(st.integers() | st.booleans() | st.none(), inner, max_size=3),
                      max_leaves=20)


@settings(max_examples=400)
@given(VALUES)
def test_it_writes_what_json_writes_for_any_value(value: object) -> None:
    assert dumps(value) == stdlib(value)


@given(VALUES, st.integers(min_value=0, max_value=6))
def test_a_value_at_a_depth_is_json_s_text_with_its_lines_indented_that_far(value: object, depth: int) -> None:
    assert dumps(value, depth) == stdlib(value).replace("\n", "\n" + " " * depth)


def test_hostile_strings_as_values_and_keys(blns: list[str]) -> None:
    record = {s: [s, {"text": s}] for s in blns}
    assert dumps(record) == stdlib(record)
    assert dumps(blns) == stdlib(blns)


@pytest.mark.parametrize("value", [
    {}, [], (), {"a": {}}, [[], {}], 1.5, float("nan"), float("-inf"), -0.0, 10**30, True, 1, 0,
    {1: "one", "1": "text"}, {None: 1, True: 2, 2.5: 3}, OrderedDict(b=1, a=2), [True, 1, None, "null"],
    "\u2028 \x00 \ud800", {"</script>": "<!-- & -->"},
])
def test_edge_values(value: object) -> None:
    assert dumps(value) == stdlib(value)


def test_a_value_nested_deeper_than_its_recursion_allows_is_written_as_json_writes_it() -> None:
    deep: list = []
    inner = deep
    for _ in range(600):  # json.dumps manages this depth; two frames a level here would not
        inner.append([])
        inner = inner[0]
    assert dumps({"a": deep}) == stdlib({"a": deep})
    assert dumps(deep, depth=2) == stdlib(deep).replace("\n", "\n  ")


@pytest.mark.parametrize("value", [{"a": object()}, [b"bytes"], {(1, 2): "tuple key"}])
def test_what_json_refuses_is_refused_alike(value: object) -> None:
    with pytest.raises(TypeError):
        stdlib(value)
    with pytest.raises(TypeError):
        dumps(value)
