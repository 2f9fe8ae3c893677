"""Catalog header dates, which date an exported TMX: read as `datetime.strptime` reads them, whatever the text."""

from __future__ import annotations

import datetime as dt
import random

from kervan.formats.po import DATE_FORMAT
from kervan.pipeline.memories import _header_date


def _strptime(value: str) -> dt.datetime | None:
    for pattern in (DATE_FORMAT, "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M"):
        try:
            stamp = dt.datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    return None


def test_header_dates_read_as_strptime_reads_them() -> None:
    values = [
        "2025-11-13 10:00+0000",
        " 2025-11-13 10:00-0530\n",
        "2025-02-30 10:00+0000",
        "2025-11-13 24:00+0000",
        "2025-11-13 10:00+0060",
        "2025-11-13 10:00+2400",
        "2025-11-13 10:00-2359",
        "0000-11-13 10:00+0000",
        "YEAR-MO-DA HO:MI+ZONE",
        "2025-11-13 10:00+00:00",
        "2025-11-13 10:00",
        "2025-11-13 10:00:00+0000",
        "２０２５-11-13 10:00+0000",
        "2025-11-13T10:00+0000",
        "2025-11-13 10:00-0000",
        "",  # a template's PO-Revision-Date
        " ",
        "²⁰²⁵-11-13 10:00+0000",
    ]
    rng = random.Random(14)
    for _ in range(5000):
        numbers = [rng.randint(0, 9999), rng.randint(0, 14), rng.randint(0, 33), rng.randint(0, 26), rng.randint(0, 62)]
        offset = f"{rng.choice('+-')}{rng.randint(0, 30):02d}{rng.randint(0, 99):02d}"
        values.append("{:04d}-{:02d}-{:02d} {:02d}:{:02d}".format(*numbers) + offset)
    for value in values:
        found, expected = _header_date(value), _strptime(value)
        assert found == expected, value
        if found is not None and expected is not None:
            assert (found.isoformat(), found.tzname()) == (expected.isoformat(), expected.tzname()), value
