"""MEL API (``/api/v1/mel/…``): one module per area, each with its own router.

Same selectors and services as the pages; errors as JSON with field messages; edits carry
``version`` (a stale one answers 409 with the current record).
"""

from ninja import Router

from . import (
    assignments,
    dashboards,
    evidence,
    frameworks,
    indicators,
    learning,
    observations,
    outcomes,
    reach,
    stories,
    value,
)

router = Router(tags=["mel"])
router.add_router("", frameworks.router)
router.add_router("", indicators.router)
router.add_router("", evidence.router)
router.add_router("", dashboards.router)
router.add_router("", assignments.router)
router.add_router("", observations.router)
router.add_router("", outcomes.router)
router.add_router("", value.router)
router.add_router("", stories.router)
router.add_router("", reach.router)
router.add_router("", learning.router)
