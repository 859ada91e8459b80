"""Mutation testing with mutmut 3: each module against its own fast tests, score and survivors to a report.

Usage: python bench/mutation.py [MODULE ...]   (default: every module below; needs `pip install mutmut`)

Each module runs in its own scratch copy of the repo (mutmut reads its settings from the copy's
pyproject.toml and writes `mutants/` there), so the work tree is never touched and runs can differ
in the tests they select. Too slow for CI (minutes per module on two cores): run it by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRATCH = Path(os.environ.get("MUTATION_SCRATCH", "/tmp/mutation"))
REPORT = REPO / "bench" / "mutation-report.md"
RESULTS = REPO / "bench" / "mutation-results.json"  # every module's last run, so a run of one module keeps the others
COPY = ("build.py", "intake", "sitegen", "templates", "static", "content", "docs", "tests", "pyproject.toml")
# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), as the report names them
STATUS = {1: "killed", 3: "killed", -24: "timeout", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          35: "suspicious", 36: "timeout", 37: "caught by type check", 24: "timeout", -11: "segfault",
          -9: "segfault", 152: "timeout", 255: "timeout"}

# Tests left out: too slow to run once per mutant (16 s of racing processes; a real process killed and
# restarted), or starting a fresh `python` in the copy, which reads mutmut's stub .pyc files and dies.
SLOW_MODERATION = ("--deselect",
                   "tests/intake/test_moderation_safety.py::test_bulk_approve_racing_forget_never_republishes",
                   *(arg for name in ("test_a_decision_waits_for_a_short_lock_instead_of_failing",
                                      "test_an_alias_bomb_in_site_yaml_is_a_config_error_at_once",
                                      "test_approve_that_fails_writing_the_inbox_leaves_nothing_public")
                     for arg in ("--deselect", f"tests/intake/test_moderation_safety.py::{name}")))
SLOW_RECEIVER = ("--deselect", "tests/intake/test_receiver.py::"
                 "test_the_receive_command_serves_and_a_kill_loses_no_acknowledged_submission")

WEB_COMMAND = ("--deselect", "tests/intake/test_review_web_guard.py::test_the_command_prints_a_local_address_with_a_token")

# The module and the fast test files that are meant to catch its bugs (running the whole suite per
# mutant would take hours on two cores).
MODULES: dict[str, tuple[str, ...]] = {
    "intake/validate.py": ("tests/intake/test_rules.py", "tests/intake/test_validate_edges.py",
                           "tests/intake/test_strength.py", "tests/intake/test_pull.py"),
    "intake/files.py": ("tests/intake/test_files.py", "tests/intake/test_strength.py", "tests/intake/test_rules.py",
                        "tests/intake/test_crash.py", "tests/intake/test_pull.py", "tests/intake/test_batch_write.py"),
    "intake/entry.py": ("tests/intake/test_entry.py", "tests/intake/test_strength.py", "tests/intake/test_rules.py",
                        "tests/intake/test_pull.py", "tests/intake/test_cli.py"),
    "sitegen/output/writer.py": ("tests/test_write.py", "tests/test_write_safety.py", "tests/test_writer.py",
                                 "tests/test_mutation_writer.py"),
    "sitegen/core/threads.py": ("tests/test_units.py",),
    "sitegen/core/rules.py": ("tests/test_units.py", "tests/test_errors.py"),
    "sitegen/core/markdown_html.py": ("tests/test_speedups.py", "tests/test_comment_markup.py"),
    "sitegen/core/comment_html.py": ("tests/test_comment_markup.py", "tests/test_units.py", "tests/test_properties.py"),
    "sitegen/core/image_metadata.py": ("tests/test_image_metadata.py",),
    "sitegen/core/codepoints.py": ("tests/test_blns.py", "tests/test_units.py", "tests/test_properties.py",
                                   "tests/test_flatyaml.py"),
    # test_errors.py and test_units.py reach the Validator through whole builds: 30 s per mutant, hours per run
    "sitegen/core/schema.py": ("tests/test_mutation_schema.py",),
    "intake/publish.py": ("tests/intake/test_mutation_publish.py", "tests/intake/test_cli.py",
                          "tests/intake/test_moderation_safety.py", "tests/intake/test_hostile_data.py",
                          *SLOW_MODERATION),
    "intake/comments.py": ("tests/intake/test_mutation_comments.py", "tests/intake/test_cli.py",
                           "tests/intake/test_moderation_safety.py", "tests/intake/test_hostile_data.py",
                           *SLOW_MODERATION),
    "intake/privacy.py": ("tests/intake/test_mutation_privacy.py", "tests/intake/test_cli.py",
                          "tests/intake/test_moderation_safety.py", "tests/intake/test_hostile_data.py",
                          *SLOW_MODERATION),
    "intake/inbox.py": ("tests/intake/test_mutation_inbox.py", "tests/intake/test_batch_write.py", "tests/intake/test_pull.py", "tests/intake/test_rules.py",
                        "tests/intake/test_strength.py", "tests/intake/test_cli.py",
                        "tests/intake/test_moderation_safety.py", *SLOW_MODERATION),
    # test_receiver.py (a served receiver, 30 s) is left out per mutant: the guard's rules are tested directly
    "intake/receiver/guard.py": ("tests/intake/test_receiver_guard.py", "tests/intake/test_mutation_guard.py",
                                 "tests/intake/test_receiver_store.py"),
    # test_receiver.py serves the form through a real server: 30 s per mutant; the pure checks are tested directly
    "intake/receiver/form.py": ("tests/intake/test_mutation_form.py", "tests/intake/test_receiver_store.py"),
    "intake/pull.py": ("tests/intake/test_pull.py", "tests/intake/test_strength.py", "tests/intake/test_mutation_pull.py"),
    # test_hostile_backend.py (real servers that drip, stall and redirect) is left out per mutant for time:
    # with it a mutant took minutes on the shared cores; run it by adding it here when the machine is free
    "intake/http.py": ("tests/intake/test_http.py", "tests/intake/test_mutation_http.py"),
    # the backends against scripted answers; pulls through them (test_pull.py, test_hostile_backend.py) are too
    # slow per mutant on the shared cores
    **{f"intake/sources/{name}.py": ("tests/intake/test_mutation_sources.py", "tests/intake/test_source_settings.py",
                                     "tests/intake/test_mutation_source_choice.py")
       for name in ("__init__", "base", "netlify", "formspree", "jsonapi")},
    "intake/sources/receiver.py": ("tests/intake/test_receiver.py", "tests/intake/test_mutation_sources.py",
                                   *SLOW_RECEIVER),
    "intake/spam.py": ("tests/intake/test_rules.py", "tests/intake/test_strength.py", "tests/intake/test_mutation_spam.py"),
    "sitegen/core/contract.py": ("tests/test_mutation_contract.py", "tests/test_contract.py", "--deselect",
                                 "tests/test_contract.py::test_the_benchmark_corpus_writes_comment_files_exactly_as_the_intake_does"),
    "intake/notify.py": ("tests/intake/test_notify.py", "tests/intake/test_mutation_notify.py",
                         "tests/intake/test_notify_mail.py"),
    "intake/review.py": ("tests/intake/test_review_tty.py", "tests/intake/test_cli.py",
                         "tests/intake/test_mutation_review.py"),
    # issue 16's browser review: its guard over real sockets, the CLI's undo; the browser tests (chromium) are too
    # slow per mutant, and the review command's own test starts a fresh `python` in the copy
    **{module: ("tests/intake/test_undo.py", "tests/intake/test_review_web_guard.py",
                "tests/intake/test_mutation_web_actions.py", "tests/intake/test_mutation_undo.py",
                "tests/intake/test_mutation_web_guard.py", *WEB_COMMAND)
       for module in ("intake/undo.py", "intake/web/guard.py", "intake/web/actions.py")},
    "sitegen/output/paths.py": ("tests/test_write.py", "tests/test_write_safety.py", "tests/test_writer.py",
                                "tests/test_mutation_output.py"),
    "sitegen/output/staging.py": ("tests/test_write.py", "tests/test_write_safety.py", "tests/test_writer.py",
                                  "tests/test_mutation_output.py"),
    # --- helper mutserver (issue 18, third pass): the rest of the output folder, the receiver, the web review.
    # test_switch.py is left out: its builds are `python` children in the copy (mutmut's stub .pyc files) and
    # one of them kills builds at random for 34 s; tests/test_mutation_switch.py drives the switch directly.
    **{f"sitegen/output/{name}.py": ("tests/test_write.py", "tests/test_write_safety.py", "tests/test_writer.py",
                                     "tests/test_mutation_writer.py", "tests/test_mutation_output.py",
                                     "tests/test_mutation_switch.py")
       for name in ("lock", "manifest", "switch")},
    # the served receiver (test_receiver.py, 1 s of server start and stop per test) is left out per mutant:
    # the application, store, settings and pages are called directly; the channel needs a running server
    **{f"intake/receiver/{name}.py": ("tests/intake/test_mutation_receiver_app.py",
                                      "tests/intake/test_mutation_receiver_parts.py",
                                      "tests/intake/test_receiver_store.py", "tests/intake/test_receiver_guard.py",
                                      "tests/intake/test_mutation_guard.py")
       for name in ("store", "settings", "pages", "app", "serve")},
    "intake/receiver/channel.py": ("tests/intake/test_receiver_load.py", "tests/intake/test_mutation_receiver_parts.py"),
    # the review page and its server: the same selection as the web guard and actions above, plus the page's own
    **{module: ("tests/intake/test_undo.py", "tests/intake/test_review_web_guard.py",
                "tests/intake/test_mutation_web_actions.py", "tests/intake/test_mutation_undo.py",
                "tests/intake/test_mutation_web_guard.py", "tests/intake/test_mutation_web_server.py", *WEB_COMMAND)
       for module in ("intake/web/pages.py", "intake/web/server.py")},
    # --- end of helper mutserver's block
    # helper mutintake (issue 18, third pass): the intake's command side. The in-process CLI tests (intake_support's
    # Cli) reach these; test_review_tty.py starts a fresh `python` in the copy and test_moderation_safety.py,
    # test_crash.py and test_e2e_build.py take 14 to 23 s a run, so they are left out per mutant.
    "intake/dates.py": ("tests/intake/test_mutation_dates.py", "tests/intake/test_mutation_sources.py",
                        "tests/intake/test_mutation_publish.py", "tests/intake/test_mutation_privacy.py"),
    "intake/topics.py": ("tests/intake/test_mutation_topics.py", "tests/intake/test_participation_window.py",
                         "tests/intake/test_mutation_publish.py"),
    "intake/config.py": ("tests/intake/test_mutation_config.py", "tests/intake/test_rules.py",
                         "tests/intake/test_mutation_source_choice.py", "tests/intake/test_mutation_notify.py",
                         "tests/intake/test_mutation_privacy.py", "tests/intake/test_cli.py"),
    "intake/runtime.py": ("tests/intake/test_cli.py", "tests/intake/test_mutation_cli.py"),
    "intake/display.py": ("tests/intake/test_mutation_display.py", "tests/intake/test_cli.py",
                          "tests/intake/test_mutation_review.py", "tests/intake/test_hostile_data.py"),
    **{module: ("tests/intake/test_cli.py", "tests/intake/test_mutation_cli.py", "tests/intake/test_undo.py",
                "tests/intake/test_notify.py", "tests/intake/test_hostile_data.py",
                "tests/intake/test_participation_window.py", "tests/intake/test_mutation_undo.py")
       for module in ("intake/commands.py", "intake/cli.py")},
}


@dataclass(frozen=True)
class Outcome:
    """One module's run: mutants by status, the survivors' diffs and how long it took."""

    module: str
    counts: dict[str, int]
    survivors: list[str]
    seconds: float

    @property
    def score(self) -> float:
        """Killed (by a test, a time-out or the type check) over all mutants that tests reach."""
        total = sum(n for status, n in self.counts.items() if status not in ("no tests", "skipped"))
        caught = sum(self.counts.get(s, 0) for s in ("killed", "timeout", "caught by type check", "segfault"))
        return 100.0 * caught / total if total else 0.0


def pyproject(module: str, tests: tuple[str, ...]) -> str:
    """The copy's pyproject.toml with a [tool.mutmut] section for one module."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    package = module.split("/")[0]
    return text + (f'\n[tool.mutmut]\nsource_paths = ["{package}"]\nonly_mutate = ["{module}"]\n'
                   f'also_copy = ["build.py", "templates", "static", "content", "docs", "intake", "sitegen"]\n'
                   f"pytest_add_cli_args_test_selection = {json.dumps(list(tests))}\n"
                   f'pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"]\n')


def prepare(module: str, tests: tuple[str, ...]) -> Path:
    """A fresh scratch copy of the repo set up to mutate one module."""
    work = SCRATCH / module.replace("/", "_").removesuffix(".py")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".cache", "mutants", "*.egg-info")
    for name in COPY:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, work / name)
    (work / "site").mkdir(exist_ok=True)
    kept = tuple(t for t in tests if t.startswith("-") or (REPO / t.split("::")[0]).exists())
    (work / "pyproject.toml").write_text(pyproject(module, kept), encoding="utf-8")
    return work


def collect(work: Path, module: str) -> tuple[dict[str, int], list[str]]:
    """Counts by status from mutmut's meta file, and `mutmut show` for each survivor."""
    found = work / "mutants" / (module + ".meta")
    if not found.exists():  # no function to mutate (module-level data only): mutmut stops early
        return {}, []
    meta = json.loads(found.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    survivors: list[str] = []
    for name, code in sorted(meta["exit_code_by_key"].items()):
        status = STATUS.get(code, f"exit {code}") if code is not None else "not run"
        counts[status] = counts.get(status, 0) + 1
        if status == "survived":
            shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, capture_output=True,
                                   text=True, timeout=120)
            survivors.append(shown.stdout.strip())
    return counts, survivors


def run(module: str) -> Outcome:
    """Mutate one module in its scratch copy and read back the verdicts."""
    work = prepare(module, MODULES[module])
    start = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", "2"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=3600)
    (work / "mutmut.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    counts, survivors = collect(work, module)
    return Outcome(module, counts, survivors, time.monotonic() - start)


def rerun_survivors(module: str) -> Outcome:
    """Run a finished module's survivors again after tests were added: the scratch copy gets the repo's tests
    now, and mutmut runs only those mutants (minutes instead of a whole run)."""
    work = SCRATCH / module.replace("/", "_").removesuffix(".py")
    meta = json.loads((work / "mutants" / (module + ".meta")).read_text(encoding="utf-8"))
    names = [name for name, code in meta["exit_code_by_key"].items() if STATUS.get(code) in ("survived", "no tests")]
    ignore = shutil.ignore_patterns("__pycache__", ".cache")
    for tests in (work / "tests", work / "mutants" / "tests"):
        shutil.copytree(REPO / "tests", tests, ignore=ignore, dirs_exist_ok=True)
    kept = tuple(t for t in MODULES[module] if t.startswith("-") or (REPO / t.split("::")[0]).exists())
    for settings in (work / "pyproject.toml", work / "mutants" / "pyproject.toml"):  # today's test selection
        settings.write_text(pyproject(module, kept), encoding="utf-8")
    start = time.monotonic()
    if names:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", "2", *names], cwd=work,
                              env=env, capture_output=True, text=True, timeout=3600)
        (work / "mutmut-rerun.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        keep_verdicts(work / "mutants" / (module + ".meta"), meta["exit_code_by_key"], set(names))
    counts, survivors = collect(work, module)
    stored = json.loads(RESULTS.read_text(encoding="utf-8")).get(module, {}) if RESULTS.exists() else {}
    return Outcome(module, counts, survivors, stored.get("seconds", 0.0) + time.monotonic() - start)


def keep_verdicts(found: Path, before: dict[str, int | None], rerun: set[str]) -> None:
    """mutmut forgets every other mutant's verdict when the test selection changed: put them back."""
    meta = json.loads(found.read_text(encoding="utf-8"))
    codes = meta["exit_code_by_key"]
    for name, code in before.items():
        if name not in rerun or codes.get(name) is None:
            codes[name] = code
    found.write_text(json.dumps(meta), encoding="utf-8")


def report(outcomes: list[Outcome]) -> str:
    """Markdown: a score table, then each survivor's diff."""
    lines = ["# Mutation report (mutmut)", "", "Written by `python bench/mutation.py`; hand-written notes on the",
             "survivors belong in `bench/mutation-notes.md`, since this file is overwritten.", "",
             "| module | mutants | killed | survived | other | score | time |", "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
    for o in outcomes:
        other = ", ".join(f"{s} {n}" for s, n in sorted(o.counts.items()) if s not in ("killed", "survived")) or "-"
        score = f"{o.score:.1f} %" if o.counts else "none (mutmut 3 mutates functions only)"
        lines.append(f"| {o.module} | {sum(o.counts.values())} | {o.counts.get('killed', 0)} | "
                     f"{o.counts.get('survived', 0)} | {other} | {score} | {o.seconds:.0f} s |")
    for o in outcomes:
        if o.survivors:
            lines += ["", f"## Survivors in {o.module}", "", "```diff", *o.survivors, "```"]
    return "\n".join(lines) + "\n"


def record(module: str, outcome: Outcome) -> None:
    """Store one module's run, re-reading the file first so that runs of other modules in parallel are kept."""
    stored = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    stored[module] = {"counts": outcome.counts, "survivors": outcome.survivors, "seconds": outcome.seconds}
    RESULTS.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_report() -> None:
    """The report from every module's last run: those in MODULES in its order, then rows stored under paths
    that no longer exist (modules moved since; kept until re-run under the new path)."""
    stored = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    order = list(MODULES)
    outcomes = [Outcome(m if m in MODULES else f"{m} (old path, not re-run)", r["counts"], r["survivors"],
                        r["seconds"]) for m, r in stored.items()]
    REPORT.write_text(report(sorted(outcomes, key=lambda o: (o.module not in MODULES, order.index(o.module)
                                                             if o.module in MODULES else 0, o.module))),
                      encoding="utf-8")
    print(f"wrote {REPORT.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen modules and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"any of {', '.join(MODULES)}")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the stored results")
    parser.add_argument("--collect", action="store_true",
                        help="record the modules' finished runs from their scratch copies instead of running them")
    parser.add_argument("--survivors", action="store_true",
                        help="run only the survivors of the modules' last runs again, against the current tests")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"no test selection for {', '.join(unknown)}")
    for module in [] if args.report_only else args.modules or list(MODULES):
        if args.collect:
            known = json.loads(RESULTS.read_text(encoding="utf-8")).get(module, {}) if RESULTS.exists() else {}
            outcome = Outcome(module, *collect(SCRATCH / module.replace("/", "_").removesuffix(".py"), module),
                              known.get("seconds", 0.0))
        else:
            outcome = rerun_survivors(module) if args.survivors else run(module)
        print(f"{module}: {outcome.score:.1f} % killed {outcome.counts} in {outcome.seconds:.0f} s", flush=True)
        if outcome.counts and set(outcome.counts) == {"not run"}:  # the first, unmutated test run failed
            print(f"{module}: not recorded, the tests fail without mutants: see {SCRATCH}/.../mutmut.log")
            continue
        record(module, outcome)
    write_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
