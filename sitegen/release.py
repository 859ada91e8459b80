"""`check --release`: what makes a site unfit to publish, beyond what `check` already finds.

Legal facts left empty, no public address, a form that posts nowhere or in clear text, a privacy page
that cannot be true for the settings, a missing legal page. Each line names where to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from .core.config import fact_lines, missing_facts
from .core.model import Page

LEGAL_PAGES = {"impressum": "the Impressum (§ 5 DDG, § 18 MStV)",
               "datenschutz": "the privacy notice (Art. 13 GDPR)",
               "barrierefreiheit": "the accessibility statement (BITV 2.0 / BFSG)"}
US_PROCESSORS = ("netlify", "formspree")
SOURCE_OF = {"netlify": "netlify", "formspree": "formspree", "receiver": "receiver"}  # form provider -> pull source


def release_problems(root: Path, config: dict[str, Any], pages: Iterable[Page]) -> list[str]:
    """Every reason not to publish yet, one line each, `path:line: message` where a line is known."""
    lines = fact_lines(root, ["base_url", "form", "form.action", "privacy.transfer_basis", "privacy",
                              "intake.source", "intake.netlify.delete_after_pull"])
    where = lambda key: f"content/site.yaml:{lines.get(key, 1)}"  # noqa: E731
    problems = missing_facts(config, root)
    if config.get("base_url") and not https_host(str(config["base_url"])):
        problems.append(f"{where('base_url')}: 'base_url' must be an https:// address with a host name for a "
                        "public site")
    problems += form_problems(config, where)
    problems += privacy_problems(config, where)
    layouts = {p.layout for p in pages}
    for layout, what in LEGAL_PAGES.items():
        if layout not in layouts:
            problems.append(f"content/seiten/{layout}.md: missing: {what} (a page with `layout: {layout}`)")
    return problems


def https_host(url: str) -> bool:
    """An https:// URL that names a host: `https://` or `https:///x` starts right but goes nowhere."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme == "https" and bool(parts.hostname) and parts.port != 0
    except ValueError:  # e.g. a port that is not a number
        return False


def form_problems(config: dict[str, Any], where: Any) -> list[str]:
    """The form must post somewhere, over https, to where `intake pull` fetches from."""
    form, intake = config.get("form") or {}, config.get("intake") or {}
    provider = form.get("provider") or "netlify"
    problems = []
    if provider in ("receiver", "url"):
        action = form.get("action") or ""
        if not https_host(str(action)):
            problems.append(f"{where('form.action')}: 'form.action' must be an https:// address with a host name "
                            "(the comment form would send names and e-mail addresses in clear text or nowhere)")
    source = intake.get("source") or "netlify"
    wanted = SOURCE_OF.get(provider)
    if wanted and source != wanted:
        problems.append(f"{where('intake.source')}: the form posts to {provider}, but intake.source is {source}: "
                        f"`python -m intake pull` would never see the comments (set intake.source: {wanted})")
    return problems


def privacy_problems(config: dict[str, Any], where: Any) -> list[str]:
    """Settings that would make the generated privacy page promise what does not happen."""
    form, intake, privacy = config.get("form") or {}, config.get("intake") or {}, config.get("privacy") or {}
    provider = form.get("provider") or "netlify"
    problems = []
    if provider in US_PROCESSORS and not privacy.get("transfer_basis"):
        problems.append(f"{where('privacy.transfer_basis')}: 'privacy.transfer_basis' is empty: the form sends "
                        f"personal data to {provider} in the USA; state the legal basis of that transfer as "
                        "your data protection officer words it (or use the city's own receiver)")
    settings = intake.get(provider) if isinstance(intake.get(provider), dict) else {}
    if provider == "netlify" and settings.get("delete_after_pull") is not True:
        problems.append(f"{where('intake.netlify.delete_after_pull')}: intake.netlify.delete_after_pull is not true: submissions would "
                        "stay at Netlify beyond the retention period the privacy page states; set it to true")
    return problems
