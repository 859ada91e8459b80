"""`python -m intake review --web`: the review in the browser, on 127.0.0.1 only, for one editor's machine."""
