"""Facts about the machine a benchmark ran on (recorded with every result) and peak memory."""

from __future__ import annotations

import os
import platform
import resource
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "torch", "onnxruntime", "sentence-transformers", "transformers", "qdrant-client", "qdrant-edge-py",
    "llama-index-core", "underthesea", "fastapi", "uvicorn", "numpy", "troly",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def machine_facts() -> dict[str, object]:
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "cores": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "load_average": [round(v, 2) for v in os.getloadavg()],  # other work sharing the cores
        "versions": {name: _version(name) for name in PACKAGES if _version(name)},
    }


def one_line(facts: dict[str, object]) -> str:
    load = facts.get("load_average") or ["?"]
    return (f"{facts.get('cores')} cores {facts.get('cpu_model')}, {facts.get('memory_gib')} GiB RAM, "
            f"Python {facts.get('python')}, load average {load[0]} at start")


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory of this process now (VmRSS), 0.0 when unreadable."""
    return process_rss_mb(os.getpid(), "VmRSS") or 0.0


def process_peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of another live process, None when unreadable."""
    return process_rss_mb(pid, "VmHWM")


def process_rss_mb(pid: int, field: str) -> float | None:
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM) in MB, None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None
