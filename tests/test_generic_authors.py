"""Authors of unknown pages: JSON-LD references, meta tags, bylines; a site name or a placeholder is no author."""

from __future__ import annotations

import json

from newscrawl.sites.generic import parse_generic

TEXT = (
    "<p>Fishermen on the northern coast say the catch of anchovy has halved in three years, and the provincial "
    "fisheries office now plans a closed season during the spawning months of spring.</p>"
    "<p>Boat owners will be paid a monthly allowance during the closure, funded by the province and by a "
    "levy on the processing plants that buy most of the catch.</p>"
)
URL = "https://coastnews.example.org/fisheries/closed-season"


def _page(head: str = "", before: str = "", after: str = "") -> str:
    return (
        f"<html lang='en'><head><meta property='og:site_name' content='Coast News'>{head}</head><body>"
        f"<article><h1>A closed season for anchovy</h1>{before}<div class='entry-content'>{TEXT}</div>{after}</article>"
        "</body></html>"
    )


def _ld(*objects) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@graph": list(objects)})}</script>'


def test_a_json_ld_author_given_by_reference_is_resolved():
    article = {"@type": "NewsArticle", "headline": "A closed season for anchovy",
               "author": {"@id": "https://coastnews.example.org/#/person/1"}}
    person = {"@type": "Person", "@id": "https://coastnews.example.org/#/person/1", "name": "Mai Tran"}
    assert parse_generic(_page(_ld(article, person)), URL)["authors"] == ["Mai Tran"]


def test_the_site_in_the_author_slot_gives_way_to_the_printed_byline():
    head = '<meta name="author" content="Coast News">'
    before = '<p class="meta">By <a href="/author/lena-berg/">Lena Berg</a> and <a href="/author/tom-ortiz/">Tom Ortiz</a></p>'
    assert parse_generic(_page(head, before), URL)["authors"] == ["Lena Berg", "Tom Ortiz"]


def test_an_organisation_carrying_the_site_name_is_not_an_author():
    article = {"@type": "NewsArticle", "headline": "A closed season for anchovy",
               "author": [{"@type": "Organization", "name": "CN Coast News"}]}
    before = '<div class="contributor-line">Von <span>Jana Weiss</span></div>'
    assert parse_generic(_page(_ld(article), before), URL)["authors"] == ["Jana Weiss"]


def test_profile_slugs_handles_and_placeholders_are_cleaned():
    assert parse_generic(_page('<meta name="author" content="edilson.la.rosa">'), URL)["authors"] == ["Edilson La Rosa"]
    assert parse_generic(_page('<meta name="author" content="Ana Ruiz @anaruiz">'), URL)["authors"] == ["Ana Ruiz"]
    assert parse_generic(_page('<meta name="author" content="No Author">'), URL)["authors"] == []


def test_a_meta_tag_naming_more_authors_than_json_ld_wins():
    article = {"@type": "NewsArticle", "headline": "A closed season for anchovy", "author": {"@type": "Person", "name": "Mai Tran"}}
    head = _ld(article) + '<meta name="author" content="Mai Tran, Lena Berg">'
    assert parse_generic(_page(head), URL)["authors"] == ["Mai Tran", "Lena Berg"]


def test_bylines_of_teasers_and_tag_links_are_not_the_article_authors():
    before = '<p class="author-name">Mai Tran</p>'
    teasers = "".join(f'<div class="teaser"><span class="author-name">Writer {n}</span></div>' for n in "ABCDE")
    assert parse_generic(_page("", before, teasers), URL)["authors"] == ["Mai Tran"]
    tags = ('<div class="byline"><a href="/author/coast/">Coast News</a> / '
            '<a href="/thema/fisheries/" rel="tag">Fisheries</a></div>')
    assert parse_generic(_page("", tags), URL)["authors"] == []


def test_a_by_line_needs_an_author_element_or_an_author_link():
    assert parse_generic(_page("", "<p>By Boat Owners</p>"), URL)["authors"] == []
    assert parse_generic(_page("", '<p class="story-byline">By Boat Owners</p>'), URL)["authors"] == ["Boat Owners"]


def test_a_json_ld_creator_names_the_author_where_author_is_missing():
    article = {"@type": "NewsArticle", "headline": "A closed season for anchovy", "creator": ["Mai Tran"]}
    assert parse_generic(_page(_ld(article)), URL)["authors"] == ["Mai Tran"]


def test_a_byline_ending_in_a_dash_is_read():
    before = ('<div class="documentByLine"><span class="documentAuthor">erstellt von '
              '<a href="/author/lena">Lena Berg</a> —</span></div>')
    assert parse_generic(_page("", before), URL)["authors"] == ["Lena Berg"]


def test_a_site_name_with_an_ampersand_is_not_two_authors():
    head = '<meta property="og:site_name" content="Jobs &amp; Hire"><meta name="author" content="Jobs &amp; Hire">'
    page = _page(head).replace("<meta property='og:site_name' content='Coast News'>", "")
    assert parse_generic(page, URL)["authors"] == []


def test_a_theme_credit_in_the_footer_is_not_a_byline():
    after = ('</article><footer><div class="author">Made with <a href="https://cms.example">Drupal</a> by '
             '<a href="https://agency.example">Smartica</a></div></footer><article>')
    assert parse_generic(_page("", "", after), URL)["authors"] == []


def test_a_first_name_alone_in_json_ld_takes_the_printed_full_name():
    article = {"@type": "NewsArticle", "headline": "A closed season for anchovy", "author": {"@type": "Person", "name": "Mai"}}
    before = '<p class="byline">By <a href="/author/mai-tran/">Mai Tran</a></p>'
    assert parse_generic(_page(_ld(article), before), URL)["authors"] == ["Mai Tran"]
