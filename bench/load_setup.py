"""Prepare a generated hub for the load test: accounts, sessions, tokens and contested records.

Run by ``bench/load.py`` (in the hub's environment, after ``landhub generate-scale``):

    python bench/load_setup.py --users 50 --out credentials.json

The simulated users need what real users have: a signed-in session (cookie), a read-write API
token, and landscapes they lead. Sessions are created directly (``Client.force_login``) rather
than through the sign-in form, which is rate-limited on purpose and would dominate the test.
Every editing user leads one of a few *contested* landscapes, so concurrent edits of the same
record happen and must end in a 409, never in a lost update.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landhub.settings")

CONTESTED = 10  # landscapes shared by the editing users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", required=True)
    parser.add_argument("--verify", help="after the run: the report written by the locustfile")
    args = parser.parse_args()

    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.test import Client

    from landhub.accounts.models import ApiTokenScope
    from landhub.accounts.services import api_token_create
    from landhub.directory.models import (
        Landscape,
        LandscapeMembership,
        LandscapeRole,
        Organization,
        Person,
        Visibility,
    )
    from landhub.directory.scale import bench_user

    if args.verify:
        return verify(Path(args.out), Path(args.verify))

    def session_cookie(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    contested = list(
        Landscape.objects.filter(visibility=Visibility.PUBLIC, archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "slug")[:CONTESTED]
    )
    users = []
    for index in range(args.users):
        user = bench_user(f"load-{index}@scale.example")
        person, _ = Person.objects.get_or_create(user=user, defaults={"name": f"Load User {index}"})
        pk, slug = contested[index % len(contested)]
        LandscapeMembership.objects.get_or_create(
            person=person, landscape_id=pk, end_date=None,
            defaults={"role": LandscapeRole.LEADER},
        )  # fmt: skip
        _token, plain = api_token_create(actor=user, name="load test", scope=ApiTokenScope.WRITE)
        users.append({"email": user.email, "session": session_cookie(user), "token": plain,
                      "landscape": slug})  # fmt: skip

    staff = bench_user("load-staff@scale.example", staff=True)
    if not staff.authenticator_set.exists():
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    versions = dict(Landscape.objects.filter(pk__in=[pk for pk, _ in contested])
                    .values_list("slug", "version"))  # fmt: skip
    # Pages to visit: public records, so every simulated user may see them.
    sample_landscapes = list(Landscape.objects.filter(visibility=Visibility.PUBLIC)
                             .values_list("slug", flat=True)[:200])  # fmt: skip
    sample_organizations = list(Organization.objects.filter(visibility=Visibility.PUBLIC)
                                .values_list("slug", flat=True)[:200])  # fmt: skip
    Path(args.out).write_text(json.dumps({
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        # Django accepts its 32-character secret as the form token, so no page needs parsing.
        "csrf_secret": secrets.token_hex(16),
        "users": users,
        "staff": {"email": staff.email, "session": session_cookie(staff)},
        "contested_versions": versions,
        "landscapes": sample_landscapes,
        "organizations": sample_organizations,
    }, indent=1))  # fmt: skip


def verify(credentials_path: Path, report_path: Path) -> None:
    """No acknowledged edit lost: each 200 to a PATCH must have moved the version by one.

    Prints, per contested landscape, the version before and after and the edits the users
    were told succeeded; and how many organizations the imports created.
    """
    from landhub.directory.models import Landscape, Organization

    credentials = json.loads(credentials_path.read_text())
    report = json.loads(report_path.read_text())
    before = credentials["contested_versions"]
    after = dict(Landscape.objects.filter(slug__in=before).values_list("slug", "version"))
    edits = {slug: {"before": before[slug], "after": after[slug],
                    "acknowledged": report["acknowledged_edits"].get(slug, 0),
                    "conflicts": report["conflicts"].get(slug, 0)} for slug in before}  # fmt: skip
    lost = sum(max(0, e["acknowledged"] - (e["after"] - e["before"])) for e in edits.values())
    unacknowledged = sum(max(0, (e["after"] - e["before"]) - e["acknowledged"])
                         for e in edits.values())  # fmt: skip
    print(json.dumps({
        "edits": edits, "lost_updates": lost, "unacknowledged_writes": unacknowledged,
        "imported_organizations": Organization.objects.filter(
            name__startswith="Load Import").count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
