"""Storage: the SQLite database of sources, runs, documents, versions, tags and changes (a plain library)."""

from db.connection import open_database
from db.errors import DatabaseError, DatabaseMissing
from db.store import PageTags, PageVersion, Store

__all__ = ["DatabaseError", "DatabaseMissing", "PageTags", "PageVersion", "Store", "open_database"]
