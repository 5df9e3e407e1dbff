"""Scale-out: workers on several processes or machines, one SQLite writer, Redis between.

Workers run the usual spider with a Redis scheduler whose requests are
leased, not popped (`queue`), claim URLs through Redis (`frontier`), keep
per-host politeness for the whole crawl (`politeness`) and send every
outcome to one Redis stream; the writer process (`writer_process`) applies
that stream to SQLite, then releases the leases. Without `--redis` none of
this is loaded and nothing needs Redis.
"""
