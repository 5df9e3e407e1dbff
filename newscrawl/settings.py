"""Scrapy settings and every NEWSCRAWL default, in one place.

Override any of them with `-s NAME=VALUE` (scrapy) or `--set NAME=VALUE`
(newscrawl crawl). Components read them in `from_crawler`.
"""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.crawl.spider"]
NEWSPIDER_MODULE = "newscrawl.crawl"

# --- politeness ------------------------------------------------------------
# Identify honestly: operators set NEWSCRAWL_CONTACT to a page or mailbox.
NEWSCRAWL_CONTACT = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/0.1 (+{NEWSCRAWL_CONTACT}; green-economy news research)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every response's output; an article page
# yields one item and a listing some requests, so a few are plenty (default 100).
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # a news page is < 1 MB; refuse anything absurd
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A page that stays broken is a reject row and a warning, not an error of the run.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
REDIRECT_MAX_TIMES = 5
# What is fetched, and fetched once, is the frontier's decision (a row per URL in SQLite);
# Scrapy's in-memory fingerprint set would only duplicate it, and drop a redirect back
# to a URL already seen. Requests are not dont_filter, so offsite filtering applies.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 turns on a code-execution HTTP server by default (it also writes job files to ~).
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# Drops are rows in `rejects` / `duplicates`; the log need not shout about them.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

# --- transport ------------------------------------------------------------------
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.crawl.hostmap.HostMapDownloadHandler",
    "https": "newscrawl.crawl.hostmap.HostMapDownloadHandler",
}
# Send requests for these hosts (and their subdomains) to another server, keeping the Host
# header and the URL the spider sees: {"baodautu.vn": "http://127.0.0.1:8080"} points a
# crawl at a mirror, a staging copy or a test server. {} = off.
NEWSCRAWL_HOST_MAP = {}
# Handlers behind the host map, per scheme ({} = Scrapy's DOWNLOAD_HANDLERS_BASE).
NEWSCRAWL_HOST_MAP_HANDLERS = {}
# Retries: the n-th waits NEWSCRAWL_RETRY_BACKOFF * 2**(n-1) s (on 429/503 the server's
# Retry-After instead), at most NEWSCRAWL_RETRY_MAX_DELAY; a longer Retry-After gives up at once.
NEWSCRAWL_RETRY_BACKOFF = 1.0
NEWSCRAWL_RETRY_MAX_DELAY = 60
NEWSCRAWL_RETRY_JITTER = 0.1  # +- this fraction of each backoff

# --- components ------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's own retry has no backoff and ignores Retry-After; its robots.txt
    # lets requests through while the file loads (see newscrawl/robots.py).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.crawl.retry.RetryMiddleware": 550,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.crawl.robots.RobotsTxtMiddleware": 100,
    # Redirects out of the crawl's hosts are refused as Scrapy does, and recorded.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawl.crawl.offsite.OffsiteMiddleware": 40,
    # Replay answers before anything touches the network (robots.txt included).
    "newscrawl.crawl.replay.ReplayMiddleware": 50,
    "newscrawl.crawl.lease.LeaseMiddleware": 60,
    # Below HttpCompression (590): they see the bodies as the spider does.
    "newscrawl.crawl.replay.RecordMiddleware": 585,
    "newscrawl.crawl.archive.ArchiveMiddleware": 580,
}
# The stages an article goes through (see newscrawl/pipelines/__init__.py). Page stages
# need only the page and run where pages are analysed (parse workers, or inline);
# writer stages need the database and run in the one writer. Scrapy's own item
# pipeline only hands analysed items across, from one side to the other.
NEWSCRAWL_PAGE_STAGES = {
    "newscrawl.pipelines.clean.CleanPipeline": 100,
    "newscrawl.pipelines.validate.ValidatePipeline": 200,
    "newscrawl.pipelines.topics.TopicsPipeline": 300,
    "newscrawl.pipelines.facts.FactsPipeline": 350,
    "newscrawl.pipelines.signatures.SignaturePipeline": 400,
}
NEWSCRAWL_WRITER_STAGES = {
    "newscrawl.pipelines.dedupe.ExactDedupePipeline": 100,
    "newscrawl.pipelines.neardup.NearDedupePipeline": 200,
    "newscrawl.pipelines.store.StorePipeline": 900,
}
ITEM_PIPELINES = {"newscrawl.crawl.handoff.HandOffToWriter": 900}
SPIDER_MIDDLEWARES = {
    # Depth here is related-headline hops (RELATED_DEPTH), counted by the spider; Scrapy's
    # own request depth is not used, and its middleware wraps every output of every page.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}

# `scrapy crawl` is newscrawl's own (newscrawl/commands/crawl.py): it checks the news
# spider's arguments first and exits non-zero when the run did not finish.
COMMANDS_MODULE = "newscrawl.commands"

# --- newscrawl ---------------------------------------------------------------
NEWSCRAWL_DB = "output/newscrawl.db"
# Replay: a folder of saved pages with manifest.json files (None = live crawl).
NEWSCRAWL_REPLAY_DIR = None
# What a replay (and a reparse) turns off: saved pages cost nothing to fetch.
NEWSCRAWL_REPLAY_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False}
# Keep every fetched article page, compressed, for `newscrawl reparse`.
NEWSCRAWL_ARCHIVE = True
# Where (None = beside the database: output/newscrawl.archive.db).
NEWSCRAWL_ARCHIVE_PATH = None
# Record: save every fetched page here in the replay format (None = off).
NEWSCRAWL_RECORD_DIR = None
# How many pages of each section listing to read per run.
NEWSCRAWL_LISTING_PAGES = 3
# Only articles published on or after this date (YYYY-MM-DD); None = no window.
NEWSCRAWL_SINCE = None
# Without a --since, sitemap entries older than this many days are skipped.
NEWSCRAWL_SITEMAP_DAYS = 31
# Fetch stored articles again when rediscovered (default: only in replay).
NEWSCRAWL_REFRESH = None
# ... or when their stored copy is older than this many days (0 = never).
NEWSCRAWL_REFRESH_DAYS = 0
# An article URL is given up on (`failed`, and a reject with the last reason) after this
# many runs ended without its outcome: runs that died with it in flight, and transient
# failures (timeouts, 5xx and 429 after the retries, DNS and connection errors).
NEWSCRAWL_MAX_ATTEMPTS = 5
# A transient failure waits this many seconds before a later run tries again, doubled
# for each further attempt (at most a day): 15 min, 30 min, 1 h, 2 h.
NEWSCRAWL_RETRY_RUN_DELAY = 900
# Cap the database at this many pages (of 4 KiB; 0 = no cap): a crawl that reaches it
# stops as on a full disk, with nothing half-written, and the next run resumes.
NEWSCRAWL_DB_MAX_PAGES = 0
# Worker processes that decode, parse and analyse article pages (0 = in the
# crawl's own process). One keeps the reactor's core for the crawl itself.
NEWSCRAWL_PARSE_WORKERS = 1
# The writer commits every this many items, or every NEWSCRAWL_COMMIT_SECONDS,
# whichever comes first: a crash loses at most one open batch (it is fetched again).
NEWSCRAWL_BATCH_SIZE = 100
NEWSCRAWL_COMMIT_SECONDS = 2.0
# Validation: a body shorter than this many characters is not an article.
NEWSCRAWL_MIN_BODY_CHARS = 200
NEWSCRAWL_MIN_TITLE_CHARS = 5
# Related headlines are followed up to this many hops from a discovered article.
RELATED_DEPTH = 2
# Follow related links to hosts newscrawl has no parser for (generic extractor).
NEWSCRAWL_FOLLOW_GENERIC = False
# Articles whose green score (0-1) is under this are rejected as off_topic.
MIN_GREEN_SCORE = 0.3
# The topics taxonomy (None = the bundled newscrawl/data/topics.json).
NEWSCRAWL_TOPICS_FILE = None
# Two bodies at or above this estimated Jaccard similarity are one story.
NEWSCRAWL_NEAR_DUP_THRESHOLD = 0.5
# Bodies with fewer word 3-grams than this are too short to judge as near copies.
NEWSCRAWL_NEAR_DUP_MIN_SHINGLES = 30
# Field coverage under this share for a site is reported as a warning.
NEWSCRAWL_COVERAGE_WARN = 0.0
# Progress lines on stderr while crawling (the CLI turns them on).
NEWSCRAWL_PROGRESS = False
NEWSCRAWL_PROGRESS_INTERVAL = 5.0
# --- scale-out on Redis (newscrawl worker / writer / crawl --redis) -------------------
# The Redis URL (redis://[user:password@]HOST:PORT/DB, rediss:// for TLS); None = one process.
NEWSCRAWL_REDIS_URL = None
# Several crawls can share a Redis database: their keys start with newscrawl:<name>:.
NEWSCRAWL_CRAWL_NAME = "news"
# A request taken by a worker is leased for this long; the worker's heartbeat renews it every
# quarter of it, so a dead worker's requests return to the queue within this time.
NEWSCRAWL_LEASE_SECONDS = 60
# A worker leases this many requests at a time (fewer round trips; more would let one worker
# hold what idle others could fetch).
NEWSCRAWL_LEASE_BATCH = 4
# Items waiting in the stream for the writer beyond this: workers wait (back-pressure).
NEWSCRAWL_STREAM_BACKLOG = 2000
# How long every Redis command waits for a Redis that went away (a restart) before failing.
NEWSCRAWL_REDIS_PATIENCE = 120
# How often an idle worker looks for work in the shared queue (seconds).
NEWSCRAWL_IDLE_POLL = 0.2
# Workers and the writer stay up when the crawl has drained; the writer opens the next
# crawl after this many seconds, and the workers join it.
NEWSCRAWL_KEEP_ALIVE = False
NEWSCRAWL_KEEP_ALIVE_PAUSE = 900
# Per-host delay for the whole crawl across workers (None = DOWNLOAD_DELAY; each worker's own
# delay and AutoThrottle are then off, or the delays would add up).
NEWSCRAWL_HOST_DELAY = None
# What a worker on Redis changes: scrapy-redis's scheduler with newscrawl's leased queue, and
# the database side replaced by Redis (see newscrawl/scaleout/).
NEWSCRAWL_WORKER_SETTINGS = {
    "SCHEDULER": "newscrawl.scaleout.queue.Scheduler",
    "SCHEDULER_QUEUE_CLASS": "newscrawl.scaleout.queue.LeasedQueue",
    "SCHEDULER_QUEUE_KEY": "newscrawl:%(spider)s:scheduler",
    "SCHEDULER_PERSIST": True,
    "DUPEFILTER_CLASS": "newscrawl.scaleout.queue.NoDupeFilter",
    "REDIS_PARAMS": {"redis_cls": "newscrawl.scaleout.connection.ResilientRedis"},
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
}
EXTENSIONS = {
    # The one owner of the database side of a crawl: run lock, writer, frontier.
    "newscrawl.crawl.run.CrawlRun": 100,
    # Where pages are analysed (parse workers): built after the run holds the database.
    "newscrawl.crawl.analyser.PageAnalyser": 110,
    "newscrawl.crawl.progress.Progress": 500,
}
