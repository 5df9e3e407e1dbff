"""NEWSCRAWL_HOST_MAP: mapped hosts reach another server; the spider still sees real URLs."""

import asyncio

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newscrawl.crawl.hostmap import FLAG, HostMap, HostMapDownloadHandler

from .conftest import SEED_URL
from .probe_spider import run_probe
from .server import FixtureServer

SEED_TITLE = "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững"
SEED_PATH = SEED_URL.split("baodautu.vn", 1)[1]


# --- the map ---------------------------------------------------------------------------------


def test_hosts_and_their_subdomains_are_mapped():
    m = HostMap({"baodautu.vn": "http://127.0.0.1:8080", "m.baodautu.vn": "http://127.0.0.1:9090"})
    assert m.target("https://baodautu.vn/a-d1.html?p=2#top") == "http://127.0.0.1:8080/a-d1.html?p=2"
    assert m.target("http://www.baodautu.vn/") == "http://127.0.0.1:8080/"
    assert m.target("https://m.baodautu.vn/a") == "http://127.0.0.1:9090/a"  # the longer key wins
    assert m.target("https://BAODAUTU.VN./x") == "http://127.0.0.1:8080/x"
    for unmapped in ("https://notbaodautu.vn/", "https://baodautu.vn.example.com/", "https://vneconomy.vn/"):
        assert m.target(unmapped) is None


def test_keys_may_be_written_as_urls_wildcards_or_with_ports():
    m = HostMap({"https://VnExpress.net/": "http://127.0.0.1:1", "*.tuoitre.vn": "http://127.0.0.1:2", "nhandan.vn:443": "https://mirror.local"})
    assert set(m.routes) == {"vnexpress.net", "tuoitre.vn", "nhandan.vn"}
    assert m.target("https://e.vnexpress.net/x") == "http://127.0.0.1:1/x"
    assert m.target("https://nhandan.vn/x") == "https://mirror.local/x"


def test_a_base_with_a_path_prefix():
    m = HostMap({"vnexpress.net": "http://mirror.local/sites/vnexpress/"})
    assert m.target("https://vnexpress.net/a.html?x=1") == "http://mirror.local/sites/vnexpress/a.html?x=1"
    assert m.restore("http://mirror.local/sites/vnexpress/b.html", "https://vnexpress.net/a.html") == "https://vnexpress.net/b.html"
    assert m.restore("/sites/vnexpress/c.html", "https://vnexpress.net/a.html") == "/c.html"
    assert m.restore("http://mirror.local/other/d.html", "https://vnexpress.net/a.html") == "http://mirror.local/other/d.html"


def test_locations_to_the_mirror_point_back_to_the_real_host():
    m = HostMap({"baodautu.vn": "http://127.0.0.1:8080"})
    assert m.restore("http://127.0.0.1:8080/b?x=1", "https://www.baodautu.vn/a") == "https://www.baodautu.vn/b?x=1"
    assert m.restore("https://baodautu.vn/b", "https://baodautu.vn/a") == "https://baodautu.vn/b"
    assert m.restore("/b", "https://baodautu.vn/a") == "/b"


@pytest.mark.parametrize("base", ["127.0.0.1:8080", "ftp://127.0.0.1/", "http://", "http://127.0.0.1/?q=1"])
def test_bad_bases_are_refused(base):
    with pytest.raises(ValueError, match="NEWSCRAWL_HOST_MAP"):
        HostMap({"baodautu.vn": base})


def test_the_setting_may_be_json():
    assert HostMap.from_setting('{"baodautu.vn": "http://127.0.0.1:1"}').target("https://baodautu.vn/") == "http://127.0.0.1:1/"
    assert not HostMap.from_setting("") and not HostMap.from_setting(None)


# --- the handler, with a stand-in transport ------------------------------------------------------


class RecordingHandler:
    """Stands in for HTTP11DownloadHandler: answers every request, remembers it."""

    lazy = False
    seen: list = []

    def __init__(self, crawler):
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def download_request(self, request):
        RecordingHandler.seen.append(request)
        request.meta["download_latency"] = 0.01
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if request.url.endswith("/moved"):
            headers["Location"] = "http://127.0.0.1:8080/new?x=1"
            return HtmlResponse(request.url, status=301, headers=headers, body=b"")
        return HtmlResponse(request.url, status=200, headers=headers, body=b"<html><title>ok</title></html>", flags=["inner"])

    async def close(self):
        self.closed = True


def handler(host_map):
    RecordingHandler.seen = []
    crawler = get_crawler(settings_dict={"NEWSCRAWL_HOST_MAP": host_map})
    paths = {"http": f"{__name__}.RecordingHandler", "https": f"{__name__}.RecordingHandler"}
    return HostMapDownloadHandler(crawler, HostMap.from_setting(host_map), paths)


def test_mapped_request_goes_to_the_mirror_with_the_real_host_header():
    h = handler({"baodautu.vn": "http://127.0.0.1:8080"})
    request = Request("https://www.baodautu.vn/a.html?p=1", meta={"proxy": "http://proxy.local:3128", "keep": 1}, headers={"Proxy-Authorization": "Basic eA==", "User-Agent": "newscrawl"})
    response = asyncio.run(h.download_request(request))
    sent = RecordingHandler.seen[-1]
    assert sent.url == "http://127.0.0.1:8080/a.html?p=1"
    assert sent.headers[b"Host"] == b"www.baodautu.vn" and sent.headers[b"User-Agent"] == b"newscrawl"
    assert b"Proxy-Authorization" not in sent.headers and "proxy" not in sent.meta and sent.meta["keep"] == 1
    assert response.url == "https://www.baodautu.vn/a.html?p=1" and response.status == 200
    assert response.flags == ["inner", FLAG]
    assert request.meta["download_latency"] == 0.01  # what the transport learnt reaches the real request
    assert b"Host" not in request.headers  # the original request is untouched


def test_redirect_location_to_the_mirror_is_restored():
    h = handler({"baodautu.vn": "http://127.0.0.1:8080"})
    response = asyncio.run(h.download_request(Request("https://baodautu.vn/moved")))
    assert response.status == 301 and response.headers[b"Location"] == b"https://baodautu.vn/new?x=1"


def test_unmapped_requests_go_out_unchanged():
    h = handler({"baodautu.vn": "http://127.0.0.1:8080"})
    request = Request("https://vneconomy.vn/x.htm", meta={"proxy": "http://proxy.local:3128"})
    response = asyncio.run(h.download_request(request))
    assert RecordingHandler.seen[-1] is request
    assert response.url == "https://vneconomy.vn/x.htm" and FLAG not in response.flags


def test_an_empty_map_passes_everything_through_and_handlers_close():
    h = handler({})
    request = Request("https://baodautu.vn/a")
    asyncio.run(h.download_request(request))
    assert RecordingHandler.seen[-1] is request
    inner = h._handlers["https"]
    asyncio.run(h.close())
    assert inner.closed


def test_from_crawler_reads_the_settings():
    crawler = get_crawler(settings_dict={"NEWSCRAWL_HOST_MAP": '{"baodautu.vn": "http://127.0.0.1:1"}'})
    h = HostMapDownloadHandler.from_crawler(crawler)
    assert h.host_map.target("https://baodautu.vn/") == "http://127.0.0.1:1/"
    # Behind it, the handler Scrapy would have used (HTTP11 with a reactor, aiohttp without).
    assert h.handler_paths["https"] == crawler.settings.getdict("DOWNLOAD_HANDLERS_BASE")["https"]
    assert h.handler_paths["https"].endswith(("HTTP11DownloadHandler", "AiohttpDownloadHandler"))


# --- a real crawl: Scrapy's HTTP/1.1 handler, asyncio reactor, robots.txt, redirects ---------------


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostmap")
    with FixtureServer() as mirror, FixtureServer(fixtures=None) as direct:
        mirror.set_robots("baodautu.vn", disallow=["/private"])
        mirror.add_page("https://baodautu.vn/private/secret.html", "<html><title>secret</title></html>")
        # (www.: the only request for that netloc, see test_robots_txt_with_concurrent_requests)
        mirror.set_rule("https://baodautu.vn/old-absolute", "redirect", to=SEED_URL, status=301)
        mirror.set_rule("https://baodautu.vn/old-relative", "redirect", to=SEED_PATH, status=302)
        mirror.set_rule("https://baodautu.vn/old-mirror", "redirect", to=f"{mirror.base_url}{SEED_PATH}", status=302)
        mirror.set_rule("https://baodautu.vn/huge.html", "oversize", size=9 * 1024 * 1024)
        mirror.set_rule("https://baodautu.vn/report.pdf", "pdf")
        direct.add_page("http://127.0.0.1/direct", "<html><head><title>direct</title></head><body>direct</body></html>")
        vnexpress = next(p for p in _pages(mirror) if p.startswith("https://vnexpress.net/") and p.endswith(".html"))
        vietnamplus = next(p for p in _pages(mirror) if p.startswith("https://www.vietnamplus.vn/"))
        urls = {
            "seed": SEED_URL,
            "alias": SEED_URL.replace("https://baodautu.vn", "https://m.baodautu.vn"),
            "http": vnexpress.replace("https://", "http://"),
            "www": vietnamplus,
            "missing": "https://baodautu.vn/khong-co.html",
            "robots": "https://www.baodautu.vn/private/secret.html",
            "old_absolute": "https://baodautu.vn/old-absolute",
            "old_relative": "https://baodautu.vn/old-relative",
            "old_mirror": "https://baodautu.vn/old-mirror",
            "unmapped": f"{direct.base_url}/direct",
            "oversize": "https://baodautu.vn/huge.html",
            "pdf": "https://baodautu.vn/report.pdf",
        }
        result = run_probe(tmp, list(urls.values()), settings={"NEWSCRAWL_HOST_MAP": mirror.host_map(), "LOG_LEVEL": "DEBUG"})
        result.update(mirror=mirror, direct=direct, urls=urls, by_url={r["requested"]: r for r in result["records"]})
        yield result


def _pages(server):
    with server._lock:
        return sorted(p.url for p in server._pages.values())


def record(crawl, name):
    return crawl["by_url"][crawl["urls"][name]]


def test_crawl_finished_cleanly(crawl):
    assert crawl["returncode"] == 0, crawl["log"][-3000:]
    assert "Using reactor: twisted.internet.asyncioreactor.AsyncioSelectorReactor" in crawl["log"]
    assert "Traceback" not in crawl["log"] and "] ERROR:" not in crawl["log"]
    assert len(crawl["records"]) == len(crawl["urls"])


def test_mapped_pages_come_from_the_mirror_under_their_real_urls(crawl):
    for name in ("seed", "alias", "http", "www"):
        r = record(crawl, name)
        assert r["kind"] == "response" and r["status"] == 200, r
        assert r["url"] == crawl["urls"][name]  # the spider sees the real URL
        assert FLAG in r["flags"] and r["ip_address"] == "127.0.0.1"
    assert record(crawl, "seed")["title"] == SEED_TITLE
    assert record(crawl, "alias")["title"] == SEED_TITLE


def test_the_mirror_saw_the_real_host_headers(crawl):
    mirror = crawl["mirror"]
    hosts = {r["headers"].get("Host") for r in mirror.requests}
    assert {"baodautu.vn", "m.baodautu.vn", "vnexpress.net", "www.vietnamplus.vn"} <= hosts
    assert not any(h.startswith("127.0.0.1") for h in hosts)
    assert all("newscrawl" in r["headers"].get("User-Agent", "") for r in mirror.requests)


def test_robots_txt_is_fetched_per_real_host_and_obeyed(crawl):
    mirror = crawl["mirror"]
    robots_hosts = [r["host"] for r in mirror.requests if r["target"] == "/robots.txt"]
    assert sorted(set(robots_hosts)) == sorted(robots_hosts)  # once per host
    assert {"baodautu.vn", "www.baodautu.vn", "m.baodautu.vn", "vnexpress.net", "www.vietnamplus.vn"} <= set(robots_hosts)
    assert not any(r["target"].startswith("/private") for r in mirror.requests)
    r = record(crawl, "robots")
    assert r["kind"] == "failure" and r["error"] == "IgnoreRequest" and "robots.txt" in r["message"]


def test_missing_pages_fail_under_their_real_url(crawl):
    r = record(crawl, "missing")
    assert r["kind"] == "failure" and r["status"] == 404 and r["response_url"] == crawl["urls"]["missing"]
    assert FLAG in r["flags"]


@pytest.mark.parametrize("name", ["old_absolute", "old_relative", "old_mirror"])
def test_redirects_land_on_the_real_host(crawl, name):
    r = record(crawl, name)
    assert r["kind"] == "response" and r["status"] == 200 and r["title"] == SEED_TITLE
    assert r["url"] == SEED_URL and r["redirect_urls"] == [crawl["urls"][name]]


def test_download_limits_and_content_types_work_through_the_map(crawl):
    huge = record(crawl, "oversize")  # DOWNLOAD_MAXSIZE is 8 MiB in the project settings
    assert huge["kind"] == "failure" and huge["error"] == "DownloadCancelledError"
    assert "larger than download max size" in huge["message"]
    pdf = record(crawl, "pdf")
    assert pdf["kind"] == "response" and pdf["class"] == "Response" and pdf["content_type"] == "application/pdf"
    assert pdf["url"] == crawl["urls"]["pdf"] and FLAG in pdf["flags"]


def test_unmapped_hosts_go_out_unchanged(crawl):
    r = record(crawl, "unmapped")
    assert r["kind"] == "response" and r["status"] == 200 and r["title"] == "direct"
    assert FLAG not in r["flags"]
    direct = crawl["direct"]
    assert [q["target"] for q in direct.requests] == ["/robots.txt", "/direct"]
    assert direct.requests[-1]["headers"]["Host"] == f"127.0.0.1:{direct.port}"
    assert not any(q["target"] == "/direct" for q in crawl["mirror"].requests)


def test_robots_txt_with_concurrent_requests(tmp_path):
    """Scrapy 2.19's own middleware lets the requests that wait for robots.txt through;
    newscrawl.crawl.robots.RobotsTxtMiddleware must not."""
    with FixtureServer(fixtures=None) as site:
        site.set_robots("127.0.0.1", disallow=["/private"])
        paths = ["a", "private/1", "b", "private/2", "private/3"]
        for path in paths:
            site.add_page(f"http://127.0.0.1/{path}", "<html><title>t</title><body>x</body></html>")
        run_probe(tmp_path, [f"{site.base_url}/{p}" for p in paths], settings={"DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None, "newscrawl.crawl.retry.RetryMiddleware": 550,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None, "newscrawl.crawl.robots.RobotsTxtMiddleware": 100}})
        assert [r["target"] for r in site.requests if r["target"].startswith("/private")] == []
