"""Editors' Markdown: with the engine's speed-ups our converter gives what a plain Python-Markdown gives,
and on versions they were not written for it is the plain one."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Iterator

import markdown
import pytest
from markdown.extensions import toc

from sitetest import FIXTURE, REPO, TODAY
from sitegen import Tuning, build
from sitegen.core import markdown_html
from sitegen.core.markdown_html import EXTENSION_CONFIG, EXTENSIONS, markdown_to_html, use_speedups
from sitegen.engine import speedups
from sitegen.engine.speedups import blocks
from sitegen.engine.speedups.inline import needs


def _plain() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIG, output_format="html")


@pytest.fixture(autouse=True)
def fast() -> Iterator[None]:
    """markdown_to_html as a build makes it: with the speed-ups (and again after a test that changed that)."""
    speedups.enable()
    yield
    speedups.enable()


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
    return list(markdown_html._md.treeprocessors["inline"].inlinePatterns)  # type: ignore[union-attr]


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
          "## {}\n\n| {} | b |\n|---|---|\n| {} | 2 |", "- {}\n  - [{}][r]\n\n[r]: https://x.de",
          "> {}\n> > {}", "{}\n:   Erklärung {}", "{} | b\n--- | ---\n1 | {}", "Text\n# {}\nText",
          "[{}]: https://x.de/ \"{}\"\n\n[a][{}]"]


def test_block_processors_are_spared_only_blocks_they_would_not_take(blns: list[str]) -> None:
    """For every processor asked only about blocks holding some text, and every hostile block: where
    it would take the block (its expression matches; the table's own test says yes), the block holds
    that text."""
    markdown_to_html("x")  # makes the converter
    md = markdown_html._md
    processors = [p for p in md.parser.blockprocessors if blocks.needed(p)]  # type: ignore[union-attr]
    assert sorted(type(p).__name__ for p in processors) == sorted(
        c.__name__ for c in blocks.BY_EXPRESSION + tuple(blocks.BY_TEXT))
    texts = blns + [shape.replace("{}", s) for s in blns[::7] for shape in MARKUP] + [EVERY_FEATURE]
    taken = 0
    for processor in processors:
        wants = blocks.needed(processor)
        for text in texts:
            if type(processor) in blocks.BY_TEXT:
                takes = type(processor).test(processor, etree.Element("div"), text)
            else:
                takes = processor.RE.search(text) is not None
            if takes:
                taken += 1
                assert any(w in text for w in wants), (type(processor).__name__, text)
    assert taken > 500  # the blocks each of them takes were tried, not only the others


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

    html = markdown_to_html(body)
    assert type(markdown_html._md.treeprocessors["toc"]) is headings.HeadingIds  # the fast path is in place
    assert html == _plain().convert(body)
    if body.startswith("[TOC]"):
        assert '<div class="toc">' in html and 'href="#über-uns_1"' in html
    if body is HEADINGS:
        assert 'id="über-uns_1"' in html and 'id="eigene-id"' in html and "data-toc-label" not in html


TEXTS = [EVERY_FEATURE, HEADINGS, "[TOC]\n\n" + HEADINGS, "Kein Titel, nur Text."] + [
    p.read_text(encoding="utf-8").split("---", 2)[2] for p in sorted((FIXTURE / "content").rglob("*.md"))]


def test_install_says_what_it_installed_and_the_html_is_the_plain_converters() -> None:
    """On the Markdown and Python installed here (the range pyproject.toml pins) all three are installed."""
    md, plain = _plain(), _plain()
    installed = speedups.install(md)
    assert installed is not None and installed.inline and installed.headings is not None
    assert len(installed.blocks) == 7
    assert md.is_block_level is installed.block_level
    for body in TEXTS:
        installed(body)
        assert md.reset().convert(body) == plain.reset().convert(body)


@pytest.mark.parametrize(("version", "python"), [
    ("3.10.3", (3, 11)),  # toc.unique takes no counters yet: headings.py would raise TypeError
    ("3.7", (3, 11)), ("3.12.0", (3, 11)), ("4.0", (3, 11)), ("", (3, 11)),
    ("3.11.3", (3, 10)),  # no re._parser
    ("3.11.3", (3, 12)),  # a re._parser the inline speed-up was not tested with
])
def test_outside_the_supported_versions_the_plain_converter_runs(version: str, python: tuple[int, int]) -> None:
    """Nothing installed, the converter untouched, and core's converter made so gives the same HTML."""
    md = _plain()
    assert speedups.install(md, markdown_version=version, python=python) is None
    assert type(md.treeprocessors["toc"]) is toc.TocTreeprocessor
    assert not isinstance(md.treeprocessors["inline"].inlinePatterns, list)  # still Markdown's registry
    assert "is_block_level" not in vars(md)
    use_speedups(functools.partial(speedups.install, markdown_version=version, python=python))
    for body in TEXTS:
        assert markdown_to_html(body) == _plain().convert(body)
    assert type(markdown_html._md.treeprocessors["toc"]) is toc.TocTreeprocessor  # type: ignore[union-attr]


@pytest.mark.parametrize(("version", "expected"), [
    ("3.11", True), ("3.11.0", True), ("3.11.3", True), ("3.11rc1", True),
    ("3.10.99", False), ("3.12", False), ("3.12.0b1", False), ("2.11", False), ("x", False)])
def test_the_gate_reads_major_and_minor(version: str, expected: bool) -> None:
    assert speedups.supported(version, (3, 11)) is expected


def test_pyproject_pins_markdown_to_the_supported_range() -> None:
    """pip installs only a Markdown the speed-ups were written for; the gate and the pin say the same."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (low, high) = speedups.MARKDOWN
    pin = [d for d in project["dependencies"] if d.lower().startswith("markdown")]
    assert pin == [f"markdown>={low[0]}.{low[1]},<{high[0]}.{high[1]}"]
    assert speedups.supported(markdown.__version__, sys.version_info[:2])


def test_a_build_turns_the_speedups_on(site_root: Path, tmp_path: Path) -> None:
    use_speedups(None)
    markdown_to_html("x")
    assert type(markdown_html._md.treeprocessors["toc"]) is toc.TocTreeprocessor  # type: ignore[union-attr]
    build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))
    markdown_to_html("x")
    assert type(markdown_html._md.treeprocessors["toc"]) is not toc.TocTreeprocessor  # type: ignore[union-attr]


def test_turning_the_speedups_on_imports_no_markdown() -> None:
    """A no-op rebuild converts nothing: enabling the speed-ups must not import Markdown either."""
    code = "import sys; from sitegen.engine import speedups; speedups.enable(); print('markdown' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
