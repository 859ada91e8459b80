"""HTTP headers for the hosts that read a `_headers` file (Netlify, Cloudflare Pages), and the same
Content-Security-Policy as a <meta> tag for hosts that send no headers of their own (GitHub and
GitLab Pages): caching for fingerprinted assets, and a policy that allows exactly what the pages
load (everything from the site itself) and where the comment form posts to."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .urls import prefix_of

HOSTS = ("netlify", "cloudflare", "github", "gitlab", "server")
META_HOSTS = ("github", "gitlab")  # no way to set headers there: the policy travels in each page
FORMSPREE = "https://formspree.io"


def form_origin(config: dict[str, Any]) -> str:
    """Where the comment form posts to, as a CSP source ('self' for the site's own address)."""
    form = config.get("form") or {}
    provider = form.get("provider") or "netlify"
    if provider == "formspree":
        return FORMSPREE
    if provider in ("receiver", "url") and form.get("action"):
        parts = urlsplit(form["action"])
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "'self'"


def policy(config: dict[str, Any], meta: bool = False) -> str:
    """The Content-Security-Policy: the site's own files only, forms to the form's endpoint."""
    target = form_origin(config)
    directives = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                  "font-src 'self'", "connect-src 'self'", "manifest-src 'self'", "base-uri 'none'",
                  "form-action 'self'" + ("" if target == "'self'" else f" {target}")]
    if not meta:  # ignored (and warned about) in a <meta> tag
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def host(config: dict[str, Any]) -> str:
    """The configured host kind (deploy.host), netlify by default."""
    return ((config.get("deploy") or {}).get("host")) or "netlify"


def csp_meta(config: dict[str, Any]) -> str | None:
    """The policy for a <meta http-equiv> tag, where the host cannot send it as a header."""
    return policy(config, meta=True) if host(config) in META_HOSTS else None


def headers_file(config: dict[str, Any]) -> bytes:
    """`_headers` in the format Netlify and Cloudflare Pages read (and docs/deploy.md turns into nginx)."""
    https = str(config.get("base_url") or "").startswith("https://")
    every = [("Content-Security-Policy", policy(config)), ("X-Content-Type-Options", "nosniff"),
             ("Referrer-Policy", "strict-origin-when-cross-origin"),
             ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
             ("Cross-Origin-Opener-Policy", "same-origin")]
    if https:
        every.append(("Strict-Transport-Security", "max-age=31536000"))
    prefix = prefix_of(config.get("base_url"))  # the rules match the paths visitors ask for
    rules = [(f"{prefix}/*", every),
             # fingerprinted: a changed file gets a new name, so this one never changes
             (f"{prefix}/static/*", [("Cache-Control", "public, max-age=31536000, immutable")])]
    lines = []
    for path, pairs in rules:
        lines.append(path)
        lines += [f"  {name}: {value}" for name, value in pairs]
    return ("\n".join(lines) + "\n").encode("utf-8")
