"""Every saved article page against its expected JSON, field by field."""

import json

import pytest

from newscrawl import extract_article

from .conftest import FIXTURES, manifest_entries

EXPECTED = sorted(FIXTURES.rglob("*.expected.json"))


def _url_of(html_path) -> str:
    for entry in manifest_entries():
        if entry["path"] == html_path:
            return entry["url"]
    raise AssertionError(f"{html_path} is not in its folder's manifest.json")


def test_there_are_fixtures_for_every_site():
    from newscrawl.sites import all_sites

    for site in all_sites():
        pages = list((FIXTURES / site.name).glob("*.expected.json"))
        assert len(pages) >= 3, f"{site.name} has {len(pages)} article fixtures (3 or more wanted)"


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name.split('.')[0][:40]}")
def test_parser_output_matches_expected(expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    html_path = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
    url = _url_of(html_path)
    got = extract_article(html_path.read_text(encoding="utf-8"), url)
    for field, value in expected.items():
        assert got.get(field) == value, f"{field} differs"
    # A list field is a list and a text field a string, whatever the page.
    assert all(isinstance(got[f], list) for f in ("authors", "tags", "related"))
    assert all(isinstance(got[f], str) for f in ("title", "summary", "body", "category"))
