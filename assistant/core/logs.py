"""Structured, quiet-by-default logging: one JSON object per line on stderr."""

from __future__ import annotations

import json
import logging
import time

from assistant.core.masking import mask_personal_data

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": mask_personal_data(record.getMessage()),
        }
        payload.update({k: mask_personal_data(v) if isinstance(v, str) else v
                        for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: str = "WARNING", verbosity: int = 0) -> None:
    """Configure the root logger once; -v gives INFO, -vv DEBUG."""
    resolved = {0: level.upper(), 1: "INFO"}.get(verbosity, "DEBUG")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(resolved)
    for noisy in ("httpx", "urllib3", "sentence_transformers", "transformers", "gradio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
