"""Code points no page may show: the ones HTML and XML forbid, the invisible ones that disguise a
name, and the bidi controls that reorder a comment's text."""

from __future__ import annotations

import re

# Code points that HTML and XML forbid in text: C0/C1 controls, noncharacters, lone surrogates.
# The astral noncharacters (U+1FFFE, U+1FFFF, ... U+10FFFF) are found by their low bits: a class
# listing all 32 of them makes every search over non-ASCII text ten times slower.
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SUSPECT = re.compile(_FORBIDDEN_BMP.pattern[:-1] + "\U00010000-\U0010ffff]")  # either kind, one pass


def strip_forbidden(text: str) -> str:
    """Drop the code points no page, feed or calendar may contain."""
    if not _SUSPECT.search(text):
        return text  # the common case: one scan of the text
    text = _FORBIDDEN_BMP.sub("", text)
    if _ASTRAL.search(text):
        text = _ASTRAL.sub(_keep_character, text)
    return text


def _keep_character(match: re.Match[str]) -> str:
    char = match.group()
    return "" if ord(char) & 0xFFFE == 0xFFFE else char


# Invisible characters that reorder or hide the text around them: bidi embeddings, overrides,
# isolates and marks, zero-width spaces and joiners. In a name they only serve to pass one name off
# as another ("Stadt Jena"). Joiners are kept between non-ASCII characters: emoji sequences and
# some scripts (Persian, Indic) need them.
_INVISIBLE = re.compile("[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
                        "|(?<=[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f])|\\A[\u200c\u200d]|[\u200c\u200d]\\Z")


def strip_invisible(text: str) -> str:
    """Drop bidi controls and zero-width characters that could disguise a visitor's name."""
    return _INVISIBLE.sub("", text) if not text.isascii() else text


# Bidi embeddings, overrides and isolates. In a comment's body one can reverse the rest of its
# paragraph, or show a link's text in another order than the address it points to. The marks (LRM,
# RLM, ALM) stay: writers of right-to-left scripts use them, and they reorder no letters.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_reordering(text: str) -> str:
    """Drop the bidi controls that could make a comment's text read otherwise than it is written."""
    return _REORDERING.sub("", text) if not text.isascii() else text
