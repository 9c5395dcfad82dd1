"""Demo dossiers and credentials of the reference one-stop-shop service.

The demo dossiers are generated first, relative to the service's anchor date (the day its
database was seeded), so their codes carry that date: read the live list from the running
service (`ReferenceServer.demo`) or compute it with `demo_dossiers(anchor)`. Each has a fixed
applicant, so the verification factors below never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from connectors.reference.people import Person

DEMO_CLIENT_ID = "troly-demo"
DEMO_CLIENT_SECRET = "troly-demo-secret"  # reference service only, never a real credential
DEMO_REALM = "digo"


from connectors.reference.demo_specs import DEMO_SPECS, DemoSpec  # noqa: F401 (re-exported)



@dataclass(frozen=True)
class DemoDossier:
    code: str
    phone_last4: str
    id_last4: str
    scenario: str


def demo_dossiers(anchor: date) -> list[DemoDossier]:
    """The demo dossiers of a service seeded on `anchor` (same codes as in its database)."""
    from connectors.reference.seed import generate  # local: seed imports this module

    dossiers = generate(seed=0, anchor=anchor, count=0)
    return [
        DemoDossier(d.code, d.person.phone[-4:], d.person.id_number[-4:], spec.scenario)
        for d, spec in zip(dossiers, DEMO_SPECS, strict=True)
    ]


def demo_table(demos: list[DemoDossier]) -> str:
    """Plain-text table for CLI help and logs."""
    lines = ["Mã hồ sơ                     SĐT(4 số cuối)  CCCD(4 số cuối)  Tình huống"]
    for d in demos:
        lines.append(f"{d.code:<29}{d.phone_last4:<16}{d.id_last4:<17}{d.scenario}")
    return "\n".join(lines)
