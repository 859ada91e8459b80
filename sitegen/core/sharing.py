"""What other sites and apps read of a page: the web manifest and a topic's JSON-LD."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .model import Topic
from .pretty_json import dumps

WHITE = "#ffffff"


def script_json(data: Any) -> Markup:
    """JSON safe to put inside a <script> element: '<', '>' and '&' as escapes, so no text closes it."""
    text = dumps(data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def absolute(config: dict[str, Any], path: str) -> str | None:
    """A site path as the address others need (None without base_url); web addresses stay as they are."""
    if path.startswith(("https://", "http://")):
        return path
    return config["base_url"] + path if config.get("base_url") else None


def topic_jsonld(config: dict[str, Any], topic: Topic, comment_count: int, image: str | None) -> Markup:
    """schema.org DiscussionForumPosting of a topic page, with its number of published comments
    (image: the site path of the picture to show for it, if any)."""
    publisher = {"@type": "Organization", "name": (config.get("operator") or {}).get("name") or config["title"]}
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "DiscussionForumPosting",
        "headline": topic.title, "inLanguage": "de-DE", "articleSection": topic.category,
        "commentCount": comment_count, "author": publisher, "publisher": publisher,
    }
    if topic.summary or topic.subtitle:
        data["description"] = topic.summary or topic.subtitle
    if topic.date:
        data["datePublished"] = topic.date.isoformat()
    for key, value in (("url", absolute(config, topic.url)),
                       ("image", absolute(config, image) if image else None)):
        if value:
            data[key] = value
    return script_json(data)


def manifest(config: dict[str, Any], prefix: str, icon: tuple[str, str]) -> bytes:
    """manifest.webmanifest: the site's name, colour and icon (a site path and its type) for a home screen."""
    accent = (config.get("brand") or {}).get("accent") or "#0b4f8a"
    src, kind = icon
    data = {
        "name": config["title"], "short_name": config.get("city") or config["title"], "lang": "de",
        "start_url": prefix + "/", "scope": prefix + "/", "display": "browser",
        "background_color": WHITE, "theme_color": accent.lower(),
        "icons": [{"src": prefix + src, "sizes": "any", "type": kind}],
    }
    return (dumps(data) + "\n").encode("utf-8")
