"""The reference service's SQLite database (SQLAlchemy): dossiers, their status events, and
the seed parameters (so a reopened database keeps its demo codes)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import ForeignKey, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.pool import StaticPool

from connectors.reference.seed import generate


class Base(DeclarativeBase):
    pass


class DossierRow(Base):
    __tablename__ = "dossiers"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(40))
    procedure_name: Mapped[str]
    field: Mapped[str]
    applicant_name: Mapped[str]
    phone: Mapped[str]
    id_number: Mapped[str]
    channel: Mapped[str]
    status_code: Mapped[int]
    current_step: Mapped[str]
    handling_unit: Mapped[str]
    applied_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    due_date: Mapped[date | None]
    completed_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    events: Mapped[list[EventRow]] = relationship(order_by="EventRow.at", lazy="selectin")


class EventRow(Base):
    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("dossiers.code"), index=True)
    status_code: Mapped[int]
    step: Mapped[str]
    unit: Mapped[str]
    at: Mapped[datetime]


class MetaRow(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str]


class ReferenceStore:
    """Opens (or creates and seeds) the database; `db_path=None` keeps it in memory."""

    def __init__(self, db_path: Path | None = None) -> None:
        if db_path is None:
            url, extra = "sqlite://", {"poolclass": StaticPool}
        else:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            url, extra = f"sqlite:///{db_path}", {}
        self.engine = create_engine(url, connect_args={"check_same_thread": False}, **extra)
        Base.metadata.create_all(self.engine)

    def meta(self) -> dict[str, str]:
        with Session(self.engine) as session:
            return {row.key: row.value for row in session.scalars(select(MetaRow))}

    def ensure_seeded(self, seed: int, anchor: date, count: int) -> date:
        """Seed an empty database; returns the anchor date the data was generated for."""
        existing = self.meta()
        if "anchor" in existing:
            return date.fromisoformat(existing["anchor"])
        with Session(self.engine) as session, session.begin():
            for d in generate(seed, anchor, count):
                tl = d.timeline
                row = DossierRow(
                    code=d.code, procedure_code=d.procedure.provincial_code,
                    procedure_name=d.procedure.name, field=d.procedure.field,
                    applicant_name=d.person.full_name, phone=d.person.phone,
                    id_number=d.person.id_number, channel=d.channel,
                    status_code=tl.status_code, current_step=tl.current_step,
                    handling_unit=tl.handling_unit, applied_at=tl.applied_at,
                    accepted_at=tl.accepted_at, due_date=tl.due_date,
                    completed_at=tl.completed_at, returned_at=tl.returned_at,
                )
                row.events = [EventRow(status_code=e.status_code, step=e.step, unit=e.unit,
                                       at=e.at) for e in tl.events]
                session.add(row)
            for key, value in (("anchor", anchor.isoformat()), ("seed", str(seed)),
                               ("count", str(count))):
                session.add(MetaRow(key=key, value=value))
        return anchor

    def find(self, code: str) -> DossierRow | None:
        """The dossier with exactly this code (case-insensitive), events loaded."""
        with Session(self.engine, expire_on_commit=False) as session:
            return session.scalars(
                select(DossierRow).where(DossierRow.code == code.strip().upper())
            ).first()

    def codes(self, limit: int = 1000) -> list[str]:
        with Session(self.engine) as session:
            return list(session.scalars(select(DossierRow.code).limit(limit)))

    def close(self) -> None:
        self.engine.dispose()
