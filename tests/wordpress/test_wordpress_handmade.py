"""The import on a hand-written export with one case of everything (tests/wordpress/data/handmade.xml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from wp_support import HANDMADE, import_into, leaks, personal_data

from intake.config import load
from intake.entry import Entry
from intake.files import read
from intake.privacy import forget


def page(root: Path, rel: str) -> tuple[dict, str]:
    """Front matter and body of an imported file."""
    _, head, body = (root / rel).read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def comment(root: Path, key: str) -> dict:
    """One published comment file of the smart-city-jena topic."""
    return yaml.safe_load((root / "content/kommentare/smart-city-jena" / f"{key}.yaml").read_text("utf-8"))


def inbox_entry(root: Path, key: str) -> Entry:
    """One entry of the private inbox."""
    return Entry.from_dict(read(root / ".inbox" / f"{key}.yaml"))


def test_a_post_becomes_a_topic_with_the_front_matter_rules_allow(site: Path) -> None:
    import_into(site)
    meta, _ = page(site, "content/themen/smart-city-jena.md")
    assert meta == {"title": "Smart City Jena", "category": "Zukunftsthema",
                    "summary": "Digitalisierung als Querschnittsaufgabe.", "date": dt.date(2019, 5, 2),
                    "tags": ["Digitalisierung", "Verwaltung"], "comments": "open"}
    closed, _ = page(site, "content/themen/gruene-stadt.md")
    assert closed["comments"] == "closed" and "category" not in closed  # "Uncategorized" is WordPress' own


def test_wpautop_makes_paragraphs_and_line_breaks(site: Path) -> None:
    import_into(site)
    _, body = page(site, "content/themen/smart-city-jena.md")
    assert body.startswith("Jena will eine *digitale* Stadt werden.  \nDazu braucht es alle.\n\n")


def test_block_editor_comments_go_and_their_content_stays(site: Path) -> None:
    import_into(site)
    _, body = page(site, "content/themen/gruene-stadt.md")
    assert "wp:" not in body and "<!--" not in body
    assert "## Was wir planen\n\n1. Pflanzen\n2. Pflegen" in body
    assert "> Eine Stadt ist so grün wie ihre Bürger." in body
    assert "| Jahr | Bäume |\n|---|---|\n| 2019 | 120 |" in body
    assert "```\nbaeume = 120 \\* 2\n```" not in body and "```\nbaeume = 120 * 2\n```" in body
    assert "alert" not in body and "maps.example" not in body  # scripts and embeds are left out


def test_caption_becomes_an_image_with_its_caption_other_shortcodes_stay_visible(site: Path) -> None:
    out = import_into(site)
    _, body = page(site, "content/themen/smart-city-jena.md")
    assert ("[![Das Rathaus](/dateien/2019/05/rathaus-jena.jpg)](/dateien/2019/05/rathaus-jena.jpg)\n\n"
            "*Das Rathaus im Mai*") in body
    assert "caption" not in body and '\\[gallery ids="40,41"\\]' in body
    assert 'content/themen/smart-city-jena.md: [gallery ids="40,41"]' in out
    assert 'content/themen/gruene-stadt.md: [contact-form-7 id="5" title="Kontakt"]' in out
    assert "[caption" not in out


def test_links_to_the_old_site_are_rewritten_and_the_rest_listed(site: Path) -> None:
    out = import_into(site, pages=True)
    _, body = page(site, "content/themen/smart-city-jena.md")
    assert "[Grüne Stadt](/themen/gruene-stadt/)" in body
    assert "[über uns](/ueber-uns/)" in body  # ?page_id=20, a page under --pages
    assert "[jena.de](https://www.jena.de/)" in body  # other sites stay as they are
    _, green = page(site, "content/themen/gruene-stadt.md")
    assert ("[Smart City](/themen/smart-city-jena/#kommentieren) ([Annas Kommentar](/themen/smart-city-jena/"
            "#kommentar-wordpress-101), [ein wartender](/themen/smart-city-jena/), [oben](/themen/smart-city-jena/))"
            ) in green  # WordPress' anchors where the new page has them; others lead to the page's top
    assert "https://zukunft.jena.example/2019/05/smart-city-jena/#main: the new page has no such anchor" in out
    for left in ("https://zukunft.jena.example/category/allgemein/", "https://zukunft.jena.example/?p=30",
                 "https://zukunft.jena.example/wp-content/uploads/2019/05/konzept.pdf"):
        assert f"content/themen/smart-city-jena.md: {left}" in out
    assert "missing: wp-content/uploads/2019/05/konzept.pdf is not in --uploads" in out


def test_uploads_are_copied_under_a_plain_name_and_never_fetched(site: Path) -> None:
    import_into(site)
    assert (site / "content/dateien/2019/05/rathaus-jena.jpg").read_bytes() == b"JPEGDATA-rathaus"
    assert not (site / "content/dateien/2019/05/konzept.pdf").exists()


def test_without_uploads_the_links_stay_and_are_listed(site: Path) -> None:
    out = import_into(site, uploads=None)
    assert not (site / "content/dateien").exists()
    assert "Rathaus-Jena.JPG is not in --uploads" in out


def test_slugs_spell_out_umlauts_and_a_second_one_gets_a_number(site: Path) -> None:
    import_into(site)
    assert page(site, "content/themen/gruene-stadt.md")[0]["title"] == "Grüne Stadt"
    assert page(site, "content/themen/gruene-stadt-2.md")[0]["title"] == "Grüne Stadt (Fortsetzung)"


def test_an_editors_own_topic_with_the_same_slug_is_never_overwritten(site: Path) -> None:
    before = (site / "content/themen/digital-stadt-jena.md").read_bytes()
    out = import_into(site)
    assert (site / "content/themen/digital-stadt-jena.md").read_bytes() == before
    assert "content/themen/digital-stadt-jena.md: exists with other content" in out
    assert "digital-stadt-jena: 1 comments not imported (the topic's file clashed)" in out
    assert not (site / "content/kommentare/digital-stadt-jena").exists()


def test_pages_go_to_seiten_with_the_flag_and_to_themen_without(site: Path, tmp_path: Path) -> None:
    import_into(site, pages=True)
    meta, body = page(site, "content/seiten/ueber-uns.md")
    assert meta == {"title": "Über uns", "summary": "Wer wir sind"} and "Schreiben Sie uns." in body
    assert not (site / "content/themen/ueber-uns.md").exists()
    other = tmp_path / "other"
    from wp_support import copy_site
    import_into(copy_site(other))
    assert (other / "content/themen/ueber-uns.md").exists()


def test_only_type_imports_one_kind_and_says_why_the_rest_was_skipped(site: Path) -> None:
    out = import_into(site, only_type="page")
    assert sorted(p.name for p in (site / "content/themen").glob("*.md")) == ["digital-stadt-jena.md",
                                                                             "ueber-uns.md"]
    assert "post 10 'Smart City Jena': --only-type page" in out


def test_every_skipped_item_is_listed_with_its_reason(site: Path) -> None:
    out = import_into(site)
    assert "post 30 'Entwurf': status 'draft' (only published items are imported)" in out
    assert "nav_menu_item 50 'Home': type 'nav_menu_item' is not imported" in out
    assert "post 31 'Nur mit Passwort': protected by a password on the old site" in out
    assert not (site / "content/themen/intern.md").exists()
    assert "attachment 40 'Rathaus-Jena': type 'attachment' is not imported" in out


def test_comments_keep_their_threads_and_deeper_replies_attach_at_depth_three(site: Path) -> None:
    import_into(site)
    assert comment(site, "wordpress-101") == {
        "id": "wordpress-101", "topic": "smart-city-jena", "parent": None, "name": "Anna Beispiel",
        "body": "Gute Idee! Siehe Bürgerservice (https://www.jena.de/buergerservice).\n\nZweiter Absatz.",
        "date": "2019-05-03T10:00:00Z", "official": None, "moderated_at": None, "moderated_by": "WordPress"}
    assert comment(site, "wordpress-102")["parent"] == "wordpress-101"
    assert comment(site, "wordpress-103")["parent"] == "wordpress-102"
    assert comment(site, "wordpress-102")["body"] == "Antwort auf Anna. Schreibt mir: [E-Mail-Adresse entfernt]"
    assert comment(site, "wordpress-103")["name"] == "Anonym"  # she typed her e-mail into the name field
    assert comment(site, "wordpress-104")["parent"] == "wordpress-102"  # was under 103, at depth 4
    late = comment(site, "wordpress-109")  # its parent waits in the inbox: shown at the top level
    assert late["parent"] is None and late["date"] == "2019-05-05T07:00:00Z"  # local time when GMT is 0000


def test_no_email_ip_url_or_user_agent_reaches_content(site: Path) -> None:
    import_into(site)
    secrets = personal_data(HANDMADE)
    assert {"anna@mail.example", "203.0.113.7", "https://anna-blog.example/", "EmilAgent/2.0"} <= secrets
    assert leaks(site, secrets) == []


def test_pending_comments_wait_in_the_private_inbox_with_their_personal_data(site: Path) -> None:
    out = import_into(site)
    entry = inbox_entry(site, "wordpress-105")
    assert entry.status == "pending" and entry.source == "wordpress" and entry.invalid == ()
    assert dict(entry.fields) == {"topic": "smart-city-jena", "name": "Emil Wartend",
                                  "body": "Noch nicht freigegeben."}
    assert entry.personal == {"email": "emil@mail.example", "website": "https://emil.example/",
                              "ip": "203.0.113.99", "user_agent": "EmilAgent/2.0"}
    assert entry.email_hash and entry.date == "2019-05-04T07:00:00Z"
    assert not (site / "content/kommentare/smart-city-jena/wordpress-105.yaml").exists()
    assert "1 to the inbox as pending, 1 spam and 1 trash dropped, 1 pingbacks/trackbacks left out" in out
    for dropped in ("wordpress-106", "wordpress-107", "wordpress-108"):
        assert not (site / ".inbox" / f"{dropped}.yaml").exists()
        assert not (site / "content/kommentare/smart-city-jena" / f"{dropped}.yaml").exists()


def test_an_erasure_is_final_a_second_import_does_not_bring_the_comment_back(site: Path) -> None:
    import_into(site)
    assert inbox_entry(site, "wordpress-101").status == "approved"  # so `forget` can find it
    config = load(site)
    from intake.inbox import Inbox
    removed = forget(config, Inbox(config.inbox), "Anna@Mail.example", b"test-hash-key", "2026-11-30T10:00:00Z")
    assert any("wordpress-101" in line for line in removed)
    assert not (site / "content/kommentare/smart-city-jena/wordpress-101.yaml").exists()
    out = import_into(site)
    assert not (site / "content/kommentare/smart-city-jena/wordpress-101.yaml").exists()
    assert inbox_entry(site, "wordpress-101").status == "erased"
    assert "2 already in the inbox" in out  # the erased one and the pending one
    # forget moved Anna's reply up; the import leaves that as it is (a clash, not an overwrite)
    assert "content/kommentare/smart-city-jena/wordpress-102.yaml: exists with other content" in out
    assert comment(site, "wordpress-102")["parent"] is None


def test_an_editors_decision_on_a_pending_comment_stands(site: Path) -> None:
    import_into(site)
    path = site / ".inbox/wordpress-105.yaml"
    from intake.files import write
    write(path, inbox_entry(site, "wordpress-105").with_changes(status="rejected", reason="off topic").to_dict())
    before = path.read_bytes()
    import_into(site)
    assert path.read_bytes() == before


def test_uploads_outside_the_folder_or_through_links_are_never_copied(site: Path, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "2019/05").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("geheim", encoding="utf-8")
    (uploads / "2019/05/Rathaus-Jena.JPG").symlink_to(tmp_path / "secret.txt")
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(HANDMADE.read_text(encoding="utf-8").replace(
        "uploads/2019/05/konzept.pdf", "uploads/../secret.txt"), encoding="utf-8")
    out = import_into(site, hostile, uploads=uploads)
    assert not (site / "content/dateien").exists()
    assert "missing: wp-content/uploads/../secret.txt is not in --uploads" in out
    assert not [p for p in site.rglob("*") if p.is_file() and b"geheim" in p.read_bytes()]


def test_file_names_cannot_climb_or_hide() -> None:
    from sitegen.wordpress.naming import file_name
    assert file_name("../../etc/Pass Wd") == "etc/pass-wd"
    assert file_name("2019/./.htaccess") == "2019/htaccess"
