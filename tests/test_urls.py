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
