"""Datasette: the metadata's canned queries run, and `newscrawl serve` answers over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from newscrawl.analyst.commands import serve as serve_command
from newscrawl.analyst.search import search
from newscrawl.analyst.serve import datasette_args, free_port, load_metadata
from newscrawl.store.schema import open_database
from newscrawl.store.views import VIEWS

from .conftest import ROOT, SEED_URL
from .test_search import replay_db  # noqa: F401  (the crawled fixtures, a module fixture)

PARAMS = {"q": "chuyen doi so hai phong", "site": "", "topic": "carbon_markets", "since": "2026-01-01", "year": "", "month": ""}


def canned() -> dict:
    return load_metadata()["databases"]["newscrawl"]["queries"]


def test_metadata_describes_every_table_and_view(replay_db):  # noqa: F811
    tables = load_metadata()["databases"]["newscrawl"]["tables"]
    for name in ["articles", "related_links", "rejects", "duplicates", "crawl_runs", "topic_names", *VIEWS]:
        assert tables.get(name, {}).get("description") or name == "articles_fts", name
    db = open_database(replay_db)
    columns = {c.name for c in db["articles"].columns}
    db.close()
    assert set(tables["articles"]["columns"]) <= columns


def test_metadata_is_rekeyed_to_the_file_name():
    assert set(load_metadata("replay")["databases"]) == {"replay"}


@pytest.mark.parametrize("name", sorted(canned()))
def test_canned_queries_run_on_plain_sqlite(replay_db, name):  # noqa: F811
    sql = canned()[name]["sql"]
    conn = sqlite3.connect(replay_db)
    params = {key: value for key, value in PARAMS.items() if f":{key}" in sql}
    rows = conn.execute(sql, params).fetchall()
    conn.close()
    assert name in ("related_not_stored",) or rows, name


def test_canned_search_agrees_with_newscrawl_search(replay_db):  # noqa: F811
    conn = sqlite3.connect(replay_db)
    sql = canned()["search"]["sql"]
    db = open_database(replay_db)
    for accented, plain in [("điện gió", "dien gio"), ("tín chỉ carbon", "tin chi carbon"), ("hoà", "hòa")]:
        found = {r[-1] for r in conn.execute(sql, {"q": accented})}
        assert found == {r[-1] for r in conn.execute(sql, {"q": plain})}
        assert found == {r["url"] for r in search(db, plain, limit=50)}
    first = conn.execute(sql, {"q": "Chuyển đổi số  Hải Phòng"}).fetchone()
    assert first[-1] == SEED_URL
    for hostile in ['"', "'); drop table articles; --", "NEAR(", ""]:
        conn.execute(sql, {"q": hostile}).fetchall()
    db.close()
    conn.close()


def test_served_immutable_by_default():
    assert "--immutable" in datasette_args("x.db", "m.json", "127.0.0.1", 8001)
    assert "--immutable" not in datasette_args("x.db", "m.json", "127.0.0.1", 8001, live=True)


def test_cli_missing_database_is_a_clear_message(tmp_path):
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "none.db"), "--port", "0"])
    assert result.exit_code == 1 and "no database at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_cli_help_has_an_example():
    result = CliRunner().invoke(serve_command, ["--help"])
    assert "Example" in result.output and "newscrawl serve" in result.output


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def test_serve_answers_a_canned_query(replay_db, tmp_path):  # noqa: F811
    path = tmp_path / "served.db"
    shutil.copy(replay_db, path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.analyst.commands", "serve", "--db", str(path), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"datasette did not start: {process.communicate(timeout=10)[0][-3000:]}")
                time.sleep(0.2)
        rows = get_json(f"{base}/served/search.json?q=chuyen+doi+so+hai+phong&_shape=array")
        assert rows[0]["url"] == SEED_URL and "[" in rows[0]["snippet"]
        databases = get_json(f"{base}/-/databases.json")
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("served", False)]
        boxed = get_json(f"{base}/served/articles.json?_search=dien+gio&_shape=array&_size=100")  # the table's search box
        assert {r["url"] for r in boxed} == {r["url"] for r in get_json(f"{base}/served/search.json?q=dien+gio&_shape=array")}
        green = get_json(f"{base}/served/green_articles.json?_shape=array&_size=5")
        assert len(green) == 5 and green[0]["topic_names"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
