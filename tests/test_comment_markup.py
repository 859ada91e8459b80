"""The comment filter's edges: brackets around links, bare schemes, paragraphs, line endings; heading ids."""

from __future__ import annotations

import pytest

from sitegen.core.comment_html import comment_to_html
from sitegen.core.markdown_html import _slugify

REL = 'rel="nofollow ugc noopener"'


def link(url: str) -> str:
    return f'<a href="{url}" {REL}>{url}</a>'


@pytest.mark.parametrize("body, html", [
    ("(siehe https://a.example/x)", f"<p>(siehe {link('https://a.example/x')})</p>"),
    ("(https://a.example/(a)b)", f"<p>({link('https://a.example/(a)b')})</p>"),  # balanced: the last ) is text
    ("https://de.example/Jena_(Stadt)", f"<p>{link('https://de.example/Jena_(Stadt)')}</p>"),
    ("https://. und https://b.example", f"<p>https://. und {link('https://b.example')}</p>"),  # nothing after //
])
def test_brackets_and_bare_schemes(body: str, html: str) -> None:
    assert comment_to_html(body) == html


@pytest.mark.parametrize("body, html", [
    ("a\r\nb", "<p>a<br>\nb</p>"),
    ("a\r\n\r\nb", "<p>a</p>\n<p>b</p>"),
    ("Xaver\n\n  eingerückt", "<p>Xaver</p>\n<p>  eingerückt</p>"),  # spaces at a paragraph's start stay
])
def test_paragraphs_and_line_endings(body: str, html: str) -> None:
    assert comment_to_html(body) == html


@pytest.mark.parametrize("heading, slug", [
    ("Inhalt", "inhalt-text"), ("Kommentieren", "kommentieren-text"), ("h 1", "h-1-text"),
    ("Kommentar 5", "kommentar-5-text"), ("F 2", "f-2-text"), ("Verkehr", "verkehr"), ("Hinweis", "hinweis"),
])
def test_heading_ids_never_take_an_id_of_the_templates(heading: str, slug: str) -> None:
    assert _slugify(heading, "-") == slug
