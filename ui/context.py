"""Everything one app needs at request time, built once from Services by `create_app`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from assistant.core.domain import DocumentRecord, DossierLookupResult
from ui.chat_flow import ChatRunner
from ui.console.apikeys import ScopedKeys
from ui.console.prometheus import ConsoleCollector
from ui.console.service import Console
from ui.jobs import JobManager
from ui.limits import InputPolicy
from ui.metrics import Metrics
from ui.ratelimit import TokenBucketLimiter
from ui.services import Services
from ui.shared_state import SqlJobStore, counter_store, index_lock
from ui.uploads import remove_upload


@dataclass
class AppContext:
    services: Services
    admin_keys: ScopedKeys
    staff_keys: ScopedKeys
    limiter: TokenBucketLimiter
    metrics: Metrics
    jobs: JobManager
    runner: ChatRunner
    console: Console
    policy: InputPolicy

    @classmethod
    def build(cls, services: Services) -> "AppContext":
        settings = services.settings
        metrics = Metrics(services.index_size)
        engine = services.storage.engine()
        counters = counter_store(settings.shared_counters, engine)
        shared = {"store": counters, "clock": time.time} if counters is not None else {}
        console = Console.build(services.storage, services.query_embedder)
        metrics.registry.register(ConsoleCollector(console.queries))
        policy = InputPolicy.from_settings(settings)
        return cls(
            services=services,
            admin_keys=console.scoped(settings.admin_key_hashes, "admin"),
            staff_keys=console.scoped(settings.staff_key_hashes, "staff"),
            limiter=TokenBucketLimiter(
                settings.citizen_rate_per_minute,
                settings.citizen_rate_burst,
                **shared,
            ),
            metrics=metrics,
            jobs=JobManager(
                services.admin, store=SqlJobStore(engine), index_lock=index_lock(engine)),
            runner=ChatRunner(services.chat, services.storage, metrics, curated=console.matcher,
                              policy=policy),
            console=console,
            policy=policy,
        )

    @property
    def uploads_dir(self) -> Path:
        return self.services.settings.data_dir / "uploads"

    @property
    def max_upload_bytes(self) -> int:
        return self.services.settings.max_upload_mb * (1 << 20)

    def lookup_dossier(self, code: str, verification: str, client_id: str) -> DossierLookupResult:
        result = self.services.dossier.lookup(code, verification, client_id)
        self.metrics.dossier.labels(result.outcome).inc()
        return result

    def delete_document(self, doc_id: str) -> DocumentRecord:
        """Remove a document from the index, and its file if it was uploaded here."""
        with self.jobs.exclusive():
            record = self.services.admin.delete_document(doc_id)
        remove_upload(record.source, self.uploads_dir)
        return record

    def close(self) -> None:
        self.jobs.close()
