"""The city's branding from site.yaml (`brand: {logo, accent}`): checked, and turned into files.

The accent colour travels in a small stylesheet of its own, never in a style attribute: the
Content-Security-Policy allows styles from the site's files only (headers.py).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from typing import Any, Callable

HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
AA = 4.5  # WCAG 2.1 AA, normal text: links and button labels use the accent on white
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".webp": "image/webp", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg", ".ico": "image/x-icon"}
Report = Callable[[tuple[str, ...], str, str], None]


def rgb(colour: str) -> tuple[int, int, int]:
    """#rrggbb or #rgb as three 0..255 channels."""
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(channels: tuple[int, int, int]) -> float:
    """Relative luminance as WCAG 2.1 defines it."""
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    """The contrast ratio of a colour against white (1 to 21)."""
    return 1.05 / (luminance(rgb(colour)) + 0.05)


def darker(colour: str) -> str:
    """The same hue darkened just enough to pass AA on white: the hint an editor can paste."""
    channels = rgb(colour)
    for step in range(100, -1, -1):
        shade = tuple(round(c * step / 100) for c in channels)
        candidate = "#%02x%02x%02x" % shade
        if contrast_on_white(candidate) >= AA:
            return candidate
    return "#000000"


def check(brand: dict[str, Any], root: Path, report: Report) -> None:
    """Report an accent that is no colour or too pale on white, and a logo that is not a published file."""
    accent = brand.get("accent")
    if accent is not None and not HEX.fullmatch(accent):
        report(("brand", "accent"), f"'brand.accent' must be a colour like #0b4f8a, got '{accent}'",
               "six hexadecimal digits after '#'; put it in quotes: accent: \"#0b4f8a\"")
    elif accent is not None and contrast_on_white(accent) < AA:
        report(("brand", "accent"),
               f"'brand.accent' {accent} has a contrast of {contrast_on_white(accent):.2f}:1 on white; "
               f"WCAG AA needs {AA}:1 for the links and buttons drawn in it",
               f"choose a darker shade, e.g. {darker(accent)}")
    logo = brand.get("logo")
    if logo is not None:
        rel = PurePosixPath(logo)
        if not logo.startswith("/dateien/") or ".." in rel.parts or rel.suffix.lower() not in LOGO_TYPES:
            report(("brand", "logo"), f"'brand.logo' must be an image under /dateien/ (content/dateien), got '{logo}'",
                   "e.g. logo: /dateien/logo.svg (svg, png, webp, jpg or ico)")
        elif not (root / "content" / logo.lstrip("/")).is_file():
            report(("brand", "logo"), f"'brand.logo' {logo} does not exist", f"put the file at content{logo}")


def stylesheet(config: dict[str, Any]) -> tuple[str, bytes] | None:
    """The accent's stylesheet as (output path, bytes), named by its content; None without an accent."""
    accent = (config.get("brand") or {}).get("accent")
    if not accent:
        return None
    data = f":root {{ --accent: {accent.lower()}; }}\n".encode("ascii")
    return f"static/brand.{hashlib.sha256(data).hexdigest()[:10]}.css", data


def icon(config: dict[str, Any], asset: Callable[[str], str]) -> tuple[str, str]:
    """The favicon's site path and media type: the logo if given, else static/favicon.svg."""
    logo = (config.get("brand") or {}).get("logo")
    if logo:
        # a logo check() refused fails the build; the renderer is made before that is reported
        return logo, LOGO_TYPES.get(PurePosixPath(logo).suffix.lower(), "application/octet-stream")
    return asset("favicon.svg"), "image/svg+xml"
