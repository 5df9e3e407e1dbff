"""Green facts: the quantities, places, policy documents and organisations an article reports."""

from .extract import extract_facts

__all__ = ["extract_facts"]
