"""rashomon.read.limits: JSON refused by depth before parsing, HTML flattened below the depth libxml2 holds."""

from __future__ import annotations

import json

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.read.limits import (
    MAX_HTML_DEPTH,
    TooDeep,
    Unparsable,
    flatten_html,
    json_depth_exceeds,
    loads,
    needs_flattening,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet="[]{}\"\\ab"),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                                      max_size=3),
                           max_leaves=30)


@given(json_values, st.integers(min_value=1, max_value=8))
def test_the_depth_check_agrees_with_the_parsed_depth(value, limit):
    text = json.dumps(value)
    assert json_depth_exceeds(text, limit) == (depth_of(value) > limit)


@pytest.mark.parametrize("text", ["[" * 100_000, "{\"a\":" * 50_000, "[" * 65 + "]" * 65])
def test_deep_json_is_refused_before_parsing(text):
    with pytest.raises(TooDeep, match="nested deeper than 64"):
        loads(text)


def test_a_number_too_long_to_convert_is_refused_not_escaped():
    """Python refuses int conversion past 4,300 digits with a plain ValueError, not a JSONDecodeError."""
    with pytest.raises(Unparsable, match="4300 digits"):
        loads('{"text": "x", "id": ' + "9" * 5_000 + "}")


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"text": "[" * 10_000 + "\\\"{" * 100})
    assert loads(text)["text"].startswith("[[[")


def _depth(html: str) -> int:
    root = lxml.html.document_fromstring(html)
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in node)
    return deepest


@pytest.mark.parametrize("wrapper", ["<div>", "<span>", "<div class=x/>", "<table><tr><td>", "<ul><li>",
                                     "<blockquote>", "<b><i>"])
def test_flattened_html_fits_the_parser_and_keeps_its_text(wrapper):
    page = "<html><body>" + wrapper * 3000 + "<p>deep &amp; kept</p>" + "<p>after</p></body></html>"
    assert needs_flattening(page)
    flat = flatten_html(page)
    assert _depth(flat) <= 255 - 20 and not needs_flattening(flat)
    text = lxml.html.document_fromstring(flat).text_content()
    assert "deep & kept" in text and "after" in text


def test_ordinary_pages_are_left_alone():
    page = "<html><body>" + "<p>para" * 500 + "<ul>" + "<li>item" * 500 + "</ul>" + "<br/>" * 500 + "</body></html>"
    assert not needs_flattening(page)  # unclosed <p> and <li> are siblings, not nesting
    assert flatten_html("<div><p>a &amp; b</p><script>if (a<b) x = '</p>'</script></div>") == \
        "<div><p>a &amp; b</p><script>if (a<b) x = '</p>'</script></div>"
    assert MAX_HTML_DEPTH < 255
