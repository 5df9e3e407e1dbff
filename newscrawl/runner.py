"""Running the news spider from a command: its settings from the command line, and the run.

Shared by `newscrawl crawl`, `reparse` and `worker`, so every way of starting a
crawl applies the same options in the same way.
"""

from __future__ import annotations

import click


def crawl_settings(
    db: str | None = None,
    replay: str | None = None,
    record: str | None = None,
    max_pages: int | None = None,
    since: str | None = None,
    listing_pages: int | None = None,
    overrides: tuple[str, ...] = (),
    verbose: bool = False,
    progress: bool = True,
    refresh: bool | None = None,
):
    """Project settings with the command line's choices applied on top."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    chosen = {
        "NEWSCRAWL_DB": db,
        "NEWSCRAWL_REPLAY_DIR": replay,
        "NEWSCRAWL_RECORD_DIR": record,
        "CLOSESPIDER_PAGECOUNT": max_pages,
        "NEWSCRAWL_SINCE": since,
        "NEWSCRAWL_LISTING_PAGES": listing_pages,
        "NEWSCRAWL_REFRESH": refresh,
    }
    for name, value in chosen.items():
        if value is not None:
            settings.set(name, value, priority="cmdline")
    if replay:
        # Saved pages cost nothing to fetch: no politeness delays needed.
        for name, value in settings.getdict("NEWSCRAWL_REPLAY_SETTINGS").items():
            settings.set(name, value, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    settings.set("NEWSCRAWL_PROGRESS", progress, priority="cmdline")
    for override in overrides:
        name, sep, value = override.partition("=")
        if not sep:
            raise click.BadParameter(f"{override!r} is not NAME=VALUE", param_hint="--set")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run_crawl(sites: tuple[str, ...], settings, **spider_args) -> tuple[str, str]:
    """Run the `news` spider to the end; return (status, summary).

    The crawl takes the database's lock itself (`CrawlRun`); a second crawl
    on the same database raises AlreadyRunning here, before anything starts.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.exceptions import UsageError

    from .crawl.run import start_refusals
    from .crawl.spider import NewsSpider
    from .store.schema import open_database

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    refused = start_refusals(process.crawl(crawler, site=",".join(sites) or "all", **spider_args))
    process.start()
    if refused:  # the crawl could not start (the lock, the database): one line from the CLI's handler
        raise click.ClickException(str(refused[0])) if isinstance(refused[0], UsageError) else refused[0]
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # Scrapy 2.19 raises when the crawl failed before its stats existed
        stats = {}
    run_id = stats.get("newscrawl/run_id")
    if run_id is None:
        return "failed", "the crawl stopped before its first request: see the errors above"
    db = open_database(settings.get("NEWSCRAWL_DB"))
    row = db["crawl_runs"].get(run_id)
    db.close()
    if row["status"] == "running":  # the run's row could not be written: say what the crawl knows
        return stats.get("newscrawl/status", "failed"), f"run {run_id} failed: {stats.get('newscrawl/why', 'see the errors above')}"
    return row["status"], row["summary"]
