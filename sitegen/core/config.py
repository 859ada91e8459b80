"""content/site.yaml: the site's settings and the city's facts for the legal pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from . import brand
from . import schema as s
from .confine import allowed
from .errors import Problems
from .source import Lines, SourceError, read_yaml

FORM_PROVIDERS = ("netlify", "formspree", "receiver", "url")
# shown above every topic's comment form: how moderation works and how soon a comment appears
MODERATION = ("Die Redaktion prüft jeden Beitrag vor der Veröffentlichung, meist innerhalb von zwei Werktagen. "
              "Sachliche Beiträge zum Thema werden veröffentlicht; beleidigende, werbende oder rechtswidrige nicht.")
SITE_PATH = re.compile(r"(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")  # no '..', nothing to escape in HTML or a URL

RULES: dict[str, s.Rule] = {
    "title": s.text(required=True, example="Zukunftsthemen Jena"),
    "tagline": s.text(),
    "moderation": s.text(default=MODERATION),
    "city": s.text(required=True, example="Jena"),
    "base_url": s.url(example="https://zukunft.example.de"),
    "brand": s.struct(logo=s.text(), accent=s.text()),  # checked by brand.check
    "form": s.struct(
        provider=s.choice(*FORM_PROVIDERS, default="netlify"),
        name=s.text(default="kommentare"),
        formspree_id=s.text(),
        action=s.url(),
    ),
    "operator": s.struct(
        name=s.text(), legal_form=s.text(), address=s.text(), represented_by=s.text(),
        email=s.text(), phone=s.text(), vat_id=s.text(),
    ),
    "responsible": s.struct(name=s.text(), address=s.text()),
    "privacy": s.struct(
        dpo_contact=s.text(), supervisory_authority=s.text(), cdn=s.text(), form_processor=s.text(),
        transfer_basis=s.text(),  # the legal basis of a transfer to a US form processor, as the DPO words it
    ),
    "accessibility": s.struct(
        status=s.text(), evaluated_on=s.DATE, contact=s.text(),
        enforcement_body=s.text(), enforcement_url=s.url(),
    ),
    # the licence of /daten/ (opendata.py); both or neither, default DL-DE BY 2.0
    "open_data": s.struct(license_name=s.text(example="Creative Commons Namensnennung 4.0"),
                          license_url=s.url(example="https://creativecommons.org/licenses/by/4.0/")),
    "deploy": s.struct(host=s.choice("netlify", "cloudflare", "github", "gitlab", "server", default="netlify")),
    "intake": s.Rule("any"),
}

# The facts the legal pages need; unfilled ones are an editor's to-do, never invented.
FACTS = {
    "base_url": "the site's public address (feeds, sitemap and calendars need it)",
    "operator.name": "Impressum: who runs the site (§5 DDG)",
    "operator.address": "Impressum: postal address (§5 DDG)",
    "operator.represented_by": "Impressum: who represents the operator (§5 DDG)",
    "operator.email": "Impressum: e-mail contact (§5 DDG)",
    "operator.phone": "Impressum: a second quick way of contact (§5 DDG)",
    "responsible.name": "Impressum: person responsible for content (§18 Abs. 2 MStV)",
    "responsible.address": "Impressum: address of the person responsible (§18 Abs. 2 MStV)",
    "privacy.dpo_contact": "Datenschutz: contact of the data protection officer (Art. 13 GDPR)",
    "privacy.cdn": "Datenschutz: the CDN/hosting provider that serves the site (a recipient)",
    "accessibility.contact": "Barrierefreiheit: where visitors report barriers",
    "accessibility.enforcement_body": "Barrierefreiheit: the enforcement body (Durchsetzungsstelle)",
    "accessibility.evaluated_on": "Barrierefreiheit: when the statement was last reviewed",
}


def load_config(root: Path, problems: Problems) -> dict[str, Any]:
    """Read and validate content/site.yaml; problems are recorded, defaults fill the gaps."""
    path = root / "content" / "site.yaml"
    data: dict[str, Any] = {"title": "", "city": ""}  # a file that cannot be read: defaults, one error
    lines, report = Lines(None, 1), lambda line, msg, hint: None
    if not path.exists():
        problems.add(path, 1, "content/site.yaml is missing", "every site needs one: copy it from the example site")
    elif allowed(path, root, problems):
        try:
            src = read_yaml(path)
            data, lines = src.data, src.lines
            report = lambda line, msg, hint: problems.add(path, line, msg, hint)  # noqa: E731
        except SourceError as exc:
            problems.add(path, exc.line, exc.message, exc.hint)
    v = s.Validator(lines, report)
    config = v.mapping(data, RULES)
    for group in ("brand", "form", "operator", "responsible", "privacy", "accessibility", "open_data", "deploy"):
        if config[group] is None:
            config[group] = v.mapping({}, RULES[group].fields)
    brand.check(config["brand"], root, v.error)
    form = config["form"]
    if form["provider"] == "formspree" and not form["formspree_id"]:
        v.error(("form",), "form.provider is formspree but form.formspree_id is missing",
                "copy the id from your Formspree form's address (…/f/<id>)")
    if form["provider"] in ("url", "receiver") and not form["action"]:
        v.error(("form",), f"form.provider is {form['provider']} but form.action is missing",
                "give the address the form posts to" if form["provider"] == "url" else
                "the receiver's public address with /kommentar, e.g. https://kommentare.stadt.example/kommentar")
    _check_license(v, config["open_data"])
    if config["base_url"]:
        config["base_url"] = config["base_url"].rstrip("/")
        parts = urlsplit(config["base_url"])
        if parts.query or parts.fragment or not SITE_PATH.fullmatch(parts.path):
            # its path goes before every link of the site (urls.py): it must need no escaping anywhere
            v.error(("base_url",), "'base_url' must be the site's address with no '?' or '#', its path "
                    "made of letters, digits, '-', '_' and '/'", "e.g. https://www.stadt.example/zukunft/")
    config["intake"] = config["intake"] or {}
    return config


def _check_license(v: s.Validator, open_data: dict[str, Any]) -> None:
    """A licence is named and linked together: a name alone cannot be looked up, a link alone not cited."""
    name, url = open_data["license_name"], open_data["license_url"]
    if bool(name) != bool(url):
        given, missing = ("license_name", "license_url") if name else ("license_url", "license_name")
        v.error(("open_data", given), f"open_data.{given} is set but open_data.{missing} is missing",
                "give both the licence's name and the address of its text, or neither for "
                "Datenlizenz Deutschland – Namensnennung – Version 2.0")
    elif url and not url.startswith(("https://", "http://")):
        v.error(("open_data", "license_url"), "open_data.license_url must be the address of the licence "
                "text, starting with https://", f"got '{url}'")


def missing_facts(config: dict[str, Any], root: Path | None = None) -> list[str]:
    """The facts from FACTS that site.yaml leaves empty, as to-do lines (with the line, given the root)."""
    lines = fact_lines(root) if root is not None else {}
    todo = []
    for key, why in FACTS.items():
        value: Any = config
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, ""):
            where = f"content/site.yaml:{lines[key]}" if key in lines else "content/site.yaml"
            todo.append(f"{where}: '{key}' is not filled in: {why}")
    return todo


def fact_lines(root: Path, keys: Iterable[str] = FACTS) -> dict[str, int]:
    """The line of each dotted key in site.yaml (the nearest group's line where the key itself is missing)."""
    try:
        lines = read_yaml(Path(root) / "content" / "site.yaml").lines
    except (SourceError, OSError):
        return {}
    found = {}
    for key in keys:
        parts = tuple(key.split("."))
        line = next((lines.get(parts[:n]) for n in range(len(parts), 0, -1) if lines.get(parts[:n])), None)
        if line:
            found[key] = line
    return found
