"""Column types shared by the tables."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from sqlalchemy.types import DateTime, TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


MIN_YEAR, MAX_YEAR = 1900, 2999  # no field inspection happens outside these; past them dates overflow


def in_range(moment: datetime) -> datetime:
    """The moment, if it lies in years MIN_YEAR..MAX_YEAR in UTC (year 1 or 9999 with an offset would not
    even convert); ValueError otherwise, which the API answers with 422."""
    try:
        utc = moment.astimezone(UTC) if moment.tzinfo else moment
    except OverflowError as e:
        raise ValueError(f"a time between the years {MIN_YEAR} and {MAX_YEAR}") from e
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(f"a time between the years {MIN_YEAR} and {MAX_YEAR}")
    return moment


# a time with its zone, in a range the server can store and compute deadlines from
Moment = Annotated[AwareDatetime, AfterValidator(in_range)]


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC; SQLite keeps no zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; give it a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
