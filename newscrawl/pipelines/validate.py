"""Validate stage (page side): only sane articles go on (see `newscrawl.analysis.validate`)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis.validate import check_article


class ValidatePipeline:
    def __init__(self, min_body: int = 200, min_title: int = 5):
        self.min_body = min_body
        self.min_title = min_title

    @classmethod
    def from_settings(cls, settings):
        return cls(settings.getint("NEWSCRAWL_MIN_BODY_CHARS", 200), settings.getint("NEWSCRAWL_MIN_TITLE_CHARS", 5))

    def process_item(self, item):
        check_article(ItemAdapter(item), self.min_body, self.min_title)
        return item
