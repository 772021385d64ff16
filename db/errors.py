"""Errors the storage layer raises; the CLI turns them into one clear line."""


class DatabaseError(Exception):
    """The database cannot be used: unwritable, corrupt, or from a newer ometsuke."""


class DatabaseMissing(DatabaseError):
    """No database file where one was expected: reading commands never create one."""

    def __init__(self, path: object) -> None:
        super().__init__(f"no database at {path}")
        self.path = path
