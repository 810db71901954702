"""API of the signed-in user: who am I (tokens are managed in the UI, shown once)."""

from ninja import Router, Schema
from ninja.errors import AuthenticationError

from landhub.core.access import roles_of

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    timezone: str
    hub_staff: bool
    core_partner: bool


@router.get("", response=MeOut, summary="The signed-in user and their hub roles")
def me(request):
    user = request.user
    if not user.is_authenticated:
        raise AuthenticationError(message="Sign in first.")
    roles = roles_of(user)
    return {
        "id": user.pk, "email": user.email, "name": user.name, "timezone": user.timezone,
        "hub_staff": roles.hub_staff, "core_partner": roles.core_partner,
    }  # fmt: skip
