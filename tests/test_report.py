"""The HTML report: the right numbers, self-contained, and it loads in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date

import pytest
from click.testing import CliRunner

from newscrawl.analyst.commands import report as report_command
from newscrawl.analyst.report import render_report, report_data, write_report
from newscrawl.store.search_index import apply_analyst_schema
from newscrawl.store.schema import open_database

from .test_search import replay_db  # noqa: F401  (the crawled fixtures, a module fixture)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "apt-get update && apt-get install -y chromium"


@pytest.fixture
def db(replay_db):  # noqa: F811
    database = open_database(replay_db)
    yield database
    database.close()


@pytest.fixture(scope="module")
def report_file(replay_db, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(report_command, ["--db", str(replay_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_data_matches_the_database(db):
    data = report_data(db)
    assert data["totals"]["articles"] == db["articles"].count
    assert data["totals"]["green"] == db.execute("SELECT count(*) FROM green_articles").fetchone()[0]
    assert data["unit"] == "week" and len(data["buckets"]) == 26
    assert all(date.fromisoformat(b).weekday() == 0 for b in data["buckets"])
    charted = sum(n for counts in data["by_site"]["counts"].values() for n in counts.values())
    assert charted + data["older_than_charts"] == data["totals"]["articles"]
    assert data["newest"][0]["published"] == db.execute("SELECT max(published) FROM green_articles").fetchone()[0]
    assert data["related"][0]["linked_from"] == db.execute("SELECT max(linked_from) FROM top_related_headlines").fetchone()[0]


def test_since_narrows_everything(db):
    data = report_data(db, since="2026-11-10")
    assert data["older_than_charts"] == 0 and data["buckets"][0] == "2026-11-09"
    assert data["totals"]["articles"] == db.execute("SELECT count(*) FROM articles WHERE published >= '2026-11-10'").fetchone()[0]
    assert all(a["published"] >= "2026-11-10" for a in data["newest"])


def test_a_long_period_is_charted_by_month(db):
    data = report_data(db, since="2018-01-01")
    assert data["unit"] == "month" and all(b.endswith("-01") for b in data["buckets"])
    charted = sum(n for counts in data["by_site"]["counts"].values() for n in counts.values())
    assert charted == data["totals"]["articles"]


def test_page_is_self_contained(report_file):
    page = report_file.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "Most-linked related headlines" in page and "Newest green articles" in page
    assert "Reported capacity by technology" in page and "Most-cited policy documents" in page
    # nothing is fetched: no scripts, styles, images, fonts or frames from anywhere
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)\b[^>]*\b(src|href)=", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "Hải Phòng" in page or "Doanh nghiệp" in page  # Vietnamese text kept as text


def test_text_is_escaped(tmp_path):
    db = open_database(tmp_path / "x.db")
    db["articles"].insert({"url": "https://x.vn/<a>", "site": "x", "title": "<script>alert(1)</script> & điện",
                           "published": "2026-11-20T10:00:00+07:00", "topics": '["renewable_energy"]', "green_score": 0.5})
    apply_analyst_schema(db)
    page = render_report(report_data(db))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; điện" in page


def test_empty_database_gives_a_page(tmp_path):
    db = open_database(tmp_path / "empty.db")
    apply_analyst_schema(db)
    out = write_report(db, tmp_path / "sub" / "r.html")
    assert "No articles in this period" in out.read_text(encoding="utf-8")


def test_cli_bad_since_is_a_clear_message(replay_db, tmp_path):  # noqa: F811
    result = CliRunner().invoke(report_command, ["--db", str(replay_db), "--since", "tomorrow", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "not a date" in result.output and "Traceback" not in result.output


def test_cli_help_has_an_example():
    result = CliRunner().invoke(report_command, ["--help"])
    assert "Example" in result.output and "newscrawl report" in result.output


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    message = f"no Chromium to check the report in a browser: install it ({INSTALL_HINT})"
    if os.environ.get("NEWSCRAWL_REQUIRE_BROWSER") == "1":  # CI sets it: there the check must run
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def run_chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, env={**os.environ, "LANG": "C.UTF-8"},
        )


def test_page_loads_in_chromium_without_errors(report_file, tmp_path):
    result = run_chromium("--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", "--dump-dom", report_file.as_uri())
    assert result.returncode == 0, result.stderr[-3000:]
    dom = result.stdout
    assert dom.count("<svg") == 3 and "<rect" in dom and "Newest green articles" in dom
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    assert "net::ERR" not in result.stderr  # nothing tried to load from anywhere
    shot = tmp_path / "report.png"
    result = run_chromium("--screenshot=" + str(shot), "--window-size=1280,2000", report_file.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, result.stderr[-3000:]
