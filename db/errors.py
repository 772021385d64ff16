"""Errors the storage layer raises; the CLI turns them into one clear line."""


class DatabaseError(Exception):
    """The database cannot be used: unwritable, corrupt, or from a newer ometsuke."""
