"""Decisions, votes and advice.

A decision is taken on an agenda item at a meeting or by **written procedure** between
meetings, by consensus (or consent), by a vote against a threshold, or by the chair where the
body's mandate allows. It copies the body's rules at the moment it is proposed (threshold,
what the threshold is a share of, how ties are resolved): the record says what rules applied.

Each voting seat votes once — yes, no or abstain, with an optional comment; an alternate votes
in place of an absent principal (the vote belongs to the principal's seat, ``cast_by`` says
who cast it). A member who declared a conflict of interest on the item is recused: no vote,
not counted for quorum. The tally and the result are computed by ``governance.procedure``.

When an issue needs an advisory body's view (the LLAG's), an **advice request** is sent; the
advice — text and recommendation — is shown beside the decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.search import index

from landhub.core.models import ArchivableModel, TimeStampedModel, VersionedModel

from .bodies import Body, BodyRecordQuerySet, RecordsAccess, Seat, Threshold, ThresholdBase, TieRule

__all__ = [
    "AdviceRequest",
    "AdviceStatus",
    "Decision",
    "DecisionMethod",
    "DecisionStatus",
    "Recommendation",
    "Vote",
    "VoteChoice",
]


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus or consent")
    VOTE = "vote", _("Vote")
    CHAIR = "chair", _("Chair's decision")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    VOTING = "voting", _("Vote open")
    ADOPTED = "adopted", pgettext_lazy("decision", "Adopted")
    REJECTED = "rejected", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionQuerySet(BodyRecordQuerySet):
    def public_summaries(self):
        """What the public may read: the summaries of adopted, non-confidential decisions of
        bodies that publish them."""
        # EXISTS, not a join on the body's fields: so SQLite walks the register's order index
        # and stops at a page instead of sorting every adopted decision of the public bodies.
        publishing = Body.objects.filter(
            pk=models.OuterRef("body_id"), records_access=RecordsAccess.PUBLIC_SUMMARIES,
            visibility="public", archived_at__isnull=True,
        )  # fmt: skip
        return self.filter(
            models.Exists(publishing), confidential=False, status=DecisionStatus.ADOPTED,
            archived_at__isnull=True,
        ).exclude(public_summary="")  # fmt: skip


class Decision(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A decision of a body, with its method, its rules, the tally and the advice received."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey("governance.Meeting", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="decisions")  # fmt: skip
    agenda_item = models.ForeignKey("governance.AgendaItem", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="decisions")  # fmt: skip
    key_issue = models.ForeignKey("governance.KeyIssue", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="decisions",
                                  verbose_name=_("key issue"))  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the decision"), help_text=_("What is decided. Markdown."))
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Why. Markdown."))
    method = models.CharField(_("method"), max_length=12, choices=DecisionMethod.choices)
    threshold = models.CharField(_("threshold"), max_length=12, choices=Threshold.choices,
                                 blank=True)  # fmt: skip
    threshold_base = models.CharField(_("counted"), max_length=8, choices=ThresholdBase.choices,
                                      blank=True)  # fmt: skip
    tie_rule = models.CharField(_("ties"), max_length=8, choices=TieRule.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices,
                              default=DecisionStatus.PROPOSED, db_index=True)  # fmt: skip
    opens_at = models.DateTimeField(_("vote opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("vote closes"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, db_index=True)
    effective_on = models.DateField(_("takes effect on"), null=True, blank=True)
    # The result as computed when the decision was recorded (``procedure.tally``), kept so the
    # record never changes if a seat's term or the body's rules change later.
    yes_votes = models.PositiveSmallIntegerField(default=0)
    no_votes = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    eligible_seats = models.PositiveSmallIntegerField(default=0)
    present_seats = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_required = models.PositiveSmallIntegerField(null=True, blank=True)
    casting_vote_used = models.BooleanField(default=False)
    closing_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    result_note = models.TextField(_("how the result was reached"), blank=True)
    public_summary = models.TextField(
        _("public summary"), blank=True,
        help_text=_("Shown to the public where the body publishes summaries of its decisions."),
    )  # fmt: skip
    confidential = models.BooleanField(_("confidential"), default=False)
    plan_items = models.ManyToManyField("governance.PlanItem", blank=True,
                                        related_name="decisions",
                                        verbose_name=_("plan items it concerns"))  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("text"),
        index.SearchField("rationale"),
        index.SearchField("public_summary"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["-decided_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["body", "status"], name="gov_decision_body_status"),
            models.Index(fields=["status", "closes_at"], name="gov_decision_closing"),
            # The register's default order (latest first): walked, not sorted, for a page.
            models.Index(fields=["decided_at", "id"], name="gov_decision_decided"),
            # The public summaries and the register filtered by status, in the same order.
            models.Index(fields=["status", "decided_at", "id"], name="gov_decision_status_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="gov_decision_vote_closes_after_opening",
            ),
        ]  # fmt: skip
        verbose_name = _("decision")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.pk])

    @property
    def by_written_procedure(self) -> bool:
        return self.meeting_id is None


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Vote(TimeStampedModel):
    """One voting seat's vote on a decision. ``seat`` is the voting seat the vote counts for;
    ``cast_by`` is the seat of whoever cast it (an alternate standing in for the principal)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="votes")
    cast_by = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    comment = models.TextField(_("comment"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["decision", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "seat"],
                                               name="gov_vote_once_per_seat")]  # fmt: skip
        verbose_name = _("vote")


class AdviceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")


class Recommendation(models.TextChoices):
    SUPPORT = "support", _("Support")
    SUPPORT_WITH_CHANGES = "support_changes", _("Support with changes")
    OPPOSE = "oppose", _("Oppose")
    NO_POSITION = "no_position", _("No position")


class AdviceRequest(TimeStampedModel, VersionedModel):
    """A deciding body asks an advisory body for its view on a key issue or a decision; the
    advice is recorded and shown beside the decision."""

    adviser = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="advice_requests",
                                verbose_name=_("advisory body"))  # fmt: skip
    key_issue = models.ForeignKey("governance.KeyIssue", on_delete=models.CASCADE, null=True,
                                  blank=True, related_name="advice")  # fmt: skip
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="advice")  # fmt: skip
    question = models.TextField(_("question"), help_text=_("What advice is asked. Markdown."))
    due_on = models.DateField(_("advice wanted by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AdviceStatus.choices,
                              default=AdviceStatus.REQUESTED)  # fmt: skip
    advice = models.TextField(_("advice"), blank=True, help_text=_("Markdown."))
    recommendation = models.CharField(_("recommendation"), max_length=16,
                                      choices=Recommendation.choices, blank=True)  # fmt: skip
    given_at = models.DateTimeField(_("given"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")  # fmt: skip
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_issue__isnull=False) | Q(decision__isnull=False),
                name="gov_advice_on_something",
            ),
        ]  # fmt: skip
        verbose_name = _("advice request")
