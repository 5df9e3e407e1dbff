import json
import unicodedata

import pytest

from newscrawl.items import empty_article
from newscrawl.items import Rejected
from newscrawl.pipelines.topics import TopicsPipeline
from newscrawl.analysis.topics import Taxonomy

from .conftest import FIXTURES, SEED_SCRAPE

TAXONOMY = Taxonomy.load()


def seed_article():
    lines = SEED_SCRAPE.read_text(encoding="utf-8").split("\n")
    return "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững", "\n\n".join(lines[12:25])


def test_the_seed_article_is_green():
    title, body = seed_article()
    scored = TAXONOMY.score(title, "", body)
    assert scored.green_score > 0.9
    assert {"climate_policy", "green_industry", "renewable_energy"} <= set(scored.topics)


@pytest.mark.parametrize("title, summary, body", [
    ("Từ quầy hàng nhỏ đến doanh nghiệp bài bản: VPBank tiếp sức đúng lúc, đồng hành dài lâu",
     "VPBank triển khai gói vay ưu đãi cho hộ kinh doanh.",
     "Với gói vay lãi suất ưu đãi, ngân hàng hỗ trợ hộ kinh doanh mở rộng quy mô, hướng tới phát triển bền vững. Khách hàng được giải ngân nhanh trong 24 giờ, thủ tục đơn giản, không cần tài sản bảo đảm với khoản vay nhỏ."),
    ("Sun Casa Square đẩy mạnh thi công, dự kiến bàn giao vào cuối năm 2025",
     "Dự án căn hộ cao cấp đang vào giai đoạn hoàn thiện.",
     "Chủ đầu tư cho biết dự án có không gian xanh rộng, hồ bơi, phòng gym, gần trung tâm thành phố. Khách hàng được hỗ trợ lãi suất 18 tháng và chiết khấu đến 8% khi thanh toán sớm."),
])
def test_banking_and_real_estate_promotions_are_not_green(title, summary, body):
    assert TAXONOMY.score(title, summary, body).green_score < 0.3


def test_matching_ignores_accents_case_form_and_tone_style():
    variants = ["Thị trường tín chỉ carbon và điện gió", "THI TRUONG TIN CHI CARBON VA DIEN GIO",
                unicodedata.normalize("NFD", "thị trường tín chỉ carbon và điện gió")]
    scores = {TAXONOMY.score(v).green_score for v in variants}
    assert len(scores) == 1 and scores.pop() > 0.3
    assert TAXONOMY.score("Trung hoà carbon").weights == TAXONOMY.score("Trung hòa carbon").weights


def test_title_weighs_more_than_body():
    in_title = TAXONOMY.score("Điện gió ngoài khơi", "", "Một bài viết.")
    in_body = TAXONOMY.score("Một bài viết", "", "Điện gió ngoài khơi.")
    assert in_title.green_score > in_body.green_score > 0


def test_english_press_terms_count():
    assert "green_finance_esg" in TAXONOMY.score("ESG và FDI xanh", "", "Net zero, green bonds và ESG.").topics


def test_pipeline_sets_topics_and_rejects_off_topic_with_its_score():
    stage = TopicsPipeline(TAXONOMY, min_score=0.3)
    title, body = seed_article()
    item = stage.process_item(empty_article(title=title, body=body))
    assert item["topics"] and item["green_score"] > 0.9
    with pytest.raises(Rejected) as caught:
        stage.process_item(empty_article(title="Giá vàng hôm nay tăng mạnh", body="Giá vàng miếng tăng 500.000 đồng mỗi lượng."))
    assert caught.value.reason == "off_topic" and "green_score 0.0" in caught.value.detail


def test_every_green_fixture_article_passes_the_threshold():
    for path in sorted((FIXTURES / "baodautu").glob("*.expected.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        if article["body"] and "sun-casa" not in article["url"]:
            assert TAXONOMY.score(article["title"], article["summary"], article["body"]).green_score >= 0.3, path.name


def test_the_prefix_tree_pattern_matches_as_a_longest_first_alternation():
    """The taxonomy's regex is merged along shared prefixes for speed; it must find
    exactly what the plain longest-first alternation of the terms finds."""
    import random
    import re

    from newscrawl.analysis.text import fold

    plain = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(TAXONOMY.terms, key=len, reverse=True)) + r")(?!\w)")
    texts = []
    for path in FIXTURES.rglob("*.expected.json"):
        article = json.loads(path.read_text(encoding="utf-8"))
        texts += [fold(article.get("title", "")), fold(article.get("summary", "")), fold(article["body"])]
    rng, terms = random.Random(7), sorted(TAXONOMY.terms)
    # Terms glued, cut and run together: the cases where prefixes and boundaries matter.
    texts += [" ".join(rng.choice(terms) + rng.choice(["", "s", " ", "x", "-", " a"]) for _ in range(40)) for _ in range(200)]
    assert all(plain.findall(text) == TAXONOMY.terms_in(text) for text in texts)
