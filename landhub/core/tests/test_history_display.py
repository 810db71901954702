"""How a changed value reads in a record's history."""

import datetime as dt

from django.utils import timezone, translation

from landhub.core.history import history_entries
from landhub.mel import services


def test_a_moment_reads_in_the_readers_time_zone_and_language(world):
    period = services.period_series_create(actor=world.hana, kind="year", year=2027)[0]
    services.period_lock(actor=world.hana, period=period)
    period.refresh_from_db()
    with timezone.override("America/Bogota"), translation.override("es"):
        changes = {c.label: c.new for e in history_entries(period) for c in e.changes}
        expected = timezone.localtime(period.locked_at)
    shown = next(v for k, v in changes.items() if v != "—" and str(expected.year) in v)
    assert "+00:00" not in shown and "." not in shown.split()[-1]  # no offset, no microseconds
    assert f"{expected:%H:%M}" in shown and "de" in shown  # Bogotá's hour, in Spanish
    assert expected.utcoffset() == dt.timedelta(hours=-5)
