"""Store stage (writer side): the article, its links and its signature become rows."""

from __future__ import annotations



class StorePipeline:
    def __init__(self, outcomes):
        self.outcomes = outcomes

    @classmethod
    def from_writer(cls, writer):
        return cls(writer.outcomes)

    def process_item(self, item):
        self.outcomes.stored(dict(item))
        return item
