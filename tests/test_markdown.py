"""Editors' Markdown: our converter (faster inline pass) gives what a plain Python-Markdown gives."""

from __future__ import annotations

import re

import markdown
import pytest

from sitetest import FIXTURE
from sitegen.engine.speedups.inline import needs
from sitegen.core.markup import EXTENSION_CONFIG, EXTENSIONS, markdown_to_html


def _plain() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIG, output_format="html")


def test_markdown_has_tables_and_german_heading_ids() -> None:
    html = markdown_to_html("## Über uns\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="über-uns">Über uns</h2>' in html and "<table>" in html


EVERY_FEATURE = """\
Ein *HTML*-Text mit **Fett**, _kursiv_, `Code`, \\*Escape\\*, &amp; Entität, <b>roh</b>,
<https://example.org>, [Link](https://example.org "Titel"), ![Bild](a.png), [Ref][r] und Fußnote[^1].  
Zeilenumbruch davor.

*[HTML]: Hypertext Markup Language
[r]: https://example.org/ref
[^1]: Die Fußnote.

Begriff
:   Erklärung

```python
print("x")
```

<div markdown="1">*in HTML*</div>

## Mit Attribut {: .klasse }

| a | b |
|---|---|
| 1 | 2 |
"""


def test_markdown_converter_matches_a_plain_one() -> None:
    bodies = [EVERY_FEATURE] + [p.read_text(encoding="utf-8").split("---", 2)[2]
                                for p in sorted((FIXTURE / "content").rglob("*.md"))]
    for body in bodies:
        assert markdown_to_html(body) == _plain().convert(body)
    html = markdown_to_html(EVERY_FEATURE)
    assert '<abbr title="Hypertext Markup Language">HTML</abbr>' in html and 'class="footnote-ref"' in html


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"a", ("a",)),
    (r"\[\^([^\]]*)\]", ("[^",)),  # a run of literals, not its first character
    (r"  \n", ("  \n",)),
    (r"x?y", ("y",)),  # an optional item needs nothing
    (r"\*|_", ("*", "_")),  # either branch
    (r"a|b*", None),  # one branch needs nothing: so does the whole
    (r"(?<!\\)(?=`+)", ("`",)),  # a lookahead must match in the text; a negative one says nothing
    (r"(?:ab)+", ("ab",)),
    (r"(?:ab)*c", ("c",)),
    (r"[<&]", ("&", "<")),
    (r"[^<]", None),
    (r"[a-z]", None),
    (r"(?i)x", None),  # 'X' matches too
    (r"(?i:x)y", ("y",)),
    (r".", None),
    (r"\d", None),
])
def test_needs_reads_what_every_match_holds(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert needs(re.compile(pattern)) == expected


def _inline_patterns() -> list:
    markdown_to_html("x")  # makes the converter
    from sitegen.core import markup
    return list(markup._md.treeprocessors["inline"].inlinePatterns)  # type: ignore[union-attr]


def test_the_converters_patterns_are_skipped_only_where_they_cannot_match(blns: list[str]) -> None:
    """For every inline pattern and hostile string: a match means the string holds what needs() said."""
    patterns = _inline_patterns()
    known = [p for p in patterns if needs(p.getCompiledRegExp())]
    assert len(known) >= len(patterns) - 1, "most patterns should be skippable, or the speed-up is lost"
    texts = blns + [EVERY_FEATURE, "a  \nb", "<a@b.de>", "<https://x.de>", "&#x41;", "\\`x`"]
    for pattern in known:
        regex, strings = pattern.getCompiledRegExp(), needs(pattern.getCompiledRegExp())
        for text in texts:
            if regex.search(text):
                assert any(s in text for s in strings), (type(pattern).__name__, text)


MARKUP = ["{}", "*{}*", "**{}**", "_{}_", "`{}`", "[{}](https://example.org/{})", "![{}](bild.png)",
          "<{}>", "&{};", "\\{}", "{}  \nweiter", "[^{}]\n\n[^{}]: Fußnote", "*[{}]: Abkürzung\n\n{}",
          "## {}\n\n| {} | b |\n|---|---|\n| {} | 2 |", "- {}\n  - [{}][r]\n\n[r]: https://x.de"]


def test_the_converter_matches_a_plain_one_on_hostile_text(blns: list[str]) -> None:
    """Every hostile string, alone and inside each kind of markup, converts as a plain converter does."""
    plain = _plain()
    mismatches = []
    for s in blns:
        for shape in MARKUP:
            body = shape.replace("{}", s)
            if markdown_to_html(body) != plain.reset().convert(body):
                mismatches.append(body)
    assert mismatches == []


def test_block_level_answers_are_markdowns_and_follow_its_list() -> None:
    import xml.etree.ElementTree as etree

    from sitegen.engine.speedups.blocklevel import MAX_TAGS, BlockLevel

    md = _plain()
    block_level = BlockLevel(md)
    tags = ["p", "P", "div/", "DIV", "span", "hr/", "custom", "", "/", etree.Comment, None, 3]
    for tag in tags + tags:  # the second time from memory
        assert block_level(tag) == markdown.Markdown.is_block_level(md, tag), tag
    assert block_level(["unhashable"]) is False
    md.block_level_elements.append("custom")  # as an extension may
    assert block_level("custom") is False  # remembered until checked
    block_level.check()
    assert block_level("custom") is True
    for n in range(MAX_TAGS + 2):
        block_level(f"t{n}")
    block_level.check()
    assert len(block_level.answers) == 0  # raw HTML naming many tags does not grow it without end


HEADINGS = """\
# Titel

## Über uns

## Über uns

### Mit *Betonung* und `Code`[^f] {#eigene-id}

## Mit Etikett { data-toc-label="Kurz" }

## inhalt

#### <b>roh</b> &amp; Entität

[^f]: Fußnote
"""


@pytest.mark.parametrize("body", [HEADINGS, "[TOC]\n\n" + HEADINGS, HEADINGS + "\n[TOC]\n", "\\[TOC]\n\n" + HEADINGS,
                                  "Kein Titel, nur Text.", "## [TOC]\n\n## [TOC]"])
def test_heading_ids_are_the_toc_extensions_with_or_without_a_table(body: str) -> None:
    """headings.py skips the table of contents for texts without the marker: ids, labels and a
    wanted table come out as the plain extension makes them."""
    from sitegen.engine.speedups import headings
    from sitegen.core import markup

    html = markdown_to_html(body)
    assert type(markup._md.treeprocessors["toc"]) is headings.HeadingIds  # the fast path is in place
    assert html == _plain().convert(body)
    if body.startswith("[TOC]"):
        assert '<div class="toc">' in html and 'href="#über-uns_1"' in html
    if body is HEADINGS:
        assert 'id="über-uns_1"' in html and 'id="eigene-id"' in html and "data-toc-label" not in html
