"""The report's facts section: reported capacity by technology (a chart) and the most-cited documents.

Kept apart from report.py, which draws the weekly charts: this section has
its own data (the facts tables) and its own chart (horizontal bars, one per
technology, since technologies are names, not a time axis).
"""

from __future__ import annotations

import html

from .facts_query import capacity_by_technology, most_cited_documents


def facts_data(db, since: str | None = None) -> dict:
    since_day = since[:10] if since else None
    return {"capacity": capacity_by_technology(db, since_day), "documents": most_cited_documents(db, since_day)}


def _label(subject: str) -> str:
    return subject.replace("_", " ")


def capacity_bars(rows: list, width: int = 1100, bar: int = 22) -> str:
    """An SVG horizontal bar chart: one bar per technology, MW reported."""
    esc = html.escape
    peak = max((mw for _, mw, _ in rows), default=0) or 1
    left, right = 200, 170
    height = bar * len(rows) + 16
    parts = [f'<svg class="chart" role="img" aria-label="Reported capacity by technology (MW)" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (subject, mw, articles) in enumerate(rows):
        y = 8 + i * bar
        length = max(1.0, (width - left - right) * mw / peak)
        parts.append(f'<text class="ylab" x="{left - 8}" y="{y + bar * 0.65:.1f}">{esc(_label(subject))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{bar - 6}" fill="#2f8f5b"><title>{esc(_label(subject))}: '
                     f'{mw:,.1f} MW in {articles} article(s)</title></rect>')
        parts.append(f'<text x="{left + length + 6:.1f}" y="{y + bar * 0.65:.1f}">{mw:,.1f} MW · {articles} article(s)</text>')
    parts.append("</svg>")
    return "".join(parts)


def facts_section(data: dict) -> str:
    esc = html.escape
    capacity = data.get("capacity") or []
    documents = data.get("documents") or []
    chart = capacity_bars(capacity) if capacity else '<p class="muted">No capacity reported in this period.</p>'
    rows = "".join(f"<tr><td>{esc(doc_id)}</td><td>{esc(printed)}</td><td class=\"num\">{n:,}</td></tr>" for doc_id, printed, n in documents)
    table = (f"<table><thead><tr><th>document</th><th>as printed</th><th class=\"num\">articles</th></tr></thead><tbody>{rows}</tbody></table>"
             if documents else '<p class="muted">No policy documents cited in this period.</p>')
    return (
        '<section><h2>Reported capacity by technology</h2>'
        '<p class="muted">MW that articles report (plans and projects alike); a project reported by several papers counts '
        'each time: the article count says how many reports a total holds.</p>'
        f'{chart}</section>'
        f'<section><h2>Most-cited policy documents</h2>{table}</section>'
    )
