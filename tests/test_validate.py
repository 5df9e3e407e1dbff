import pytest
from itemadapter import ItemAdapter

from newscrawl.items import empty_article
from newscrawl.items import Rejected
from newscrawl.pipelines.validate import ValidatePipeline

GOOD = dict(url="https://baodautu.vn/a-d1.html", site="baodautu", title="Một tiêu đề đủ dài", body="Thân bài. " * 40, published="2025-06-30T08:46:00+07:00", parser="baodautu/v1")


def check(**changes):
    return ValidatePipeline(min_body=200, min_title=5).process_item(empty_article(**{**GOOD, **changes}))


def test_good_article_passes_and_date_is_normalised():
    item = check(published="30/06/2025 08:46")
    assert ItemAdapter(item)["published"] == "2025-06-30T08:46:00+07:00"


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"error": "ValueError: boom"}, "parse_error"),
        ({"url": "javascript:void(0)"}, "bad_url"),
        ({"site": ""}, "missing_site"),
        ({"title": ""}, "missing_title"),
        ({"title": "Hi"}, "title_too_short"),
        ({"body": ""}, "missing_body"),
        ({"body": "Ngắn."}, "body_too_short"),
        ({"published": "not a date"}, "bad_date"),
        ({"published": "2999-01-01T00:00:00+07:00"}, "bad_date"),
        ({"tags": "a, b"}, "bad_field"),
    ],
)
def test_each_problem_has_its_reason(changes, reason):
    with pytest.raises(Rejected) as caught:
        check(**changes)
    assert caught.value.reason == reason


def test_unmatched_layout_says_markup_may_have_changed():
    with pytest.raises(Rejected) as caught:
        check(body="", parser="baodautu/unmatched")
    assert "markup changed" in caught.value.detail
