"""Pages of decisions, votes and advice: the decision register (filters, search, CSV and
Excel), a decision's record with its tally, recusals and the advice received, the forms to
propose, edit, open a vote, vote, close, record a consensus or chair's decision, withdraw and
declare a conflict; advice requests (ask, the advisory body's list, give or decline); and the
public summaries of adopted decisions (anyone, signed in or not).

Thin: ``forms/decisions.py`` parses, ``selectors/decisions.py`` reads with the access rules,
``services/decisions.py`` decides.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import add_service_errors, posted_version, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import (
    chunked,
    csv_response,
    export_response,
    filters_from,
    paginate,
    sort_queryset,
)
from landhub.directory.rules import can

from .. import services
from ..forms.decisions import (
    AdviceDeclineForm,
    AdviceFilterForm,
    AdviceGiveForm,
    AdviceRequestForm,
    CloseVoteForm,
    ConflictForm,
    DecisionFilterForm,
    DecisionForm,
    OpenVoteForm,
    PublicFilterForm,
    RecordForm,
    VoteForm,
)
from ..models import AdviceStatus, Body, DecisionMethod, DecisionStatus, TieRule
from ..selectors.decisions import (
    ADVICE_SORTS,
    DECISION_SORTS,
    advice_detail,
    advice_list,
    decision_detail,
    decision_history,
    decision_list,
    public_summaries,
    tally_preview,
    vote_state,
)

DECISION_FILTERS = ("q", "body", "status", "method", "procedure", "year", "issue", "plan_item")


# --- the register ---------------------------------------------------------------------------


def _sorted(request):
    qs = decision_list(user=request.user, filters=filters_from(request, DECISION_FILTERS))
    return sort_queryset(qs, request.GET.get("sort"), DECISION_SORTS, "-decided")


@login_required
def decision_list_view(request):
    """The decision register: every decision the reader may read."""
    qs, sort = _sorted(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-decided", _("Recently decided")), ("title", _("Title")),
                  ("body", _("Body"))],
        "filter_form": DecisionFilterForm(request.GET or None, user=request.user),
    }  # fmt: skip
    return render_page(request, "governance/decision_list.html", context,
                       partial="governance/partials/decision_results.html")  # fmt: skip


EXPORT_HEADER = ("Id", "Title", "Body", "Status", "Method", "Taken", "Meeting", "Key issue",
                 "Decided", "Takes effect on", "In favour", "Against", "Abstaining",
                 "Eligible seats", "Present", "Quorum needed", "Result", "Confidential",
                 "Link")  # fmt: skip


def _export_rows(qs):
    yes, no = _("yes"), _("no")
    for chunk in chunked(qs.iterator(chunk_size=500), 500):
        for d in chunk:
            voted = d.method == DecisionMethod.VOTE and d.decided_at is not None
            yield [
                d.pk, d.title, d.body.name, d.get_status_display(), d.get_method_display(),
                _("By written procedure") if d.meeting_id is None else _("At a meeting"),
                d.meeting.title if d.meeting_id else "",
                d.key_issue.title if d.key_issue_id else "",
                d.decided_at.date().isoformat() if d.decided_at else "",
                d.effective_on.isoformat() if d.effective_on else "",
                d.yes_votes if voted else "", d.no_votes if voted else "",
                d.abstentions if voted else "", d.eligible_seats if d.decided_at else "",
                "" if d.present_seats is None else d.present_seats,
                "" if d.quorum_required is None else d.quorum_required,
                d.result_note, yes if d.confidential else no,
                settings.SITE_URL + d.get_absolute_url(),
            ]  # fmt: skip


@login_required
def decision_export(request, fmt):
    """The register as filtered and sorted, every row: ``export.csv`` or ``export.xlsx``."""
    qs, _sort = _sorted(request)
    return export_response(fmt, "decisions", _("Decisions"), [_(h) for h in EXPORT_HEADER],
                           _export_rows(qs))  # fmt: skip


def decision_public_view(request):
    """Summaries of adopted, non-confidential decisions of bodies that publish them: the
    title, the body, the date and the public summary, nothing else. Anyone may read it."""
    filters = filters_from(request, ("q", "body"))
    context = {"page": paginate(request, public_summaries(filters=filters), per_page=25),
               "filter_form": PublicFilterForm(request.GET or None)}  # fmt: skip
    return render_page(request, "governance/public_decisions.html", context,
                       partial="governance/partials/decision_public_results.html")  # fmt: skip


# --- proposing and editing ------------------------------------------------------------------


def _place(request):
    """Where a new decision is proposed: ``?agenda_item=<pk>``, ``?issue=<pk>`` or
    ``?body=<slug>`` (each among what the reader may see; anything else: a 404)."""
    from ..models import AgendaItem, KeyIssue, Meeting
    from ..selectors.decisions import _pk

    source = request.GET if request.method == "GET" else (request.POST or request.GET)
    item_id = _pk(source.get("agenda_item") or request.GET.get("agenda_item"))
    issue_id = _pk(source.get("issue") or request.GET.get("issue"))
    slug = (source.get("body") or request.GET.get("body") or "").strip()[:80]
    if item_id:
        item = (AgendaItem.objects.filter(pk=item_id,
                                          meeting__in=Meeting.objects.visible_to(request.user))
                .select_related("meeting__body", "key_issue").first())  # fmt: skip
        if item is None:
            raise Http404
        return {"body": item.meeting.body, "meeting": item.meeting, "agenda_item": item,
                "key_issue": item.key_issue}  # fmt: skip
    if issue_id:
        issue = (KeyIssue.objects.visible_to(request.user).filter(pk=issue_id)
                 .select_related("body").first())  # fmt: skip
        if issue is None:
            raise Http404
        return {"body": issue.body, "key_issue": issue}
    if slug:
        body = Body.objects.visible_to(request.user).filter(slug=slug).first()
        if body is None:
            raise Http404
        return {"body": body}
    return None


def _proposable_bodies(user):
    from ..rules import officer_body_ids

    qs = Body.objects.visible_to(user).filter(archived_at__isnull=True).order_by("name")
    if can(user, "governance.manage_bodies"):
        return qs
    return qs.filter(pk__in=officer_body_ids(user))


@login_required
def decision_create_view(request):
    """Propose a decision on an agenda item, a key issue, or to a body by written procedure."""
    place = _place(request)
    if place is None:
        bodies = list(_proposable_bodies(request.user))
        if not bodies:
            raise PermissionDenied
        return render(request, "governance/decision_choose_body.html", {"bodies": bodies})
    body = place["body"]
    if not can(request.user, "governance.propose_decision", body):
        raise PermissionDenied
    initial = {"key_issue": getattr(place.get("key_issue"), "pk", None)}
    if place.get("agenda_item"):
        initial["title"] = place["agenda_item"].title
    elif place.get("key_issue"):
        initial["title"] = place["key_issue"].title
    form = DecisionForm(request.POST or None, user=request.user, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.decision_propose(
            actor=request.user, body=body, meeting=place.get("meeting"),
            agenda_item=place.get("agenda_item"), **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Decision proposed."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/decision_form.html",
                  {"form": form, "decision": None, "place": place, "body": body},
                  status=status)  # fmt: skip


@login_required
def decision_edit_view(request, pk):
    """Edit a proposed decision (after the vote opens: its summary, date and plan items)."""
    decision = decision_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.propose_decision", decision.body):
        raise PermissionDenied
    if decision.status == DecisionStatus.WITHDRAWN or decision.archived_at:
        messages.error(request, _("A withdrawn decision is not edited."))
        return redirect(decision.get_absolute_url())
    form = DecisionForm(request.POST or None, user=request.user, body=decision.body,
                        decision=decision)  # fmt: skip
    saved = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        saved = save_form(form, lambda: services.decision_update(
            actor=request.user, decision=decision, version=version,
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Decision saved."))
            return redirect(decision.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/decision_form.html",
                  {"form": form, "decision": decision, "body": decision.body,
                   "current": saved.current if saved else None}, status=status)  # fmt: skip


# --- the decision's page --------------------------------------------------------------------


def _detail_context(request, decision, **given) -> dict:
    user = request.user
    officer = can(user, "governance.propose_decision", decision.body)
    state = vote_state(user, decision)
    context = {
        "decision": decision, "state": state, "officer": officer,
        "entries": decision_history(decision) if decision.shows_votes else [],
        "errors": given.get("errors") or {},
    }  # fmt: skip
    is_open = decision.status == DecisionStatus.VOTING
    if state.can_vote or given.get("vote_form"):
        context["vote_form"] = given.get("vote_form") or VoteForm()
    if officer and decision.status == DecisionStatus.PROPOSED:
        if decision.method == DecisionMethod.VOTE:
            context["open_form"] = given.get("open_form") or OpenVoteForm(
                initial={"version": decision.version})  # fmt: skip
        else:
            context["record_form"] = given.get("record_form") or RecordForm(
                initial={"version": decision.version})  # fmt: skip
    if officer and is_open:
        preview, quorum = tally_preview(decision)
        casting = preview.tie and decision.tie_rule == TieRule.CHAIR_CASTS
        context.update({"preview": preview, "preview_quorum": quorum, "casting": casting})
        context["close_form"] = given.get("close_form") or CloseVoteForm(
            casting=casting, initial={"version": decision.version})  # fmt: skip
    from ..rules import member_body_ids

    holds_seat = (bool(state.own_seat_ids) if decision.method == DecisionMethod.VOTE
                  else decision.body_id in member_body_ids(user))  # fmt: skip
    if (decision.status in (DecisionStatus.PROPOSED, DecisionStatus.VOTING) and holds_seat
            and can(user, "governance.declare_conflict", decision.body)):  # fmt: skip
        context["conflict_form"] = given.get("conflict_form") or ConflictForm()
    context["can_withdraw"] = officer and decision.status in (DecisionStatus.PROPOSED,
                                                               DecisionStatus.VOTING)  # fmt: skip
    context["can_request_advice"] = can(user, "governance.request_advice", decision.body) and (
        decision.status in (DecisionStatus.PROPOSED, DecisionStatus.VOTING))  # fmt: skip
    if decision.status == DecisionStatus.ADOPTED:
        from ..selectors.actions import decision_actions

        context["actions"] = decision_actions(user=user, decision=decision)
        context["can_record_action"] = can(user, "governance.manage_actions", decision.body)
    return context


@login_required
def decision_detail_view(request, pk):
    decision = decision_detail(user=request.user, pk=pk)
    return render(request, "governance/decision_detail.html", _detail_context(request, decision))


def _again(request, pk, status=400, **given):
    """The decision page again, with the form that failed and its messages."""
    fresh = decision_detail(user=request.user, pk=pk)
    return render(request, "governance/decision_detail.html",
                  _detail_context(request, fresh, **given), status=status)  # fmt: skip


def _officer_decision(request, pk):
    decision = decision_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.propose_decision", decision.body):
        raise PermissionDenied
    return decision


@login_required
@require_POST
def decision_open_view(request, pk):
    decision = _officer_decision(request, pk)
    form = OpenVoteForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.vote_open(
            actor=request.user, decision=decision, closes_at=data["closes_at"],
            version=data.get("version")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("The vote is open; the voting members are told."))
            return redirect(decision.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    return _again(request, pk, status, open_form=form)


@login_required
@require_POST
def decision_vote_view(request, pk):
    """Vote yes, no or abstain on the seat the reader may vote for. An htmx request gets the
    vote panel back; otherwise the decision page."""
    decision = decision_detail(user=request.user, pk=pk)
    form = VoteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.vote_cast(actor=request.user, decision=decision,
                               choice=form.cleaned_data["choice"],
                               comment=form.cleaned_data.get("comment", ""))  # fmt: skip
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 400
    else:
        status = 400
    if getattr(request, "htmx", False):
        fresh = decision_detail(user=request.user, pk=pk)
        context = _detail_context(request, fresh, vote_form=form if status != 200 else None)
        context["just_voted"] = status == 200
        return render(request, "governance/partials/vote_panel.html", context, status=status)
    if status == 200:
        messages.success(request, _("Your vote is recorded."))
        return redirect(decision.get_absolute_url())
    return _again(request, pk, status, vote_form=form)


@login_required
@require_POST
def decision_close_view(request, pk):
    decision = _officer_decision(request, pk)
    casting = False
    if decision.status == DecisionStatus.VOTING:
        preview, _quorum = tally_preview(decision)
        casting = preview.tie and decision.tie_rule == TieRule.CHAIR_CASTS
    form = CloseVoteForm(request.POST, casting=casting)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.vote_close(
            actor=request.user, decision=decision, version=data.get("version"),
            casting_vote=data.get("casting_vote", "")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("The vote is closed: %(result)s") % {
                "result": saved.result.result_note})  # fmt: skip
            return redirect(decision.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    return _again(request, pk, status, close_form=form)


@login_required
@require_POST
def decision_record_view(request, pk):
    decision = _officer_decision(request, pk)
    form = RecordForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.decision_record(
            actor=request.user, decision=decision, version=data.get("version"),
            adopted=data["adopted"], note=data.get("note", "")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("The decision is recorded."))
            return redirect(decision.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    return _again(request, pk, status, record_form=form)


@login_required
@require_POST
def decision_withdraw_view(request, pk):
    decision = _officer_decision(request, pk)
    try:
        services.decision_withdraw(actor=request.user, decision=decision,
                                   version=posted_version(request.POST.get("version")))  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this decision meanwhile; look at it again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision withdrawn."))
    return redirect(decision.get_absolute_url())


@login_required
@require_POST
def decision_conflict_view(request, pk):
    """Declare a conflict of interest on the decision, for the reader's own seat."""
    decision = decision_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.declare_conflict", decision.body):
        raise PermissionDenied
    form = ConflictForm(request.POST)
    if form.is_valid():
        saved = save_form(form, lambda: services.conflict_declare_on_decision(
            actor=request.user, decision=decision, nature=form.cleaned_data["nature"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Your conflict of interest is recorded: your seat does "
                                        "not vote on this decision."))  # fmt: skip
            return redirect(decision.get_absolute_url())
    return _again(request, pk, 400, conflict_form=form)


# --- advice ---------------------------------------------------------------------------------


def _advice_subject(request):
    """The decision (``?decision=<pk>``) or key issue (``?issue=<pk>``) advice is asked on."""
    from ..models import KeyIssue
    from ..selectors.decisions import _pk

    source = request.POST if request.method == "POST" else request.GET
    decision_id = _pk(source.get("decision") or request.GET.get("decision"))
    issue_id = _pk(source.get("issue") or request.GET.get("issue"))
    if decision_id:
        decision = decision_detail(user=request.user, pk=decision_id)
        return decision.body, decision, None
    if issue_id:
        issue = (KeyIssue.objects.visible_to(request.user).filter(pk=issue_id)
                 .select_related("body").first())  # fmt: skip
        if issue is not None:
            return issue.body, None, issue
    raise Http404


@login_required
def advice_create_view(request):
    """Ask an advisory body for its advice on a decision or a key issue."""
    asking, decision, issue = _advice_subject(request)
    if not can(request.user, "governance.request_advice", asking):
        raise PermissionDenied
    form = AdviceRequestForm(request.POST or None, user=request.user, asking=asking)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.advice_request_create(
            actor=request.user, adviser=data["adviser"], question=data["question"],
            key_issue=issue, decision=decision, due_on=data.get("due_on")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Advice requested; the advisory body's members are "
                                        "told."))  # fmt: skip
            return redirect((decision or issue).get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/advice_form.html",
                  {"form": form, "subject": decision or issue, "decision": decision,
                   "issue": issue, "asking": asking}, status=status)  # fmt: skip


def _advice_requests(request, slug):
    body = Body.objects.visible_to(request.user).filter(slug=slug[:80]).first()
    if body is None:
        raise Http404
    filters = filters_from(request, ("q", "status", "recommendation"))
    qs, sort = sort_queryset(advice_list(user=request.user, body=body, filters=filters),
                             request.GET.get("sort"), ADVICE_SORTS, "-requested")  # fmt: skip
    return body, qs, sort


@login_required
def advice_export_csv(request, slug):
    """The body's advice requests as filtered and sorted, every row, for a report."""
    body, qs, _sort = _advice_requests(request, slug)
    header = [_("Requested"), _("Asked about"), _("Question"), _("Wanted by"), _("Status"),
              _("Recommendation"), _("Advice"), _("Given")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for advice in chunk:
                subject = advice.decision or advice.key_issue
                yield [advice.created_at.date().isoformat(), subject.title if subject else "",
                       advice.question, advice.due_on.isoformat() if advice.due_on else "",
                       advice.get_status_display(), advice.get_recommendation_display(),
                       advice.advice,
                       advice.given_at.date().isoformat() if advice.given_at else ""]  # fmt: skip

    return csv_response(f"advice-{body.slug}.csv", header, rows())


@login_required
def advice_list_view(request, slug):
    """The requests made to an advisory body, for its members and officers to answer."""
    body, qs, sort = _advice_requests(request, slug)
    context = {
        "body": body, "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-requested", _("Newest")), ("due", _("Due first")),
                  ("status", _("Status"))],
        "filter_form": AdviceFilterForm(request.GET or None),
        "can_answer": can(request.user, "governance.give_advice", body),
    }  # fmt: skip
    return render_page(request, "governance/advice_list.html", context,
                       partial="governance/partials/advice_results.html")  # fmt: skip


def _advice_context(request, advice, **given) -> dict:
    answer = (advice.status == AdviceStatus.REQUESTED
              and can(request.user, "governance.give_advice", advice))  # fmt: skip
    context = {
        "advice": advice,
        "can_answer": answer,
        "refused": [message for form in given.values() for message in form.non_field_errors()],
    }
    if answer:
        context["give_form"] = given.get("give_form") or AdviceGiveForm(
            initial={"version": advice.version})  # fmt: skip
        context["decline_form"] = given.get("decline_form") or AdviceDeclineForm(
            initial={"version": advice.version})  # fmt: skip
    return context


@login_required
def advice_detail_view(request, pk):
    advice = advice_detail(user=request.user, pk=pk)
    return render(request, "governance/advice_detail.html", _advice_context(request, advice))


def _answer(request, pk, form_class, key, call):
    advice = advice_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.give_advice", advice):
        raise PermissionDenied
    form = form_class(request.POST)
    saved = None
    if form.is_valid():
        saved = save_form(form, lambda: call(advice, form.cleaned_data))
        if saved.ok:
            messages.success(request, _("The advice is recorded.") if key == "give_form"
                             else _("The request is declined."))  # fmt: skip
            subject = advice.decision or advice.key_issue
            return redirect(subject.get_absolute_url() if advice.decision_id
                            else advice_url(advice))  # fmt: skip
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = advice_detail(user=request.user, pk=pk)
    return render(request, "governance/advice_detail.html",
                  _advice_context(request, fresh, **{key: form}), status=status)  # fmt: skip


def advice_url(advice) -> str:
    from django.urls import reverse

    return reverse("governance:advice_detail", args=[advice.pk])


@login_required
@require_POST
def advice_give_view(request, pk):
    def give(advice, data):
        return services.advice_give(actor=request.user, request=advice,
                                    version=data.get("version"), advice=data["advice"],
                                    recommendation=data["recommendation"])  # fmt: skip

    return _answer(request, pk, AdviceGiveForm, "give_form", give)


@login_required
@require_POST
def advice_decline_view(request, pk):
    def decline(advice, data):
        return services.advice_decline(actor=request.user, request=advice,
                                       version=data.get("version"),
                                       reason=data.get("reason", ""))  # fmt: skip

    return _answer(request, pk, AdviceDeclineForm, "decline_form", decline)


urlpatterns = [
    path("governance/decisions/", decision_list_view, name="decision_list"),
    path("governance/decisions/export.<str:fmt>", decision_export, name="decision_export"),
    path("governance/decisions/new/", decision_create_view, name="decision_create"),
    path("governance/decisions/public/", decision_public_view, name="decision_public"),
    path("governance/decisions/<int:pk>/", decision_detail_view, name="decision_detail"),
    path("governance/decisions/<int:pk>/edit/", decision_edit_view, name="decision_edit"),
    path("governance/decisions/<int:pk>/open/", decision_open_view, name="decision_open"),
    path("governance/decisions/<int:pk>/vote/", decision_vote_view, name="decision_vote"),
    path("governance/decisions/<int:pk>/close/", decision_close_view, name="decision_close"),
    path("governance/decisions/<int:pk>/record/", decision_record_view, name="decision_record"),
    path("governance/decisions/<int:pk>/withdraw/", decision_withdraw_view,
         name="decision_withdraw"),
    path("governance/decisions/<int:pk>/conflicts/", decision_conflict_view,
         name="decision_conflict"),
    path("governance/advice/new/", advice_create_view, name="advice_create"),
    path("governance/advice/<int:pk>/", advice_detail_view, name="advice_detail"),
    path("governance/advice/<int:pk>/give/", advice_give_view, name="advice_give"),
    path("governance/advice/<int:pk>/decline/", advice_decline_view, name="advice_decline"),
    path("governance/bodies/<slug:slug>/advice/", advice_list_view, name="body_advice"),
    path("governance/bodies/<slug:slug>/advice/export.csv", advice_export_csv,
         name="body_advice_csv"),
]  # fmt: skip
