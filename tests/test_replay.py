import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.crawl.replay import Manifest, Recorder, ReplayMiddleware, safe_file_name

from .conftest import FIXTURES, SEED_URL


def test_manifest_serves_saved_pages_by_any_spelling_of_the_url():
    manifest = Manifest(FIXTURES)
    for url in (SEED_URL, SEED_URL + "?utm_source=x", "https://m.baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html"):
        response = manifest.response(url)
        assert isinstance(response, HtmlResponse) and "replay" in response.flags
        assert "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững" in response.text
    assert isinstance(manifest.response("https://baodautu.vn/sitemap.xml"), XmlResponse)


def test_missing_page_is_a_counted_miss_not_a_request():
    stats = MemoryStatsCollector(get_crawler())
    middleware = ReplayMiddleware(str(FIXTURES), stats)
    with pytest.raises(IgnoreRequest, match="no saved page"):
        middleware.process_request(Request("https://baodautu.vn/khong-co-d999999.html"))
    assert stats.get_value("newscrawl/replay/miss") == 1
    assert middleware.process_request(Request(SEED_URL)).status == 200
    assert stats.get_value("newscrawl/replay/hit") == 1


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        Manifest(tmp_path / "nope")


@pytest.mark.parametrize("url", [
    "https://baodautu.vn/../../etc/passwd",
    "https://x.vn/a b/c?d=e&f=<g>",
    "https://x.vn/",
    "https://x.vn/" + "rất-dài-" * 60 + ".html",
])
def test_file_names_are_safe_from_any_url(url):
    name = safe_file_name(url)
    assert "/" not in name and ".." not in name and len(name) < 120 and name.endswith(".html")


def test_recorded_pages_replay_as_they_were(tmp_path):
    recorder = Recorder(tmp_path)
    body = "<html><body><h1>Tiêu đề</h1></body></html>".encode()
    response = HtmlResponse(url="https://baodautu.vn/a-d1.html?page=2", body=body, headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})
    saved = recorder.save(response)
    recorder.write()
    assert saved.parent.name == "baodautu.vn"
    replayed = Manifest(tmp_path).response("https://baodautu.vn/a-d1.html?page=2")
    assert replayed.body == body and replayed.headers.get("ETag") == b'"v1"'
