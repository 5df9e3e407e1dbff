"""Clean stage (page side): every text field in one form (see `newscrawl.analysis.clean`)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis.clean import clean_fields


class CleanPipeline:
    def process_item(self, item):
        clean_fields(ItemAdapter(item))
        return item
