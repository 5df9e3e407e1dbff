"""`newscrawl search | serve | report | facts`: the analyst's commands, thin over the Python API.

`newscrawl.cli` adds these to its group (`cli.add_command(search)` ...);
`python -m newscrawl.analyst.commands COMMAND` runs them on their own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..checks import check_listen, check_output_file, known_sites, valid_date
from ..errors import about_database, check_database

DEFAULT_DB = "output/newscrawl.db"


def _default_db() -> str:
    try:
        from ..settings import NEWSCRAWL_DB

        return NEWSCRAWL_DB
    except ImportError:  # pragma: no cover - settings always define it
        return DEFAULT_DB


def open_for_analysis(path: str | Path):
    """Open an existing crawl database with the search index and views up to date."""
    from ..store.search_index import apply_analyst_schema
    from ..store.schema import open_database

    path = check_database(path, write=False)
    with about_database(path):
        db = open_database(path)
        apply_analyst_schema(db)  # writes nothing when already current
    return db


db_option = click.option("--db", metavar="PATH", default=None,
                         help=f"Database file (default: {DEFAULT_DB}).")


@click.command()
@click.argument("query")
@db_option
@click.option("--site", metavar="SITE", callback=known_sites, help="Only articles of this site (e.g. baodautu).")
@click.option("--topic", metavar="TOPIC", help="Only articles about this topic (id like carbon_markets, or its name).")
@click.option("--since", metavar="YYYY-MM-DD", callback=valid_date, help="Only articles published on or after this date.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def search(query, db, site, topic, since, limit, as_json):
    """Search titles, leads and bodies; print the best matches first.

    Accents, case and tone style do not matter: `dien gio` finds `điện gió`,
    `hoà` finds `hòa`. All words must appear, in any order; "quoted words"
    must appear together; word* matches a prefix; -word excludes; OR between
    words gives alternatives. Ranked by bm25, the title weighing most.

    \b
    Examples:
        newscrawl search "tín chỉ carbon"
        newscrawl search "dien gio ngoai khoi" --site nhandan --since 2026-01-01
        newscrawl search '"chuyển đổi xanh" -ngân' --topic renewable_energy --json
    """
    from .search import QueryError, search as run_search

    path = db or _default_db()
    database = open_for_analysis(path)
    try:
        with about_database(path):
            results = run_search(database, query, site=site, topic=topic, since=since, limit=limit, marks=("\x02", "\x03"))
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        database.close()
    if as_json:
        rows = [dict(r, snippet=r["snippet"].replace("\x02", "[").replace("\x03", "]")) for r in results]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in results:
            snippet = r["snippet"].replace("\x02", "\x1b[1m").replace("\x03", "\x1b[22m")
            click.echo(f"{r['rank']:>3}. {(r['published'] or '')[:10]}  {r['site']:<14} {click.style(r['title'], bold=True)}")
            if snippet:
                click.echo(f"     {snippet}")
            click.echo(f"     {r['url']}")
        if not results:
            click.echo("no articles match", err=True)
    if results.capped:
        click.echo(f"note: more than {results.capped_at:,} articles match; the {results.capped_at:,} most recently "
                   "stored were ranked. Add words, --since, --site or --topic to narrow.", err=True)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for others to see it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port (0: any free port).")
@click.option("--live", is_flag=True, help="Read-only but not immutable: see a crawl that is still writing.")
def serve(db, host, port, live):
    """Explore the database in Datasette, read-only, with titles, notes and canned queries.

    The search index and views are brought up to date first; then the file
    is opened immutable (never written, no locks). Canned queries answer the
    common questions: search (accents optional), newest green articles,
    articles about a topic, weekly counts, related headlines not stored.

    \b
    Examples:
        newscrawl serve                           # output/newscrawl.db at http://127.0.0.1:8001/newscrawl
        newscrawl serve --db /tmp/t.db --port 0   # any free port
        newscrawl serve --live                    # while a crawl is running
    """
    from .serve import serve as run_serve

    check_listen(host, port)
    path = check_database(db or _default_db(), write=False)
    try:
        with about_database(path):  # the index and views are brought up to date: that writes
            run_serve(path, host=host, port=port, live=live, echo=lambda line: click.echo(line, err=True))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@db_option
@click.option("--since", metavar="YYYY-MM-DD", callback=valid_date,
              help="Only articles published on or after this date (charts start there).")
@click.option("--out", metavar="FILE.html", default="output/report.html", show_default=True, help="Where to write the page.")
def report(db, since, out):
    """Write a self-contained HTML report: weekly charts by topic and site, top related headlines, newest green articles.

    The page needs no network (inline SVG, no scripts or fonts to fetch):
    mail it, or open it from disk.

    \b
    Examples:
        newscrawl report --out output/report.html
        newscrawl report --db /tmp/t.db --since 2026-09-01 --out /tmp/report.html
    """
    from .report import write_report
    from .search import QueryError

    out = check_output_file(out, "--out")
    path = db or _default_db()
    database = open_for_analysis(path)
    try:
        with about_database(path):
            written = write_report(database, out, since=since, database=str(path))
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        database.close()
    click.echo(f"wrote {written}")


@click.command()
@db_option
@click.option("--kind", type=click.Choice(["capacity", "money", "emissions", "area", "percent"]), help="Only this kind of quantity.")
@click.option("--province", metavar="NAME", help="Only facts about this province (current or pre-2025 name, accents optional).")
@click.option("--since", metavar="YYYY-MM-DD", callback=valid_date, help="Only articles published on or after this date.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="How many facts.")
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def facts(db, kind, province, since, limit, as_json):
    """Print the quantities articles report: capacity, money, emissions, area, shares.

    Each line: the day, what was reported as printed and normalised, its
    subject (technology or sector), the province it is about, planned or
    done, and the article. Provinces merged in 2025 answer to their old name.

    \b
    Examples:
        newscrawl facts --kind capacity --province "Ninh Thuận"
        newscrawl facts --kind money --since 2026-01-01 --json
    """
    from .facts_query import query_facts, resolve_province

    path = db or _default_db()
    database = open_for_analysis(path)
    try:
        with about_database(path):
            current = resolve_province(database, province) if province else None
            if province and current is None:
                raise click.UsageError(f"no fact or place is filed under a province called {province!r}; "
                                       "try its name as articles print it, e.g. \"Khánh Hòa\" or \"Ninh Thuận\"")
            rows = query_facts(database, kind=kind, province=current, since=since, limit=limit)
    finally:
        database.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        number = f"{r['value']:,.3f}".rstrip("0").rstrip(".")
        value = f"{number} {r['unit']}"
        when = "planned" + (f" by {r['target_year']}" if r["target_year"] else "") if r["planned"] else "done"
        click.echo(f"{(r['published'] or '')[:10]}  {r['kind']:<9} {r['printed']:<18} = {value:<20} "
                   f"{r['subject'] or '-':<16} {r['province'] or '-':<14} {when}")
        click.echo(f"            {r['title']}  {r['url']}")
    click.echo(f"{len(rows)} fact(s)" + (f" (the first {limit}; raise --limit for more)" if len(rows) == limit else ""), err=True)


COMMANDS = (search, serve, report, facts)


@click.group()
def analyst():
    """newscrawl's analyst commands (also available as `newscrawl search|serve|report`)."""


for _command in COMMANDS:
    analyst.add_command(_command)


if __name__ == "__main__":
    sys.exit(analyst())
