"""Permission matrix of the learning loop: learning questions, reflection sessions, adaptation
decisions, the framework node edit form and the revisions API.

- Learning questions go with the framework: the matrix framework is the initiative's, kept by
  hub staff (hana); every signed-in member reads it.
- Sessions of the initiative are recorded by hub staff, reviewers and core partners (pablo); a
  landscape leader (lena) records her landscape's sessions only. The network session is
  read by every signed-in member; public lists are open to everyone (public sessions only).
- The restricted session of lena's landscape is read by hana and lena only: 404 for the
  others, even where a write is asked.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from landhub.core.matrix import (
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTH,
    Case,
    only,
    signed_in,
)

STAFF = {"hana"}
RECORDERS = {"hana", "pablo", "lena"}  # may record a session somewhere
EVERYONE = dict.fromkeys(("anonymous", "hana", "pablo", "sofia", "lena", "nora", "oscar"), OK)


def _framework(w):
    from landhub.mel import services
    from landhub.mel.models import Framework

    existing = Framework.objects.filter(slug="matrix-learning").first()
    return existing or services.framework_create(actor=w.hana, title="Matrix learning",
                                                 template="landscale")  # fmt: skip


def _node(w):
    return _framework(w).nodes.get(code="C1")


def _question(w):
    from landhub.mel import services
    from landhub.mel.models import LearningQuestion

    node = _node(w)
    existing = LearningQuestion.objects.filter(node=node).first()
    return existing or services.question_create(actor=w.hana, node=node,
                                                question="Does the matrix learn?")  # fmt: skip


def _session(w):
    """A network session of the initiative, recorded by hana, discussing the question."""
    from landhub.mel import services
    from landhub.mel.models import ReflectionSession

    existing = ReflectionSession.objects.filter(title="Matrix reflection").first()
    return existing or services.session_create(
        actor=w.hana, title="Matrix reflection", held_on=dt.date(2026, 3, 1),
        reflections="We learned *something*.", questions=[_question(w)],
    )  # fmt: skip


def _restricted(w):
    """A restricted session of lena's landscape, recorded by hana."""
    from landhub.mel import services
    from landhub.mel.models import ReflectionSession

    existing = ReflectionSession.objects.filter(title="Matrix restricted").first()
    return existing or services.session_create(
        actor=w.hana, title="Matrix restricted", held_on=dt.date(2026, 3, 2),
        reflections="Only for the landscape.", landscape=w.landscape, visibility="restricted",
    )  # fmt: skip


def _decision(w):
    from landhub.mel import services
    from landhub.mel.models import AdaptationDecision

    session = _session(w)
    existing = AdaptationDecision.objects.filter(session=session).first()
    return existing or services.decision_create(
        actor=w.hana, session=session, what_changes="Reword C1", why="It is unclear.",
        nodes=[_node(w)],
    )  # fmt: skip


def SLUG(w):  # noqa: N802 - reads like the other matrices' constants
    return _framework(w).slug


def NODE(w):  # noqa: N802
    return _node(w).pk


def QUESTION(w):  # noqa: N802
    return _question(w).pk


def SESSION(w):  # noqa: N802
    return _session(w).pk


def RESTRICTED(w):  # noqa: N802
    return _restricted(w).pk


def DECISION(w):  # noqa: N802
    return _decision(w).pk


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) if callable(a) else a for a in args])


def _hidden(allowed: set[str], *, yes: int = OK) -> dict:
    """``allowed`` get ``yes``; everyone else (anonymous too) gets 404."""
    return {p: (yes if p in allowed else NOT_FOUND) for p in EVERYONE}


PAGES = [
    Case("mel:question_list", url("question_list"), expect=signed_in()),
    Case("mel:question_export_csv", url("question_export_csv"), expect=signed_in()),
    Case("mel:question_create", url("question_create", SLUG), expect=only(STAFF)),
    Case(
        "mel:question_create",
        url("question_create", SLUG),
        method="post",
        data=lambda w: {"node": NODE(w), "question": "Who lends?"},
        expect=only(STAFF, yes=REDIRECT),
        label="post",
    ),  # fmt: skip
    Case("mel:question_detail", url("question_detail", QUESTION), expect=signed_in()),
    Case(
        "mel:question_edit",
        url("question_edit", QUESTION),
        method="post",
        data=lambda w: {"edit-node": NODE(w), "edit-question": "Does it learn fast?"},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:question_answer",
        url("question_answer", QUESTION),
        method="post",
        data={"answer-answer": "Yes, slowly."},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:question_drop",
        url("question_drop", QUESTION),
        method="post",
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:session_list", url("session_list"), expect=EVERYONE),
    Case("mel:session_export_csv", url("session_export_csv"), expect=EVERYONE),
    Case("mel:session_create", url("session_create"), expect=only(RECORDERS)),
    Case(
        "mel:session_detail",
        url("session_detail", SESSION),
        expect={**signed_in(), "anonymous": NOT_FOUND},
    ),  # fmt: skip
    Case(
        "mel:session_detail",
        url("session_detail", RESTRICTED),
        expect=_hidden({"hana", "lena"}),
        label="restricted",
    ),  # fmt: skip
    Case("mel:session_edit", url("session_edit", SESSION), expect=only(STAFF)),
    Case(
        "mel:session_edit",
        url("session_edit", RESTRICTED),
        expect={**_hidden({"hana", "lena"}), "anonymous": REDIRECT},
        label="restricted",
    ),  # fmt: skip
    Case(
        "mel:session_archive",
        url("session_archive", SESSION),
        method="post",
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:decision_create", url("decision_create", SESSION), expect=only(STAFF)),
    Case("mel:decision_list", url("decision_list"), expect=signed_in()),
    Case("mel:decision_export_csv", url("decision_export_csv"), expect=signed_in()),
    Case("mel:decision_detail", url("decision_detail", DECISION), expect=signed_in()),
    Case("mel:decision_edit", url("decision_edit", DECISION), expect=only(STAFF)),
    Case(
        "mel:learning_suggest",
        lambda w: reverse("mel:learning_suggest") + "?kind=person&q=le",
        expect=EVERYONE,
    ),  # fmt: skip
    Case("mel:framework_node_edit", url("framework_node_edit", SLUG, NODE), expect=only(STAFF)),
]

API = "/api/v1/mel/learning"
NO_ANON = {"anonymous": UNAUTH}

API_CASES = [
    Case(
        f"GET {API}/questions", lambda w: f"{API}/questions", expect={**signed_in(), **NO_ANON}
    ),  # fmt: skip
    Case(
        f"POST {API}/questions",
        lambda w: f"{API}/questions",
        method="post",
        json=True,
        data=lambda w: {"node": NODE(w), "question": "Does the API learn?"},
        expect=only(STAFF, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"GET {API}/questions/{{question_id}}",
        lambda w: f"{API}/questions/{QUESTION(w)}",
        expect={**signed_in(), **NO_ANON},
    ),  # fmt: skip
    Case(
        f"PATCH {API}/questions/{{question_id}}",
        lambda w: f"{API}/questions/{QUESTION(w)}",
        method="patch",
        json=True,
        data=lambda w: {"version": _question(w).version, "answer": "It does."},
        expect=only(STAFF, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(f"GET {API}/sessions", lambda w: f"{API}/sessions", expect=EVERYONE),
    Case(
        f"POST {API}/sessions",
        lambda w: f"{API}/sessions",
        method="post",
        json=True,
        data={"title": "API reflection", "held_on": "2026-04-01", "reflections": "Fine."},
        expect=only({"hana", "pablo"}, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"GET {API}/sessions/{{session_id}}",
        lambda w: f"{API}/sessions/{RESTRICTED(w)}",
        expect=_hidden({"hana", "lena"}),
    ),  # fmt: skip
    Case(
        f"PATCH {API}/sessions/{{session_id}}",
        lambda w: f"{API}/sessions/{SESSION(w)}",
        method="patch",
        json=True,
        data=lambda w: {"version": _session(w).version, "title": "Matrix reflection, again"},
        expect=only(STAFF, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"GET {API}/decisions", lambda w: f"{API}/decisions", expect={**signed_in(), **NO_ANON}
    ),  # fmt: skip
    Case(
        f"POST {API}/sessions/{{session_id}}/decisions",
        lambda w: f"{API}/sessions/{SESSION(w)}/decisions",
        method="post",
        json=True,
        data={"what_changes": "Add a node", "why": "A gap."},
        expect=only(STAFF, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"GET {API}/decisions/{{decision_id}}",
        lambda w: f"{API}/decisions/{DECISION(w)}",
        expect={**signed_in(), **NO_ANON},
    ),  # fmt: skip
    Case(
        f"PATCH {API}/decisions/{{decision_id}}",
        lambda w: f"{API}/decisions/{DECISION(w)}",
        method="patch",
        json=True,
        data=lambda w: {"version": _decision(w).version, "status": "in_progress"},
        expect=only(STAFF, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "GET /api/v1/mel/frameworks/{slug}/revisions",
        lambda w: f"/api/v1/mel/frameworks/{SLUG(w)}/revisions",
        expect={**signed_in(), "anonymous": NOT_FOUND},
    ),  # fmt: skip
]

CASES = [*PAGES, *API_CASES]
