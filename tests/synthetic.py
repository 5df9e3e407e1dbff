"""A synthetic baodautu.vn: many articles, paged listings, related links.

Pages follow the real site's markup (see fixtures/baodautu) so the real
parser reads them; texts are drawn from a pool of green-economy sentences,
so every article is on topic and no two are near-copies. Used by the crash
tests (as a replay folder or served over HTTP) and by the throughput
benchmark (with `page_kb` padding to real-page sizes).
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

HOST = "https://baodautu.vn"
SECTION = f"{HOST}/thoi-su-d1/"

SUBJECTS = ["Hải Phòng", "Đồng Nai", "Bình Dương", "Long An", "Quảng Ninh", "Cần Thơ", "Đà Nẵng", "Bắc Ninh", "Thanh Hóa", "Nghệ An",
            "Khánh Hòa", "Bình Định", "Tây Ninh", "Vĩnh Phúc", "Hà Nam", "Thái Nguyên", "Lâm Đồng", "Sóc Trăng", "Cà Mau", "Huế"]
TOPICS = ["điện gió ngoài khơi", "điện mặt trời áp mái", "tín chỉ carbon", "khu công nghiệp sinh thái", "kinh tế tuần hoàn",
          "tín dụng xanh", "xe buýt điện", "lưu trữ năng lượng", "xử lý nước thải", "nông nghiệp phát thải thấp",
          "trái phiếu xanh", "kiểm kê khí nhà kính", "tái chế rác thải nhựa", "hydro xanh", "công trình xanh"]
VERBS = ["đẩy mạnh", "triển khai", "thí điểm", "mở rộng", "kêu gọi đầu tư vào", "hoàn thiện cơ chế cho", "đặt mục tiêu phát triển", "ưu tiên"]
ACTORS = ["doanh nghiệp FDI", "ngân hàng thương mại", "hợp tác xã", "ban quản lý khu kinh tế", "nhà đầu tư trong nước", "các chuyên gia",
          "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường", "hiệp hội doanh nghiệp", "chính quyền địa phương"]


def _vocabulary() -> list[str]:
    """The syllables of the fixture articles: real Vietnamese, in real proportions."""
    words = []
    for path in sorted((Path(__file__).resolve().parent.parent / "fixtures").rglob("*.expected.json")):
        words += re.findall(r"[^\W\d_]+", json.loads(path.read_text(encoding="utf-8"))["body"].lower())
    return words


VOCABULARY = _vocabulary()


def sentence(rng: random.Random) -> str:
    """A green-economy sentence; the filler words differ from article to article,
    as different stories' words do, so no two articles are near-copies."""
    filler = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(10, 18)))
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(TOPICS)} cùng {rng.choice(ACTORS)}, "
            f"{filler}, với quy mô {rng.randint(10, 9000)} tỷ đồng.")


def article_url(i: int) -> str:
    return f"{HOST}/bai-viet-so-{i}-ve-tang-truong-xanh-d{900000 + i}.html"


def listing_url(page: int) -> str:
    return SECTION if page == 1 else f"{HOST}/thoi-su-d1/p{page}"


def article_html(i: int, n: int, rng: random.Random, page_kb: int = 0, related: int = 4) -> tuple[str, dict]:
    title = f"Bài viết số {i}: {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(TOPICS)}"
    lead = sentence(rng)
    paragraphs = [" ".join(sentence(rng) for _ in range(3)) for _ in range(6)]
    links = [(j, article_url(j)) for j in rng.sample(range(n), min(related, n)) if j != i]
    when = f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025 {i % 24:02d}:{i % 60:02d}"
    padding = ""
    if page_kb:  # real pages carry ~60 KB of menus, scripts and sidebars
        filler = "".join(f'<li><a href="{HOST}/menu-{k}/">Chuyên mục {k}</a></li>' for k in range(40))
        chunk = f'<nav class="menu_main"><ul>{filler}</ul></nav><script>var x = "{"x" * 2000}";</script>\n'
        padding = chunk * max(1, page_kb * 1024 // len(chunk.encode()))
    body = "".join(f'<p class="p3">{html.escape(p)}</p>\n' for p in paragraphs)
    related_box = "".join(f'<li><a title="Bài viết số {j}" href="{u}">Bài viết số {j}</a></li>' for j, u in links)
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>
{padding}<div class="fs16 text-uppercase "> <a href="{SECTION}">Thời sự</a> </div>
<div class="title-detail">{html.escape(title)}</div>
<div class="author-share-top"><div class="mr-auto"><a href="" class="author cl_green">Phóng viên {i % 7} </a><span class="post-time"> - {when}</span></div></div>
<div class="sapo_detail">{html.escape(lead)}</div>
<div class="list_news_relation_top pkg"><span class="head_relation"><strong>TIN LIÊN QUAN</strong></span><ul>{related_box}</ul></div>
<div id="content_detail_news">{body}</div>
<footer class="footer"><p>Báo Đầu tư</p></footer></body></html>"""
    return page, {"url": article_url(i), "title": title}


def listing_html(page: int, pages: int, urls: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li><article class="d-flex"><div class="desc_list_news_home"><a class="fs22 fbold" href="{u}">{html.escape(t)}</a></div></article></li>\n'
        for u, t in urls
    )
    nav = f'<a href="p{page + 1}" class="pagation_item">{page + 1}</a>' if page < pages else ""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thời sự</title></head><body>
<ul class="list_news_home">{items}</ul><nav class="pagation"><a href="p1" class="pagation_item">1</a>{nav}</nav></body></html>"""


def build_site(folder: str | Path, articles: int = 200, per_listing: int = 20, page_kb: int = 0, seed: int = 1) -> dict:
    """Write a replay folder (`<folder>/baodautu/` + manifest) and return what it holds."""
    rng = random.Random(seed)
    out = Path(folder) / "baodautu"
    out.mkdir(parents=True, exist_ok=True)
    pages, titles = [], []
    for i in range(articles):
        text, info = article_html(i, articles, rng, page_kb)
        name = f"a{i}.html"
        (out / name).write_text(text, encoding="utf-8")
        pages.append({"url": info["url"], "file": name, "status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"},
                      "fetched_at": "2026-11-24T09:00:00+07:00"})
        titles.append((info["url"], info["title"]))
    listing_pages = (articles + per_listing - 1) // per_listing
    for page in range(1, listing_pages + 1):
        name = f"list{page}.html"
        chunk = titles[(page - 1) * per_listing: page * per_listing]
        (out / name).write_text(listing_html(page, listing_pages, chunk), encoding="utf-8")
        # Listings carry validators, so a second run gets 304s and must rely on its frontier.
        headers = {"Content-Type": "text/html; charset=utf-8", "ETag": f'"list-{page}-v1"'}
        pages.append({"url": listing_url(page), "file": name, "status": 200, "headers": headers, "fetched_at": "2026-11-24T09:00:00+07:00"})
    (out / "manifest.json").write_text(json.dumps({"pages": pages}, ensure_ascii=False), encoding="utf-8")
    return {"articles": articles, "listing_pages": listing_pages, "folder": Path(folder)}
