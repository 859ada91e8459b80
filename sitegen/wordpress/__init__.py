"""Import a WordPress export (WXR 1.1/1.2): pages, posts, files and comments (`build.py import-wordpress`)."""
