from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, Case, signed_in

CASES = [
    Case("accounts:profile", lambda w: reverse("accounts:profile"), expect=signed_in()),
    Case("accounts:tokens", lambda w: reverse("accounts:tokens"), expect=signed_in()),
    Case(
        "accounts:token_revoke",
        lambda w: reverse("accounts:token_revoke", args=[999999]),
        method="post",
        expect=signed_in(NOT_FOUND),
        label="(not one's own)",
    ),  # fmt: skip
    Case(
        "accounts:notification_preferences",
        lambda w: reverse("accounts:notification_preferences"),
        expect=signed_in(),
    ),  # fmt: skip
    Case("GET /api/v1/me", lambda w: "/api/v1/me", expect={**signed_in(), "anonymous": 401}),
]
