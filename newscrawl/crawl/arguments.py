"""The news spider's arguments, checked before a crawl starts.

`scrapy crawl news -a NAME=VALUE` and scrapyd's `schedule.json -d NAME=VALUE`
reach the spider as strings. An unknown name, an unknown site, a date that
is not one or a replay folder that does not exist must stop the crawl with
one line, not start a different crawl than the one asked for (a misspelt
`replay` used to run a live crawl). `replay` and `db` become settings, with
paths made absolute: under scrapyd the working folder is scrapyd's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.exceptions import UsageError

from ..analysis.text import iso_day
from ..sites import get_site
from ..scaleout.urls import check_url
from ..scaleout.worker_settings import worker_settings
from ..store.archive import archive_path_for

# name -> what it means (the spider's docstring and the README list the same).
SPIDER_ARGUMENTS = {
    "site": "a site name, a comma list, or all (default)",
    "since": "YYYY-MM-DD: only articles published on or after this date",
    "listing_pages": "pages to read per section listing",
    "reparse": "1: re-parse the page archive instead of crawling",
    "replay": "a folder of saved pages (or a page archive): serve every page from it, no network",
    "db": "the database file (default: output/newscrawl.db, relative to the working folder)",
    "redis": "a Redis URL, or env (the process's NEWSCRAWL_REDIS_URL): run as a worker of the crawl on it",
}
TRUE, FALSE = {"1", "true", "yes"}, {"0", "false", "no", "none", ""}
# Arguments scrapyd adds to every job.
SCHEDULER_ARGUMENTS = ("_job", "_version")


def site_names(value: str) -> list[str]:
    """The sites a `site` argument names ([] for all), each checked."""
    names = [n.strip() for n in str(value).split(",") if n.strip()]
    if names in ([], ["all"]):
        return []
    for name in names:
        try:
            get_site(name)
        except KeyError as exc:  # its message names the known sites, as the CLI says it
            raise UsageError(str(exc.args[0])) from None
    return names


def check_spider_arguments(args: dict) -> None:
    """Raise UsageError (one line) for an argument the news spider cannot run with."""
    unknown = sorted(set(args) - set(SPIDER_ARGUMENTS) - set(SCHEDULER_ARGUMENTS))
    if unknown:
        raise UsageError(f"unknown argument(s) {', '.join(unknown)} for the news spider; it takes: {', '.join(SPIDER_ARGUMENTS)}")
    site_names(args.get("site", "all"))
    if args.get("since"):
        try:
            iso_day(args["since"])
        except ValueError:
            raise UsageError(f"since={args['since']!r} is not a date: use YYYY-MM-DD") from None
    if str(args.get("reparse", "false")).lower() not in TRUE | FALSE:
        raise UsageError(f"reparse={args['reparse']!r}: give true or false")
    if args.get("listing_pages") is not None and not str(args["listing_pages"]).isdigit():
        raise UsageError(f"listing_pages={args['listing_pages']!r} is not a number of pages")
    if args.get("redis"):
        if is_reparse(args):
            raise UsageError("reparse runs in one process, beside the database: drop redis=")
        try:
            check_url(redis_url(args))
        except (KeyError, ValueError) as exc:
            raise UsageError(f"redis: {exc.args[0] if isinstance(exc, ValueError) else 'NEWSCRAWL_REDIS_URL is not set'}") from None
    if args.get("replay") and not Path(args["replay"]).exists():
        raise UsageError(f"replay={args['replay']} does not exist: give the absolute path of a folder of saved pages")


def redis_url(args: dict) -> str:
    """The `redis` argument's URL: `env` keeps a password out of scrapyd's job list and logs."""
    return os.environ["NEWSCRAWL_REDIS_URL"] if args["redis"] == "env" else args["redis"]


def is_reparse(args: dict) -> bool:
    return str(args.get("reparse", "false")).lower() in TRUE


def apply_to_settings(args: dict, settings) -> None:
    """`replay` and `db` as the settings they stand for (paths made absolute); a `reparse`
    without `replay` reads the source the settings already name (`newscrawl reparse
    --archive`), else the page archive beside the database. The replay's politeness
    settings go in below the command line's, so `-s DOWNLOAD_DELAY=...` still wins."""
    if args.get("redis"):
        worker_settings(settings, redis_url(args), False, settings.get("NEWSCRAWL_CRAWL_NAME") or "news")
    if args.get("db"):
        settings.set("NEWSCRAWL_DB", str(Path(args["db"]).resolve()), priority="cmdline")
    source = args.get("replay")
    if not source and is_reparse(args) and not settings.get("NEWSCRAWL_REPLAY_DIR"):
        source = archive_path_for(settings.get("NEWSCRAWL_DB"))
        if not Path(source).is_file():
            raise UsageError(f"reparse: no page archive at {source} (live crawls keep one beside the database); give replay=DIR")
    if source:
        settings.set("NEWSCRAWL_REPLAY_DIR", str(Path(source).resolve()), priority="cmdline")
        for name, value in settings.getdict("NEWSCRAWL_REPLAY_SETTINGS").items():
            settings.set(name, value, priority="spider")
