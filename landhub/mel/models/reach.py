"""People reached toward 1 billion, counted once where landscape boundaries overlap (issue 6).

The figure is computed by ``mel.reach`` (geometry with shapely on the ellipsoid) in a task,
never in a request: each computation is kept as a ``ReachSnapshot`` with one ``ReachFigure``
per region and one for the whole initiative, so the dashboard reads a few rows and the series
over time is the snapshots themselves.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReachSnapshot(models.Model):
    """One computation of the people reached, describing the landscapes as of ``as_of``.

    A computation of today reads the landscapes as they are (``from_history`` false); one of a
    past date (``landhub mel-compute-reach --as-of``) reads each landscape's history as it was
    at the end of that day. The series over time takes the latest snapshot of each ``as_of``.
    ``overlaps`` keeps the initiative's most overlapping pairs of landscapes (ids, shared area,
    people counted once there), so the page never needs the geometry.
    """

    computed_at = models.DateTimeField(_("computed"), db_index=True)
    as_of = models.DateField(_("as of"), db_index=True)
    from_history = models.BooleanField(_("from the landscapes' history"), default=False)
    method_version = models.PositiveSmallIntegerField(default=1)
    seconds = models.FloatField(_("time taken (s)"), default=0)
    overlaps = models.JSONField(_("most overlapping landscapes"), default=list, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"
        verbose_name = _("reach computation")

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M}"


class ReachFigure(models.Model):
    """The people reached in one region (``region`` empty = the whole initiative).

    ``recorded`` is the plain sum of the engaged landscapes' recorded populations;
    ``reached`` counts the overlaps once; ``overlap_removed`` is the difference. Landscapes
    without a polygon (a point, or no boundary) cannot overlap and count in full
    (``without_polygon``); landscapes without a population count nothing (``without_population``).
    """

    snapshot = models.ForeignKey(ReachSnapshot, on_delete=models.CASCADE, related_name="figures")
    region = models.CharField(_("region"), max_length=50, blank=True)
    landscapes = models.PositiveIntegerField(_("engaged landscapes"))
    recorded = models.PositiveBigIntegerField(_("recorded population"))
    reached = models.PositiveBigIntegerField(_("people reached"))
    overlap_removed = models.PositiveBigIntegerField(_("counted twice, removed"))
    overlapping_landscapes = models.PositiveIntegerField(_("landscapes that overlap another"))
    without_polygon = models.PositiveIntegerField(_("landscapes without a polygon"))
    without_population = models.PositiveIntegerField(_("landscapes without a population"))

    class Meta:
        ordering = ["region"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "region"], name="mel_reach_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region or 'initiative'}: {self.reached}"
