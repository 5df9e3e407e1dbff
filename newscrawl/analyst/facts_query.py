"""The facts an analyst asks for: `newscrawl facts` and the report's facts section read here.

A province can be asked for by its current name or a pre-2025 one, with or
without accents: `Ninh Thuan` finds the facts filed under Khánh Hòa.
"""

from __future__ import annotations

from ..analysis.text import fold

KINDS = ("capacity", "money", "emissions", "area", "percent")


def resolve_province(db, name: str) -> str | None:
    """The current province a name (current or old, accents optional) stands for, or None."""
    wanted = fold(name).strip()
    for printed, province in db.execute("SELECT DISTINCT printed, province FROM places WHERE province IS NOT NULL").fetchall():
        if wanted in (fold(printed), fold(province)):
            return province
    for (province,) in db.execute("SELECT DISTINCT province FROM facts WHERE province IS NOT NULL").fetchall():
        if wanted == fold(province):
            return province
    return None


def query_facts(db, kind: str | None = None, province: str | None = None, since: str | None = None, limit: int = 50) -> list[dict]:
    """Facts newest article first: what was reported, where, in which article."""
    where, params = ["1"], []
    if kind:
        where.append("f.kind = ?")
        params.append(kind)
    if province:
        where.append("f.province = ?")
        params.append(province)
    if since:
        where.append("substr(a.published, 1, 10) >= ?")
        params.append(since)
    sql = (
        "SELECT a.published, a.site, f.kind, f.value, f.unit, f.printed, f.subject, f.province, f.planned, "
        "f.target_year, f.sentence, a.title, a.url FROM facts f JOIN articles a ON a.url = f.article_url "
        f"WHERE {' AND '.join(where)} ORDER BY a.published DESC, f.article_url, f.position LIMIT ?"
    )
    cursor = db.execute(sql, [*params, limit])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def capacity_by_technology(db, since: str | None = None) -> list[tuple[str, float, int]]:
    """(technology, reported MW, articles), largest first, for the report's chart."""
    return db.execute(
        "SELECT coalesce(f.subject, 'unspecified'), round(sum(f.value), 1), count(DISTINCT f.article_url) "
        "FROM facts f JOIN articles a ON a.url = f.article_url "
        "WHERE f.kind = 'capacity' AND f.unit = 'MW' AND (? IS NULL OR substr(a.published, 1, 10) >= ?) "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 12", [since, since]).fetchall()


def most_cited_documents(db, since: str | None = None, limit: int = 10) -> list[tuple[str, str, int]]:
    """(document id, as printed, articles citing it), most cited first."""
    return db.execute(
        "SELECT d.doc_id, max(d.printed), count(DISTINCT d.article_url) FROM documents d "
        "JOIN articles a ON a.url = d.article_url WHERE (? IS NULL OR substr(a.published, 1, 10) >= ?) "
        "GROUP BY d.doc_id ORDER BY 3 DESC, 1 LIMIT ?", [since, since, limit]).fetchall()
