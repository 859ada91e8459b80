"""Speed-ups of Python-Markdown, installed only on the versions they were written for."""
