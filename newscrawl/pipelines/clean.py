"""Clean stage: every text field in one form (see `newscrawl.analysis.clean`)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis.clean import clean_fields
from ..crawl.analyser import recall


class CleanPipeline:
    def process_item(self, item):
        adapter = ItemAdapter(item)
        # Fields the page analyser already cleaned come back unchanged: skip the work.
        if not recall("cleaned", (adapter.get("title"), adapter.get("summary"), adapter.get("body"))):
            clean_fields(adapter)
        return item
