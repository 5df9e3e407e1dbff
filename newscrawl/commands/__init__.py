"""Scrapy commands of the project (COMMANDS_MODULE): `crawl` is newscrawl's own."""
