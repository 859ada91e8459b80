"""The few pages the receiver answers with itself: German, plain HTML, no scripts, no cookies."""

from __future__ import annotations

from html import escape

TITLES = {400: "Der Beitrag wurde nicht angenommen", 403: "Der Beitrag wurde nicht angenommen",
          404: "Seite nicht gefunden", 405: "Diese Adresse nimmt nur Formulare an",
          413: "Der Beitrag ist zu lang", 429: "Zu viele Beiträge in kurzer Zeit",
          500: "Ein Fehler auf unserer Seite", 503: "Vorübergehend nicht erreichbar"}
PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body {{ font: 1.1rem/1.55 system-ui, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 40rem;
       padding: 1.5rem; }}
h1 {{ font-size: 1.6rem; line-height: 1.25; }}
a {{ color: #0b4f8a; }}
a:focus {{ outline: 3px solid #c1440e; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
<p>Ihr Text wurde nicht gespeichert. Gehen Sie im Browser einen Schritt zurück: dort steht er meist noch im
Formular, und Sie können ihn korrigieren und erneut senden.</p>
<p><a href="{back}">Zurück zur Seite</a></p>
</main>
</body>
</html>
"""


def refusal(status: int, message: str, back: str) -> bytes:
    """A page that says why nothing was stored and how to go on."""
    title = TITLES.get(status, "Der Beitrag wurde nicht angenommen")
    return PAGE.format(title=escape(title), message=escape(message), back=escape(back, quote=True)).encode()
