"""Bodies the page splits or cuts short: every block of the story is kept, a teaser is not the story."""

from __future__ import annotations

import json

from newscrawl.sites.generic import parse_generic

URL = "https://harbour.example.net/2026/ferry-line"
PARAGRAPHS = [
    "The harbour authority will open a second electric ferry line in the spring, linking the old town with the "
    "new housing districts on the eastern shore in twelve minutes instead of forty by bus.",
    "Two boats have been ordered from a local yard, each carrying three hundred passengers and charged at the quay "
    "during the ten-minute stops at either end, a design tested on the first line since last year.",
    "Residents of the eastern districts had asked for the link for years, saying the bus ride through the centre "
    "took too long and was too crowded at the hours when most of them travel to work.",
    "The city expects the new line to carry about four thousand people a day once the last housing blocks are "
    "finished, and it plans a third line along the river if the figures hold up.",
]


def _html(body: str, head: str = "") -> str:
    return (f"<html lang='en'><head>{head}</head><body><nav><a href='/'>Home</a></nav><main>"
            f"<h1>A second electric ferry line</h1>{body}</main><footer>Harbour News</footer></body></html>")


def test_a_story_split_into_page_builder_blocks_is_kept_whole():
    # Each block is long enough to pass for a body alone: the ancestor that holds them all is the story.
    blocks = "".join(
        "<div class='row'><div class='col'><div class='block html-block'><div class='block-content'>"
        f"<p>{PARAGRAPHS[i]}</p><p>{PARAGRAPHS[i + 1]}</p></div></div></div></div>"
        "<div class='row'><div class='col'><div class='block image-block'><img src='/f.jpg'></div></div></div>"
        for i in (0, 2)
    )
    got = parse_generic(_html(f"<div class='layout'>{blocks}</div>"), URL)
    assert got["parser"] == "generic/density"
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_a_body_the_cms_splits_around_an_ad_is_joined():
    first, second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]), "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    body = (f"<article><div class='article-body'>{first}</div><div class='ad-slot'></div>"
            f"<div class='article-body'>{second}</div></article>")
    assert parse_generic(_html(body), URL)["body"].split("\n\n") == PARAGRAPHS


def test_a_teaser_in_json_ld_does_not_cut_the_body_short():
    ld = {"@type": "NewsArticle", "headline": "A second electric ferry line", "articleBody": " ".join(PARAGRAPHS[:2])}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = "<section class='story-wrap'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</section>"
    got = parse_generic(_html(body, head), URL)
    assert got["parser"] == "generic/jsonld"
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_teasers_beside_the_story_are_not_gathered_into_it():
    story = "<div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    teasers = "<div class='more'>" + "".join(
        f"<div><a href='/t{i}'>Teaser headline number {i} about the harbour</a></div>" for i in range(8)) + "</div>"
    got = parse_generic(_html(f"<div class='wrap'>{story}{teasers}</div>"), URL)
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_opening_paragraphs_printed_beside_the_box_with_the_rest_are_kept():
    # The template prints the first paragraphs, then a box (opening with a pull quote) holding the rest.
    quote = "<blockquote class='pullquote'>Twelve minutes instead of forty</blockquote>"
    rest = "".join(f"<div><p>{p}</p></div>" for p in PARAGRAPHS[1:])
    body = f"<div class='text'><p>{PARAGRAPHS[0]}</p><div class='more-text'>{quote}{rest}</div></div>"
    got = parse_generic(_html(body), URL)
    paragraphs = got["body"].split("\n\n")
    assert paragraphs == PARAGRAPHS  # the pull quote repeats the story's words: not a paragraph


def test_a_body_does_not_start_at_a_pull_quote():
    quoted = "“Twelve minutes instead of forty,” the harbour master said."
    for quote in (f"<blockquote class='pullquote'><p>{quoted}</p></blockquote>",
                  f"<aside class='pull-quote'><p>{quoted}</p></aside>",
                  f"<div class='article__pull_quote'><blockquote>{quoted}</blockquote></div>"):
        for story in (  # a box the container rules know, and a plain one only text density finds
                "<article><div class='article-body'>{}</div></article>", "<div class='x1'><div class='x2'>{}</div></div>"):
            body = story.format(quote + "".join(f"<p>{p}</p>" for p in PARAGRAPHS))
            got = parse_generic(_html(body), URL)
            assert got["body"].split("\n\n") == PARAGRAPHS, (quote, story, got["parser"])



CAPTIONS = [
    "The first boat leaves the old town quay at six in the morning, when fishermen are still unloading the night's "
    "catch beside the ferry berth.",
    "At the eastern shore the new pier stands between two housing blocks that were finished last year; the third "
    "block is still a building site.",
    "Charging takes ten minutes at each end: the cable drops from a mast on the quay and locks onto the roof of the "
    "boat while passengers board.",
]


def _slides(captions) -> str:
    return "".join(f"<figure class='slide'><img src='/s{i}.jpg'><figcaption class='slide-caption'><p>{c}</p>"
                   "</figcaption></figure>" for i, c in enumerate(captions))


def test_a_photo_story_is_told_by_its_captions():
    intro = "<div class='post-content'><p>Ten pictures from the first week of the second ferry line.</p></div>"
    got = parse_generic(_html(f"<article>{intro}<div class='slides'>{_slides(CAPTIONS)}</div></article>"), URL)
    assert got["body"].split("\n\n") == ["Ten pictures from the first week of the second ferry line.", *CAPTIONS]


def test_a_slide_show_with_schema_org_captions_is_told_by_them_without_credits():
    # Each slide's text is a `<caption>` inside a `<p itemprop="caption description">`: the parser
    # closes the paragraph at the caption, so only the caption element holds the text.
    slides = "".join(f"<section class='slides'><img src='/s{i}.jpg'><h2>Slide {i}</h2><p class='s_des' "
                     f"itemprop='caption description'><caption>{c}<br><br><em>Image credit: harbour.example.net</em>"
                     "</caption></p></section>" for i, c in enumerate(CAPTIONS))
    got = parse_generic(_html(f"<div class='show'>{slides}</div>"), URL)
    assert got["body"].split("\n\n")[-3:] == CAPTIONS


def test_captions_of_an_article_are_not_its_text():
    story = "<div class='post-content'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + _slides(CAPTIONS) + "</div>"
    got = parse_generic(_html(f"<article>{story}</article>"), URL)
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_only_a_closing_credit_leaves_a_caption():
    from newscrawl.sites.generic.body import _CAPTION_CREDIT

    assert _CAPTION_CREDIT.sub("", "Bến cảng mới ở Cần Giờ. Ảnh: Ngọc Hà") == "Bến cảng mới ở Cần Giờ."
    assert _CAPTION_CREDIT.sub("", "The pier at dawn. Image credit: www.example.net/in/") == "The pier at dawn."
    for kept in ("The crew took a photo: the first boat at dawn", "The pier. Photo: the new boat. It sails at six."):
        assert _CAPTION_CREDIT.sub("", kept) == kept


def test_the_gated_part_of_a_story_in_a_paywall_box_is_kept():
    # The page carries the whole story; the part for subscribers sits in a box the CSS hides.
    gated = PARAGRAPHS[2:] + [
        "Fares will match the bus ticket, and monthly passes will be valid on both lines, the authority said, "
        "so that commuters can switch between boat and bus without paying twice on the same day.",
        "Work on the eastern pier starts next month; the yard expects to deliver the first boat in the autumn "
        "and the second before the end of the year, weather allowing.",
    ]
    body = ("<div itemprop='articleBody'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
            + "<div class='hcf-paywall'>" + "".join(f"<p>{p}</p>" for p in gated) + "</div></div>")
    assert parse_generic(_html(body), URL)["body"].split("\n\n") == PARAGRAPHS + gated[2:]


def test_a_paywall_prompt_is_not_body():
    prompt = "<div class='paywall-box'><p>Subscribe to read on.</p><p>Already a subscriber? Log in.</p></div>"
    body = "<div itemprop='articleBody'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + prompt + "</div>"
    assert parse_generic(_html(body), URL)["body"].split("\n\n") == PARAGRAPHS
