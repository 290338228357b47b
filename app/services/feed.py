"""The live feed of issue events: announced inside the writing transaction, delivered after it commits."""

from sqlmodel import Session


def notify(session: Session, payload: dict) -> None:
    """Announce an event; call before the commit of the transaction that wrote it (delivery comes later)."""
