"""Pure extraction helpers for saved bytes and Scrapy responses alike (no Scrapy imports here).

`ometsuke extract`, the spiders and the tests all go through these functions, so a page extracts the same way
wherever it comes from.
"""

from .decode import Decoded, choose_encoding, decode_bytes
from .feeds import FeedEntry, FeedError, feed_date, looks_like_feed, parse_feed
from .page import ExtractedPage, extract_bytes, extract_text, extract_tree
from .releases import Release, detect_releases, find_releases

__all__ = [
    "Decoded", "ExtractedPage", "FeedEntry", "FeedError", "Release", "choose_encoding", "decode_bytes",
    "detect_releases", "extract_bytes", "extract_text", "extract_tree", "feed_date", "find_releases",
    "looks_like_feed", "parse_feed",
]  # fmt: skip
