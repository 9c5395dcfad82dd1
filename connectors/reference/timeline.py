"""A dossier's life from registration to its target status: events, current step, due date."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from connectors.reference.procedures import (
    DIRECTOR_UNIT,
    FINANCE_UNIT,
    PROCESS_STEPS,
    RECEPTION_UNIT,
    Procedure,
)

ONLINE, DIRECT, POSTAL = "Trực tuyến", "Trực tiếp", "Bưu chính công ích"
_WAITING_STEP = {
    1: ("Chờ tiếp nhận hồ sơ", RECEPTION_UNIT),
    2: ("Chuyển hồ sơ đến phòng chuyên môn", RECEPTION_UNIT),
    3: ("Từ chối tiếp nhận: thành phần hồ sơ chưa đúng quy định", RECEPTION_UNIT),
    5: ("Chờ công dân bổ sung hồ sơ", ""),
    6: ("Chờ công dân thực hiện nghĩa vụ tài chính", FINANCE_UNIT),
    7: ("Công dân đã rút hồ sơ", RECEPTION_UNIT),
    8: ("Dừng xử lý theo quyết định của cơ quan có thẩm quyền", ""),
    9: ("Chờ trả kết quả", RECEPTION_UNIT),
    10: ("Đã trả kết quả", RECEPTION_UNIT),
}


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` working days (Saturdays and Sundays skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += current.weekday() < 5
    return count


@dataclass(frozen=True)
class Event:
    status_code: int
    step: str
    unit: str
    at: datetime


@dataclass
class Timeline:
    status_code: int
    current_step: str
    handling_unit: str
    applied_at: datetime
    accepted_at: datetime | None = None
    due_date: date | None = None
    completed_at: datetime | None = None
    returned_at: datetime | None = None
    events: list[Event] = field(default_factory=list)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(7, 30)) + timedelta(minutes=rng.randrange(9 * 60))


def _step_unit(step: str, proc: Procedure) -> str:
    if "Lãnh đạo Sở" in step:
        return DIRECTOR_UNIT
    return "Văn phòng Sở Y tế" if step.startswith("Văn thư") else proc.unit


def build_timeline(
    rng: random.Random, proc: Procedure, status: int, applied: date, anchor: date, channel: str,
    progress: float | None = None,
) -> Timeline:
    """Events up to `status`, never later than `anchor`. `progress` (0-1) fixes how far a
    finished dossier's processing took relative to its time limit (random when None)."""
    applied_at = _at(applied, rng)
    tl = Timeline(status, *_WAITING_STEP.get(status, ("", "")), applied_at=applied_at)
    if channel == ONLINE:
        tl.events.append(Event(1, "Nộp hồ sơ trực tuyến", RECEPTION_UNIT, applied_at))
    if status == 1:
        return tl
    accepted_day = add_working_days(applied, 1) if channel != DIRECT else applied
    checked_at = applied_at if channel == DIRECT else _at(min(accepted_day, anchor), rng)
    if status == 3:  # checked at the reception desk and refused: never accepted
        tl.events.append(Event(3, tl.current_step, RECEPTION_UNIT, checked_at))
        return _in_order(tl, rng)
    tl.accepted_at = checked_at
    tl.events.append(Event(2, "Tiếp nhận hồ sơ", RECEPTION_UNIT, tl.accepted_at))
    start = tl.accepted_at.date()
    tl.due_date = add_working_days(start, proc.days)
    if status == 2:
        return _in_order(tl, rng)
    elapsed = working_days_between(start, anchor) / max(1, proc.days)
    if status in (9, 10):
        share = progress if progress is not None else rng.uniform(0.45, 1.15)
        done_day = min(add_working_days(start, max(1, round(proc.days * share))), anchor)
        tl.completed_at = _at(done_day, rng)
        steps_done = len(PROCESS_STEPS)
    else:
        steps_done = min(len(PROCESS_STEPS), 1 + int(min(elapsed, 0.99) * len(PROCESS_STEPS)))
    span = max(1, working_days_between(start, (tl.completed_at or _at(anchor, rng)).date()))
    for i, step in enumerate(PROCESS_STEPS[:steps_done]):
        day = min(add_working_days(start, i * span // len(PROCESS_STEPS)), anchor)
        tl.events.append(Event(4, step, _step_unit(step, proc), _at(day, rng)))
    if status == 4:
        tl.current_step = PROCESS_STEPS[steps_done - 1]
        tl.handling_unit = _step_unit(tl.current_step, proc)
        return _in_order(tl, rng)
    tl.handling_unit = tl.handling_unit or proc.unit
    final_at = tl.completed_at or _at(min(anchor, add_working_days(start, 2)), rng)
    if status in (9, 10):
        done_step = "Hoàn thành xử lý, chuyển Bộ phận trả kết quả"
        tl.events.append(Event(9, done_step, RECEPTION_UNIT, final_at))
    else:
        tl.events.append(Event(status, tl.current_step, tl.handling_unit, final_at))
    if status == 10:
        returned = min(final_at.date() + timedelta(days=rng.randint(0, 4)), anchor)
        tl.events.append(Event(10, "Đã trả kết quả cho công dân", RECEPTION_UNIT, _at(returned, rng)))
    return _in_order(tl, rng)


def _in_order(tl: Timeline, rng: random.Random) -> Timeline:
    """Make event times strictly increasing (random times within a day can cross) and keep
    the completed/returned timestamps equal to their events."""
    for i in range(1, len(tl.events)):
        prev, event = tl.events[i - 1], tl.events[i]
        if event.at <= prev.at:
            moved = prev.at + timedelta(minutes=rng.randint(5, 90))
            tl.events[i] = Event(event.status_code, event.step, event.unit, moved)
    for event in tl.events:
        if event.status_code == 9:
            tl.completed_at = event.at
        elif event.status_code == 10:
            tl.returned_at = event.at
    return tl
