"""Build the participation site: `python build.py [serve|check] [--root DIR] [--out DIR]`.

`python build.py import-wordpress EXPORT.xml [--uploads DIR] [--only-type page|post] [--pages] [--dry-run]`
brings a WordPress site over (sitegen/wordpress/, docs/wordpress.md).

Thin on purpose: argument parsing and exit codes only; the work is in sitegen/.
Exit codes: 0 ok, 1 content errors (listed as path:line: message) or a system error (one line), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python build.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="build", choices=("build", "serve", "check"),
                        help="build (default): write the site; serve: preview with live reload; check: validate "
                             "(and import-wordpress EXPORT.xml: see `python build.py import-wordpress -h`)")
    parser.add_argument("--root", type=Path, default=HERE, help="folder with content/, templates/, static/ (default: this repo)")
    parser.add_argument("--out", type=Path, help="output folder (default: ROOT/site)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="date that splits upcoming from past events (default: today)")
    parser.add_argument("--drafts", action="store_true", help="include topics marked draft: true")
    parser.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (default 8000)")
    parser.add_argument("--no-vnu", action="store_true", help="check: skip the HTML validator (faster)")
    parser.add_argument("--release", action="store_true",
                        help="check: also fail on what makes the site unfit to publish (deploys run this)")
    args = parser.parse_args(argv)
    if not (args.root / "content").is_dir():
        parser.error(f"{args.root} has no content/ folder; pass --root with the site's folder")
    args.out = args.out or args.root / "site"
    return args


def parse_import(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python build.py import-wordpress",
                                     description="Import a WordPress export (WXR) into content/.")
    parser.add_argument("export", type=Path, help="the export file (WordPress: Werkzeuge > Daten exportieren)")
    parser.add_argument("--uploads", type=Path, help="a copy of the old site's wp-content/uploads folder")
    parser.add_argument("--only-type", choices=("page", "post"), help="import only pages or only posts")
    parser.add_argument("--pages", action="store_true", help="WordPress pages go to content/seiten/, not themen/")
    parser.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
    parser.add_argument("--root", type=Path, default=HERE, help="folder with content/ (default: this repo)")
    args = parser.parse_args(argv)
    if not (args.root / "content").is_dir():
        parser.error(f"{args.root} has no content/ folder; pass --root with the site's folder")
    if args.uploads is not None and not args.uploads.is_dir():
        parser.error(f"--uploads {args.uploads}: not a folder")
    return args


def import_wordpress(args: argparse.Namespace) -> int:
    """Run the import; one line on stderr when it cannot."""
    sys.path.insert(0, str(HERE))
    from sitegen.wordpress.command import ImportFailed, run
    from sitegen.wordpress.plan import Options
    options = Options(uploads=args.uploads, only_type=args.only_type, pages=args.pages, dry_run=args.dry_run)
    try:
        return run(args.root, args.export, options, os.environ, sys.stdout)
    except ImportFailed as exc:
        print(exc, file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import-wordpress"]:
        try:
            return import_wordpress(parse_import(argv[1:]))
        except BrokenPipeError:
            raise
        except OSError as exc:
            print(system_error(exc), file=sys.stderr)
            return 1
    args = parse_args(argv)
    try:
        return run(args)
    except BrokenPipeError:
        raise  # the reader left: handled where the process ends, not reported as a failure
    except OSError as exc:  # a full disk, a folder without write permission: one line, no traceback
        print(system_error(exc), file=sys.stderr)
        return 1


FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def system_error(exc: OSError) -> str:
    """One line for an error of the system, naming what failed and where."""
    what = exc.strerror or str(exc)
    if exc.errno in FULL:
        where = f" while writing {exc.filename}" if exc.filename else ""
        return (f"error: {what.lower()}{where}: free some space and build again; the site keeps its last "
                "good state (a build stopped while switching is completed by the next one)")
    return f"error: {what}: {exc.filename}" if exc.filename else f"error: {what}"


def run(args: argparse.Namespace) -> int:
    """Run one command; its exit code."""
    sys.path.insert(0, str(HERE))
    ahead = None
    if args.command == "build":  # the comment folders listed meanwhile, by a child (before the imports below)
        from sitegen.engine.lookahead import look_ahead
        ahead = look_ahead(args.root / "content")
    from sitegen import BuildError, ThemeError, Tuning, build
    from sitegen.output.paths import WriteError

    if args.command == "serve":
        from sitegen.serve import serve
        return serve(args.root, args.out, port=args.port, today=args.today, drafts=args.drafts)
    if args.command == "check":
        from sitegen.check import run_check
        return run_check(args.root, today=args.today, vnu=not args.no_vnu, release=args.release)
    try:
        report = build(args.root, args.out, today=args.today, drafts=args.drafts, tuning=Tuning(lookahead=ahead))
    except BuildError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ThemeError as exc:
        print(f"error in a template: {exc}\n    the site was left as the last good build made it",
              file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Built {args.out}: {len(report.written)} written, {report.unchanged} unchanged, "
          f"{len(report.removed)} removed.")
    from sitegen.core.config import load_config, missing_facts
    from sitegen.core.errors import Problems
    todo = missing_facts(load_config(args.root, Problems(args.root)), args.root)
    if todo:
        print(f"Note: {len(todo)} facts in content/site.yaml are still empty (never made up); "
              "`python build.py check` lists them.")
    return 0


if __name__ == "__main__":
    try:
        status = main()
        # the process ends now: its memory goes back whole, and the collector's last pass over
        # every object left (30 ms after a big build) is skipped (no finalizer depends on it)
        gc.freeze()
        sys.exit(status)
    except BrokenPipeError:  # the reader left early (`python build.py | head -1`): not a failure to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit would fail again
        sys.exit(1)
