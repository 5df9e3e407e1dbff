import pytest

from newscrawl.sites import get_site
from newscrawl.analysis.urls import canonical_url

SEED = "https://baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html"


@pytest.mark.parametrize(
    "variant",
    [
        SEED,
        SEED + "?utm_source=zalo&utm_medium=share&utm_campaign=x",
        SEED + "#binh-luan",
        SEED + "?fbclid=IwAR123",
        SEED + "/",
        "http://baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html",
        "https://m.baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html",
        "https://amp.baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html",
        "https://BAODAUTU.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html",
    ],
)
def test_disguised_urls_are_one(variant):
    assert get_site("baodautu").canonical(variant) == SEED


def test_meaningful_query_is_kept_and_sorted():
    assert canonical_url("https://example.com/search?q=xanh&page=2&utm_source=a") == "https://example.com/search?page=2&q=xanh"


def test_relative_links_resolve():
    assert canonical_url("p2", base="https://baodautu.vn/thoi-su-d1/") == "https://baodautu.vn/thoi-su-d1/p2"


def test_local_port_keeps_scheme():
    assert canonical_url("http://127.0.0.1:8080/a/") == "http://127.0.0.1:8080/a"


def test_percent_encoding_disguises_are_one_url():
    raw = canonical_url("https://thesaigontimes.vn/tag/tín-dụng-xanh/")
    assert raw == canonical_url("https://thesaigontimes.vn/tag/t%c3%adn-d%e1%bb%a5ng-xanh")
    assert raw == canonical_url("https://thesaigontimes.vn/tag/t%C3%ADn-d%E1%BB%A5ng-xanh/#top")
    assert raw == "https://thesaigontimes.vn/tag/t%C3%ADn-d%E1%BB%A5ng-xanh"


def test_what_w3lib_leaves_alone_is_why_the_rest_is_ours():
    """canonicalize_url sorts the query, drops the fragment and normalises escapes,
    and nothing more: each of these disguises survives it, and not canonical_url."""
    from w3lib.url import canonicalize_url

    disguises = {
        SEED + "?utm_source=zalo&fbclid=x": "tracking parameters",
        SEED.replace("https://", "https://m."): "a mobile host",
        SEED.replace("https://", "http://"): "plain http",
        SEED + "/": "a trailing slash",
        SEED.replace("baodautu.vn/", "baodautu.vn//"): "a doubled slash",
    }
    for url, disguise in disguises.items():
        assert canonicalize_url(url) != SEED, disguise
        assert canonical_url(url) == SEED, disguise
