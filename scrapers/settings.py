"""Scrapy settings: polite by default. The one home of the crawl defaults.

`ometsuke.config.CrawlConfig` takes its defaults from here (ometsuke may import scrapers, never the reverse), and
`ometsuke.crawl_process.crawler_settings` overrides only the [crawl] keys whose value differs from these.
"""

import scrapers.revisit as _revisit  # lower case: Settings.setmodule takes only upper-case names

BOT_NAME = "ometsuke"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Politeness: obey robots.txt, say who we are, slow down when the site does.
ROBOTSTXT_OBEY = True
USER_AGENT = "ometsuke/0.1 (press-release watchdog; +https://github.com/ometsuke/ometsuke)"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
# Two requests in flight per site at most ([crawl] concurrency): with DOWNLOAD_DELAY a new request starts at most
# once a second anyway, so more only piles requests onto a site that answers slowly, which is when it is busiest.
# Government and corporate press pages are small; two is polite and keeps a crawl of one site well under a minute.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy 2.19 starts this many asyncio tasks for every response's output; a release page yields one item and a
# list page's requests need no parallelism. 100 (the default) cost 1.3 ms of CPU a page (bench/run.py, 1,000 pages).
CONCURRENT_ITEMS = 16

# Limits: a hung or huge page must not stall or swamp a crawl.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5_000_000
DOWNLOAD_WARNSIZE = 0
RETRY_ENABLED = True
RETRY_TIMES = 2
# A known page is fetched unconditionally at least once every this many revisits ([crawl] verify_every).
OMETSUKE_VERIFY_EVERY = _revisit.DEFAULT_VERIFY_EVERY
REDIRECT_MAX_TIMES = 5

# Revisits use conditional requests built from the database, never Scrapy's HTTP cache (its freshness guess can
# skip a changed page for months).
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 would open an HTTP control port on localhost for every crawl
LOG_LEVEL = "WARNING"
LOG_INSTALL_ROOT_HANDLER = False  # ometsuke.crawl_process installs its own: progress on the terminal, details in a file

# One readable progress line for the whole crawl instead of Scrapy's per-spider LogStats (scrapers/extensions.py).
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "scrapers.extensions.CrawlProgress": 500,
}
OMETSUKE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 turns them off

# Faults become counted errors with a clear reason, and no request leaves the source's hosts (scrapers/middlewares.py).
DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.SourceHostsMiddleware": 40,  # before robots.txt: not even robots.txt of another host
    "scrapers.middlewares.FaultReasonsMiddleware": 45,  # responses: after decompression and retries
    "scrapers.middlewares.RetryAfterMiddleware": 560,  # responses: before RetryMiddleware (550)
    "scrapers.middlewares.RedirectGuardMiddleware": 650,  # responses: before RedirectMiddleware (600)
}
SPIDER_MIDDLEWARES = {"scrapers.middlewares.CallbackErrorsMiddleware": 1000}  # next to the spider

ITEM_PIPELINES = {
    "scrapers.pipelines.ValidatePipeline": 100,
    "scrapers.pipelines.TagPipeline": 200,
    "scrapers.pipelines.StorePipeline": 300,
}

# Set by ometsuke.crawl_process from the config: where the database is, and the watch list (nlp WatchEntry values).
OMETSUKE_DATABASE = None
OMETSUKE_WATCH_LIST = None
