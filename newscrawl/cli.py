"""`newscrawl` commands: thin wrappers over the Python API.

Every command's help ends with an example; tests check that each command is
documented in the README.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from .checks import check_replay_source, known_sites, valid_date, writable_folder
from .errors import about_database, check_database, run_command, show_tracebacks
from .runner import crawl_settings, run_crawl
from .scaleout.commands import redis_url, status, worker, writer


@click.group()
@click.version_option(package_name="newscrawl")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=show_tracebacks,
              help="Print the traceback of an error too (or set NEWSCRAWL_DEBUG=1).")
def cli():
    """Crawl Vietnamese green-economy news into SQLite.

    Exits 0 when a command did its work, 1 when it failed (one line says why
    and what to do), 2 on a bad argument.

    \b
    Example:
        newscrawl crawl --replay          # the bundled fixtures, no network
        newscrawl crawl baodautu          # a live crawl of one site
        newscrawl -v runs                 # a traceback with an error's line
    """


@cli.command()
@click.argument("sites", nargs=-1, callback=known_sites)
@click.option("--replay", metavar="[DIR]", is_flag=False, flag_value="fixtures", default=None,
              help="Serve every page from saved HTML under DIR (default: fixtures/); no network.")
@click.option("--record", metavar="DIR", callback=writable_folder, help="Save every fetched page under DIR in the replay format.")
@click.option("--db", metavar="PATH", help="Database file (default: output/newscrawl.db).")
@click.option("--max-pages", type=click.IntRange(min=1), metavar="N", help="Stop after N fetched pages.")
@click.option("--since", metavar="YYYY-MM-DD", callback=valid_date, help="Only articles published on or after this date.")
@click.option("--listing-pages", type=click.IntRange(min=1), metavar="N", help="Pages to read per section listing (default 3).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy or NEWSCRAWL setting.")
@click.option("--refresh/--no-refresh", default=None,
              help="Fetch stored articles again when rediscovered (default: only in replay).")
@click.option("--redis", "redis", metavar="URL", callback=redis_url, help="Crawl with workers on this Redis: redis://HOST:PORT/DB.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, metavar="N",
              help="With --redis: worker processes to start on this machine.")
@click.option("--keep-alive", is_flag=True, help="With --redis: when the crawl drains, wait for the next one.")
@click.option("-v", "--verbose", is_flag=True, callback=show_tracebacks,
              help="Show Scrapy's log (INFO) instead of warnings only, and an error's traceback.")
def crawl(sites, replay, record, db, max_pages, since, listing_pages, overrides, verbose, refresh, redis, workers, keep_alive):
    """Crawl SITES (default: all) and store the articles.

    A run takes only what is new: stored articles are not fetched again
    (unless --refresh, NEWSCRAWL_REFRESH_DAYS, or a sitemap says they
    changed) and listings, feeds and sitemaps are asked for conditionally.
    A run that was killed is resumed by the next one. One run at a time per
    database. Exits 0 when the run finished, 1 when it failed (the network
    was down, the database could not be written, a site's field coverage
    collapsed: so cron mail and scrapyd logs show it), 130 when it was
    interrupted (Ctrl-C, SIGTERM), 2 on bad arguments.

    \b
    Examples:
        newscrawl crawl --replay                      # bundled fixtures
        newscrawl crawl --replay saved/ --db /tmp/t.db
        newscrawl crawl baodautu --max-pages 200 --since 2026-11-01
        newscrawl crawl baodautu --record saved/      # keep what was fetched
        newscrawl crawl --redis redis://127.0.0.1:6379/0 --workers 2

    With --redis the crawl runs as a writer and N worker processes on Redis
    (more workers can join from other machines: `newscrawl worker`).
    """
    _refuse_if_running(db, overrides)
    if redis:
        _crawl_on_redis(sites, redis, workers, db, keep_alive, overrides, replay=replay, record=record, max_pages=max_pages,
                        since=since, listing_pages=listing_pages, refresh=refresh, verbose=verbose)
    if replay:
        check_replay_source(replay, "--replay")
    settings = crawl_settings(db, replay, record, max_pages, since, listing_pages, overrides, verbose, refresh=refresh)
    what = f"replay of {replay}" if replay else "live"
    _crawl_and_report(sites, settings, f"crawling {', '.join(sites) or 'all sites'} ({what}) into {settings.get('NEWSCRAWL_DB')}")


def _crawl_on_redis(sites, url, workers, db, keep_alive, overrides, **options) -> None:
    """`crawl --redis`: a writer and workers on this machine, one progress line, the writer's summary."""
    from .scaleout.launcher import crawl_on_redis

    if options["replay"]:
        check_replay_source(options["replay"], "--replay")
    if db:
        check_database(db, write=True)
    flags = {"replay": "--replay", "record": "--record", "max_pages": "--max-pages", "since": "--since", "listing_pages": "--listing-pages"}
    worker_options = [arg for name, flag in flags.items() if options[name] is not None for arg in (flag, str(options[name]))]
    if options["refresh"] is not None:
        worker_options.append("--refresh" if options["refresh"] else "--no-refresh")
    if options["verbose"]:
        worker_options.append("-v")
    click.echo(f"crawling {', '.join(sites) or 'all sites'} with {workers} workers on Redis", err=True)
    code, summary = crawl_on_redis(sites, url, workers, db, "news", worker_options, overrides, keep_alive)
    click.echo(summary)
    sys.exit(code)


def _refuse_if_running(db: str | None, overrides: tuple[str, ...] = ()) -> None:
    """Refuse a second crawl on a database in a fraction of a second, before Scrapy is imported
    (the full check, with every setting applied, runs again just before the crawl starts)."""
    from .crawl.lock import AlreadyRunning, RunLock
    from .settings import NEWSCRAWL_DB

    named = [o.partition("=")[2] for o in overrides if o.partition("=")[0].strip() == "NEWSCRAWL_DB"]
    try:
        RunLock(db or (named[-1] if named else NEWSCRAWL_DB)).check_free()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None


def _crawl_and_report(sites, settings, banner: str, **spider_args) -> None:
    """Run a crawl (it holds the database's lock); print its summary; exit with its status."""
    from .crawl.lock import AlreadyRunning, RunLock
    from .crawl.run import EXIT_CODES

    try:
        RunLock(settings.get("NEWSCRAWL_DB")).check_free()  # refuse at once, before Scrapy starts up
        check_database(settings.get("NEWSCRAWL_DB"), write=True)  # after: a running crawl holds its write lock
        click.echo(banner, err=True)
        status, summary = run_crawl(sites, settings, **spider_args)
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary)
    sys.exit(EXIT_CODES.get(status, 1))


@cli.command()
@click.option("--site", "sites", multiple=True, callback=known_sites, help="Only this site (repeatable; default: all).")
@click.option("--db", metavar="PATH", help="Database file (default: output/newscrawl.db).")
@click.option("--archive", metavar="PATH", help="Page archive, or a folder of saved pages (default: the archive beside the database).")
@click.option("-v", "--verbose", is_flag=True, callback=show_tracebacks,
              help="Show Scrapy's log (INFO) instead of warnings only, and an error's traceback.")
def reparse(sites, db, archive, verbose):
    """Run today's parsers over the page archive and update the stored articles.

    No network: every page comes from the archive that live crawls keep
    beside the database (or from a folder of saved pages, --archive DIR),
    so a parser fix repairs months of rows. Changed texts replace the
    stored ones and the old ones go to article_versions.

    \b
    Examples:
        newscrawl reparse
        newscrawl reparse --site vnexpress --db output/newscrawl.db
        newscrawl crawl --replay && newscrawl reparse --archive fixtures   # try it on a fresh clone
    """
    from .store.archive import archive_path_for

    _refuse_if_running(db)
    if archive:
        check_replay_source(archive, "--archive")
    settings = crawl_settings(db=db, verbose=verbose, refresh=True)
    if Path(settings.get("NEWSCRAWL_DB")).exists():  # a database that is not one is named before the archive is looked for
        check_database(settings.get("NEWSCRAWL_DB"), write=False)
    source = Path(archive) if archive else archive_path_for(settings.get("NEWSCRAWL_DB"))
    if not archive:
        if not source.exists():
            on = f" --db {shlex.quote(db)}" if db else ""
            raise click.ClickException(
                f"no page archive at {source} (live crawls keep one beside the database): to try reparse on the "
                f"bundled pages, run: newscrawl crawl --replay{on} && newscrawl reparse{on} --archive fixtures")
        check_replay_source(source, "--archive")
    settings.set("NEWSCRAWL_REPLAY_DIR", str(source), priority="cmdline")
    for name, value in settings.getdict("NEWSCRAWL_REPLAY_SETTINGS").items():
        settings.set(name, value, priority="cmdline")
    _crawl_and_report(sites, settings, f"re-parsing {source} into {settings.get('NEWSCRAWL_DB')}", reparse=True)


@cli.command()
@click.option("--db", metavar="PATH", default="output/newscrawl.db", show_default=True, help="Database file.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows instead of summaries.")
def runs(db, limit, as_json):
    """Show the most recent crawl runs and their summaries.

    \b
    Examples:
        newscrawl runs
        newscrawl runs --limit 3 --json
    """
    import sqlite3

    check_database(db, write=False)
    with about_database(db):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT id, started_at, finished_at, mode, sites, status, summary, stats FROM crawl_runs ORDER BY id DESC LIMIT ?",
                [limit]).fetchall()
            try:
                waiting, next_retry = conn.execute("SELECT count(*), min(not_before) FROM frontier WHERE state = 'retry'").fetchone()
            except sqlite3.OperationalError:  # a database no crawl of this version has written yet
                waiting, next_retry = 0, None
        finally:
            conn.close()
    if as_json:
        keys = ("id", "started_at", "finished_at", "mode", "sites", "status", "summary", "stats")
        out = [dict(zip(keys, row)) for row in rows]
        for row in out:
            row["sites"] = json.loads(row["sites"] or "[]")
            row["stats"] = json.loads(row["stats"] or "{}")
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no runs yet")
    if waiting:
        click.echo(f"{waiting} URLs wait for a retry (transient failures), the first from {next_retry}")
    for run_id, started, finished, mode, sites_json, status, summary, _ in rows:
        ended = finished or ("still running" if status == "running" else "never finished (the next run resumed it)")
        click.echo(f"run {run_id} [{status}] {mode} {', '.join(json.loads(sites_json or '[]'))}: {started} -> {ended}")
        for line in (summary or "").splitlines()[1:]:
            click.echo(f"  {line}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def sites(as_json):
    """List the sites: where their fields come from (a site module or the generic extractor), discovery modes, start URLs.

    \b
    Example:
        newscrawl sites
        newscrawl sites --json | jq '.[].name'
    """
    from .sites import all_sites
    from .sites.families.generic_press import GenericPressLayout

    rows = [
        {
            "name": site.name,
            "domains": list(site.domains),
            "description": site.description,
            # Where the fields come from: a parser written for the site, or the generic extractor (with hints).
            "fields": "generic extractor" if all(issubclass(layout, GenericPressLayout) for layout in site.layouts) else "site module",
            "discovery": site.discovery_modes(),
            "layouts": [layout.name for layout in site.layouts],
            "start_urls": list(site.start_urls),
            "sitemaps": list(site.sitemap_urls),
            "feeds": list(site.feed_urls),
        }
        for site in sorted(all_sites(), key=lambda s: s.name)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']:<19} {', '.join(row['domains'])}  [{' + '.join(row['discovery'])}]  fields: {row['fields']}"
                   f" (layouts: {', '.join(row['layouts'])})")
        for url in row["start_urls"] + row["sitemaps"] + row["feeds"]:
            click.echo(f"{'':<19} {url}")
    click.echo(f"{len(rows)} sites")


def _page_url(html: str) -> str | None:
    from parsel import Selector

    sel = Selector(text=html)
    return sel.css('link[rel="canonical"]::attr(href)').get() or sel.css('meta[property="og:url"]::attr(content)').get()


@cli.command()
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--url", help="The page's URL when SOURCE is a file (default: its canonical link).")
def extract(source, url):
    """Print the article fields of one page as JSON.

    Uses the site's parser when newscrawl knows the site, the generic
    extractor otherwise. A URL is fetched once; a file is read as saved.
    Exits 1 when the page holds no article (no title and no body).

    \b
    Examples:
        newscrawl extract fixtures/baodautu/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html
        newscrawl extract saved.html --url https://vnexpress.net/some-article-4812345.html
        newscrawl extract https://baodautu.vn/some-article-d282157.html
    """
    from . import extract_article

    if source.startswith(("http://", "https://")):
        html, url = _fetch(source), url or source
    else:
        path = Path(source)
        if not path.is_file():
            raise click.BadParameter(f"{source} is neither a file nor an http(s) URL", param_hint="FILE_OR_URL")
        html = path.read_bytes().decode("utf-8", "replace")
        url = url or _page_url(html)
        if not url:
            raise click.BadParameter("the page names no canonical URL: give it with --url", param_hint="--url")
    fields = extract_article(html, url)
    click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
    if not fields.get("title") and not fields.get("body"):
        # The JSON is still printed (it shows what was found); the exit code tells scripts.
        raise click.ClickException(f"no article found in {source}: neither a title nor a body (is it a listing or an error page?)")


def _fetch(url: str) -> str:
    import urllib.request

    from .settings import USER_AGENT

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            charset = response.headers.get_content_charset() or "utf-8"
            return response.read().decode(charset, "replace")
    except OSError as exc:
        raise click.ClickException(f"could not fetch {url}: {exc}") from None


from .analyst.commands import facts, report, search, serve  # noqa: E402  (they import only click at the top)

cli.add_command(search)
cli.add_command(serve)
cli.add_command(report)
cli.add_command(facts)
cli.add_command(worker)
cli.add_command(writer)
cli.add_command(status)


def main():
    run_command(cli)


if __name__ == "__main__":
    main()
