"""How the site is written: only changed bytes, safe paths, the manifest, the build lock."""
