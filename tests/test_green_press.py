"""The green and energy press and e.vnexpress.net: site modules whose fields come from the generic extractor."""

from __future__ import annotations

import json

import pytest

from newscrawl import extract_article
from newscrawl.analysis.topics import Taxonomy
from newscrawl.sites import get_site, site_for_url
from newscrawl.sites.generic import parse_generic

from .conftest import FIXTURES, query, run_cli

GENERIC_SITES = ("nongnghiepmoitruong", "nangluongvietnam", "congthuong", "kinhtemoitruong", "evnexpress")
NN_URL = "https://nongnghiepmoitruong.vn/ha-tinh-phuc-hoi-200-ha-rung-ngap-man-ven-bien-d781204.html"
NN_PAGE = FIXTURES / "nongnghiepmoitruong" / "ha-tinh-phuc-hoi-200-ha-rung-ngap-man-ven-bien-d781204.html"
LEGACY_URL = "https://baotainguyenmoitruong.vn/ha-tinh-trong-moi-rung-ngap-man-tai-cac-xa-ven-bien-364512.html"
EN_URL = "https://e.vnexpress.net/news/business/economy/vietnam-opens-first-offshore-wind-survey-round-to-investors-4891234.html"
EN_PAGE = FIXTURES / "evnexpress" / "vietnam-opens-first-offshore-wind-survey-round-to-investors-4891234.html"


def test_url_rules_of_the_new_sites():
    assert site_for_url(EN_URL).name == "evnexpress" and get_site("evnexpress").is_article(EN_URL)
    assert site_for_url("https://vnexpress.net/dien-gio-ngoai-khoi-4891234.html").name == "vnexpress"
    assert not get_site("evnexpress").is_article("https://e.vnexpress.net/news/business/economy")
    assert site_for_url(LEGACY_URL).name == "nongnghiepmoitruong" and site_for_url(LEGACY_URL).is_article(LEGACY_URL)
    assert get_site("congthuong").is_article("https://kinhte.congthuong.vn/gia-dien-mat-troi-412999.html")
    assert get_site("nangluongvietnam").is_listing("https://nangluongvietnam.vn/dien-luc-viet-nam")
    assert not get_site("nangluongvietnam").is_article("https://nangluongvietnam.vn/dien-luc-viet-nam")


def test_hints_win_where_they_match_and_the_generic_answer_stays_where_they_do_not():
    html = NN_PAGE.read_text(encoding="utf-8")
    got = extract_article(html, NN_URL)
    assert got["parser"] == "nongnghiepmoitruong/generic" and got["site"] == "nongnghiepmoitruong"
    assert got["summary"].startswith("Sau ba năm trồng và chăm sóc, 200 ha rừng ngập mặn")
    assert got["authors"] == ["Thanh Nga"] and got["published"] == "2026-11-19T08:20:00+07:00"
    # The hinted lead renamed: the page still has its lead, the generic extractor finds what it can.
    renamed = html.replace('class="main-intro detail-intro"', 'class="intro-box"').replace('class="content-author"', 'class="writer"')
    fallback = extract_article(renamed, NN_URL)
    generic = parse_generic(renamed, NN_URL)
    assert fallback["summary"] == generic["summary"] and fallback["authors"] == generic["authors"] == ["Thanh Nga"]
    assert fallback["body"].startswith("Dự án trồng rừng ngập mặn ven biển")


def test_legacy_layout_takes_the_lead_and_the_byline_out_of_the_body():
    page = FIXTURES / "nongnghiepmoitruong" / "ha-tinh-trong-moi-rung-ngap-man-tai-cac-xa-ven-bien-364512.html"
    got = extract_article(page.read_text(encoding="utf-8"), LEGACY_URL)
    assert got["parser"] == "nongnghiepmoitruong/legacy" and got["url"] == LEGACY_URL
    assert got["authors"] == ["Hoàng Minh"] and got["published"] == "2023-04-12T09:30:00+07:00"
    paragraphs = got["body"].split("\n\n")
    assert paragraphs[0].startswith("Đợt trồng rừng được tổ chức") and paragraphs[-1].startswith("Theo kế hoạch")


def test_english_articles_are_english_and_get_green_topics():
    got = extract_article(EN_PAGE.read_text(encoding="utf-8"), EN_URL)
    assert got["language"] == "en"
    scored = Taxonomy.load().score(got["title"], got["summary"], got["body"])
    assert "renewable_energy" in scored.topics and scored.green_score >= 0.3
    off_topic = Taxonomy.load().score("Vietnam beat Thailand in friendly", "", "The national team won 2-0 in Hanoi on Sunday night.")
    assert off_topic.green_score < 0.3


@pytest.mark.parametrize("text, topic", [
    ("Renewables made up a third of new capacity as rooftop solar spread across factories.", "renewable_energy"),
    ("Banks sold green bonds to fund climate finance projects.", "green_finance_esg"),
    ("The JETP partners pledged funds for the energy transition.", "renewable_energy"),
    ("Firms must cut emissions to reach net zero by 2050.", "climate_policy"),
    ("Carbon credits from forests were sold to a Japanese buyer.", "carbon_markets"),
])
def test_english_terms_of_the_taxonomy(text, topic):
    assert topic in Taxonomy.load().score(text, "", text).topics


def test_sites_lists_where_fields_come_from():
    done = run_cli("sites", "--json")
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert len(rows) >= 15
    assert {name for name, row in rows.items() if row["fields"] == "generic extractor"} == set(GENERIC_SITES)
    assert rows["dantri"]["fields"] == "site module" and rows["nangluongvietnam"]["discovery"] == ["listing", "sitemap"]
    text = run_cli("sites").stdout
    assert "congthuong" in text and "fields: generic extractor" in text and "fields: site module" in text


def test_a_replay_stores_them_with_field_coverage_per_site(tmp_path):
    db = tmp_path / "press.db"
    done = run_cli("crawl", *GENERIC_SITES, "--replay", "--db", str(db), cwd=FIXTURES.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "had no saved page" not in done.stdout
    stored = dict(query(db, "SELECT site, count(*) FROM articles GROUP BY site"))
    assert stored == {"nongnghiepmoitruong": 4, "nangluongvietnam": 3, "congthuong": 3, "kinhtemoitruong": 3, "evnexpress": 3}
    coverage = json.loads(query(db, "SELECT coverage FROM crawl_runs")[0][0])
    for site in GENERIC_SITES:
        assert coverage[site]["body"] == 1.0 and coverage[site]["title"] == 1.0, site
        assert f"  {site}:" in done.stdout
    assert query(db, "SELECT DISTINCT language FROM articles WHERE site = 'evnexpress'") == [("en",)]
    assert all(p.endswith("+07:00") for (p,) in query(db, "SELECT published FROM articles"))
