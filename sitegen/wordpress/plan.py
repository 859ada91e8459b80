"""What an import would write: a file per page or post, the uploads it uses, the report's first sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from sitegen.core.readers import RESERVED

from .comments import LINKBACKS
from .links import UPLOADS, Links
from .naming import file_name, slug_for, unique
from .pages import render
from .report import Report
from .wxr import Export, Item

IMPORTED = ("post", "page")
UPLOAD_REF = re.compile(re.escape(UPLOADS) + r"([^\"'\s()<>\]\[]+)")


@dataclass(frozen=True)
class Options:
    """The command's options."""

    uploads: Path | None = None
    only_type: str | None = None
    pages: bool = False  # WordPress pages go to content/seiten/ instead of content/themen/
    dry_run: bool = False


@dataclass
class Plan:
    """Files to write (path under the root -> text or source file) and the topics that take comments."""

    texts: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    topics: list[tuple[str, str, Item]] = field(default_factory=list)  # slug, file, item
    report: Report = field(default_factory=Report)


def chosen(item: Item, options: Options) -> str | None:
    """Why item is not imported, or None when it is."""
    if item.type not in IMPORTED:
        return f"type '{item.type}' is not imported" + (" (its file is copied when a page uses it)"
                                                        if item.type == "attachment" else "")
    if options.only_type and item.type != options.only_type:
        return f"--only-type {options.only_type}"
    if item.status != "publish":
        return f"status '{item.status}' (only published items are imported)"
    if item.password:
        return "protected by a password on the old site (the new site has no such protection: not published)"
    return None


def upload_file(uploads: Path | None, rel: str) -> Path | None:
    """The file for an uploads path inside --uploads, or None (missing, a link, or outside it)."""
    if uploads is None:
        return None
    base = uploads.resolve()
    candidate = base / unquote(rel)
    if candidate.is_symlink() or not candidate.is_file() or not candidate.resolve().is_relative_to(base):
        return None
    return candidate


def add_uploads(plan: Plan, links: Links, export: Export, items: list[Item], options: Options) -> None:
    """Copy every upload a chosen item uses or has attached; point its old address at /dateien/."""
    ids = {i.id for i in items}
    wanted = {m.group(1).split("?")[0] for i in items for m in UPLOAD_REF.finditer(i.content)}
    for att in (i for i in export.items if i.type == "attachment" and i.attachment_url):
        rel = att.attachment_url.split(UPLOADS, 1)[-1] if UPLOADS in att.attachment_url else ""
        if rel and (att.parent in ids or rel in wanted):
            wanted.add(rel)
            links.by_id.setdefault(att.id, "/dateien/" + file_name(unquote(rel)))
    for rel in sorted(wanted):
        source = upload_file(options.uploads, rel)
        if source is None:
            plan.report.files.append(f"missing: wp-content/uploads/{unquote(rel)} is not in --uploads; "
                                     "its links still point to the old site")
            continue
        name = file_name(unquote(rel))
        plan.copies[f"content/dateien/{name}"] = source
        links.files[rel] = f"/dateien/{name}"


def make_plan(export: Export, options: Options) -> Plan:
    """Everything the import writes except comments, in the export's order."""
    plan = Plan(report=Report(dry_run=options.dry_run))
    links = Links(export.base_url)
    # a page is published at /<slug>/ beside the site's own folders: those names are not free
    items, taken = [], {"themen": set(), "seiten": set(RESERVED) | {"dateien"}}
    placed: list[tuple[Item, str, str]] = []
    for item in export.items:
        why = chosen(item, options)
        if why:
            plan.report.skipped.append(f"{item.type} {item.id} '{item.title[:60]}': {why}")
            continue
        section = "seiten" if item.type == "page" and options.pages else "themen"
        slug = unique(slug_for(item.slug, item.title, item.id), taken[section])
        links.add(item.link, item.id, f"/themen/{slug}/" if section == "themen" else f"/{slug}/")
        items.append(item)
        links.comments |= {c.id for c in item.comments if c.approved == "1" and c.type not in LINKBACKS}
        placed.append((item, section, slug))
    add_uploads(plan, links, export, items, options)
    for item, section, slug in placed:
        rel = f"content/{section}/{slug}.md"
        before, anchored = len(links.missed), len(links.anchors)
        page = render(item, links, topic=section == "themen", comments_open=item_open(item))
        plan.texts[rel] = page.text
        plan.report.items.append(f"{item.type} {item.id} '{item.title[:60]}' -> {rel}")
        plan.report.shortcodes += [f"{rel}: {code}" for code in page.shortcodes]
        plan.report.notes += [f"{rel}: {note}" for note in page.notes]
        plan.report.links += [f"{rel}: {url}" for url in dict.fromkeys(links.missed[before:])]
        plan.report.notes += [f"{rel}: {url}: the new page has no such anchor; the link leads to its top"
                              for url in dict.fromkeys(links.anchors[anchored:])]
        if section == "themen":
            plan.topics.append((slug, rel, item))
        elif item.comments:
            plan.report.comments.append(f"{slug}: {len(item.comments)} comments not imported (a page under "
                                        "content/seiten/ takes no comments; without --pages it would be a topic)")
    return plan


def item_open(item: Item) -> bool:
    """Whether the new topic takes comments: as the old post did."""
    return item.comment_status != "closed"
