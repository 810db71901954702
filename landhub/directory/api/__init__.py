"""Directory API: one router joining the sub-routers of each area (see each module)."""

from ninja import Router

from . import landscapes, memberships, organizations, people, terms
from .common import serialize_current

router = Router()
router.add_router("/landscapes", landscapes.router)
router.add_router("/organizations", organizations.router)
router.add_router("/people", people.router)
router.add_router("/terms", terms.router)
router.add_router("/memberships", memberships.router)
router.add_router("/search", terms.search_router)

__all__ = ["router", "serialize_current"]
