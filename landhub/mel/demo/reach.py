"""Demo data of the reach figure (issue 6). Idempotent: run again, it adds nothing.

The demo landscapes (``directory/demo.py``) are drawn apart from each other, so nobody would
be counted twice. Here Laikipia Rangelands gets a boundary that reaches onto Mount Kenya's
slopes (through the directory's service, as any boundary change), so the page shows an
overlap counted once.

For the series over time the demo needs a past: the directory demo creates every landscape
"today", so their history starts today. The demo alone **dates that history back** — each
demo landscape joined the initiative on a date of 2024–2025 (``JOINED``), and Laikipia redrew
its boundary in May 2025 — then counts the people as of the last eight quarter-ends from that
history (as ``landhub mel-compute-reach --quarters-back 8`` would) and once for today. Only
``is_demo`` landscapes' history is touched, and only on the first run.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

MOUNT_KENYA, LAIKIPIA = "Mount Kenya Forest and Farms", "Laikipia Rangelands"
# Laikipia's new boundary: around the ranches west of the mountain, over its lower slopes.
LAIKIPIA_CENTER, LAIKIPIA_RADIUS = (36.95, 0.1), 0.5
REDRAWN_ON = dt.datetime(2025, 5, 20, 9, 0)
FIRST_JOIN, JOIN_EVERY_DAYS = dt.datetime(2024, 1, 15, 9, 0), 55


def _join_date(index: int) -> dt.datetime:
    return timezone.make_aware(FIRST_JOIN + dt.timedelta(days=JOIN_EVERY_DAYS * index))


def seed(*, stdout=None) -> dict:
    from django.contrib.auth import get_user_model
    from shapely.geometry import shape

    from landhub.directory.demo import LANDSCAPES, polygon
    from landhub.directory.models import Landscape
    from landhub.directory.services.landscapes import landscape_set_boundary

    from ..models import ReachSnapshot
    from ..services.reach import reach_compute, reach_fill_quarters

    say = stdout.write if stdout else (lambda _msg: None)
    if ReachSnapshot.objects.filter(from_history=True).exists():
        return {"reach snapshots": 0}  # seeded before
    names = [spec.name for spec in LANDSCAPES]
    landscapes = {ls.name: ls for ls in Landscape.objects.filter(is_demo=True, name__in=names)}
    hana = get_user_model().objects.filter(email="hana@demo.landhub.org").first()
    if hana is None or MOUNT_KENYA not in landscapes or LAIKIPIA not in landscapes:
        return {}  # no directory demo to build on

    # The past: each landscape's history (written today by the directory demo) moves to the
    # day it joined.
    for index, name in enumerate(names):
        if name in landscapes:
            landscapes[name].history.update(history_date=_join_date(index))

    kenya, laikipia = landscapes[MOUNT_KENYA], landscapes[LAIKIPIA]
    overlap = shape(kenya.boundary).intersection(shape(laikipia.boundary)).area
    if overlap < 0.05 * shape(laikipia.boundary).area:
        boundary = polygon(LAIKIPIA_CENTER, LAIKIPIA_RADIUS, random.Random(6))
        laikipia = landscape_set_boundary(actor=hana, landscape=laikipia, geometry=boundary,
                                          version=None)  # fmt: skip
        latest = laikipia.history.order_by("-history_id").first()
        laikipia.history.filter(history_id=latest.history_id).update(
            history_date=timezone.make_aware(REDRAWN_ON))  # fmt: skip

    snapshots = reach_fill_quarters(quarters_back=8)
    today = reach_compute()
    total = today.figures.get(region="")
    say(f"Reach: {len(snapshots) + 1} snapshots; today {total.reached:,} people reached "
        f"({total.overlap_removed:,} counted twice removed)\n")  # fmt: skip
    return {"reach snapshots": len(snapshots) + 1}
