"""A tqdm bar driven by the pipeline's ProgressCallback (done, total, message; -1, -1 = a
message only), shared by `troly index` and the indexing benchmark."""

from __future__ import annotations

import sys
from typing import Any

from assistant.core.domain import ProgressCallback


def progress_bar(unit: str = "tệp", *, disable: bool | None = None) -> tuple[ProgressCallback, Any]:
    """(callback, bar): the bar draws on stderr when it is a terminal, unless `disable` says."""
    from tqdm import tqdm

    if disable is None:
        disable = not sys.stderr.isatty()
    bar = tqdm(total=0, unit=unit, disable=disable, file=sys.stderr)

    def progress(done: int, total: int, message: str) -> None:
        if done >= 0:
            bar.total = total
            bar.n = done
        bar.set_postfix_str(message[:60])
        bar.refresh()

    return progress, bar
