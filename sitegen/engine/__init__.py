"""How fast the site is built: the cache, change scanning, worker processes; it uses core, never the reverse."""
