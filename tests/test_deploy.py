"""scrapyd, for real: deployed with scrapyd-deploy to a scrapyd whose environment has
only the egg (no newscrawl installed), a replay job scheduled through its HTTP API,
the rows checked; a failing job says why in its log. `scrapy crawl` exit codes too."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, SEED_URL, query

SEED_TITLE = "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_of_the_project(target: Path) -> Path:
    """The tracked files, as a fresh clone has them."""
    tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def environment_without_the_project(where: Path) -> Path:
    """A virtual environment that sees this one's packages but not newscrawl's editable install:
    a `.pth` line adds the site-packages folder, whose own `.pth` files (the editable finder) are
    not processed. Returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "VIRTUAL_ENV")}


def api(port: int, endpoint: str, data: dict | None = None) -> dict:
    url = f"http://127.0.0.1:{port}/{endpoint}"
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    root = tmp_path_factory.mktemp("scrapyd")
    python = environment_without_the_project(root / "env")
    probe = subprocess.run([str(python), "-c", "import scrapyd, scrapy; import newscrawl"], cwd=root,
                           capture_output=True, text=True, env=clean_env(), timeout=60)
    assert "No module named 'newscrawl'" in probe.stderr, probe.stderr[-2000:]
    service = root / "service"
    service.mkdir()
    port = free_port()
    (service / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = eggs\nlogs_dir = logs\n"
        "dbs_dir = dbs\nitems_dir =\nmax_proc = 2\npoll_interval = 0.2\n")
    process = subprocess.Popen([str(python), "-m", "scrapyd"], cwd=service, env=clean_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api(port, "daemonstatus.json")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stdout.read().decode()[-2000:]
                time.sleep(0.2)
        yield {"port": port, "root": root, "service": service}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def deploy(scrapyd) -> dict:
    project = copy_of_the_project(scrapyd["root"] / "project")
    cfg = (project / "scrapy.cfg").read_text().replace("http://localhost:6800/", f"http://127.0.0.1:{scrapyd['port']}/")
    (project / "scrapy.cfg").write_text(cfg)
    tool = Path(sys.executable).with_name("scrapyd-deploy")
    result = subprocess.run([str(tool), "-p", "newscrawl"], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return api(scrapyd["port"], "listspiders.json?project=newscrawl")


def run_job(scrapyd, **arguments) -> tuple[str, str]:
    job = api(scrapyd["port"], "schedule.json", {"project": "newscrawl", "spider": "news", **arguments})["jobid"]
    deadline = time.monotonic() + 120
    while not any(j["id"] == job for j in api(scrapyd["port"], "listjobs.json?project=newscrawl")["finished"]):
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.3)
    log = scrapyd["service"] / "logs" / "newscrawl" / "news" / f"{job}.log"
    return job, log.read_text(encoding="utf-8") if log.is_file() else ""


def test_the_egg_deploys_and_a_replay_job_stores_the_articles(scrapyd, tmp_path):
    assert deploy(scrapyd)["spiders"] == ["news"]
    db = tmp_path / "job.db"
    _, log = run_job(scrapyd, site="baodautu", replay=str(FIXTURES), db=str(db))
    assert "Traceback" not in log, log[-3000:]
    assert query(db, "SELECT title FROM articles WHERE url = ?", [SEED_URL]) == [(SEED_TITLE,)]
    assert query(db, "SELECT count(*) FROM articles")[0][0] >= 10
    assert query(db, "SELECT mode, status FROM crawl_runs") == [("replay", "finished")]
    # The job ran the deployed egg, not a copy of the project on the path.
    assert ".egg" in log or "eggs" in log or "newscrawl" in log


def test_a_job_that_fails_says_why_in_its_log(scrapyd, tmp_path):
    deploy(scrapyd)
    db = tmp_path / "failed.db"
    _, log = run_job(scrapyd, site="baodautu", replay=str(FIXTURES), db=str(db), setting="NEWSCRAWL_COVERAGE_WARN=1.01")
    assert "WARNING: run 1 failed: field coverage collapsed" in log, log[-3000:]
    assert query(db, "SELECT status FROM crawl_runs") == [("failed",)]


def test_a_job_with_a_misspelt_argument_is_refused_not_run_live(scrapyd, tmp_path):
    deploy(scrapyd)
    _, log = run_job(scrapyd, site="baodautu", repaly=str(FIXTURES), db=str(tmp_path / "never.db"))
    assert "unknown argument(s) repaly" in log, log[-3000:]
    assert not (tmp_path / "never.db").exists()


def scrapy_crawl(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-s", "LOG_LEVEL=WARNING", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_scrapy_crawl_exit_codes(tmp_path):
    ok = scrapy_crawl("-a", "site=baodautu", "-a", f"replay={FIXTURES}", "-a", f"db={tmp_path / 'ok.db'}")
    assert ok.returncode == 0, ok.stderr[-2000:]
    collapsed = scrapy_crawl("-a", "site=baodautu", "-a", f"replay={FIXTURES}", "-a", f"db={tmp_path / 'bad.db'}",
                             "-s", "NEWSCRAWL_COVERAGE_WARN=1.01")
    assert collapsed.returncode == 1 and "run 1 failed: field coverage collapsed" in collapsed.stderr
    unknown = scrapy_crawl("-a", "site=nosuch")
    assert unknown.returncode == 2 and "unknown site 'nosuch'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_scrapy_crawl_with_no_network_fails(tmp_path):
    dead = json.dumps({"baodautu.vn": f"http://127.0.0.1:{free_port()}"})
    result = scrapy_crawl("-a", "site=baodautu", "-a", f"db={tmp_path / 'n.db'}", "-s", f"NEWSCRAWL_HOST_MAP={dead}",
                          "-s", "RETRY_TIMES=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
    assert result.returncode == 1, result.stderr[-2000:]
    assert "no page could be fetched" in result.stderr
    assert query(tmp_path / "n.db", "SELECT status FROM crawl_runs") == [("failed",)]


def test_scrapy_crawl_that_cannot_start_says_why_in_one_line(tmp_path):
    import fcntl

    db = tmp_path / "held.db"
    with open(f"{db}.lock", "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        held = scrapy_crawl("-a", "site=baodautu", "-a", f"replay={FIXTURES}", "-a", f"db={db}")
    assert held.returncode == 1 and "Traceback" not in held.stderr
    assert "refused to start: another crawl" in held.stderr
    no_archive = scrapy_crawl("-a", "site=baodautu", "-a", "reparse=true", "-a", f"db={tmp_path / 'none.db'}")
    assert no_archive.returncode == 1 and "no page archive at" in no_archive.stderr and "Traceback" not in no_archive.stderr


@pytest.mark.parametrize("argument, words", [
    ("since=20261201", "not a date"), ("since=2026-12-01T00:00", "not a date"), ("reparse=maybe", "true or false"),
    ("listing_pages=lots", "not a number"),
])
def test_scrapy_crawl_refuses_a_bad_argument_value(argument, words):
    result = scrapy_crawl("-a", argument)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
