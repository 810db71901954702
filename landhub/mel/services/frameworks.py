"""Writes of results frameworks: nodes, edges, publishing; a published framework changes
only with a reason, kept in its history.

Node and edge changes take an optional ``adaptation`` (an ``AdaptationDecision`` of the
learning loop): the change is then tied to the decision by an ``AdaptationRevision`` written
in the same transaction, and the decision is the change's reason when none is typed, so the
framework's history shows which reflection caused which change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..rules import can


def _unique_slug(title: str) -> str:
    from django.utils.text import slugify

    from ..models import Framework

    base = slugify(title)[:200] or "framework"
    slug, n = base, 2
    while Framework.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def framework_create(*, actor, title: str, template: str = "", landscape=None, parent=None,
                     description: str = "", visibility: str = "network"):  # fmt: skip
    """A new draft framework, empty or from a template (``framework_templates.TEMPLATES``)."""
    from ..framework_templates import TEMPLATES
    from ..models import Framework, FrameworkEdge, FrameworkNode

    framework = Framework(
        title=(title or "").strip(), landscape=landscape, parent=parent,
        description=description, visibility=visibility, template=template,
    )  # fmt: skip
    if not can(actor, "mel.change_framework", framework):
        raise PermissionDenied(_("Hub staff, or the landscape's leaders, keep frameworks."))
    if template and template not in TEMPLATES:
        raise ValidationError({"template": _("Unknown template.")})
    if parent is not None and parent.landscape_id is not None:
        raise ValidationError({"parent": _("Link to the initiative's framework.")})
    framework.slug = _unique_slug(framework.title)
    framework.full_clean()
    framework._history_user = actor
    framework.save()
    if template:
        spec = TEMPLATES[template]
        nodes = {}
        for position, (code, kind, node_title) in enumerate(spec.nodes):
            node = FrameworkNode(framework=framework, code=code, kind=kind, title=node_title,
                                 position=position)  # fmt: skip
            node._history_user = actor
            node.save()
            nodes[code] = node
        for source, target, assumption, strength in spec.edges:
            edge = FrameworkEdge(framework=framework, source=nodes[source], target=nodes[target],
                                 assumption=assumption, evidence=strength)  # fmt: skip
            edge._history_user = actor
            edge.save()
    return framework


def _framework_change(actor, framework, reason: str, adaptation=None) -> str:
    """Permission, and a reason once the framework is published (kept in the history); the
    decision behind the change (``adaptation``) gives the reason when none is typed."""
    from ..models import FrameworkStatus
    from .learning import adaptation_reason, check_adaptation

    if not can(actor, "mel.change_framework", framework):
        raise PermissionDenied(_("Hub staff, or the landscape's leaders, keep frameworks."))
    check_adaptation(adaptation)
    reason = (reason or "").strip()
    if not reason and adaptation is not None:
        reason = adaptation_reason(adaptation)
    if framework.status == FrameworkStatus.PUBLISHED and not reason:
        raise ValidationError({"reason": _("Say why a published framework changes.")})
    return reason[:100]


@transaction.atomic
def framework_publish(*, actor, framework, version: int | None):
    from ..models import FrameworkStatus

    _framework_change(actor, framework, "publish")
    framework.status = FrameworkStatus.PUBLISHED
    framework._history_user = actor
    framework._change_reason = "published"
    save_versioned(framework, expected_version=version)
    return framework


@transaction.atomic
def node_save(*, actor, framework, node=None, kind: str, code: str, title: str,
              description: str = "", feeds=None, position: int | None = None,
              reason: str = "", adaptation=None):  # fmt: skip
    from ..models import FrameworkNode

    reason = _framework_change(actor, framework, reason, adaptation)
    node = node or FrameworkNode(framework=framework)
    before = {name: getattr(node, name) for name in NODE_FIELDS} if node.pk else None
    if node.framework_id != framework.pk:
        raise ValidationError({"node": _("This node belongs to another framework.")})
    if feeds is not None and (
        framework.parent_id is None or feeds.framework_id != framework.parent_id
    ):
        raise ValidationError({"feeds": _("Choose a node of the framework this one is linked to.")})
    node.kind, node.code, node.title = kind, (code or "").strip(), (title or "").strip()
    node.description, node.feeds = description, feeds
    if position is not None:
        node.position = position
    elif node.pk is None:
        node.position = framework.nodes.count()
    node.full_clean(exclude=["framework"])
    if (
        FrameworkNode.objects.filter(framework=framework, code=node.code)
        .exclude(pk=node.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another node of this framework has this code.")})
    node._history_user = actor
    node._change_reason = reason or None
    node.save()
    if adaptation is not None:
        _revision(actor, adaptation, framework, node=node, summary=_node_summary(node, before))
    return node


@transaction.atomic
def node_remove(*, actor, node, reason: str = "", adaptation=None) -> None:
    reason = _framework_change(actor, node.framework, reason, adaptation)
    if node.learning_questions.exists():
        # The questions (and the sessions that discussed them) would lose their place.
        raise ValidationError({"node": _("Move this node's learning questions to another node "
                                         "first.")})  # fmt: skip
    if adaptation is not None:
        summary = _("Node %(code)s removed: %(title)s") % {"code": node.code, "title": node.title}
        _revision(actor, adaptation, node.framework, node=node, summary=summary)
    node._history_user = actor
    node._change_reason = reason or None
    node.delete()


@transaction.atomic
def edge_save(*, actor, framework, source, target, assumption: str = "",
              evidence: str = "untested", evidence_note: str = "", reason: str = "",
              adaptation=None):  # fmt: skip
    from ..models import FrameworkEdge

    reason = _framework_change(actor, framework, reason, adaptation)
    if source.framework_id != framework.pk or target.framework_id != framework.pk:
        raise ValidationError({"source": _("Both nodes must belong to this framework.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("A node cannot lead to itself.")})
    edge = FrameworkEdge.objects.filter(source=source, target=target).first() or FrameworkEdge(
        framework=framework, source=source, target=target)  # fmt: skip
    is_new = edge.pk is None
    edge.assumption, edge.evidence, edge.evidence_note = assumption, evidence, evidence_note
    edge.full_clean(exclude=["framework", "source", "target"])
    edge._history_user = actor
    edge._change_reason = reason or None
    edge.save()
    if adaptation is not None:
        words = (_("Link %(source)s → %(target)s added") if is_new
                 else _("Link %(source)s → %(target)s changed"))  # fmt: skip
        summary = words % {"source": source.code, "target": target.code}
        summary += f" ({edge.get_evidence_display()})"
        _revision(actor, adaptation, framework, node=source, summary=summary)
    return edge


@transaction.atomic
def edge_remove(*, actor, edge, reason: str = "", adaptation=None) -> None:
    reason = _framework_change(actor, edge.framework, reason, adaptation)
    if adaptation is not None:
        _revision(actor, adaptation, edge.framework, node=edge.source,
                  summary=_("Link %(source)s → %(target)s removed") % {
                      "source": edge.source.code, "target": edge.target.code})  # fmt: skip
    edge._history_user = actor
    edge._change_reason = reason or None
    edge.delete()


# --- revisions caused by adaptation decisions ------------------------------------------------

NODE_FIELDS = ("kind", "code", "title", "description", "feeds_id", "position")


def _node_summary(node, before: dict | None) -> str:
    """One line: what happened to the node ("Node O2 changed: title, description")."""
    if before is None:
        return _("Node %(code)s added: %(title)s") % {"code": node.code, "title": node.title}
    labels = {"feeds_id": _("feeds"), "position": _("position")}
    changed = [
        str(labels.get(name) or node._meta.get_field(name).verbose_name)
        for name in NODE_FIELDS if getattr(node, name) != before[name]
    ]  # fmt: skip
    if not changed:
        return _("Node %(code)s saved without a change") % {"code": node.code}
    return _("Node %(code)s changed: %(fields)s") % {"code": node.code,
                                                     "fields": ", ".join(changed)}  # fmt: skip


def _revision(actor, decision, framework, *, node=None, summary: str):
    from .learning import revision_record

    return revision_record(actor=actor, decision=decision, framework=framework, node=node,
                           summary=summary)  # fmt: skip
