"""Rows -> iGate-style JSON (the shape VNPT iGate's dossier search returns in `content[]`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from connectors.base import status_label
from connectors.reference.db import DossierRow
from connectors.reference.procedures import AGENCY_NAME

VIETNAMESE = 228
_NAMESPACE = uuid.UUID("2b0f6a43-7a9e-4d7e-9a55-1c7f0c2e8d11")
_CHANNEL_IDS = {"Trực tuyến": 0, "Trực tiếp": 1, "Bưu chính công ích": 2}


def _vi(name: str) -> list[dict[str, Any]]:
    return [{"languageId": VIETNAMESE, "name": name}]


def _ts(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(17, 0))
    return value.strftime("%Y-%m-%dT%H:%M:%S.000+0700")


def dossier_json(row: DossierRow) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(_NAMESPACE, row.code)),
        "code": row.code,
        "procedure": {
            "id": str(uuid.uuid5(_NAMESPACE, row.procedure_code)),
            "code": row.procedure_code,
            "translate": _vi(row.procedure_name),
            "sector": {"name": _vi(row.field)},
        },
        "applicant": {
            "data": {
                "fullname": row.applicant_name,
                "phoneNumber": row.phone,
                "identityNumber": row.id_number,
            }
        },
        "agency": {"name": _vi(AGENCY_NAME)},
        "dossierStatus": {"id": row.status_code, "name": _vi(status_label(row.status_code))},
        "statusCurrentTask": row.current_step,
        "currentTask": [{"name": _vi(row.current_step), "agency": {"name": _vi(row.handling_unit)}}],
        "applyMethod": {"id": _CHANNEL_IDS.get(row.channel, 1), "name": row.channel},
        "appliedDate": _ts(row.applied_at),
        "acceptedDate": _ts(row.accepted_at),
        "appointmentDate": _ts(row.due_date),
        "completedDate": _ts(row.completed_at),
        "returnedDate": _ts(row.returned_at),
        "history": [
            {"status": e.status_code, "name": e.step, "agency": e.unit, "date": _ts(e.at)}
            for e in row.events
        ],
    }


def page_json(items: list[dict[str, Any]], size: int) -> dict[str, Any]:
    """A Spring 'slice' page, as iGate returns it."""
    return {
        "content": items,
        "number": 0,
        "size": size,
        "numberOfElements": len(items),
        "first": True,
        "last": True,
        "empty": not items,
    }
