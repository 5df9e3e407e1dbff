"""The item pipelines: the stages an article goes through, of two kinds.

Page stages need only the page: clean, validate, topics, signatures
(`NEWSCRAWL_PAGE_STAGES`). They run where pages are analysed: in the parse
worker processes, or in the crawl's own process with
`NEWSCRAWL_PARSE_WORKERS=0` (see `page.PageAnalysis`). Each is built by
`from_settings(settings)` and touches nothing but the item.

Writer stages need the database: exact dedupe, near dedupe, store
(`NEWSCRAWL_WRITER_STAGES`). They run in the one writer, on its thread and
connection (see `newscrawl.store.writer`). Each is built by
`from_writer(writer)` and reaches the database only through it.

Both are Scrapy item pipelines in form: `process_item(item)` returns the
item or raises `Rejected` / `Duplicate` (in `newscrawl.items`), and the
writer records every outcome. Scrapy's own ITEM_PIPELINES carries only the
hand-off between the two sides (`newscrawl.crawl.handoff`).
"""

from __future__ import annotations

from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object


def build_stages(stage_paths: dict, factory: str, source) -> list:
    """The stages of a `{path: order}` setting, in order, each built by `cls.<factory>(source)`."""
    stages = []
    for path in build_component_list(dict(stage_paths)):
        cls = load_object(path)
        make = getattr(cls, factory, None)
        stages.append(make(source) if make is not None else cls())
    return stages
