"""What an import did, for the editor: to stdout and import-report.md (ids and titles, never personal data)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

REPORT_NAME = "import-report.md"  # at the site's root, beside content/: never built, never published


@dataclass
class Report:
    """Lines per section and the counts the summary gives."""

    dry_run: bool = False
    items: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    shortcodes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outcome: Counter[str] = field(default_factory=Counter)  # written, unchanged, clash (files)
    counts: Counter[str] = field(default_factory=Counter)  # comments by kind

    def file(self, rel: str, result: str) -> None:
        """Record what happened to one file under content/."""
        self.outcome[result] += 1
        if result == "clash":
            self.clashes.append(f"{rel}: exists with other content (not from this import, or edited since): "
                                "left as it is")
        elif self.dry_run and result == "written":
            self.files.append(f"would write {rel}")

    def summary(self) -> str:
        """The one line that says what the run did."""
        verb = "would be written" if self.dry_run else "written"
        c = self.counts
        return (f"{self.outcome['written']} files {verb}, {self.outcome['unchanged']} unchanged, "
                f"{self.outcome['clash']} clashes; comments: {c['published']} published, {c['inbox']} to the inbox "
                f"as pending, {c['spam']} spam and {c['trash']} trash dropped, {c['linkback']} pingbacks/trackbacks "
                f"left out, {c['kept']} already in the inbox (left as the inbox has them)")

    def markdown(self) -> str:
        """The whole report as Markdown."""
        sections = [("Imported", self.items), ("Skipped", self.skipped), ("Clashes", self.clashes),
                    ("Shortcodes left in the text (shown as written)", self.shortcodes),
                    ("Links to the old site not rewritten", self.links), ("Files", self.files),
                    ("Comments", self.comments), ("Notes", self.notes)]
        title = "# WordPress import (dry run: nothing written)" if self.dry_run else "# WordPress import"
        parts = [title, "", self.summary()]
        for heading, lines in sections:
            parts += ["", f"## {heading} ({len(lines)})", ""] + [f"- {line}" for line in lines or ["none"]]
        return "\n".join(parts) + "\n"
