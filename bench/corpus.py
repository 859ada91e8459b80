"""Write a deterministic synthetic corpus: `python bench/corpus.py N OUTDIR [--seed S]`.

OUTDIR gets three sites built from the same generated data, so every tool renders the same pages:

- `ours/`    our site root: content/site.yaml, themen/, termine/, seiten/, kommentare/<topic>/<id>.yaml
- `pelican/` pelicanconf.py, a one-template theme and content/ with Pelican's `Key: value` metadata
- `hugo/`    config.toml, layouts/_default/{baseof,single,list}.html, content/ with the topics'
             YAML front matter unchanged, and the comments as data/kommentare/<topic>/<id>.yaml

Text comes from word lists and sentence templates (no network, no model), seeded by --seed only:
the same N and seed give byte-identical files on every machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from sitegen.core.contract import MAX_DEPTH, comment_yaml  # noqa: E402  (comment files as the intake writes them)
from corpus_images import LOGO, photo_names, write_images  # noqa: E402  (next to this file)

# ---------------------------------------------------------------- vocabulary (German, municipal)

NOUNS = [  # (noun, article in the nominative)
    ("Stadt", "die"), ("Verwaltung", "die"), ("Bürgerschaft", "die"), ("Quartier", "das"),
    ("Innenstadt", "die"), ("Mobilität", "die"), ("Radverkehr", "der"), ("Nahverkehr", "der"),
    ("Digitalisierung", "die"), ("Klimaanpassung", "die"), ("Energieversorgung", "die"),
    ("Wohnungsbau", "der"), ("Stadtteil", "der"), ("Grünfläche", "die"), ("Schulentwicklung", "die"),
    ("Wirtschaftsförderung", "die"), ("Hochschule", "die"), ("Kulturlandschaft", "die"),
    ("Beteiligung", "die"), ("Nachbarschaft", "die"), ("Infrastruktur", "die"), ("Haushalt", "der"),
    ("Stadtrat", "der"), ("Ortsteil", "der"), ("Wärmeplanung", "die"), ("Verkehrswende", "die"),
    ("Gesundheitsversorgung", "die"), ("Wissenschaftsstandort", "der"), ("Tourismus", "der"),
    ("Einzelhandel", "der"), ("Ehrenamt", "das"), ("Jugendarbeit", "die"), ("Seniorenarbeit", "die"),
    ("Sportstätte", "die"), ("Bibliothek", "die"), ("Breitbandausbau", "der"), ("Datenplattform", "die"),
    ("Fußverkehr", "der"), ("Baumbestand", "der"), ("Regenwassermanagement", "das"),
]
ADJECTIVES = [
    "nachhaltig", "digital", "gemeinsam", "lebendig", "bezahlbar", "barrierefrei", "klimafreundlich",
    "offen", "vernetzt", "sozial", "innovativ", "regional", "öffentlich", "grün", "sicher",
    "zukunftsfähig", "transparent", "generationengerecht", "wirtschaftlich", "kulturell",
]
VERBS = [  # (3rd person singular, infinitive)
    ("stärkt", "stärken"), ("verbessert", "verbessern"), ("fördert", "fördern"),
    ("verbindet", "verbinden"), ("entlastet", "entlasten"), ("gestaltet", "gestalten"),
    ("unterstützt", "unterstützen"), ("erweitert", "erweitern"), ("sichert", "sichern"),
    ("verändert", "verändern"), ("prägt", "prägen"), ("öffnet", "öffnen"),
]
ACTOR = ["die Stadtverwaltung", "der Stadtrat", "das Klimaschutzbüro", "der Seniorenbeirat",
         "der Jugendrat", "die Wirtschaftsförderung", "das Ortsteilbüro"]  # singular subjects
ACTORS = ["die Stadtwerke", "die Hochschulen", "die Vereine", "die Ortsteilräte", "die Unternehmen vor Ort",
          "die Bürgerinnen und Bürger", "die Schulen", "die Wohnungsgenossenschaften"]  # plural subjects
CONNECTORS = ["Zudem", "Außerdem", "Darüber hinaus", "Gleichzeitig", "Deshalb", "Dabei", "Langfristig",
              "In den kommenden Jahren", "Bereits heute", "Nach ersten Schätzungen"]
TEMPLATES = [
    "{Actor1} {verb} {det} {adj}{acc_end} {noun} und schafft damit neue Möglichkeiten für alle Generationen.",
    "{Conn} soll {det2} {noun2} {adj}er werden, damit {actor} ihre Ideen früh einbringen können.",
    "Wie {det2} {noun2} in zehn Jahren aussieht, hängt davon ab, ob {actor} gemeinsam handeln.",
    "{Conn} zeigen Erfahrungen aus anderen Städten, dass {det2} {adj}e {noun2} Zeit und Geduld braucht.",
    "Für {det3} {noun3} sind bis {year} rund {num} Millionen Euro im Haushalt vorgesehen.",
    "Die Umfrage im Frühjahr ergab, dass {pct} Prozent der Befragten {det3} {noun3} für wichtig halten.",
    "{Actors} wollen {det3} {noun3} {inf} und dabei auf {adj}e Lösungen setzen.",
    "Ohne {det3} {adj}{acc_end3} {noun3} lässt sich {det4} {noun4} kaum weiterentwickeln.",
    "Im Ortsteil {place} wird seit {year0} erprobt, wie {det2} {noun2} im Alltag funktioniert.",
    "{Conn} braucht es klare Ziele, verlässliche Zuständigkeiten und eine offene Kommunikation.",
    "Kritische Stimmen weisen darauf hin, dass {det2} {noun2} nicht zulasten {gen} {noun5} gehen darf.",
    "Die Ergebnisse werden öffentlich dokumentiert und im Stadtrat im {month} vorgestellt.",
]
PLACES = ["Lobeda", "Winzerla", "Wenigenjena", "Zwätzen", "Ammerbach", "Nord", "Ost", "West",
          "Drackendorf", "Burgau", "Göschwitz", "Kunitz", "Löbstedt", "Maua", "Isserstedt"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
FIRST = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Paul", "Sophie", "Felix", "Emma", "Ben", "Mia",
         "Karl", "Greta", "Jürgen", "Özlem", "Björn", "Hannah", "Ulrike", "Tobias", "Sabine"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
        "Hoffmann", "Koch", "Richter", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Krüger"]
ROLES = ["Geschäftsführerin der Stadtwerke", "Professor für Stadtplanung", "Vorsitzende des Seniorenbeirats",
         "Aufsichtsrat einer Genossenschaft", "Leiterin des Klimaschutzbüros", "Sprecher des Jugendrats",
         "Inhaberin eines Handwerksbetriebs", "Direktor der Stadtbibliothek"]
CATEGORIES = ["Zukunftsthema", "Stadtentwicklung", "Umwelt", "Soziales", "Wirtschaft"]
COMMENT_LINES = [
    "Ich finde den Vorschlag gut, wünsche mir aber mehr Informationen zu den Kosten.",
    "Bei uns im Viertel fehlt genau das seit Jahren. Wann geht es los?",
    "Danke für die ausführliche Darstellung! Eine Frage zur Umsetzung: Wer ist zuständig?",
    "Das klingt schön, aber ohne bessere Busanbindung wird das nichts.",
    "Mehr dazu steht im Bericht unter https://example.org/bericht-2026 (Seite 12).",
    "Wir haben als Verein schon Erfahrungen gesammelt und helfen gern mit.",
    "Bitte auch an Menschen mit Rollstuhl und Kinderwagen denken.",
    "Warum wird das nicht zuerst in einem Ortsteil getestet?",
]
STRONG = {"der": "er", "die": "e", "das": "es"}  # adjective ending without an article


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def bare(adjective: str, noun: tuple[str, str]) -> str:
    """'Vernetzter Wohnungsbau', 'Grüne Innenstadt', 'Offenes Quartier'."""
    return f"{cap(adjective)}{STRONG[noun[1]]} {noun[0]}"


STOP_SLUG = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.translate(STOP_SLUG).lower())
    return "-".join(p for p in out.split("-") if p)


# ---------------------------------------------------------------- the data, shared by all three sites

@dataclass
class Topic:
    slug: str
    title: str
    subtitle: str
    category: str
    summary: str
    date: dt.date
    pate: dict
    interview: dict
    documents: list
    image: dict
    tags: list
    body: str


@dataclass
class Event:
    slug: str
    title: str
    start: dt.datetime
    end: dt.datetime
    location: dict
    topics: list
    body: str
    status: str


@dataclass
class Corpus:
    topics: list[Topic] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)  # the contract's FIELDS
    events: list[Event] = field(default_factory=list)
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # slug, title, body


class Writer:
    """Sentences, paragraphs and Markdown blocks from one seeded random generator."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def sentence(self) -> str:
        r = self.r
        n = [r.choice(NOUNS) for _ in range(5)]
        verb = r.choice(VERBS)
        genitive = {"der": "des", "die": "der", "das": "des"}
        accusative = {"der": "den", "die": "die", "das": "das"}
        s = r.choice(TEMPLATES).format(
            Actor1=cap(r.choice(ACTOR)), Actors=cap(r.choice(ACTORS)), actor=r.choice(ACTORS),
            verb=verb[0], inf=verb[1], acc_end="en" if n[0][1] == "der" else "e",
            acc_end3="en" if n[2][1] == "der" else "e",
            det=accusative[n[0][1]], noun=n[0][0], adj=r.choice(ADJECTIVES),
            det2=n[1][1], noun2=n[1][0], det3=accusative[n[2][1]], noun3=n[2][0],
            det4=n[3][1], noun4=n[3][0], gen=genitive[n[4][1]], noun5=n[4][0] + ("s" if n[4][1] != "die" else ""),
            Conn=r.choice(CONNECTORS), year=r.randint(2027, 2040), year0=r.randint(2019, 2025),
            num=r.randint(2, 90), pct=r.randint(35, 92), place=r.choice(PLACES), month=r.choice(MONTHS),
        )
        return s[0].upper() + s[1:]

    def paragraph(self, sentences: int) -> str:
        words = [self.sentence() for _ in range(sentences)]
        if self.r.random() < 0.5:  # some emphasis and an inline link, as editors write them
            i = self.r.randrange(len(words))
            words[i] = words[i].replace(" und ", " und **ausdrücklich** ", 1)
        if self.r.random() < 0.3:
            words.append(f"Mehr dazu im [Ratsinformationssystem](https://example.org/rats/{self.r.randint(100, 999)}).")
        return " ".join(words)

    def heading(self) -> str:
        return f"{bare(self.r.choice(ADJECTIVES), self.r.choice(NOUNS))} in {self.r.choice(PLACES)}"

    def table(self) -> str:
        rows = ["| Maßnahme | Zeitraum | Kosten (T€) | Zuständig |", "| --- | --- | ---: | --- |"]
        for _ in range(self.r.randint(3, 6)):
            start = self.r.randint(2026, 2032)
            rows.append(f"| {bare(self.r.choice(ADJECTIVES), self.r.choice(NOUNS))} | {start}–{start + self.r.randint(1, 4)} "
                        f"| {self.r.randint(20, 4000)} | {cap(self.r.choice(ACTOR + ACTORS))} |")
        return "\n".join(rows)

    def bullets(self, ordered: bool = False) -> str:
        items = []
        for i in range(self.r.randint(3, 6)):
            mark = f"{i + 1}." if ordered else "-"
            items.append(f"{mark} {bare(self.r.choice(ADJECTIVES), self.r.choice(NOUNS))}: {self.sentence()}")
        return "\n".join(items)

    def body(self, words: int = 750) -> str:
        """About `words` words: intro, then sections with paragraphs, one table and lists."""
        blocks = [self.paragraph(4), self.paragraph(3)]
        count = sum(len(b.split()) for b in blocks)
        section = 0
        while count < words:
            section += 1
            part = [f"## {self.heading()}", self.paragraph(self.r.randint(3, 5))]
            if section == 1:
                part += ["Die wichtigsten Vorhaben im Überblick:", self.table()]
            elif section % 2 == 0:
                part += [self.bullets(ordered=section % 4 == 0)]
            if self.r.random() < 0.4:
                part += [f"### {self.heading()}", self.paragraph(2)]
            blocks += part
            count += sum(len(b.split()) for b in part)
        return "\n\n".join(blocks) + "\n"


def generate(n: int, seed: int) -> Corpus:
    """The whole corpus as data; every random choice comes from one Random(seed)."""
    r = random.Random(seed)
    w = Writer(r)
    c = Corpus()
    base = dt.date(2026, 1, 5)
    photos = photo_names()
    for i in range(n):
        title = f"{bare(r.choice(ADJECTIVES), r.choice(NOUNS))} {r.choice(PLACES)}"
        slug = f"{slugify(title)}-{i + 1}"
        pate = {"name": f"{r.choice(FIRST)} {r.choice(LAST)}", "role": r.choice(ROLES)}
        if r.random() < 0.6:
            pate |= {"photo": f"/bilder/paten/{slug}.jpg", "photo_credit": f"Foto: {r.choice(LAST)}"}
        interview = {"title": f"Interview: {title}", "source": "Thüringer Stadtanzeiger"}
        if r.random() < 0.8:
            interview["url"] = f"https://example.org/presse/{slug}"
        documents = [{"title": f"Positionspapier {title}", "url": f"/dokumente/{slug}-{k + 1}.pdf", "format": "PDF",
                      "size": f"{r.randint(120, 4800)} KB"} for k in range(r.randint(1, 3))]
        # two topics in three show one of the corpus's photos (corpus_images.py); the rest a file that is missing
        src = photos[i % len(photos)] if i % 3 != 2 else f"/bilder/{slug}.jpg"
        image = {"src": src, "alt": f"Illustration zum Zukunftsthema {title}",
                 "credit": r.choice(["complan", "Stadt Jena", "Pressestelle"])}
        c.topics.append(Topic(
            slug=slug, title=title, subtitle=w.sentence(), category=r.choice(CATEGORIES),
            summary=w.sentence(), date=base + dt.timedelta(days=i % 300),
            pate=pate, interview=interview, documents=documents, image=image,
            tags=sorted({slugify(r.choice(NOUNS)[0]) for _ in range(3)}), body=w.body(),
        ))
        # ~5 comments: top-level ones and replies, never deeper than 3
        depth: dict[str, int] = {}
        ids: list[str] = []
        when = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.timezone.utc) + dt.timedelta(hours=i)
        for j in range(r.randint(3, 7)):
            cid = f"k{i + 1}-{j + 1}"
            parent = None
            if ids and r.random() < 0.4:
                cands = [x for x in ids if depth[x] < MAX_DEPTH]
                parent = r.choice(cands) if cands else None
            depth[cid] = depth[parent] + 1 if parent else 1
            ids.append(cid)
            when += dt.timedelta(minutes=r.randint(5, 3000))
            body = " ".join(r.sample(COMMENT_LINES, r.randint(1, 3)))
            if r.random() < 0.3:
                body += "\n\n" + r.choice(COMMENT_LINES)
            official = "themenpate" if parent and r.random() < 0.2 else None
            name = f"{r.choice(FIRST)} {r.choice(LAST)[0]}."
            c.comments.append({"id": cid, "topic": slug, "parent": parent, "name": name, "body": body, "date": when,
                               "official": official, "moderated_at": when, "moderated_by": "redaktion"})
    for i in range(max(1, n // 10)):
        linked = sorted({r.randrange(n) for _ in range(r.randint(1, 3))})
        start = dt.datetime(2026, 1, 10, 18, 0) + dt.timedelta(days=(i * 3) % 700, hours=r.choice([-2, 0, 1]))
        title = f"Bürgerforum {c.topics[linked[0]].title}"
        online = r.random() < 0.3
        c.events.append(Event(
            slug=f"{slugify(title)}-{i + 1}", title=title, start=start, end=start + dt.timedelta(hours=2),
            location={"name": f"Volkshaus {r.choice(PLACES)}", "address": f"Carl-Zeiß-Platz {r.randint(1, 30)}, 07743 Jena"}
            | ({"online_url": f"https://example.org/live/{i + 1}"} if online else {}),
            topics=[c.topics[k].slug for k in linked], body=w.paragraph(3) + "\n\n" + w.bullets() + "\n",
            status=r.choice(["scheduled"] * 8 + ["cancelled", "postponed"]),
        ))
    c.pages = [("ueber-das-projekt", "Über das Projekt", w.body(300)),
               ("mitmachen", "Mitmachen", w.body(200)),
               ("haeufige-fragen", "Häufige Fragen", w.body(250))]
    return c


# ---------------------------------------------------------------- serialisation

def q(text: str) -> str:
    """A YAML double-quoted scalar (safe for every generated string)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def topic_yaml(t: Topic) -> str:
    lines = [f"title: {q(t.title)}", f"subtitle: {q(t.subtitle)}", f"category: {q(t.category)}",
             f"summary: {q(t.summary)}", f"date: {t.date.isoformat()}", "themenpate:"]
    lines += [f"  {k}: {q(v)}" for k, v in t.pate.items()]
    lines += ["interview:"] + [f"  {k}: {q(v)}" for k, v in t.interview.items()]
    lines += ["documents:"]
    for d in t.documents:
        lines += [f"  - title: {q(d['title'])}"] + [f"    {k}: {q(d[k])}" for k in ("url", "format", "size")]
    lines += ["image:"] + [f"  {k}: {q(v)}" for k, v in t.image.items()]
    lines += ["comments: open", "tags: [" + ", ".join(t.tags) + "]", "draft: false"]
    return "\n".join(lines) + "\n"


def event_yaml(e: Event) -> str:
    lines = [f"title: {q(e.title)}", f"start: {q(e.start.strftime('%Y-%m-%d %H:%M'))}",
             f"end: {q(e.end.strftime('%Y-%m-%d %H:%M'))}", "location:"]
    lines += [f"  {k}: {q(v)}" for k, v in e.location.items()]
    lines += ["topics: [" + ", ".join(e.topics) + "]", f"status: {e.status}"]
    return "\n".join(lines) + "\n"


def put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SITE_YAML = f"""title: Zukunftsthemen Benchmarkstadt
tagline: Ein synthetischer Korpus für bench/
city: Benchmarkstadt
base_url: https://example.org
brand:
  logo: {LOGO}
"""


def write_ours(c: Corpus, root: Path) -> None:
    content = root / "content"
    put(content / "site.yaml", SITE_YAML)
    write_images(content, seed=1)
    for t in c.topics:
        put(content / "themen" / f"{t.slug}.md", f"---\n{topic_yaml(t)}---\n{t.body}")
    for e in c.events:
        put(content / "termine" / f"{e.slug}.md", f"---\n{event_yaml(e)}---\n{e.body}")
    for slug, title, body in c.pages:
        put(content / "seiten" / f"{slug}.md", f"---\ntitle: {q(title)}\n---\n{body}")
    for k in c.comments:
        put(content / "kommentare" / k["topic"] / f"{k['id']}.yaml", comment_yaml(k))


# Pelican: topics are articles at /themen/<slug>/, events and pages are Pelican "pages" with their own
# save_as; tag/category/author/archive pages are off (our build has none). Comments are not rendered:
# Pelican has no data files without plugins, so Pelican does slightly less work than we do.
PELICANCONF = '''AUTHOR = "Stadt"
SITENAME = "Zukunftsthemen Benchmarkstadt"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["themen"]
PAGE_PATHS = ["termine", "seiten"]
STATIC_PATHS = []
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
THEME = "theme"
ARTICLE_URL = "themen/{slug}/"
ARTICLE_SAVE_AS = "themen/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
INDEX_SAVE_AS = "themen/index.html"
DEFAULT_PAGINATION = False
TAGS_SAVE_AS = TAG_SAVE_AS = CATEGORIES_SAVE_AS = CATEGORY_SAVE_AS = ""
AUTHORS_SAVE_AS = AUTHOR_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
FEED_ALL_ATOM = "feeds/themen.xml"
FEED_DOMAIN = "https://example.org"
CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = None
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
    "output_format": "html5",
}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
'''

PELICAN_BASE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title></head>
<body><nav><a href="/">Start</a> <a href="/themen/">Zukunftsthemen</a> <a href="/termine/">Termine</a></nav>
<main>{% block content %}{% endblock %}</main></body></html>
"""
PELICAN_ARTICLE = """{% extends "base.html" %}
{% block title %}{{ article.title }} – {{ SITENAME }}{% endblock %}
{% block content %}<article><p>{{ article.category }}</p><h1>{{ article.title }}</h1>
<p class="lead">{{ article.subtitle }}</p>
<aside><h2>Themenpate</h2><p><strong>{{ article.themenpate_name }}</strong>, {{ article.themenpate_role }}</p>
<h2>Interview</h2><p>{{ article.interview_title }}</p></aside>
<figure><img src="{{ article.image_src }}" alt="{{ article.image_alt }}"><figcaption>{{ article.image_credit }}</figcaption></figure>
<div class="body">{{ article.content }}</div></article>
{% endblock %}
"""
PELICAN_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} – {{ SITENAME }}{% endblock %}
{% block content %}<article><h1>{{ page.title }}</h1>{{ page.content }}</article>{% endblock %}
"""
PELICAN_INDEX = """{% extends "base.html" %}
{% block content %}<h1>Zukunftsthemen</h1><ul>
{% for a in articles %}<li><a href="/{{ a.url }}">{{ a.title }}</a> {{ a.summary|striptags }}</li>
{% endfor %}</ul>{% endblock %}
"""


def pelican_meta(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{k}: {v}\n" for k, v in pairs) + "\n"


def write_pelican(c: Corpus, root: Path) -> None:
    put(root / "pelicanconf.py", PELICANCONF)
    theme = root / "theme" / "templates"
    for name, text in {"base.html": PELICAN_BASE, "article.html": PELICAN_ARTICLE, "page.html": PELICAN_PAGE,
                       "index.html": PELICAN_INDEX}.items():
        put(theme / name, text)
    content = root / "content"
    for t in c.topics:
        meta = [("Title", t.title), ("Slug", t.slug), ("Date", t.date.isoformat()), ("Category", t.category),
                ("Tags", ", ".join(t.tags)), ("Summary", t.summary), ("Subtitle", t.subtitle),
                ("Themenpate_name", t.pate["name"]), ("Themenpate_role", t.pate["role"]),
                ("Interview_title", t.interview["title"]), ("Image_src", t.image["src"]),
                ("Image_alt", t.image["alt"]), ("Image_credit", t.image["credit"])]
        put(content / "themen" / f"{t.slug}.md", pelican_meta(meta) + t.body)
    for e in c.events:
        meta = [("Title", e.title), ("Slug", e.slug), ("Save_as", f"termine/{e.slug}/index.html"),
                ("Url", f"termine/{e.slug}/"), ("Start", e.start.isoformat()), ("Location", e.location["name"])]
        put(content / "termine" / f"{e.slug}.md", pelican_meta(meta) + e.body)
    for slug, title, body in c.pages:
        put(content / "seiten" / f"{slug}.md", pelican_meta([("Title", title), ("Slug", slug)]) + body)


# Hugo: the topics' front matter is ours unchanged (Hugo keeps unknown keys as .Params); the
# comments are data files, so Hugo reads and renders as much as we do. Taxonomies are off.
HUGO_CONFIG = '''baseURL = "https://example.org/"
languageCode = "de"
title = "Zukunftsthemen Benchmarkstadt"
disableKinds = ["taxonomy", "term"]
timeZone = "Europe/Berlin"
enableRobotsTXT = true
[outputs]
home = ["HTML"]
section = ["HTML", "RSS"]
page = ["HTML"]
[markup.goldmark.parser]
autoHeadingID = true
[markup.tableOfContents]
startLevel = 2
endLevel = 4
'''
HUGO_BASEOF = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Title }} – {{ site.Title }}{{ end }}</title></head>
<body><nav><a href="/">Start</a> <a href="/themen/">Zukunftsthemen</a> <a href="/termine/">Termine</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article>
{{ with .Params.category }}<p>{{ . }}</p>{{ end }}<h1>{{ .Title }}</h1>
{{ with .Params.subtitle }}<p class="lead">{{ . }}</p>{{ end }}
{{ with .Params.themenpate }}<aside><h2>Themenpate</h2><p><strong>{{ .name }}</strong>, {{ .role }}</p></aside>{{ end }}
{{ with .Params.interview }}<h2>Interview</h2><p>{{ with .url }}<a href="{{ . }}">{{ end }}{{ .title }}{{ with .url }}</a>{{ end }}</p>{{ end }}
{{ with .Params.documents }}<h2>Dokumente</h2><ul>{{ range . }}<li><a href="{{ .url }}">{{ .title }}</a> ({{ .format }}, {{ .size }})</li>{{ end }}</ul>{{ end }}
{{ with .Params.image }}<figure><img src="{{ .src }}" alt="{{ .alt }}"><figcaption>{{ .credit }}</figcaption></figure>{{ end }}
{{ with .Params.location }}<p>{{ .name }}, {{ .address }}</p>{{ end }}
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="body">{{ .Content }}</div></article>
{{ with index site.Data.kommentare .File.ContentBaseName }}<section><h2>Kommentare</h2><ol>
{{ range sort . "date" }}<li id="{{ .id }}"><p>{{ .name }}{{ with .official }} ({{ . }}){{ end }}, {{ .date }}</p><p>{{ .body }}</p></li>
{{ end }}</ol></section>{{ end }}
{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify }}</li>
{{ end }}</ul>{{ end }}
"""


def write_hugo(c: Corpus, root: Path) -> None:
    put(root / "config.toml", HUGO_CONFIG)
    layouts = root / "layouts" / "_default"
    for name, text in {"baseof.html": HUGO_BASEOF, "single.html": HUGO_SINGLE, "list.html": HUGO_LIST}.items():
        put(layouts / name, text)
    content = root / "content"
    put(content / "themen" / "_index.md", "---\ntitle: Zukunftsthemen\n---\n")
    put(content / "termine" / "_index.md", "---\ntitle: Termine\n---\n")
    for t in c.topics:
        put(content / "themen" / f"{t.slug}.md", f"---\n{topic_yaml(t)}---\n{t.body}")
    for e in c.events:
        put(content / "termine" / f"{e.slug}.md", f"---\n{event_yaml(e)}---\n{e.body}")
    for slug, title, body in c.pages:  # at /<slug>/ like ours, not /seiten/<slug>/
        put(content / "seiten" / f"{slug}.md", f"---\ntitle: {q(title)}\nurl: /{slug}/\n---\n{body}")
    for k in c.comments:
        put(root / "data" / "kommentare" / k["topic"] / f"{k['id']}.yaml", comment_yaml(k))


def write_all(n: int, outdir: Path, seed: int = 1) -> Corpus:
    """Generate once, write the three sites fresh (an old OUTDIR/<site> is replaced)."""
    corpus = generate(n, seed)
    for name, writer in (("ours", write_ours), ("pelican", write_pelican), ("hugo", write_hugo)):
        target = outdir / name
        if target.exists():
            shutil.rmtree(target)
        writer(corpus, target)
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of topics")
    parser.add_argument("outdir", type=Path, help="folder that receives ours/, pelican/ and hugo/")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    c = write_all(args.n, args.outdir, args.seed)
    words = sum(len(t.body.split()) for t in c.topics) // max(1, len(c.topics))
    print(f"{args.outdir}: {len(c.topics)} topics (~{words} words each), {len(c.comments)} comments, "
          f"{len(c.events)} events, {len(c.pages)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
