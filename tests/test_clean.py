from newscrawl.items import empty_article
from newscrawl.analysis.clean import clean_body, clean_paragraph
from newscrawl.pipelines.clean import CleanPipeline

from .conftest import SEED_SCRAPE


def test_separator_lines_and_trailing_dashes_go():
    assert clean_paragraph("-") == ""
    assert clean_paragraph(" – ") == ""
    assert clean_paragraph("Tín chỉ carbon: Cuộc chơi mới của nền kinh tế xanh Việt Nam -") == "Tín chỉ carbon: Cuộc chơi mới của nền kinh tế xanh Việt Nam"


def test_dashes_inside_text_stay():
    text = "giai đoạn 2021 - 2030, theo hướng xanh - sạch - thông minh"
    assert clean_paragraph(text) == text
    assert clean_paragraph("- Đẩy mạnh chuyển đổi xanh trong sản xuất") == "- Đẩy mạnh chuyển đổi xanh trong sản xuất"


def test_boilerplate_paragraphs_go_accents_or_not():
    for chrome in ("TIN LIÊN QUAN", "Xem thêm", "Từ khóa:", "Chia sẻ", "Theo dõi Báo Đầu tư trên Google News", "Ảnh minh họa"):
        assert clean_paragraph(chrome) == "", chrome


def test_seed_scrape_cleans_to_its_body_and_headlines():
    lines = SEED_SCRAPE.read_text(encoding="utf-8").split("\n")
    body = clean_body("\n\n".join(lines[12:25]))
    assert body.split("\n\n") == lines[12:25]
    headlines = [p for p in (clean_paragraph(line) for line in lines[1:12] + lines[26:34]) if p]
    assert not any(h.endswith("-") or h == "" for h in headlines)
    assert len(set(headlines)) == 11


def test_pipeline_cleans_every_text_field():
    item = empty_article(
        url="https://baodautu.vn/a-d1.html", site="baodautu",
        title="  Hải Phòng:\u00a0Chuyển đổi số  -", summary="Lead text -",
        body="-\n\nĐoạn một.\n\n\n\nTIN LIÊN QUAN\n\nĐoạn một.\n\nĐoạn hai -",
        authors=["MINH ANH", "Minh Anh", " "], tags=["# Hải Phòng", "hải phòng", "ESG"],
        related=[{"url": "https://baodautu.vn/b-d2.html", "headline": "Tin B -"}, {"url": "https://baodautu.vn/b-d2.html", "headline": "again"}, {"url": "https://baodautu.vn/c-d3.html", "headline": "-"}],
    )
    out = CleanPipeline().process_item(item)
    assert out["title"] == "Hải Phòng: Chuyển đổi số"
    assert out["summary"] == "Lead text"
    assert out["body"] == "Đoạn một.\n\nĐoạn hai"
    assert out["authors"] == ["Minh Anh"]
    assert out["tags"] == ["Hải Phòng", "ESG"]
    assert out["related"] == [{"url": "https://baodautu.vn/b-d2.html", "headline": "Tin B"}]


def test_lead_repeated_as_first_paragraph_is_dropped():
    assert clean_body("Lời dẫn bài.\n\nThân bài.", summary="Lời dẫn bài.") == "Thân bài."


def test_separator_shortcuts_give_the_patterns_answers():
    """strip_separators and strip_trailing_separator skip their regex unless an edge is a
    separator; on any text they must answer as the plain patterns do."""
    import random
    import re

    from newscrawl.analysis.clean import strip_trailing_separator
    from newscrawl.analysis.text import clean_space, strip_separators

    edges = re.compile(r"^(?:[-–—|•·]\s*)+|(?:\s*[-–—|•·])+$")
    trailing = re.compile(r"\s+[-–—|]+$")
    rng = random.Random(3)
    parts = ["-", "–", "—", "|", "•", "·", " ", "\u00a0", "a", "Điện", "gió", "2021", "\n"]
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    texts += SEED_SCRAPE.read_text(encoding="utf-8").split("\n")
    for text in texts:
        assert strip_separators(text) == edges.sub("", clean_space(text)).strip(), repr(text)
        assert strip_trailing_separator(text) == trailing.sub("", text), repr(text)
