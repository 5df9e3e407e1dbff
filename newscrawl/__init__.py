"""newscrawl: a crawler and ingestion pipeline for Vietnamese green-economy news."""

__version__ = "0.1.0"


def extract_article(html: str, url: str) -> dict:
    """Article fields of one page: the site's parser when newscrawl knows the site.

    Pure: no network, no database. Returns url, site, title, summary, body,
    authors, published, category, tags, related, language, parser and source_outlet.
    """
    from .sites.extract import extract_article as _extract

    return _extract(html, url)


def extract_facts(text: str, language: str = "vi") -> dict:
    """Green facts of a text: quantities, places, policy documents, organisations.

    Pure: no network, no database. Returns facts, places, documents and organisations.
    """
    from .facts import extract_facts as _extract

    return _extract(text, language)


__all__ = ["extract_article", "extract_facts", "__version__"]
