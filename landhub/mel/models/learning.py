"""The learning loop (issue 6): questions → pause-and-reflect sessions → adaptation decisions.

Learning questions hang on the nodes of a results framework. A **reflection session** records
who met, the evidence they reviewed (indicators, outcome statements, stories) and what they
concluded. An **adaptation decision** says what changes, why, who does it and by when, and
names the framework nodes or indicators it revises; when a framework or indicator is then
changed "because of" the decision, an ``AdaptationRevision`` ties that change to it, so the
framework's history shows which reflection caused which change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from landhub.core.models import (
    ArchivableModel,
    TimeStampedModel,
    VersionedModel,
    Visibility,
    VisibleQuerySet,
)

from .outcomes import TAG_VOCABULARIES


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    DROPPED = "dropped", _("Dropped")


class LearningQuestion(TimeStampedModel, VersionedModel):
    """A question the initiative wants to learn the answer to, on a framework node."""

    node = models.ForeignKey(
        "mel.FrameworkNode", on_delete=models.PROTECT, related_name="learning_questions",
        verbose_name=_("framework node"),
    )  # fmt: skip
    question = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices,
                              default=QuestionStatus.OPEN)  # fmt: skip
    answer = models.TextField(_("what we have learned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["node", "id"]
        verbose_name = _("learning question")

    def __str__(self) -> str:
        return self.question[:80]

    def get_absolute_url(self) -> str:
        return reverse("mel:question_detail", args=[self.pk])


class ReflectionSession(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A pause-and-reflect session: who met, the evidence reviewed, what they concluded.

    ``landscape`` empty = a session of the initiative (hub, partners, committees).
    """

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, null=True, blank=True,
        related_name="reflection_sessions", verbose_name=_("landscape"),
    )  # fmt: skip
    participants = models.ManyToManyField(
        "directory.Person", blank=True, related_name="+", verbose_name=_("participants")
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("People not in the directory.")
    )
    questions = models.ManyToManyField(
        LearningQuestion, blank=True, related_name="sessions",
        verbose_name=_("learning questions discussed"),
    )  # fmt: skip
    indicators = models.ManyToManyField(
        "mel.Indicator", blank=True, related_name="+", verbose_name=_("indicators reviewed")
    )
    outcomes = models.ManyToManyField(
        "mel.OutcomeStatement", blank=True, related_name="reflection_sessions",
        verbose_name=_("outcome statements reviewed"),
    )  # fmt: skip
    stories = models.ManyToManyField(
        "mel.Story", blank=True, related_name="reflection_sessions",
        verbose_name=_("stories reviewed"),
    )  # fmt: skip
    reflections = models.TextField(_("reflections"), help_text=_("Markdown."))
    tags = models.ManyToManyField(
        "directory.Term", blank=True, related_name="+", verbose_name=_("tags"),
        limit_choices_to={"vocabulary__in": TAG_VOCABULARIES},
    )  # fmt: skip
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("reflections"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["-held_on", "-id"]
        # The list's order: without it PostgreSQL read and sorted every session, joining all
        # landscapes, for a page of 25 (50 → 78 ms p95 from scale 1 to 10).
        indexes = [models.Index(fields=["held_on", "id"], name="mel_session_held")]
        verbose_name = _("reflection session")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mel:session_detail", args=[self.pk])

    @classmethod
    def restricted_q(cls, user) -> Q:
        """Restricted sessions: who recorded them, their participants, the landscape's
        members.

        The participants are asked in a subquery: a join (``participants__user``) inside an
        OR gives one row per participant, so a list of sessions would repeat each of them.
        """
        from landhub.directory.models import LandscapeMembership

        attended = cls.participants.through.objects.filter(person__user=user).values(
            "reflectionsession_id")  # fmt: skip
        return (
            Q(recorded_by=user)
            | Q(pk__in=attended)
            | Q(landscape__in=LandscapeMembership.objects.filter(person__user=user).values(
                "landscape_id"))
        )  # fmt: skip


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class AdaptationDecision(TimeStampedModel, VersionedModel):
    """What a reflection session decided to change, why, who does it and by when."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.PROTECT, related_name="decisions"
    )
    what_changes = models.TextField(_("what changes"))
    why = models.TextField(_("why"))
    owner = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("who"),
    )  # fmt: skip
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices,
                              default=DecisionStatus.PLANNED)  # fmt: skip
    nodes = models.ManyToManyField(
        "mel.FrameworkNode", blank=True, related_name="adaptation_decisions",
        verbose_name=_("framework nodes it revises"),
    )  # fmt: skip
    indicators = models.ManyToManyField(
        "mel.Indicator", blank=True, related_name="adaptation_decisions",
        verbose_name=_("indicators it revises"),
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("adaptation decision")

    def __str__(self) -> str:
        return self.what_changes[:80]

    def get_absolute_url(self) -> str:
        return reverse("mel:decision_detail", args=[self.pk])


class AdaptationRevision(models.Model):
    """A change to a framework (a node or an edge) or an indicator made because of a decision.

    Written by the framework and indicator services when the editor names the decision; the
    framework's and the indicator's history pages read it to say which reflection caused the
    change.
    """

    decision = models.ForeignKey(
        AdaptationDecision, on_delete=models.PROTECT, related_name="revisions"
    )
    framework = models.ForeignKey(
        "mel.Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    node = models.ForeignKey(
        "mel.FrameworkNode", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        "mel.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(_("what was changed"), max_length=300)
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("revision made by an adaptation decision")

    def __str__(self) -> str:
        return self.summary
