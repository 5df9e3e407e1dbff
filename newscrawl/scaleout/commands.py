"""`newscrawl worker`, `writer` and `status`: a crawl on several processes or machines.

Thin commands over `worker.py` (a Scrapy crawl whose scheduler and writer are
in Redis), `writer_process.py` and `status.py`. `newscrawl crawl --redis`
starts a writer and workers on one machine (see `launcher.py`).
"""

from __future__ import annotations

import json
import sys

import click

from ..checks import check_replay_source, known_sites, valid_date, writable_folder
from ..errors import check_database, show_tracebacks
from ..runner import crawl_settings
from .worker_settings import worker_settings

REDIS_HELP = ("Redis URL: redis://[USER:PASSWORD@]HOST:PORT/DB, or rediss:// for TLS "
              "(or set NEWSCRAWL_REDIS_URL, which keeps a password off the command line).")


def redis_url(ctx, param, value):
    """Callback: a Redis URL, or a usage error (exit 2) that never shows its password."""
    from .urls import check_url

    if value is None:
        return value
    try:
        return check_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def crawl_name_option(function):
    return click.option("--crawl", "crawl_name", default="news", show_default=True, metavar="NAME",
                        help="Which crawl on this Redis (several can share one).")(function)


def run_worker(sites, settings) -> tuple[str, str]:
    """Run one worker to the end of the crawl; (status, summary)."""
    from scrapy.crawler import CrawlerProcess

    from ..crawl.run import start_refusals
    from ..crawl.spider import NewsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    refused = start_refusals(process.crawl(crawler, site=",".join(sites) or "all"))
    process.start()
    if refused:
        raise refused[0]
    from .worker import WorkerRun

    try:
        run = crawler.get_extension(WorkerRun)
    except RuntimeError:  # the crawl never started
        run = None
    if run is None or run.status is None:
        return "failed", "the worker stopped before it joined a crawl: see the errors above"
    return run.status, run.summary or ""


@click.command()
@click.argument("sites", nargs=-1, callback=known_sites)
@click.option("--redis", "url", required=True, metavar="URL", envvar="NEWSCRAWL_REDIS_URL", callback=redis_url, help=REDIS_HELP)
@crawl_name_option
@click.option("--replay", metavar="[DIR]", is_flag=False, flag_value="fixtures", default=None,
              help="Serve every page from saved HTML under DIR on this machine (default: fixtures/).")
@click.option("--record", metavar="DIR", callback=writable_folder, help="Save every page this worker fetches under DIR.")
@click.option("--max-pages", type=click.IntRange(min=1), metavar="N", help="This worker stops after N fetched pages.")
@click.option("--since", metavar="YYYY-MM-DD", callback=valid_date, help="Only articles published on or after this date.")
@click.option("--listing-pages", type=click.IntRange(min=1), metavar="N", help="Pages to read per section listing (default 3).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy or NEWSCRAWL setting.")
@click.option("--refresh/--no-refresh", default=None, help="Fetch stored articles again when rediscovered.")
@click.option("--keep-alive", is_flag=True, help="Do not exit when the crawl ends: join the writer's next one.")
@click.option("-v", "--verbose", is_flag=True, callback=show_tracebacks, help="Show Scrapy's log (INFO), and an error's traceback.")
def worker(sites, url, crawl_name, replay, record, max_pages, since, listing_pages, overrides, refresh, keep_alive, verbose):
    """Join a crawl on Redis from this machine: fetch, parse, and send items to the writer.

    Start as many as you like, on any machine that reaches Redis; the first
    worker of a crawl queues its start points, the others share the queue.
    Requests are leased, so a worker that dies loses nothing: what it held
    goes back to the queue. The crawl ends when nothing is queued or leased
    and the writer has everything; every worker then prints the run's
    summary. Exit codes as for `crawl` (0, 1, 2, 130).

    \b
    Examples:
        newscrawl worker --redis redis://10.0.0.5:6379/0
        newscrawl worker baodautu vnexpress --redis redis://crawler:s3cret@10.0.0.5:6379/0
        newscrawl worker --replay --redis redis://127.0.0.1:6379/0 --set NEWSCRAWL_PARSE_WORKERS=0
    """
    if replay:
        check_replay_source(replay, "--replay")
    settings = crawl_settings(None, replay, record, max_pages, since, listing_pages, overrides, verbose, refresh=refresh)
    worker_settings(settings, url, keep_alive, crawl_name)
    from ..crawl.run import EXIT_CODES
    from .urls import redact

    click.echo(f"worker joining crawl {crawl_name!r} on Redis {redact(url)}", err=True)
    status, summary = run_worker(sites, settings)
    click.echo(summary)
    sys.exit(EXIT_CODES.get(status, 1))


@click.command()
@click.option("--redis", "url", required=True, metavar="URL", envvar="NEWSCRAWL_REDIS_URL", callback=redis_url, help=REDIS_HELP)
@click.option("--db", metavar="PATH", help="Database file (default: output/newscrawl.db).")
@crawl_name_option
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any NEWSCRAWL setting.")
@click.option("--keep-alive", is_flag=True, help="When the crawl ends, open the next one (after NEWSCRAWL_KEEP_ALIVE_PAUSE s).")
@click.option("-v", "--verbose", is_flag=True, callback=show_tracebacks, help="Log at INFO, and show an error's traceback.")
def writer(url, db, crawl_name, overrides, keep_alive, verbose):
    """Write a crawl on Redis into SQLite: the one process that owns the database.

    Run it on the machine that holds the database, before or after the
    workers. It opens the crawl (workers wait for it), applies every item
    and outcome the workers send, and ends with the run's summary when the
    crawl has drained. Killed, it is started again and carries on the same
    run: nothing is lost or written twice. Exit codes as for `crawl`.

    \b
    Examples:
        newscrawl writer --redis redis://127.0.0.1:6379/0 --db output/newscrawl.db
        newscrawl writer --redis rediss://writer:s3cret@10.0.0.5:6380/0 --keep-alive
    """
    from .launcher import run_writer

    settings = crawl_settings(db=db, overrides=overrides, verbose=verbose)
    check_database(settings.get("NEWSCRAWL_DB"), write=True)
    status, summary = run_writer(settings, url, crawl_name, keep_alive, verbose)
    from ..crawl.run import EXIT_CODES

    click.echo(summary)
    sys.exit(EXIT_CODES.get(status, 1))


@click.command()
@click.option("--redis", "url", required=True, metavar="URL", envvar="NEWSCRAWL_REDIS_URL", callback=redis_url, help=REDIS_HELP)
@crawl_name_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def status(url, crawl_name, as_json):
    """Show a crawl on Redis: queue, leases and whose, workers, items waiting for the writer.

    \b
    Examples:
        newscrawl status --redis redis://127.0.0.1:6379/0
        newscrawl status --redis redis://crawler:s3cret@10.0.0.5:6379/0 --json
    """
    from .connection import connect
    from .keys import CrawlKeys
    from .status import crawl_status, format_status

    figures = crawl_status(connect(url, patience=5), CrawlKeys(crawl_name))
    click.echo(json.dumps(figures, indent=2, ensure_ascii=False) if as_json else format_status(figures))
