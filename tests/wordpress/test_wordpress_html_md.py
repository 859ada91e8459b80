"""HTML to Markdown: Python-Markdown renders the converted Markdown back to the same structure and text."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from sitegen.core.codepoints import strip_forbidden
from sitegen.core.markdown_html import markdown_to_html
from sitegen.wordpress.html_md import convert
from sitegen.wordpress.wpautop import autop

KEEP = {"h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "a", "img", "blockquote", "pre", "code",
        "table", "tr", "th", "td", "br", "hr"}
SAME = {"b": "strong", "i": "em"}


def shape(node: Tag) -> str:
    """The structure and text that must survive: kept tags with their link/image attributes, folded text."""
    out = []
    for child in node.children:
        if isinstance(child, NavigableString):
            out.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        tag = SAME.get(child.name, child.name)
        if tag == "code" and child.parent is not None and child.parent.name == "pre":
            out.append(shape(child))  # Python-Markdown writes <pre><code>; the source may have <pre> alone
            continue
        inner = shape(child)
        if tag not in KEEP:
            out.append(f" {inner} ")
            continue
        attrs = "".join(f' {k}="{unquote(child.get(k))}"' for k in ("href", "src", "alt", "title") if child.get(k))
        out.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(out)


def normal(html: str) -> str:
    """shape() of html with whitespace folded and dropped beside tags."""
    flat = " ".join(shape(BeautifulSoup(html, "html5lib").body).split())
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", flat)


def round_trip(html: str) -> tuple[str, str]:
    """The source's shape and the shape of what its Markdown renders to."""
    markdown = convert(html).markdown
    return normal(html), normal(markdown_to_html(markdown))


CASES = {
    "nested lists": "<ul><li>eins<ul><li>zwei<ol><li>drei</li><li>vier<ul><li>fünf</li></ul></li></ol></li>"
                    "</ul></li><li>sechs</li></ul><ol><li>a</li><li>b</li></ol>",
    "loose list": "<ul><li><p>Absatz eins</p><p>Absatz zwei</p><ul><li>innen</li></ul></li><li><p>zwei</p></li></ul>",
    "emphasis": "<p>ein <em>betontes</em> und <strong>starkes</strong> Wort, <b>fett <i>und kursiv</i></b>, "
                "im<em>Wort</em>innen, <em> mit Leerzeichen </em>.</p>",
    "links": '<p><a href="https://example.org/a_(b)?x=1&amp;y=2" title="Ein Titel">Link *mit* [Klammern]</a> '
             'und <a href="/themen/x/#kommentieren">intern</a> und <a href="/datei mit leerzeichen.pdf">PDF</a>.</p>',
    "images": '<p><img src="/dateien/a.jpg" alt="Ein [Bild] *mit* _Zeichen_"> und '
              '<a href="/x/"><img src="/dateien/b.png" alt="verlinkt"></a></p>',
    "headings": "<h2>Zwei</h2><h3>Drei <em>kursiv</em></h3><h4>Vier # nicht</h4><h5>Fünf</h5><h6>Sechs</h6>",
    "blockquotes": "<blockquote><p>Zitat</p><blockquote><p>im Zitat</p></blockquote><ul><li>Liste</li></ul>"
                   "</blockquote>",
    "tables": "<table><thead><tr><th>A</th><th>B | C</th></tr></thead><tbody><tr><td><em>x</em></td>"
              "<td><a href='/y/'>y</a></td></tr><tr><td>1</td><td>2</td></tr></tbody></table>",
    "code": "<p>inline <code>a `b` c</code> und <code>*x*</code></p><pre>```\nblock &lt;tag&gt; *x*\n    eingerückt\n```</pre>"
            "<ul><li>in der Liste<pre>code in\nder Liste</pre></li></ul>",
    "line starts": "<p># kein Titel</p><p>1. keine Liste</p><p>- auch keine</p><p>&gt; kein Zitat</p>"
                   "<p>: keine Definition</p><p>+ nichts</p><p>===</p><p>~~~</p><p>&amp;amp; &lt;b&gt;</p>",
    "breaks and rules": "<p>Zeile eins<br>Zeile zwei<br>- drei</p><hr><p>nach der Linie</p>",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_markdown_renders_back_to_the_source(name: str) -> None:
    source, rendered = round_trip(CASES[name])
    assert rendered == source


def test_lists_nest_by_four_spaces() -> None:
    assert convert(CASES["nested lists"]).markdown.startswith(
        "- eins\n    - zwei\n        1. drei\n        2. vier\n            - fünf\n- sechs\n")


def test_links_with_unsafe_schemes_are_dropped_and_noted() -> None:
    done = convert('<p><a href="javascript:alert(1)">klick</a> <img src="data:image/png;base64,AA" alt="x"></p>')
    assert done.markdown == "klick\n"
    assert any("javascript:" in note for note in done.notes)


def test_hostile_strings_stay_text(blns: list[str]) -> None:
    for text in map(strip_forbidden, blns):  # as pages.render does before converting
        html = f"<p>{text.replace('&', '&amp;').replace('<', '&lt;')}</p>"
        rendered = markdown_to_html(convert(html).markdown)
        soup = BeautifulSoup(rendered, "html5lib").body
        assert [t.name for t in soup.find_all(True)] in ([], ["p"]), (text, rendered)
        assert " ".join(soup.get_text().split()) == " ".join(text.split()), text


def test_hostile_strings_in_raw_wordpress_content_produce_no_markup(blns: list[str]) -> None:
    for text in blns:
        rendered = markdown_to_html(convert(autop(text)).markdown)
        tags = {t.name for t in BeautifulSoup(rendered, "html5lib").body.find_all(True)}
        assert not tags & {"script", "iframe", "object", "embed", "svg", "style", "form", "input"}, (text, rendered)
        assert "javascript:" not in " ".join(
            str(a.get("href", "")) + str(a.get("src", ""))
            for a in BeautifulSoup(rendered, "html5lib").find_all(["a", "img"])).lower(), text
