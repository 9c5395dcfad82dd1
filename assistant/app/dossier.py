"""The dossier service from settings: the iGate connector pointed at the configured
one-stop-shop, or at a reference service when none is configured."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from connectors.audit import AuditSink, JsonlAuditSink
from connectors.base import StatusConnector
from connectors.guard import DossierService
from connectors.igate import IGateConnector
from connectors.ratelimit import CounterStore
from connectors.reference.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REALM


def audit_path(settings: Settings) -> Path:
    return settings.data_dir / "audit" / "dossier_lookups.jsonl"


def onestop_configured(settings: Settings) -> bool:
    """Whether the settings name a real one-stop-shop system. If not, the reference service
    stands in (its answers labelled demo records). The one place that decides it: a connector
    for another system adds its setting here and its branch in `build_connector`."""
    return bool(settings.igate_base_url)


def build_connector(settings: Settings, reference_url: str | None = None) -> IGateConnector:
    if onestop_configured(settings):
        return IGateConnector(
            settings.igate_base_url,
            settings.igate_client_id,
            settings.igate_client_secret,
            token_url=settings.igate_token_url,
            realm=settings.igate_realm,
            timeout_s=settings.igate_timeout_s,
        )
    if not reference_url:
        raise ConfigError(
            "Chưa cấu hình hệ thống một cửa (TROLY_IGATE_BASE_URL) và không có dịch vụ tham "
            "chiếu / No one-stop-shop configured (igate_base_url) and no reference service URL"
        )
    return IGateConnector(
        reference_url,
        DEMO_CLIENT_ID,
        SecretStr(DEMO_CLIENT_SECRET),
        realm=DEMO_REALM,
        timeout_s=settings.igate_timeout_s,
    )


def build_dossier_service(
    settings: Settings, reference_url: str | None = None, *, audit: AuditSink | None = None,
    counters: CounterStore | None = None,
) -> DossierService:
    """`DossierService` over iGate (settings.igate_*), or over the reference service at
    `reference_url` with its demo credentials when none is configured (`onestop_configured`).
    The audit trail defaults to `<data_dir>/audit/dossier_lookups.jsonl`; `counters` is where the
    rate limits and attempt counters live (default: this process's memory). Answers from the
    reference service are labelled as demo records. The caller closes `service.connector`."""
    return guard(settings, build_connector(settings, reference_url), audit=audit, counters=counters)


def guard(
    settings: Settings, connector: StatusConnector, *, audit: AuditSink | None = None,
    counters: CounterStore | None = None,
) -> DossierService:
    """The privacy guard (verification, rate limits, audit trail) around `connector`; its
    answers are labelled as demo records unless iGate is configured."""
    return DossierService(
        connector,
        contact=settings.contact,
        verification_factor=settings.verification_factor,
        audit=audit or JsonlAuditSink(audit_path(settings)),
        counters=counters,
        demo=not onestop_configured(settings),
    )
