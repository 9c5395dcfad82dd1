"""Reference one-stop-shop service (iGate-style API over SQLite) for demos, development and
tests. `start_reference_server()` runs it in a background thread; `python -m
connectors.reference --port N` runs it in the foreground."""

from typing import TYPE_CHECKING, Any

from connectors.reference.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REALM,
    DEMO_SPECS,
    DemoDossier,
    demo_dossiers,
)

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REALM",
    "DEMO_SPECS",
    "DemoDossier",
    "ReferenceServer",
    "demo_dossiers",
    "start_reference_server",
]


if TYPE_CHECKING:
    from connectors.reference.server import ReferenceServer, start_reference_server


def __getattr__(name: str) -> Any:
    """Import the server lazily, so importing this package does not import FastAPI/uvicorn."""
    if name in ("start_reference_server", "ReferenceServer"):
        from connectors.reference import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
