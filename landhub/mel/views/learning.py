"""Pages of the learning loop (issue 6): learning questions on framework nodes, reflection
sessions (pause and reflect) with the evidence they reviewed, and adaptation decisions, each
list with filters, sorting, pages and CSV.

Thin views: forms in ``forms/learning.py`` parse, services in ``services/learning.py`` decide,
selectors in ``selectors/learning.py`` read (404 for what the reader may not see, 403 for a
write they may not make).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import Saved, posted_version, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, filters_from, paginate, sort_queryset

from .. import selectors, services
from ..forms.learning import (
    AnswerForm,
    DecisionFilterForm,
    DecisionForm,
    QuestionFilterForm,
    QuestionForm,
    SessionFilterForm,
    SessionForm,
    suggestions,
)
from ..rules import can
from ..selectors import (
    DECISION_SORTS,
    QUESTION_SORTS,
    SESSION_SORTS,
    decision_detail,
    decision_list,
    framework_detail,
    question_detail,
    question_list,
    session_detail,
    session_list,
)

QUESTION_FILTERS = ("q", "framework", "node", "kind", "status")
SESSION_FILTERS = ("q", "landscape", "year", "tag", "decisions", "question", "indicator",
                   "archived")  # fmt: skip
DECISION_FILTERS = ("q", "status", "overdue", "owner", "framework", "session", "landscape")


def _may_record_somewhere(user) -> bool:
    return can(user, "mel.record_reflection")


# --- learning questions ----------------------------------------------------------------------


def _questions(request):
    return sort_queryset(question_list(user=request.user, filters=filters_from(request,
                                                                           QUESTION_FILTERS)),
                         request.GET.get("sort"), QUESTION_SORTS, "node")  # fmt: skip


@login_required
def question_list_view(request):
    qs, sort = _questions(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("node", _("Node")), ("status", _("Status")), ("-created", _("Newest")),
                  ("-updated", _("Recently changed"))],
        "filter_form": QuestionFilterForm(request.GET or None, user=request.user),
    }  # fmt: skip
    return render_page(request, "mel/question_list.html", context,
                       partial="mel/partials/learning_question_results.html")  # fmt: skip


@login_required
def question_export_csv(request):
    qs, _sort = _questions(request)
    header = [_("Question"), _("Status"), _("What we have learned"), _("Framework"), _("Node"),
              _("Node kind"), _("Sessions"), _("Created"), _("Version")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for q in chunk:
                yield [q.question, q.get_status_display(), q.answer, q.node.framework.title,
                       f"{q.node.code} {q.node.title}", q.node.get_kind_display(),
                       q.session_count, q.created_at.date().isoformat(), q.version]  # fmt: skip

    return csv_response("learning-questions.csv", header, rows())


@login_required
def question_create(request, slug):
    """Ask a question on a node of the framework (whoever keeps the framework)."""
    framework = framework_detail(user=request.user, slug=slug)
    if not can(request.user, "mel.change_framework", framework):
        raise PermissionDenied
    initial = {"node": request.GET.get("node")} if request.GET.get("node", "").isdigit() else {}
    form = QuestionForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.question_create(
            actor=request.user, node=data["node"], question=data["question"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Learning question added."))
            return redirect(framework.get_absolute_url() + "#questions-h")
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/question_form.html", {"form": form, "framework": framework},
                  status=status)  # fmt: skip


def _question_context(request, question, **given) -> dict:
    can_change = can(request.user, "mel.change_framework", question.node.framework)
    context = {"question": question, "can_change": can_change,
               "entries": history_entries(question)}  # fmt: skip
    if can_change:
        context["edit_form"] = given.get("edit_form") or QuestionForm(
            framework=question.node.framework, prefix="edit",
            initial={"node": question.node_id, "question": question.question,
                     "version": question.version})  # fmt: skip
        context["answer_form"] = given.get("answer_form") or AnswerForm(
            prefix="answer", initial={"answer": question.answer, "version": question.version}
        )
    return context


@login_required
def question_detail_view(request, pk):
    question = question_detail(user=request.user, pk=pk)
    return render(request, "mel/question_detail.html", _question_context(request, question))


def _changeable_question(request, pk):
    question = question_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_framework", question.node.framework):
        raise PermissionDenied
    return question


@login_required
@require_POST
def question_edit(request, pk):
    """Reword the question or move it to another node of the framework."""
    question = _changeable_question(request, pk)
    form = QuestionForm(request.POST, framework=question.node.framework, prefix="edit")
    saved = Saved(False, 400)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.question_update(
            actor=request.user, question=question, version=data.get("version"),
            text=data["question"], node=data["node"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Question saved."))
            return redirect(question.get_absolute_url())
    status = saved.status if saved.current is not None else 400
    fresh = question_detail(user=request.user, pk=pk)
    return render(request, "mel/question_detail.html",
                  _question_context(request, fresh, edit_form=form), status=status)  # fmt: skip


@login_required
@require_POST
def question_answer(request, pk):
    """Record what has been learned: the question is answered."""
    question = _changeable_question(request, pk)
    form = AnswerForm(request.POST, prefix="answer")
    saved = Saved(False, 400)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.question_answer(
            actor=request.user, question=question, version=data.get("version"),
            answer=data["answer"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Answer saved."))
            return redirect(question.get_absolute_url())
    status = saved.status if saved.current is not None else 400
    fresh = question_detail(user=request.user, pk=pk)
    return render(request, "mel/question_detail.html",
                  _question_context(request, fresh, answer_form=form), status=status)  # fmt: skip


@login_required
@require_POST
def question_drop(request, pk):
    """Drop the question, or open it again (``reopen=1``)."""
    question = _changeable_question(request, pk)
    try:
        services.question_drop(actor=request.user, question=question,
                               version=posted_version(request.POST.get("version")),
                               reopen=request.POST.get("reopen") == "1",
                               reason=request.POST.get("reason", "")[:100])  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this question meanwhile; look and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Question opened again.") if request.POST.get("reopen") == "1"
                         else _("Question dropped."))  # fmt: skip
    return redirect(question.get_absolute_url())


# --- reflection sessions ---------------------------------------------------------------------


def _sessions(request):
    return sort_queryset(session_list(user=request.user,
                                      filters=filters_from(request, SESSION_FILTERS)),
                         request.GET.get("sort"), SESSION_SORTS, "-held_on")  # fmt: skip


def session_list_view(request):
    """Public and network sessions are for everyone who may read them (anonymous: public)."""
    qs, sort = _sessions(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "tag_counts": selectors.tag_counts(qs),
        "sorts": [("-held_on", _("Newest")), ("held_on", _("Oldest")), ("title", _("Title")),
                  ("-updated", _("Recently changed"))],
        "filter_form": SessionFilterForm(request.GET or None, user=request.user),
        "can_record": _may_record_somewhere(request.user),
    }  # fmt: skip
    return render_page(request, "mel/session_list.html", context,
                       partial="mel/partials/learning_session_results.html")  # fmt: skip


def session_export_csv(request):
    qs, _sort = _sessions(request)
    header = [_("Title"), _("Held on"), _("Landscape"), _("Decisions"), _("Open decisions"),
              _("Who may read it"), _("Reflections"), _("Link")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for s in chunk:
                yield [s.title, s.held_on.isoformat(),
                       s.landscape.name if s.landscape_id else _("The initiative"),
                       s.decision_count, s.open_decision_count, s.get_visibility_display(),
                       s.reflections, request.build_absolute_uri(s.get_absolute_url())]  # fmt: skip

    return csv_response("reflection-sessions.csv", header, rows())


def _session_form_page(request, form, session=None, status=200):
    return render(request, "mel/session_form.html", {"form": form, "session": session},
                  status=status)  # fmt: skip


def _session_args(data) -> dict:
    return {name: data[name] for name in (
        "title", "held_on", "landscape", "participants", "other_participants", "questions",
        "indicators", "outcomes", "stories", "reflections", "tags", "visibility")}  # fmt: skip


@login_required
def session_create(request):
    if not _may_record_somewhere(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        args = _session_args(form.cleaned_data)
        saved = save_form(form, lambda: services.session_create(actor=request.user, **args))
        if saved.ok:
            messages.success(request, _("Reflection session recorded."))
            return redirect(saved.result.get_absolute_url())
    return _session_form_page(request, form, status=400 if request.method == "POST" else 200)


def session_detail_view(request, pk):
    session = session_detail(user=request.user, pk=pk)
    can_change = can(request.user, "mel.change_reflection", session)
    context = {"session": session, "can_change": can_change,
               "entries": history_entries(session) if can_change else []}  # fmt: skip
    return render(request, "mel/session_detail.html", context)


def _changeable_session(request, pk):
    session = session_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_reflection", session):
        raise PermissionDenied
    return session


@login_required
def session_edit(request, pk):
    session = _changeable_session(request, pk)
    form = SessionForm(request.POST or None, user=request.user, session=session)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        args = _session_args(form.cleaned_data)
        saved = save_form(form, lambda: services.session_update(
            actor=request.user, session=session, version=form.cleaned_data.get("version"),
            **args))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Reflection session saved."))
            return redirect(session.get_absolute_url())
    status = saved.status if saved.current is not None else (
        400 if request.method == "POST" else 200)  # fmt: skip
    return _session_form_page(request, form, session, status=status)


@login_required
@require_POST
def session_archive(request, pk):
    """Archive the session (or restore it: ``restore=1``)."""
    session = _changeable_session(request, pk)
    restore = request.POST.get("restore") == "1"
    try:
        services.session_archive(actor=request.user, session=session,
                                 version=posted_version(request.POST.get("version")),
                                 restore=restore)  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this session meanwhile; look and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Session restored.") if restore else _("Session archived."))
    return redirect(session.get_absolute_url())


# --- adaptation decisions --------------------------------------------------------------------


def _decisions(request):
    return sort_queryset(decision_list(user=request.user,
                                       filters=filters_from(request, DECISION_FILTERS)),
                         request.GET.get("sort"), DECISION_SORTS, "due_on")  # fmt: skip


@login_required
def decision_list_view(request):
    from django.utils import timezone

    qs, sort = _decisions(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort, "today": timezone.localdate(),
        "sorts": [("due_on", _("Due first")), ("status", _("Status")),
                  ("-created", _("Newest")), ("-updated", _("Recently changed"))],
        "filter_form": DecisionFilterForm(request.GET or None, user=request.user),
    }  # fmt: skip
    return render_page(request, "mel/decision_list.html", context,
                       partial="mel/partials/learning_decision_results.html")  # fmt: skip


@login_required
def decision_export_csv(request):
    from django.utils import timezone

    qs, _sort = _decisions(request)
    today = timezone.localdate()
    header = [_("What changes"), _("Why"), _("Owner"), _("By when"), _("Status"), _("Overdue"),
              _("Session"), _("Held on"), _("Landscape"), _("Changes made"), _("Link")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for d in chunk:
                overdue = bool(d.due_on and d.due_on < today
                               and d.status in ("planned", "in_progress"))  # fmt: skip
                yield [d.what_changes, d.why, d.owner.name if d.owner_id else "",
                       d.due_on.isoformat() if d.due_on else "", d.get_status_display(),
                       _("yes") if overdue else "", d.session.title,
                       d.session.held_on.isoformat(),
                       d.session.landscape.name if d.session.landscape_id else _("The initiative"),
                       d.revision_count,
                       request.build_absolute_uri(d.get_absolute_url())]  # fmt: skip

    return csv_response("adaptation-decisions.csv", header, rows())


def _decision_args(data) -> dict:
    return {"what_changes": data["what_changes"], "why": data["why"], "owner": data["owner"],
            "due_on": data["due_on"], "nodes": list(data["nodes"]),
            "indicators": data["indicators"]}  # fmt: skip


@login_required
def decision_create(request, pk):
    """A decision of the session (whoever keeps the session)."""
    session = _changeable_session(request, pk)
    form = DecisionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        args = _decision_args(form.cleaned_data)
        saved = save_form(form, lambda: services.decision_create(
            actor=request.user, session=session, **args))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Decision recorded."))
            return redirect(saved.result.get_absolute_url())
    return render(request, "mel/decision_form.html",
                  {"form": form, "session": session, "decision": None},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def decision_detail_view(request, pk):
    decision = decision_detail(user=request.user, pk=pk)
    can_change = can(request.user, "mel.change_reflection", decision.session)
    context = {"decision": decision, "session": decision.session, "can_change": can_change,
               "entries": history_entries(decision)}  # fmt: skip
    return render(request, "mel/decision_detail.html", context)


@login_required
def decision_edit(request, pk):
    decision = decision_detail(user=request.user, pk=pk)
    session = decision.session
    if not can(request.user, "mel.change_reflection", session):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, user=request.user, session=session,
                        decision=decision)  # fmt: skip
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args = _decision_args(data)
        saved = save_form(form, lambda: services.decision_update(
            actor=request.user, decision=decision, version=data.get("version"),
            status=data["status"], **args))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Decision saved."))
            return redirect(decision.get_absolute_url())
    status = saved.status if saved.current is not None else (
        400 if request.method == "POST" else 200)  # fmt: skip
    return render(request, "mel/decision_form.html",
                  {"form": form, "session": session, "decision": decision,
                   "current": saved.current}, status=status)  # fmt: skip


# --- suggestions for the pickers -------------------------------------------------------------


def learning_suggest(request):
    """``?kind=person|landscape|indicator|outcome|story|offering|organization&q=…`` →
    ``{"results": [{id, label}]}`` (what the reader may see; nothing for anonymous). The
    contribution claim form and list (area "value") use the offering and organization kinds."""
    items = suggestions(request.GET.get("kind", ""), request.GET.get("q", ""), request.user)
    return JsonResponse({"results": items})


urlpatterns = [
    path("mel/learning/questions/", question_list_view, name="question_list"),
    path("mel/learning/questions/export.csv", question_export_csv, name="question_export_csv"),
    path("mel/frameworks/<slug:slug>/questions/new/", question_create, name="question_create"),
    path("mel/learning/questions/<int:pk>/", question_detail_view, name="question_detail"),
    path("mel/learning/questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("mel/learning/questions/<int:pk>/answer/", question_answer, name="question_answer"),
    path("mel/learning/questions/<int:pk>/drop/", question_drop, name="question_drop"),
    path("mel/learning/sessions/", session_list_view, name="session_list"),
    path("mel/learning/sessions/export.csv", session_export_csv, name="session_export_csv"),
    path("mel/learning/sessions/new/", session_create, name="session_create"),
    path("mel/learning/sessions/<int:pk>/", session_detail_view, name="session_detail"),
    path("mel/learning/sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("mel/learning/sessions/<int:pk>/archive/", session_archive, name="session_archive"),
    path("mel/learning/sessions/<int:pk>/decisions/new/", decision_create,
         name="decision_create"),
    path("mel/learning/decisions/", decision_list_view, name="decision_list"),
    path("mel/learning/decisions/export.csv", decision_export_csv, name="decision_export_csv"),
    path("mel/learning/decisions/<int:pk>/", decision_detail_view, name="decision_detail"),
    path("mel/learning/decisions/<int:pk>/edit/", decision_edit, name="decision_edit"),
    path("mel/learning/suggest/", learning_suggest, name="learning_suggest"),
]  # fmt: skip
