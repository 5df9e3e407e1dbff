"""`scrapy crawl news ...` as cron and scrapyd need it: checked first, honest exit code.

Scrapy's own `crawl` exits 0 whenever the crawler started, so a run that
failed (nothing fetched, the database not writable, coverage collapsed)
looked like a success to cron and scrapyd. This one checks the news
spider's arguments before anything starts (a usage error, exit 2) and
exits with the run's status: 0 finished, 1 failed, 130 interrupted.
"""

from __future__ import annotations

import logging

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from ..crawl.arguments import check_spider_arguments
from ..crawl.run import EXIT_CODES, start_refusals

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl news -a site=baodautu")
        name = args[0]
        if name == "news":
            try:
                check_spider_arguments(opts.spargs)
            except UsageError as exc:
                if self.settings.get("LOG_FILE"):  # under scrapyd the job's log is where an operator looks
                    logger.error("refused to start: %s", exc)
                raise
        crawler = self._create_crawler(name)
        refused = start_refusals(self.crawler_process.crawl(crawler, **opts.spargs))
        self.crawler_process.start()
        if refused:  # the crawl could not start (another crawl holds the database, no archive...)
            logger.error("refused to start: %s", refused[0])
            self.exitcode = 1
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif name == "news":
            status = crawler.stats.get_value("newscrawl/status") if crawler.stats else None
            self.exitcode = EXIT_CODES.get(status, 1)

