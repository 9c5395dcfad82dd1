"""Where an indexing run spends its CPU: per-stage CPU seconds of the thread that ran each stage
(`time.thread_time`), plus the whole process's CPU, so that the embedder's share (ONNX Runtime's
own threads included) is what is left. CPU seconds survive a busy machine better than wall time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class StageProfile:
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _started: tuple[float, float, float] = field(default=(0.0, 0.0, 0.0), repr=False)

    def start(self) -> None:
        self._started = (time.perf_counter(), time.process_time(), children_cpu())

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.add(name, time.thread_time() - cpu, time.perf_counter() - wall)

    def add(self, name: str, cpu: float, wall: float = 0.0) -> None:
        with self._lock:
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu
            self.wall[name] = self.wall.get(name, 0.0) + wall

    def count(self, name: str, n: int) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + n

    def report(self) -> dict:
        """Totals since `start()`; `embed` CPU = process CPU minus every other stage's."""
        wall = time.perf_counter() - self._started[0]
        process_cpu = time.process_time() - self._started[1]
        child_cpu = max(0.0, children_cpu() - self._started[2])  # the loader worker process
        stages = {k: round(v, 2) for k, v in sorted(self.cpu.items()) if k != "embed"}
        stages["embed (ONNX threads, tokenisation, rest)"] = round(
            max(0.0, process_cpu - sum(v for k, v in self.cpu.items() if k != "embed")), 2
        )
        if child_cpu:
            stages["load/parse worker process"] = round(child_cpu, 2)
        return {
            "wall_s": round(wall, 2),
            "process_cpu_s": round(process_cpu + child_cpu, 2),
            "stage_cpu_s": stages,
            "embed_wall_s": round(self.wall.get("embed", 0.0), 2),
            "counts": dict(self.counts),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }


def children_cpu() -> float:
    """CPU seconds of this process's children: the running ones (from /proc, Linux) plus the
    ones already waited for; 0 where /proc is absent."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return total
    pids: set[str] = set()
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                pids.update(handle.read().split())
        except OSError:
            continue
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total
