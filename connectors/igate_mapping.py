"""Field mapping from an iGate-style dossier JSON object into our `DossierRecord`. Real
deployments differ in detail (translated names as lists or dicts, the current task as text or
an object, status as a number or a label), so every lookup tolerates the known variants."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from assistant.core.domain import DossierStatus
from connectors.base import NEXT_ACTIONS, DossierRecord, status_from_text, status_label
from assistant.core.masking import mask_name

VIETNAMESE = 228  # iGate languageId for Vietnamese
# Statuses where the legal time limit is running (1 registered, 2 received, 4 processing).
_CLOCK_RUNNING = {1, 2, 4}


def _get(obj: Any, *path: str | int) -> Any:
    """Nested lookup through dicts and lists ('0' and 0 both index a list); None if absent."""
    for key in path:
        if isinstance(obj, dict):
            obj = obj[key] if key in obj else obj.get(str(key))
        elif isinstance(obj, list):
            try:
                obj = obj[int(key)]
            except (ValueError, IndexError):
                return None
        else:
            return None
    return obj


def translated(value: Any) -> str:
    """A name that may be a string, a translate list/dict, or {'name': ...}: prefer Vietnamese."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and "name" in value and not isinstance(value["name"], dict):
        return translated(value["name"])
    entries = list(value.values()) if isinstance(value, dict) else value
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and entry.get("languageId") == VIETNAMESE:
                return translated(entry.get("name"))
        for entry in entries:
            name = translated(entry.get("name") if isinstance(entry, dict) else entry)
            if name:
                return name
    return ""


def parse_date(value: Any) -> date | None:
    """ISO timestamps ('2025-11-20T08:15:00.000+0700'), ISO dates, 'dd/mm/yyyy', epoch ms."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000).date()
    text = str(value).strip()
    if match := re.match(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date(*map(int, match.groups()))
    if match := re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = map(int, match.groups())
        return date(year, month, day)
    return None


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _status_code(item: dict[str, Any]) -> int:
    for raw in (_get(item, "dossierStatus", "id"), item.get("status"), item.get("statusId")):
        if isinstance(raw, (int, str)) and str(raw).isdigit() and 1 <= int(raw) <= 10:
            return int(raw)
    for text in (translated(_get(item, "dossierStatus", "name")), _current_step(item)):
        if text and (code := status_from_text(text)):
            return code
    return 0


def _current_step(item: dict[str, Any]) -> str:
    task = item.get("statusCurrentTask")
    if isinstance(task, str):
        return task.strip()
    if task is not None:
        return translated(task)
    return translated(_get(item, "currentTask", 0, "name"))


def _overdue_days(status_code: int, due: date | None, done: date | None, today: date) -> int:
    if due is None:
        return 0
    if done is not None:
        return max(0, (done - due).days)
    if status_code in _CLOCK_RUNNING:
        return max(0, (today - due).days)
    return 0


def map_dossier(item: dict[str, Any], today: date) -> DossierRecord:
    """One `content[]` element -> DossierRecord (applicant name masked in the status)."""
    code = str(item.get("code") or "")
    status_code = _status_code(item)
    due = parse_date(item.get("appointmentDate"))
    completed = parse_date(item.get("completedDate"))
    returned = parse_date(item.get("returnedDate"))
    received = parse_date(item.get("acceptedDate")) or parse_date(item.get("appliedDate"))
    applicant = _get(item, "applicant", "data") or {}
    full_name = str(applicant.get("fullname") or "")
    status = DossierStatus(
        code=code,
        procedure_code=str(_get(item, "procedure", "code") or ""),
        procedure_name=translated(_get(item, "procedure", "translate")),
        field=translated(_get(item, "procedure", "sector", "name"))
        or translated(_get(item, "sector", "name")),
        status_code=status_code,
        status_label=status_label(status_code),
        current_step=_current_step(item),
        handling_unit=translated(_get(item, "currentTask", 0, "agency", "name"))
        or translated(_get(item, "agency", "name")),
        channel=translated(_get(item, "applyMethod", "name")),
        applicant_masked=mask_name(full_name),
        received_date=_iso(received),
        due_date=_iso(due),
        completed_date=_iso(completed),
        returned_date=_iso(returned),
        overdue_days=_overdue_days(status_code, due, completed, today),
        next_action=NEXT_ACTIONS.get(status_code, ""),
    )
    return DossierRecord(
        status=status,
        phone=str(applicant.get("phoneNumber") or applicant.get("phone") or ""),
        id_number=str(applicant.get("identityNumber") or applicant.get("identityCard") or ""),
        full_name=full_name,
    )
