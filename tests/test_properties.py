"""Properties over any input (Hypothesis): the comment filter, front matter with its lines, the flat YAML reader."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from intake.files import dump
from sitegen.core.flatyaml import flat_mapping
from sitegen.core.codepoints import strip_forbidden
from sitegen.core.comment_html import comment_to_html
from sitegen.core.source import SourceError, parse_yaml, read_markdown

# What the filter itself may write; anything else that looks like markup came from the visitor.
OWN_TAGS = re.compile(r'<p>|</p>|<br>|</a>|<a href="(https?://[^"<>]*)" rel="nofollow ugc noopener">', re.I)
ENTITY = re.compile(r"&(amp|lt|gt|#34|#39);")
# Host names with a dot: a bare 'http://a' (8 characters) is not linked, as `_autolink` skips anything no
# longer than 'https://'; harmless, as no visitor links a one-letter host.
URLS = st.from_regex(r"(?i:https?)://[a-z0-9]([a-z0-9-]{0,10})\.[a-z]{2,6}(/[A-Za-z0-9_/?=&%~+-]{0,20}[A-Za-z0-9/])?",
                     fullmatch=True)


@settings(max_examples=200)
@given(st.text())
@example("<b>fett</b> & 'Co' \"x\"")  # a line without a URL is escaped too
@example("a\n<script>x</script>\n\nhttps://a.example/<b>")
def test_any_comment_text_comes_out_escaped_with_every_character_kept(body: str) -> None:
    out = str(comment_to_html(body))
    rest = OWN_TAGS.sub("", out)
    assert not set("<>\"'") & set(rest), out
    assert "&" not in ENTITY.sub("", rest), out
    for href in re.findall(r'<a href="([^"]*)"', out):
        assert re.match(r"https?://", html.unescape(href), re.I)
    # Markup added and spaces aside, the visitor's text is all there, in order.
    assert "".join(html.unescape(rest).split()) == "".join(body.split())


@settings(max_examples=150)
@given(st.lists(st.one_of(URLS, st.from_regex(r"[A-Za-zäöüß,.<>&]{1,12}", fullmatch=True)), min_size=1, max_size=8))
def test_every_bare_url_between_words_becomes_a_nofollow_link(words: list[str]) -> None:
    out = str(comment_to_html(" ".join(words)))
    urls = [w for w in words if "://" in w]
    links = re.findall(r'<a href="([^"]*)" rel="nofollow ugc noopener">([^<]*)</a>', out)
    assert [html.unescape(href) for href, _ in links] == urls
    assert all(href == text for href, text in links)


KEYS = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
# Scalars as editors write them: double-quoted text (any printable character, escaped), plain words, numbers.
VALUES = st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))),
                   st.from_regex(r"[A-Za-zÄÖÜäöüß][A-Za-z ÄÖÜäöüß]{0,20}[A-Za-z]", fullmatch=True),
                   st.integers(-10**6, 10**6))
FILLER = st.sampled_from(["", "# eine Notiz", "   "])


def scalar(value: object) -> str:
    """value as one line of YAML: strings double-quoted with escapes, so any text fits."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") \
            .replace("\u2028", "\\L").replace("\u2029", "\\P").replace("\x85", "\\N").replace("\ufeff", "\\uFEFF") + '"'
    return str(value)


@st.composite
def front_matter(draw: st.DrawFn) -> tuple[str, dict[str, object], dict[tuple[str, ...], int], int]:
    """A Markdown file, the mapping its front matter holds and the line of every key."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=6, unique=True))
    lines, data, where = ["---"], {}, {}
    for key in keys:
        lines += draw(st.lists(FILLER, max_size=2))
        where[(key,)] = len(lines) + 1
        if draw(st.booleans()):  # a nested mapping, as themenpate: {name, role}
            inner = draw(st.dictionaries(KEYS, VALUES, min_size=1, max_size=3))
            lines.append(f"{key}:")
            for sub, value in inner.items():
                lines += [f"  {sub}: {scalar(value)}"]
                where[(key, sub)] = len(lines)
            data[key] = inner
        else:
            data[key] = draw(VALUES)
            lines.append(f"{key}: {scalar(data[key])}")
    lines.append("---")
    body_line = len(lines) + 1
    return "\n".join(lines) + "\n" + draw(st.text(max_size=40)), data, where, body_line


@settings(max_examples=150)
@given(front_matter())
def test_front_matter_gives_its_values_and_the_line_of_every_key(case) -> None:
    text, data, where, body_line = case
    source = read_markdown(Path("t.md"), text)
    assert source.data == data
    for key, line in where.items():
        assert source.lines[key] == line, (key, text)
    assert source.body_line == body_line


@settings(max_examples=150)
@given(front_matter(), st.data())
def test_a_broken_value_is_reported_at_its_own_line(case, data: st.DataObject) -> None:
    text, _, where, _ = case
    lines = text.split("\n")
    at = data.draw(st.integers(1, min(where.values())), label="broken line")  # before the first key or on it
    # Brackets no later line can close (a quote could pair with one in a later value).
    broken = data.draw(st.sampled_from(["kaputt: [1, 2", "kaputt: {a: 1", "kaputt: [eins, {zwei: 2}"]))
    lines.insert(at, broken)
    with pytest.raises(SourceError) as info:
        read_markdown(Path("t.md"), "\n".join(lines))
    assert info.value.line == at + 1


def agree(text: str) -> bool:
    """flat_mapping declines, or gives the safe loader's value (types included) and key lines; True if taken."""
    flat = flat_mapping(text)
    if flat is None:
        return False
    value = yaml.load(text, Loader=yaml.CSafeLoader)
    assert repr(flat[0]) == repr(value), text
    _, lines = parse_yaml(text)
    for key in [()] + [(k,) for k in value]:
        assert flat[1][key] == lines[key], (text, key)
    return True


def comment(body: str, name: str) -> dict[str, object]:
    return {"id": "k1", "topic": "t", "parent": None, "name": name, "body": body, "date": "2026-02-16T06:45:00Z",
            "official": None, "moderated_at": "2026-02-17T08:00:00Z", "moderated_by": "redaktion"}


PIECES = st.sampled_from(list(" \t\n'\"\\:#-?&*!|>%@`{}[],~\u00a0") + ["\\n", "\\x4", "\\u00e4", "''", ": ", " #",
                                                                   "\n  ", "\n\n", "---\n", "\n- ", "null"])


@settings(max_examples=200)
@given(st.text(), st.text(max_size=30), st.integers(20, 200))
def test_what_the_intake_writes_reads_as_the_safe_loader_reads_it(body: str, name: str, width: int) -> None:
    text = strip_forbidden(dump(comment(body, name)))
    agree(text)
    agree(yaml.dump(yaml.safe_load(text), Dumper=yaml.CSafeDumper, allow_unicode=True, width=width, sort_keys=False))


@settings(max_examples=200)
@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 10**4), PIECES, st.sampled_from([0, 0, 1, 3])),
                                      min_size=1, max_size=4))
def test_edited_files_read_as_the_safe_loader_reads_them_or_are_declined(body: str, edits) -> None:
    text = dump(comment(body, "Lea S."))
    for at, piece, cut in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at + cut:]
    text = strip_forbidden(text)
    try:
        yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError):
        assert flat_mapping(text) is None
        return
    agree(text)
