"""A release's publication date: recorded once, when the release is first published (today in UTC, or the day of
SOURCE_DATE_EPOCH when it is set, as reproducible builds set it), and read back from the release's own
datapackage.json (``created``) whenever that version is built again, so that a rebuild gives the same bytes.
Releases published before dates were recorded (0.1.0 to 0.1.6) have none, and their rebuilds none either.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from schemas.validate import read_json

DATE_KEY = "created"   # datapackage.json: RFC 3339 date-time, as the Data Package standard has it
_CREATED = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00Z$")


def publication_date() -> str:
    """The date a release published now gets (YYYY-MM-DD)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError) as err:
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01 UTC") from err
    else:
        moment = dt.datetime.now(dt.timezone.utc)
    return moment.date().isoformat()


def created(date: str) -> str:
    """How datapackage.json gives the publication ``date``: the midnight (UTC) that starts it."""
    return f"{date}T00:00:00Z"


def date_of(pkg: dict | None) -> str | None:
    """The publication date a release's datapackage.json records (None: none, or not one this code writes)."""
    m = _CREATED.match(str((pkg or {}).get(DATE_KEY, "")))
    return m.group(1) if m else None


def recorded_date(folder: Path | None) -> str | None:
    """The publication date of the release in ``folder`` (None: no release, or one published without a date)."""
    return None if folder is None else date_of(read_json(folder / "datapackage.json"))
