"""The project's own exception types. Adapters translate library errors into these (with
`raise ... from exc`); the CLI and the API map them to messages and HTTP statuses in one place.

Messages are bilingual: Vietnamese first, then English, and name the file or field at fault.
"""

from __future__ import annotations


class TrolyError(Exception):
    """Base class for every error troly reports to a user."""


class ConfigError(TrolyError):
    """A setting is missing or wrong."""


class LoadError(TrolyError):
    """A file cannot be read (corrupt, encrypted, unsupported, legacy encoding not convertible)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelError(TrolyError):
    """The embedding model cannot be prepared or loaded."""


class StoreError(TrolyError):
    """The vector store failed or is locked by another process."""


class ConnectorError(TrolyError):
    """The one-stop-shop system is unreachable, slow or answered badly."""


class InvalidInputError(TrolyError):
    """A request's content is invalid (the message names the field); shown to the user."""


class NotFoundError(TrolyError):
    """A document, job or dossier does not exist."""
