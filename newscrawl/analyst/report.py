"""A self-contained HTML report of the crawl database: one file, no network.

Charts are inline SVG drawn here (no JavaScript, no CDN, no fonts to fetch);
tooltips are SVG `<title>`s. Sections: totals, articles per week by topic
and by site (stacked bars), the most-linked related headlines, and the
newest green articles. All numbers come from the analyst views
(`newscrawl/views.py`), so the report and Datasette agree.

    write_report(db, "output/report.html", since="2026-09-01")
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from ..analysis.text import now_iso
from .report_facts import facts_data, facts_section

DEFAULT_WEEKS = 26  # charts without --since: the 26 weeks up to the newest article
MAX_WEEKLY_BARS = 104  # a longer period is charted by month
PALETTE = [
    "#2e7d32", "#1565c0", "#f9a825", "#6a1b9a", "#00838f", "#d84315", "#558b2f",
    "#ad1457", "#4e342e", "#283593", "#ef6c00", "#00695c", "#757575", "#9e9d24",
]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def report_data(db: sqlite_utils.Database, since: str | None = None, weeks: int = DEFAULT_WEEKS,
                top_related: int = 15, newest: int = 25) -> dict:
    """Everything the report shows, as plain data (also handy for tests)."""
    from .search import parse_since

    since_value = parse_since(since)
    where, params = ("WHERE a.published >= ?", [since_value]) if since_value else ("", [])
    (newest_day,) = db.execute(f"SELECT max(substr(published, 1, 10)) FROM articles a {where}", params).fetchone()
    totals = {
        "articles": db.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0],
        "sites": db.execute(f"SELECT count(DISTINCT site) FROM articles a {where}", params).fetchone()[0],
        "green": db.execute(
            f"SELECT count(*) FROM green_articles a {where}", params).fetchone()[0],
        "related_links": db.execute(
            f"SELECT count(*) FROM related_links r JOIN articles a ON a.url = r.article_url {where}", params).fetchone()[0],
        "duplicates": db.execute("SELECT count(*) FROM duplicates").fetchone()[0],
        "rejects": db.execute("SELECT count(*) FROM rejects").fetchone()[0],
    }
    last_run = db.execute("SELECT id, started_at, mode, status FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()

    buckets: list[str] = []
    unit, older = "week", 0
    if newest_day:
        last = _monday(date.fromisoformat(newest_day))
        first = _monday(date.fromisoformat(since_value[:10])) if since_value else last - timedelta(weeks=weeks - 1)
        (oldest_day,) = db.execute(f"SELECT min(substr(published, 1, 10)) FROM articles a {where}", params).fetchone()
        first = max(first, _monday(date.fromisoformat(oldest_day)))
        if (last - first).days > MAX_WEEKLY_BARS * 7:
            unit = "month"  # a bar a week would be a pixel wide
            first = first.replace(day=1)
            month = first
            while month <= last:
                buckets.append(month.isoformat())
                month = (month + timedelta(days=32)).replace(day=1)
        else:
            day = first
            while day <= last:
                buckets.append(day.isoformat())
                day += timedelta(weeks=1)
        (older,) = db.execute(
            f"SELECT count(*) FROM articles WHERE substr(published, 1, 10) < ? {'AND published >= ?' if since_value else ''}",
            [first.isoformat(), *params]).fetchone()
    start = buckets[0] if buckets else "9999"

    def series(by: str, key: str, label: str) -> dict:
        if unit == "week":
            sql = f"SELECT week, {key}, {label}, articles FROM articles_per_week_{by} WHERE week >= ?"
        else:
            sql = (f"SELECT substr(day, 1, 7) || '-01' AS month, {key}, max({label}), sum(articles) "
                   f"FROM articles_per_day_{by} WHERE day >= ? GROUP BY month, {key}")
        names, counts = {}, {}
        for bucket, k, name, n in db.execute(sql, [start]).fetchall():
            names[k] = name
            counts.setdefault(k, {})[bucket] = n
        order = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))
        return {"keys": order, "names": names, "counts": counts}

    by_topic = series("topic", "topic", "topic_name")
    by_site = series("site", "site", "site")
    related = [
        dict(zip(("url", "headline", "linked_from", "linking_sites", "stored"), row))
        for row in db.execute(
            "SELECT url, headline, linked_from, linking_sites, stored FROM top_related_headlines "
            "WHERE coalesce(last_linked, '') >= ? ORDER BY linked_from DESC, last_linked DESC LIMIT ?",
            [since_value or "", top_related])
    ]
    newest_rows = [
        dict(zip(("published", "site", "title", "topic_names", "green_score", "url"), row))
        for row in db.execute(
            f"SELECT published, site, title, topic_names, green_score, url FROM green_articles a {where} "
            "ORDER BY published DESC LIMIT ?", [*params, newest])
    ]
    return {
        "generated_at": now_iso(),
        "since": since_value,
        "totals": totals,
        "last_run": dict(zip(("id", "started_at", "mode", "status"), last_run)) if last_run else None,
        "unit": unit,  # week or month
        "buckets": buckets,  # the Monday of each week, or the 1st of each month
        "older_than_charts": older,
        "by_topic": by_topic,
        "by_site": by_site,
        "related": related,
        "newest": newest_rows,
        "facts": facts_data(db, since_value),
    }


# --- drawing ----------------------------------------------------------------------

def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            return step
    return max(1, peak // 5)


def stacked_bars(weeks: list[str], data: dict, title: str, unit: str = "week", width: int = 1100, height: int = 280) -> str:
    """An SVG stacked bar chart: one bar per week (or month), one colour per series."""
    esc = html.escape
    left, right, top, bottom = 44, 28, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(data["counts"][k].get(w, 0) for k in data["keys"]) for w in weeks]
    peak = max(totals or [0]) or 1
    step = _nice_step(peak)
    y_max = ((peak + step - 1) // step) * step
    slot = plot_w / max(1, len(weeks))
    bar = max(1.0, slot * 0.72)
    parts = [f'<svg class="chart" role="img" aria-label="{esc(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="ylab">{tick}</text>')
    label_every = max(1, round(len(weeks) / 13))
    last_year = None
    for i, week in enumerate(weeks):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for n, key in enumerate(data["keys"]):
            count = data["counts"][key].get(week, 0)
            if not count:
                continue
            h = plot_h * count / y_max
            y -= h
            colour = PALETTE[n % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f'<title>{_bucket_name(week, unit)} · {esc(str(data["names"].get(key, key)))}: {count}</title></rect>')
        if totals[i] and slot >= 14:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" class="total">{totals[i]}</text>')
        if i % label_every == 0 or (i == len(weeks) - 1 and i % label_every >= label_every / 2):
            d = date.fromisoformat(week)
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" class="xlab">{d:%d/%m}</text>' if unit == "week"
                         else f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" class="xlab">{d:%m}</text>')
            if d.year != last_year:
                last_year = d.year
                parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 32}" class="xlab year">{d:%Y}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{PALETTE[n % len(PALETTE)]}"></span>'
        f'{esc(str(data["names"].get(key, key)))} <span class="muted">({sum(data["counts"][key].values())})</span></li>'
        for n, key in enumerate(data["keys"]))
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def _bucket_name(bucket: str, unit: str) -> str:
    d = date.fromisoformat(bucket)
    return f"week of {d:%d/%m/%Y}" if unit == "week" else f"{d:%m/%Y}"


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value[:10]


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def render_report(data: dict, database: str = "") -> str:
    esc = html.escape
    t = data["totals"]
    tiles = [
        ("articles", t["articles"]), ("sites", t["sites"]), ("green articles", t["green"]),
        ("related links", t["related_links"]), ("duplicates", t["duplicates"]), ("rejected pages", t["rejects"]),
    ]
    tiles_html = "".join(f'<div class="tile"><b>{n:,}</b><span>{esc(label)}</span></div>' for label, n in tiles)
    period = f"articles since {esc(data['since'][:10])}" if data["since"] else "all articles"
    run = data["last_run"]
    run_html = (f"last crawl: run {run['id']} ({esc(run['mode'] or '')}, {esc(run['status'] or '')}) "
                f"started {esc(_day(run['started_at']))}") if run else "no crawl runs recorded"
    weeks, unit = data["buckets"], data["unit"]
    if weeks:
        first_day, last_bucket = date.fromisoformat(weeks[0]), date.fromisoformat(weeks[-1])
        if unit == "week":
            span = f"{len(weeks)} weeks from {first_day:%d/%m/%Y} to {last_bucket + timedelta(days=6):%d/%m/%Y}"
        else:
            span = (f"{len(weeks)} months from {first_day:%m/%Y} to {last_bucket:%m/%Y}, "
                    f"by month because a bar a week would be too thin (use --since for weekly bars)")
        older = data["older_than_charts"]
        note = (f' <span class="muted">({older:,} older articles are not charted: use --since to include them)</span>'
                if older else "")
        charts = (
            f'<section><h2>Articles per {unit} by topic</h2><p class="muted">{span}; an article counts once for each of its topics.{note}</p>'
            f'{stacked_bars(weeks, data["by_topic"], f"Articles per {unit} by topic", unit)}</section>'
            f'<section><h2>Articles per {unit} by site</h2><p class="muted">{span}.{note}</p>'
            f'{stacked_bars(weeks, data["by_site"], f"Articles per {unit} by site", unit)}</section>'
        )
    else:
        charts = '<section><h2>Articles per week</h2><p class="muted">No articles in this period.</p></section>'

    related = data["related"]
    peak = max([r["linked_from"] for r in related] or [1])
    related_rows = "".join(
        f'<tr><td class="num">{i}</td><td><a href="{esc(r["url"])}">{esc(r["headline"] or r["url"])}</a>'
        f'{"" if r["stored"] else " <span class=tag>not stored</span>"}</td>'
        f'<td class="barcell"><span class="bar" style="width:{100 * r["linked_from"] / peak:.0f}%"></span></td>'
        f'<td class="num">{r["linked_from"]}</td><td class="num">{r["linking_sites"]}</td></tr>'
        for i, r in enumerate(related, start=1))
    related_html = (
        '<table><thead><tr><th>#</th><th>headline</th><th></th><th class="num">linked from</th><th class="num">sites</th></tr></thead>'
        f"<tbody>{related_rows}</tbody></table>" if related else '<p class="muted">No related headlines.</p>')

    newest_rows = "".join(
        f'<tr><td class="nowrap">{esc(_day(a["published"]))}</td><td>{esc(a["site"])}</td>'
        f'<td class="title"><a href="{esc(a["url"])}">{esc(a["title"])}</a></td>'
        f'<td>{"".join(f"<span class=chip>{esc(name)}</span>" for name in (a["topic_names"] or "").split("; ") if name)}</td>'
        f'<td class="num">{_score(a["green_score"])}</td></tr>'
        for a in data["newest"])
    newest_html = (
        '<table><thead><tr><th>published</th><th>site</th><th>title</th><th>topics</th><th class="num">green</th></tr></thead>'
        f"<tbody>{newest_rows}</tbody></table>" if data["newest"] else '<p class="muted">No green articles.</p>')

    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newscrawl report: {period}</title>
<style>
:root {{ color-scheme: light; }}
body {{ font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
       color: #1d2a1f; background: #f6f8f5; margin: 0; }}
main {{ max-width: 1140px; margin: 0 auto; padding: 24px 20px 48px; }}
header h1 {{ margin: 0 0 4px; font-size: 26px; }}
h2 {{ font-size: 18px; margin: 0 0 4px; }}
section {{ background: #fff; border: 1px solid #dfe6dc; border-radius: 8px; padding: 16px 18px; margin-top: 18px; }}
.muted {{ color: #5f6d62; font-size: 13px; }}
.tiles {{ display: flex; flex-wrap: wrap; gap: 10px; margin-top: 14px; }}
.tile {{ background: #fff; border: 1px solid #dfe6dc; border-radius: 8px; padding: 10px 14px; min-width: 130px; }}
.tile b {{ display: block; font-size: 22px; color: #2e7d32; }}
.tile span {{ font-size: 13px; color: #5f6d62; }}
svg.chart {{ display: block; max-width: 100%; height: auto; margin-top: 8px; }}
svg .grid {{ stroke: #e6ebe4; stroke-width: 1; }}
svg .axis {{ stroke: #7b867d; stroke-width: 1; }}
svg text {{ font: 11px system-ui, "Noto Sans", "DejaVu Sans", Arial, sans-serif; fill: #5f6d62; }}
svg .ylab {{ text-anchor: end; }}
svg .xlab, svg .total {{ text-anchor: middle; }}
svg .year {{ font-weight: 600; }}
svg .total {{ fill: #1d2a1f; font-size: 10px; }}
.legend {{ list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }}
.swatch {{ display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 14px; }}
th, td {{ text-align: left; padding: 5px 8px; border-bottom: 1px solid #edf1eb; vertical-align: top; }}
th {{ font-size: 12px; color: #5f6d62; font-weight: 600; }}
td.num, th.num {{ text-align: right; white-space: nowrap; }}
td.nowrap {{ white-space: nowrap; }}
td.title {{ width: 42%; }}
td.barcell {{ width: 22%; vertical-align: middle; }}
.bar {{ display: block; height: 10px; background: #66bb6a; border-radius: 2px; }}
a {{ color: #1b5e20; text-decoration: none; }}
a:hover {{ text-decoration: underline; }}
.chip {{ display: inline-block; background: #e8f5e9; color: #1b5e20; border-radius: 10px; padding: 0 8px; margin: 1px 4px 1px 0; font-size: 12px; white-space: nowrap; }}
.tag {{ background: #fff3e0; color: #e65100; border-radius: 3px; padding: 0 5px; font-size: 11px; }}
footer {{ margin-top: 20px; }}
</style>
</head>
<body>
<main>
<header>
<h1>newscrawl: Vietnamese green-economy news</h1>
<div class="muted">Report of {period} · {esc(run_html)} · generated {esc(_day(data['generated_at']))}{(' · ' + esc(database)) if database else ''}</div>
<div class="tiles">{tiles_html}</div>
</header>
{charts}
{facts_section(data["facts"])}
<section><h2>Most-linked related headlines</h2>
<p class="muted">Related headlines by how many stored articles list them{(' (articles since ' + esc(data['since'][:10]) + ')') if data['since'] else ''}; "not stored" marks stories the crawl has not stored.</p>
{related_html}</section>
<section><h2>Newest green articles</h2>
{newest_html}</section>
<footer class="muted">Made by newscrawl report from the analyst views; open the database with <code>newscrawl serve</code> to explore it.</footer>
</main>
<script type="application/json" id="report-data">{_json_for_script(data)}</script>
</body>
</html>
"""


def _json_for_script(data: dict) -> str:
    # The numbers behind the charts, for anyone who wants them; "</" cannot close the script.
    return json.dumps({"totals": data["totals"], "unit": data["unit"], "buckets": data["buckets"], "since": data["since"]},
                      ensure_ascii=False).replace("</", "<\\/")


def write_report(db: sqlite_utils.Database, out: str | Path, since: str | None = None, database: str = "") -> Path:
    """Write the HTML report to `out` (folders created) and return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(report_data(db, since=since), database=database), encoding="utf-8")
    return out
