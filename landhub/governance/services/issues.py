"""Writes of key issues: raise, edit, move through their statuses, archive.

**Who.** Any current seat holder (any role, any body) and hub staff raise an issue
(``governance.raise_issue``) to a body they can see — and whose records they will be able to
read afterwards: a members-only body, or a confidential issue, is raised by its members (or
hub staff), so nobody raises what they then cannot find. Its author edits it while it is only
raised; the body's officers (chair, secretary) and hub staff edit it always
(``governance.change_issue``) and move it on (``issue_transition``).

**Statuses.** raised → scheduled (on an agenda) → under deliberation → decided → closed, one
step at a time; *scheduled* goes back to *raised* when the item is taken off the agenda. Each
step is a history record with who, when and the note given, which is what the issue page
shows as its status history. Adopting a decision on the issue marks it decided
(``services.decisions``), the same field.

**Evidence.** Links to pages of the hub (an indicator's dashboard, an outcome statement, a
value report) given as a path (``/mel/…``) or a full URL of this site; only the path is kept,
so links survive a change of host name, and each must resolve to a page of the hub (see
``evidence_path``). A link to another site is refused with a message saying so: evidence
outside the hub belongs in the background text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff
from landhub.core.services import notify
from landhub.core.versioning import save_versioned

from ..models import Body, EvidenceLink, IssueStatus, KeyIssue, RecordsAccess, Seat
from ..rules import member_body_ids
from .common import full_clean, not_archived, require

__all__ = [
    "ISSUE_FIELDS",
    "ISSUE_TRANSITIONS",
    "allowed_transitions",
    "MAX_EVIDENCE",
    "evidence_path",
    "issue_archive",
    "issue_raise",
    "issue_transition",
    "issue_update",
    "may_transition",
]

ISSUE_FIELDS = ("title", "background", "options", "urgency", "confidential", "plan_items",
                "evidence")  # fmt: skip
# From each status, where an issue may go next. Back to raised from scheduled: taken off an
# agenda before it was discussed. Raised → closed: withdrawn by the one who raised it, or not
# taken up by the body (with the reason in the note).
ISSUE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    IssueStatus.RAISED: (IssueStatus.SCHEDULED, IssueStatus.CLOSED),
    IssueStatus.SCHEDULED: (IssueStatus.DELIBERATION, IssueStatus.RAISED),
    IssueStatus.DELIBERATION: (IssueStatus.DECIDED,),
    IssueStatus.DECIDED: (IssueStatus.CLOSED,),
    IssueStatus.CLOSED: (),
}
MAX_EVIDENCE = 20
# Parts of the site that are not pages to cite as evidence: the API, the admin screens, the
# sign-in pages.
_NOT_EVIDENCE = ("/api/", "/django-admin/", "/cms/", "/accounts/", "/account/", "/i18n/",
                 "/jsi18n/", "/media/")  # fmt: skip


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc.lower()


def evidence_path(value: str) -> str:
    """The path of a page of the hub that ``value`` names (``/…`` or ``https://<site>/…``),
    with its query string; a ValidationError (plain message) for anything else."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("Give the address of a page of the hub."))
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != _site_host():
            raise ValidationError(
                _("“%(link)s” is not a page of the hub: evidence links point to pages of "
                  "%(site)s (an indicator's dashboard, an outcome statement, a value report). "
                  "Cite other sources in the background.") % {
                    "link": text[:100], "site": _site_host()})  # fmt: skip
    elif not text.startswith("/") or text.startswith("//"):
        raise ValidationError(
            _("“%(link)s” is neither a path of the hub (starting with /) nor a full address "
              "of it.") % {"link": text[:100]}
        )  # fmt: skip
    path = parts.path or "/"
    if len(path) > 450 or any(path.startswith(prefix) for prefix in _NOT_EVIDENCE):
        raise ValidationError(_("“%(link)s” is not a page of the hub.") % {"link": text[:100]})
    if not _is_hub_page(path):
        raise ValidationError(
            _("No page of the hub is at “%(path)s”: copy the address from the page you mean.")
            % {"path": path[:100]}
        )
    return path + (f"?{parts.query}" if parts.query else "")


def _is_hub_page(path: str) -> bool:
    """Whether ``path`` is one of the hub's pages. The public site's pages (Wagtail) match any
    path, so for those a live page must really be there."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.func.__module__.startswith("wagtail."):
        from wagtail.models import Page

        if path == "/":
            return True
        return Page.objects.live().filter(depth__gt=1, url_path__endswith=path).exists()
    return True


def _evidence(links, errors: dict) -> list[tuple[str, str]]:
    """``links``: dicts with ``path`` (or ``url``) and ``label`` → cleaned (path, label)."""
    cleaned, messages = [], []
    for number, link in enumerate(links or [], start=1):
        raw = (link.get("path") or link.get("url") or "").strip()
        label = (link.get("label") or "").strip()
        if not raw and not label:
            continue
        try:
            path = evidence_path(raw)
        except ValidationError as exc:
            messages.append(_("Link %(n)d: %(why)s") % {"n": number, "why": " ".join(exc.messages)})
            continue
        if not label:
            messages.append(_("Link %(n)d: give it a label, e.g. “Restored hectares, 2025”.")
                            % {"n": number})  # fmt: skip
            continue
        cleaned.append((path, label[:200]))
    if len(cleaned) > MAX_EVIDENCE:
        messages.append(_("At most %(n)d evidence links.") % {"n": MAX_EVIDENCE})
    if messages:
        errors.setdefault("evidence", []).extend(messages)
    return cleaned


def _save_evidence(issue: KeyIssue, links: list[tuple[str, str]]) -> None:
    current = [(e.path, e.label) for e in issue.evidence.order_by("position", "id")]
    if current == links:
        return
    issue.evidence.all().delete()
    EvidenceLink.objects.bulk_create([
        EvidenceLink(issue=issue, path=path, label=label, position=i)
        for i, (path, label) in enumerate(links)
    ])  # fmt: skip


def _check_body(actor, body: Body | None, confidential: bool, errors: dict) -> None:
    """The body must be one the author sees, not archived, and one whose records the author
    will read once the issue is raised."""
    if body is None or not Body.objects.visible_to(actor).filter(pk=body.pk).exists():
        errors.setdefault("body", []).append(_("Choose a body you can see."))
        return
    if body.archived_at is not None:
        errors.setdefault("body", []).append(_("This body is archived."))
        return
    if is_hub_staff(actor) or body.pk in member_body_ids(actor):
        return
    if body.records_access == RecordsAccess.MEMBERS:
        errors.setdefault("body", []).append(
            _("The records of %(body)s are for its members: ask one of them to raise the issue.")
            % {"body": body.name}
        )
    elif confidential:
        errors.setdefault("confidential", []).append(
            _("A confidential issue is raised by a member of the body (or hub staff).")
        )


def _plan_items(items) -> list:
    return list(dict.fromkeys(items or []))


def _officers(body: Body):
    from django.contrib.auth import get_user_model

    users = (Seat.objects.current().filter(body=body, role__in=("chair", "secretary"))
             .values("person__user"))  # fmt: skip
    return get_user_model().objects.filter(pk__in=users, is_active=True)


@transaction.atomic
def issue_raise(*, actor, body: Body, title: str, background: str, options: str = "",
                urgency: str = "normal", confidential: bool = False, plan_items=None,
                evidence=None) -> KeyIssue:  # fmt: skip
    """Raise a key issue to ``body``; its officers are told (``governance.issue_raised``).
    ``evidence``: dicts with ``path`` (or ``url``) and ``label``; ``plan_items``: PlanItem."""
    require(actor, "governance.raise_issue")
    errors: dict = {}
    _check_body(actor, body, bool(confidential), errors)
    links = _evidence(evidence, errors)
    issue = KeyIssue(body=body, title=(title or "").strip(), background=(background or "").strip(),
                     options=(options or "").strip(), urgency=urgency,
                     confidential=bool(confidential), raised_by=actor)  # fmt: skip
    full_clean(issue, errors, exclude=("raised_by", "plan_items"))
    issue._history_user = actor
    issue._change_reason = _("Raised")
    issue.save()
    issue.plan_items.set(_plan_items(plan_items))
    _save_evidence(issue, links)
    notify(recipients=[u for u in _officers(body) if u.pk != actor.pk],
           kind="governance.issue_raised",
           title=_("Key issue raised: %(title)s") % {"title": issue.title},
           body=_("%(who)s raised a key issue to %(body)s (urgency: %(urgency)s).") % {
               "who": getattr(actor, "name", "") or actor.email, "body": body.name,
               "urgency": issue.get_urgency_display()},
           url=issue.get_absolute_url())  # fmt: skip
    return issue


@transaction.atomic
def issue_update(*, actor, issue: KeyIssue, version: int | None, changes: dict) -> KeyIssue:
    """Change an issue's text, urgency, confidentiality, plan items or evidence (its author
    while it is raised; the body's officers and hub staff). The body does not change."""
    require(actor, "governance.change_issue", issue)
    not_archived(issue)
    unknown = set(changes) - set(ISSUE_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    errors: dict = {}
    plan_items = changes.get("plan_items")
    links = _evidence(changes["evidence"], errors) if "evidence" in changes else None
    for key, value in changes.items():
        if key in ("plan_items", "evidence"):
            continue
        setattr(issue, key, value.strip() if isinstance(value, str) else value)
    if changes.get("confidential"):
        _check_body(actor, issue.body, True, errors)
    full_clean(issue, errors, exclude=("raised_by", "plan_items"))
    issue._history_user = actor
    save_versioned(issue, expected_version=version)
    if plan_items is not None:
        issue.plan_items.set(_plan_items(plan_items))
    if links is not None:
        _save_evidence(issue, links)
    return issue


def may_transition(user, issue: KeyIssue, status: str | None = None) -> bool:
    """Officers of the issue's body and hub staff move issues on (the same people who put
    them on agendas); the person who raised an issue may withdraw it — close it — while it is
    still raised. With ``status``: may ``user`` move it there?"""
    from landhub.directory.rules import can

    if can(user, "governance.manage_meetings", issue.body):
        return True
    withdrawing = (issue.status == IssueStatus.RAISED and issue.raised_by_id is not None
                   and issue.raised_by_id == getattr(user, "pk", None))  # fmt: skip
    return withdrawing and status in (None, IssueStatus.CLOSED)


def allowed_transitions(user, issue: KeyIssue) -> tuple[str, ...]:
    """The statuses ``user`` may move the issue to (the choices of the page's form)."""
    return tuple(s for s in ISSUE_TRANSITIONS.get(issue.status, ())
                 if may_transition(user, issue, s))  # fmt: skip


@transaction.atomic
def issue_transition(*, actor, issue: KeyIssue, version: int | None, status: str,
                     note: str = "") -> KeyIssue:  # fmt: skip
    """Move an issue one step on (or back to raised from scheduled); the step, with ``note``,
    is kept in the issue's history."""
    if not may_transition(actor, issue, status):
        raise PermissionDenied(_("You may not do this."))
    not_archived(issue)
    if status not in IssueStatus.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    if issue.status == IssueStatus.RAISED and status == IssueStatus.CLOSED and not note.strip():
        raise ValidationError(
            {
                "note": [
                    _("Say why the issue is closed without a decision (withdrawn, not taken up …).")
                ]
            }
        )
    allowed = ISSUE_TRANSITIONS.get(issue.status, ())
    if status not in allowed:
        names = ", ".join(str(IssueStatus(s).label) for s in allowed) or _("none")
        raise ValidationError({"status": [
            _("A %(now)s issue cannot become %(next)s; possible next steps: %(allowed)s.") % {
                "now": issue.get_status_display().lower(),
                "next": str(IssueStatus(status).label).lower(), "allowed": names.lower()}
        ]})  # fmt: skip
    issue.status = status
    issue.closed_at = timezone.now() if status == IssueStatus.CLOSED else None
    issue._history_user = actor
    issue._change_reason = (note or "").strip()[:100]
    save_versioned(issue, expected_version=version, update_fields=["status", "closed_at"])
    return issue


@transaction.atomic
def issue_archive(*, actor, issue: KeyIssue, version: int | None,
                  restore: bool = False) -> KeyIssue:  # fmt: skip
    """Archive an issue (raised by mistake, a duplicate), or restore it. Archived issues
    leave the register but stay readable from their links."""
    require(actor, "governance.change_issue", issue)
    issue.archived_at = None if restore else timezone.now()
    issue._history_user = actor
    save_versioned(issue, expected_version=version, update_fields=["archived_at"])
    return issue
