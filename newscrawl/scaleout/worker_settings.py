"""A crawl's settings turned into a worker's: one function, for `newscrawl worker` and for
`scrapy crawl news -a redis=...` (how scrapyd runs workers)."""

from __future__ import annotations


def worker_settings(settings, url: str, keep_alive: bool, crawl_name: str):
    """A crawl's settings turned into a worker's: Redis scheduler, stream writer, shared politeness."""
    delay = settings.get("NEWSCRAWL_HOST_DELAY")
    settings.set("NEWSCRAWL_HOST_DELAY", settings.getfloat("DOWNLOAD_DELAY") if delay is None else float(delay), priority="cmdline")
    for name, value in settings.getdict("NEWSCRAWL_WORKER_SETTINGS").items():
        settings.set(name, value, priority="cmdline")
    extensions = {**settings.getdict("EXTENSIONS"), "newscrawl.crawl.run.CrawlRun": None, "newscrawl.scaleout.worker.WorkerRun": 100}
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), "newscrawl.scaleout.politeness.SharedPolitenessMiddleware": 900}
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.set("REDIS_URL", url, priority="cmdline")  # for scrapy-redis; never logged
    settings.set("NEWSCRAWL_REDIS_URL", url, priority="cmdline")
    settings.set("NEWSCRAWL_KEEP_ALIVE", keep_alive, priority="cmdline")
    settings.set("NEWSCRAWL_CRAWL_NAME", crawl_name, priority="cmdline")
    return settings
