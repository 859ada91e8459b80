"""The comment receiver a city hosts itself: the form posts here, `intake pull` fetches from here.

Submissions stay on the city's server (SQLite) until a pull has stored them in the inbox, then they
are deleted here. Run it with `python -m intake receive`; see docs/receiver.md.
"""
