"""The intake's settings, checked directly: each setting lands in its field, every refusal is worded in full
(written for the mutation run, bench/mutation.py; the broad cases are in test_rules.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake import config as configuration
from intake.config import HttpPolicy, Limits, SpamRules, load, parse
from intake.errors import ConfigError


def refused(root: Path, intake: object, message: str, **site: object) -> None:
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
        parse(root, {"intake": intake, **site})


def test_every_setting_lands_in_its_field(tmp_path: Path) -> None:
    key_file = tmp_path.parent / "elsewhere" / "k.key"
    site = {"base_url": " https://zukunft.example.de/ ", "intake": {
        "source": "formspree", "formspree": {"form_id": "f1"}, "receiver": {"url": "https://r"},
        "notify": {"webhook_env": "HOOK"}, "inbox": " daten/eingang ", "retention_days": 30,
        "hash_key_env": " MY_KEY ", "hash_key_file": str(key_file),
        "official_names": {"stadt": " Stadt Jena ", "themenpate": "Pate"},
        "spam": {"max_links": 0, "disallowed_words": [" casino ", "viagra"], "min_seconds": 2},
        "limits": {"name": 40, "body": 100},
        "http": {"timeout": 1.5, "retries": 0, "max_bytes": 10, "max_pages": 3, "backoff_base": 0}}}
    config = parse(tmp_path, site)
    assert config.root == tmp_path and config.content == tmp_path / "content"
    assert config.source == "formspree" and dict(config.source_settings) == {"form_id": "f1"}
    assert dict(config.receiver_settings) == {"url": "https://r"}
    assert dict(config.notify_settings) == {"webhook_env": "HOOK"}
    assert config.base_url == "https://zukunft.example.de"
    assert config.inbox == tmp_path / "daten" / "eingang"
    assert config.retention_days == 30 and config.hash_key_env == "MY_KEY" and config.hash_key_file == key_file
    assert dict(config.official_names) == {"stadt": "Stadt Jena", "themenpate": "Pate"}
    assert config.spam == SpamRules(max_links=0, disallowed_words=("casino", "viagra"), min_seconds=2.0)
    assert isinstance(config.spam.min_seconds, float)
    assert config.limits == Limits(name=40, email=254, website=200, body=100)
    assert config.http == HttpPolicy(timeout=1.5, retries=0, max_bytes=10, max_pages=3, backoff_base=0)


def test_the_defaults(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"netlify": None, "spam": None, "official_names": {"themenpate": None}}})
    assert config.source == "netlify" and dict(config.source_settings) == {}
    assert dict(config.receiver_settings) == {} and dict(config.notify_settings) == {} and config.base_url == ""
    assert config.inbox == tmp_path / ".inbox" and config.retention_days == 180
    assert config.hash_key_env == "INTAKE_HASH_KEY"
    assert config.hash_key_file == Path(configuration.DEFAULT_KEY_FILE).expanduser()
    assert dict(config.official_names) == {"stadt": "Stadt"}
    assert config.spam == SpamRules() and config.limits == Limits() and config.http == HttpPolicy()
    assert parse(tmp_path, None) == parse(tmp_path, {}) == parse(tmp_path, {"intake": None})


def test_the_settings_are_read_only(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"netlify": {"site_id": "s"}}})
    with pytest.raises(TypeError):
        config.source_settings["site_id"] = "other"  # type: ignore[index]
    with pytest.raises(TypeError):
        config.official_names["stadt"] = "x"  # type: ignore[index]


def test_a_home_relative_inbox_and_key_file_are_expanded(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"inbox": "~/eingang", "hash_key_file": "~/k.key"}})
    assert config.inbox == Path("~/eingang").expanduser() and config.hash_key_file == Path("~/k.key").expanduser()


@pytest.mark.parametrize(("intake", "message"), [
    ("nein", "intake: expected a mapping, got str"),
    ({"source": "mail"}, "intake.source: expected one of netlify, formspree, json, receiver, got 'mail'"),
    ({"retention": 3}, "intake.retention: unknown setting (allowed: source, netlify, formspree, json, receiver, "
                       "notify, inbox, retention_days, hash_key_env, hash_key_file, official_names, spam, limits, http)"),
    ({"netlify": []}, "intake.netlify: expected a mapping, got list"),
    ({"source": "json", "json": "x"}, "intake.json: expected a mapping, got str"),
    ({"receiver": 1}, "intake.receiver: expected a mapping, got int"),
    ({"notify": "ja"}, "intake.notify: expected a mapping, got str"),
    ({"retention_days": -1}, "intake.retention_days: expected a non-negative integer, got -1"),
    ({"retention_days": 1.5}, "intake.retention_days: expected a non-negative integer, got 1.5"),
    ({"retention_days": True}, "intake.retention_days: expected a non-negative integer, got True"),
    ({"inbox": "content/inbox"}, "intake.inbox: must not be inside content/ (the inbox holds personal data)"),
    ({"inbox": "content"}, "intake.inbox: must not be inside content/ (the inbox holds personal data)"),
    ({"inbox": "  "}, "intake.inbox: expected a non-empty string, got '  '"),
    ({"inbox": ["a"]}, "intake.inbox: expected a non-empty string, got ['a']"),
    ({"inbox": False}, "intake.inbox: expected a non-empty string, got False"),
    ({"hash_key_env": "MY-KEY"}, "intake.hash_key_env: 'MY-KEY' is not an environment variable name (the config "
                                 "names the variable; the secret itself goes into the environment)"),
    ({"hash_key_env": "1KEY"}, "intake.hash_key_env: '1KEY' is not an environment variable name (the config "
                               "names the variable; the secret itself goes into the environment)"),
    ({"hash_key_file": "key.txt"}, "intake.hash_key_file: must be an absolute path (or start with ~) outside the "
                                   "repository"),
    ({"official_names": "Stadt"}, "intake.official_names: expected a mapping, got str"),
    ({"official_names": {"buergermeister": "B"}}, "intake.official_names.buergermeister: unknown setting "
                                                  "(allowed: stadt, themenpate)"),
    ({"official_names": {"stadt": ""}}, "intake.official_names.stadt: expected a non-empty string, got ''"),
    ({"official_names": {"themenpate": " "}}, "intake.official_names.themenpate: expected a non-empty string, "
                                              "got ' '"),
    ({"spam": []}, "intake.spam: expected a mapping, got list"),
    ({"spam": {"links": 1}}, "intake.spam.links: unknown setting (allowed: max_links, disallowed_words, min_seconds)"),
    ({"spam": {"max_links": 1.5}}, "intake.spam.max_links: expected a non-negative integer, got 1.5"),
    ({"spam": {"min_seconds": "3"}}, "intake.spam.min_seconds: expected a non-negative number, got '3'"),
    ({"spam": {"min_seconds": -0.5}}, "intake.spam.min_seconds: expected a non-negative number, got -0.5"),
    ({"spam": {"disallowed_words": "casino"}}, "intake.spam.disallowed_words: expected a list of non-empty strings"),
    ({"spam": {"disallowed_words": ["ok", " "]}}, "intake.spam.disallowed_words: expected a list of non-empty "
                                                  "strings"),
    ({"spam": {"disallowed_words": ["ok", 3]}}, "intake.spam.disallowed_words: expected a list of non-empty strings"),
    ({"limits": "viel"}, "intake.limits: expected a mapping, got str"),
    ({"limits": {"title": 3}}, "intake.limits.title: unknown setting (allowed: name, email, website, body)"),
    ({"limits": {"body": 0}}, "intake.limits.body: must be at least 1"),
    ({"limits": {"name": 2.5}}, "intake.limits.name: expected a non-negative integer, got 2.5"),
    ({"http": 5}, "intake.http: expected a mapping, got int"),
    ({"http": {"retry": 1}}, "intake.http.retry: unknown setting (allowed: timeout, connect_timeout, retries, "
                             "backoff_base, backoff_max, max_wait, max_bytes, request_deadline, pull_deadline, "
                             "max_pages)"),
    ({"http": {"retries": "oft"}}, "intake.http.retries: expected a non-negative integer, got 'oft'"),
    ({"http": {"retries": 1.0}}, "intake.http.retries: expected a non-negative integer, got 1.0"),
    ({"http": {"max_bytes": 0.5}}, "intake.http.max_bytes: expected a non-negative integer, got 0.5"),
    ({"http": {"max_pages": 0}}, "intake.http.max_pages: must be more than 0"),
    ({"http": {"max_bytes": 0}}, "intake.http.max_bytes: must be more than 0"),
    ({"http": {"request_deadline": 0}}, "intake.http.request_deadline: must be more than 0"),
    ({"http": {"pull_deadline": 0.0}}, "intake.http.pull_deadline: must be more than 0"),
    ({"http": {"timeout": -1}}, "intake.http.timeout: expected a non-negative number, got -1"),
    ({"http": {"max_pages": 2.5}}, "intake.http.max_pages: expected a non-negative integer, got 2.5"),
    ({"hash_key_file": ["k"]}, "intake.hash_key_file: expected a non-empty string, got ['k']"),
    ({"hash_key_env": ["K"]}, "intake.hash_key_env: expected a non-empty string, got ['K']"),
])
def test_every_refusal_names_the_setting_in_full(tmp_path: Path, intake: object, message: str) -> None:
    refused(tmp_path, intake, message)


def test_a_variable_name_is_stripped_before_it_is_checked(tmp_path: Path) -> None:
    assert parse(tmp_path, {"intake": {"hash_key_env": " KEY\n"}}).hash_key_env == "KEY"


def test_a_site_that_is_no_mapping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^content/site\.yaml: expected a mapping, got list$"):
        parse(tmp_path, ["intake"])


def test_zero_is_allowed_where_it_switches_something_off(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"retention_days": 0, "spam": {"max_links": 0, "min_seconds": 0},
                                         "http": {"timeout": 0, "retries": 0, "backoff_max": 0, "max_wait": 0}}})
    assert config.retention_days == 0 and config.spam.max_links == 0 and config.http.max_wait == 0
    assert parse(tmp_path, {"intake": {"limits": {"email": 1}}}).limits.email == 1  # the smallest limit
    small = parse(tmp_path, {"intake": {"http": {"max_pages": 1, "max_bytes": 1, "request_deadline": 0.5,
                                                 "pull_deadline": 1}}}).http
    assert (small.max_pages, small.max_bytes, small.request_deadline, small.pull_deadline) == (1, 1, 0.5, 1)


def test_a_setting_given_as_null_is_its_default(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"inbox": None, "hash_key_file": None, "hash_key_env": None,
                                         "official_names": {"stadt": None}}})
    assert config.inbox == tmp_path / ".inbox" and config.hash_key_env == "INTAKE_HASH_KEY"
    assert config.hash_key_file == Path(configuration.DEFAULT_KEY_FILE).expanduser()
    assert dict(config.official_names) == {"stadt": "Stadt"}


def test_a_base_url_loses_only_its_trailing_slashes(tmp_path: Path) -> None:
    assert parse(tmp_path, {"base_url": "https://example.org/LUX//"}).base_url == "https://example.org/LUX"


def test_the_key_file_must_stay_out_of_the_repository_also_through_the_root_itself(tmp_path: Path) -> None:
    for inside in (tmp_path / "key", tmp_path, tmp_path / "a" / ".." / "k"):
        refused(tmp_path, {"hash_key_file": str(inside)},
                "intake.hash_key_file: must be outside the repository, so the key never enters git")


def test_an_inbox_beside_content_is_fine(tmp_path: Path) -> None:
    for name in ("content-private", "inbox", "../inbox"):
        assert parse(tmp_path, {"intake": {"inbox": name}}).inbox == tmp_path / name


def test_a_number_given_as_a_name_is_read_as_text(tmp_path: Path) -> None:
    config = parse(tmp_path, {"intake": {"official_names": {"stadt": 2027}}})
    assert dict(config.official_names) == {"stadt": "2027"}


def site_yaml(root: Path, text: str | bytes) -> None:
    (root / "content").mkdir(exist_ok=True)
    path = root / "content" / "site.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_load_reads_the_sites_intake_section(tmp_path: Path) -> None:
    site_yaml(tmp_path, "title: T\nbase_url: https://x.example/\nintake:\n  source: json\n  json:\n    url: u\n")
    config = load(tmp_path)
    assert (config.source, dict(config.source_settings), config.base_url) == ("json", {"url": "u"}, "https://x.example")


def test_load_names_a_missing_site_file_with_the_way_out(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=f"^{re.escape(str(tmp_path / 'content' / 'site.yaml'))}: not found "
                                          r"\(run from the repository root or pass --root DIR\)$"):
        load(tmp_path)
    (tmp_path / "content" / "site.yaml").mkdir(parents=True)  # a folder is no site file either
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path)


def test_load_names_the_line_of_broken_yaml_and_undecodable_bytes(tmp_path: Path) -> None:
    site_yaml(tmp_path, "title: T\nintake:\n  source: [netlify\n")
    with pytest.raises(ConfigError, match=f"^{re.escape(str(tmp_path / 'content' / 'site.yaml'))}:[34]: .+"):
        load(tmp_path)
    site_yaml(tmp_path, "title: T\nintake:\n  inbox: x\nintake:\n  inbox: y\n")
    with pytest.raises(ConfigError, match=r"site\.yaml:4: "):
        load(tmp_path)
    site_yaml(tmp_path, b"title: Gr\xf6\xdfe\n")  # Latin-1, not UTF-8
    with pytest.raises(ConfigError, match=f"^{re.escape(str(tmp_path / 'content' / 'site.yaml'))}: not UTF-8 "
                                          "text: 'utf-8' codec can't decode byte 0xf6 in position 9"):
        load(tmp_path)
