"""Deterministic generation of the reference service's dossiers: the demo dossiers first, then
`count` random ones registered over the 120 days before the anchor date."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from connectors.reference.demo_specs import DEMO_SPECS
from connectors.reference.people import Person, random_person
from connectors.reference.procedures import AGENCY_ID, PROCEDURES, Procedure
from connectors.reference.timeline import DIRECT, ONLINE, POSTAL, Timeline, build_timeline

_BY_CODE = {p.code: p for p in PROCEDURES}
# Status weights for dossiers still inside / already past their expected duration.
_YOUNG = {4: 50, 2: 8, 5: 10, 6: 6, 3: 5, 7: 3, 9: 8, 10: 10}
_OLD = {10: 60, 9: 8, 4: 5, 5: 6, 6: 3, 3: 5, 7: 4, 8: 3}


@dataclass
class GeneratedDossier:
    code: str
    procedure: Procedure
    person: Person
    channel: str
    timeline: Timeline
    demo: bool = False


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _random_channel(rng: random.Random) -> str:
    return rng.choices((ONLINE, DIRECT, POSTAL), weights=(55, 35, 10))[0]


def _random_status(rng: random.Random, proc: Procedure, age_days: int) -> int:
    if age_days == 0:
        return rng.choice((1, 2))
    weights = _OLD if age_days > proc.days * 1.4 else _YOUNG
    status = rng.choices(list(weights), weights=list(weights.values()))[0]
    return 4 if status == 6 and proc.fee == 0 else status


def _demo(index: int, anchor: date) -> GeneratedDossier:
    spec = DEMO_SPECS[index]
    rng = random.Random(f"demo-{index}")
    proc = _BY_CODE[spec.procedure_code]
    applied = _weekday_on_or_before(anchor - timedelta(days=spec.days_ago))
    channel = ONLINE if index % 2 == 0 else DIRECT
    timeline = build_timeline(rng, proc, spec.status_code, applied, anchor, channel, progress=0.8)
    return GeneratedDossier("", proc, spec.person, channel, timeline, demo=True)


def _random_dossier(rng: random.Random, anchor: date) -> GeneratedDossier:
    proc = rng.choice(PROCEDURES)
    applied = _weekday_on_or_before(anchor - timedelta(days=rng.randrange(120)))
    age = (anchor - applied).days
    channel = _random_channel(rng)
    status = _random_status(rng, proc, age)
    timeline = build_timeline(rng, proc, status, applied, anchor, channel)
    return GeneratedDossier("", proc, random_person(rng), channel, timeline)


def _assign_codes(dossiers: list[GeneratedDossier]) -> None:
    """`<agency>-<YYMMDD>-<NNNN>`: daily sequence, demo dossiers first on their day."""
    by_day: dict[date, list[GeneratedDossier]] = defaultdict(list)
    for d in dossiers:
        by_day[d.timeline.applied_at.date()].append(d)
    for day, group in by_day.items():
        group.sort(key=lambda d: (not d.demo, d.timeline.applied_at))
        for seq, d in enumerate(group, 1):
            d.code = f"{AGENCY_ID}-{day:%y%m%d}-{seq:04d}"


def generate(seed: int, anchor: date, count: int = 240) -> list[GeneratedDossier]:
    """Demo dossiers (in DEMO_SPECS order) followed by `count` random ones; the same
    (seed, anchor, count) always gives the same dossiers and codes."""
    rng = random.Random(seed)
    dossiers = [_demo(i, anchor) for i in range(len(DEMO_SPECS))]
    dossiers += [_random_dossier(rng, anchor) for _ in range(count)]
    _assign_codes(dossiers)
    return dossiers
