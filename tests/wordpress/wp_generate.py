"""A realistic WordPress export written by a test: many posts and pages, attachments, threaded comments,
classic and block-editor content, umlauts and the hostile strings of blns in titles and comments."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

BASE = "https://beteiligung.jena.example"
WORDS = ("Stadt", "Grünfläche", "Straßenbahn", "Bürgerbüro", "Schule", "Wärme", "Öffentlichkeit", "Radweg")


def cdata(text: str) -> str:
    """text in CDATA; ']]>' inside is split as exporters do."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_safe(text: str) -> str:
    """Drop what XML 1.0 cannot carry at all (WordPress' exporter writes such files broken)."""
    return "".join(c for c in text if c in "\t\n\r" or (0x20 <= ord(c) <= 0xD7FF) or 0xE000 <= ord(c) <= 0xFFFD
                   or ord(c) >= 0x10000)


@dataclass
class Generated:
    """The export's text and what a test checks against."""

    xml: str = ""
    posts: int = 0
    pages: int = 0
    approved: int = 0
    pending: int = 0
    spam: int = 0
    uploads: list[str] = field(default_factory=list)


def comment(cid: int, parent: int, status: str, name: str, body: str, day: int) -> str:
    """One wp:comment with personal data that must not reach content/."""
    return (f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>{cdata(xml_safe(name))}"
            f"</wp:comment_author><wp:comment_author_email>person{cid}@mail.example</wp:comment_author_email>"
            f"<wp:comment_author_url>https://homepage{cid}.example/</wp:comment_author_url>"
            f"<wp:comment_author_IP>10.{cid // 65536 % 256}.{cid // 256 % 256}.{cid % 256}</wp:comment_author_IP>"
            f"<wp:comment_date>2020-03-{day:02d} 10:{cid % 60:02d}:00</wp:comment_date>"
            f"<wp:comment_date_gmt>2020-03-{day:02d} 09:{cid % 60:02d}:00</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(xml_safe(body))}</wp:comment_content>"
            f"<wp:comment_approved>{status}</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            f"<wp:comment_agent>AgentOf{cid}/1.0</wp:comment_agent></wp:comment>")


def body(rng: random.Random, n: int, blocks: bool, upload: str) -> str:
    """Classic (wpautop) or block-editor content with lists, links, an image and a caption."""
    word = WORDS[n % len(WORDS)]
    img = f'<img src="{BASE}/wp-content/uploads/{upload}" alt="Bild {n}" />'
    link = f'<a href="{BASE}/2020/03/thema-{(n + 1) % 7}/">nächstes Thema</a>'
    if blocks:
        return (f"<!-- wp:paragraph --><p>Die {word} in Jena, Teil {n}. Siehe {link}.</p><!-- /wp:paragraph -->"
                f"<!-- wp:list --><ul><li>Eins<ul><li>Unterpunkt <em>{word}</em></li></ul></li><li>Zwei</li>"
                f"</ul><!-- /wp:list --><!-- wp:image --><figure class=\"wp-block-image\">{img}"
                f"<figcaption>Foto {n}</figcaption></figure><!-- /wp:image -->")
    return (f"Die {word} in Jena, Teil {n}.\nZweite Zeile mit {link}.\n\n"
            f"[caption id=\"attachment_{n}\" width=\"300\"]{img} Foto {n}[/caption]\n\n"
            f"<ol>\n<li><strong>Ziel</strong> {rng.randint(1, 99)}</li>\n<li>Weg</li>\n</ol>")


def item(n: int, kind: str, title: str, content: str, comments: str) -> str:
    """One post or page item."""
    return (f"<item><title>{escape(xml_safe(title))}</title><link>{BASE}/2020/03/thema-{n}/</link>"
            f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata('')}</excerpt:encoded>"
            f"<wp:post_id>{n}</wp:post_id><wp:post_date>2020-03-01 10:00:00</wp:post_date>"
            f"<wp:comment_status>open</wp:comment_status><wp:post_name>thema-{n}</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type>"
            f"<category domain=\"post_tag\" nicename=\"t\">{cdata(WORDS[n % len(WORDS)])}</category>"
            f"{comments}</item>")


def attachment(n: int, parent: int, upload: str) -> str:
    """An attachment item pointing at its post."""
    return (f"<item><title>Bild {n}</title><link>{BASE}/?attachment_id={n}</link><wp:post_id>{n}</wp:post_id>"
            f"<wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent>"
            f"<wp:post_type>attachment</wp:post_type><wp:attachment_url>{BASE}/wp-content/uploads/{upload}"
            f"</wp:attachment_url></item>")


def threads(rng: random.Random, post: int, hostile: list[str], out: Generated) -> str:
    """Threaded comments up to six deep, some pending, some spam; names and text from blns."""
    parts, ids = [], []
    for k in range(rng.randint(0, 8)):
        cid = post * 100 + k
        status = rng.choice(["1", "1", "1", "0", "spam"])
        parent = rng.choice([0, *ids]) if ids and status == "1" else 0
        text = hostile[(cid * 7) % len(hostile)] or "leer"
        parts.append(comment(cid, parent, status, hostile[cid % len(hostile)] or "Anna", text + " …", 1 + k))
        if status == "1":
            ids.append(cid)
            out.approved += 1
        out.pending += status == "0"
        out.spam += status == "spam"
    return "".join(parts)


def generate(hostile: list[str], uploads: Path, posts: int = 60, pages: int = 12) -> Generated:
    """The export text; every upload it names is written under uploads."""
    rng, out, items = random.Random(16), Generated(), []
    for n in range(1, posts + pages + 1):
        upload = f"2020/03/Bild-{n}.JPG"
        (uploads / upload).parent.mkdir(parents=True, exist_ok=True)
        (uploads / upload).write_bytes(f"image {n}".encode())
        out.uploads.append(upload)
        kind = "post" if n <= posts else "page"
        title = f"{WORDS[n % len(WORDS)]} {n}: {hostile[n * 3 % len(hostile)]}"
        items.append(item(n, kind, title, body(rng, n, n % 2 == 0, upload), threads(rng, n, hostile, out)))
        items.append(attachment(1000 + n, n, upload))
    out.posts, out.pages = posts, pages
    out.xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
               'xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/" '
               'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">'
               f"<channel><title>Beteiligung</title><wp:wxr_version>1.1</wp:wxr_version>"
               f"<wp:base_site_url>{BASE}</wp:base_site_url>{''.join(items)}</channel></rss>\n")
    return out
