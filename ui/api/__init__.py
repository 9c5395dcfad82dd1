"""The HTTP API (FastAPI)."""

from ui.api.app import create_app

__all__ = ["create_app"]
