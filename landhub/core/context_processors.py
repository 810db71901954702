"""Values every page needs: the unread count under the bell and the user's roles."""

from django.conf import settings

from . import access


def hub(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "hub_roles": access.roles_of(user),
        "TILE_URL": settings.LANDHUB_TILE_URL,
        "TILE_ATTRIBUTION": settings.LANDHUB_TILE_ATTRIBUTION,
    }
