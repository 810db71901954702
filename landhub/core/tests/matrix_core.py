from django.urls import reverse

from landhub.core.matrix import BAD, NOT_ALLOWED, OK, Case, signed_in


def _unsubscribe_url(world):
    from landhub.core.services import unsubscribe_token

    return reverse("core:unsubscribe", args=[unsubscribe_token(user_id=world.nora.pk, kind="x")])


CASES = [
    Case("core:healthz", lambda w: reverse("core:healthz")),
    Case("core:notifications", lambda w: reverse("core:notifications"), expect=signed_in()),
    Case(
        "core:notifications_read",
        lambda w: reverse("core:notifications_read"),
        method="post",
        data={},
        expect=signed_in(302),
    ),  # fmt: skip
    Case(
        "core:notifications_read",
        lambda w: reverse("core:notifications_read"),
        expect={**signed_in(NOT_ALLOWED)},
        label="(GET not allowed)",
    ),  # fmt: skip
    Case("core:unsubscribe", _unsubscribe_url, default=OK),
    Case(
        "core:unsubscribe",
        lambda w: reverse("core:unsubscribe", args=["forged"]),
        default=BAD,
        label="(forged token)",
    ),  # fmt: skip
    Case(
        "core:task_progress",
        lambda w: reverse("core:task_progress", args=[999999]),
        expect=signed_in(404),
        label="(someone else's or missing)",
    ),  # fmt: skip
]
