"""Results frameworks: templates, a landscape's framework linked to the initiative's, changes
to a published framework only with a reason, and the diagram."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from landhub.mel import diagram, services
from landhub.mel.framework_templates import TEMPLATES
from landhub.mel.models import FrameworkEdge, FrameworkNode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_creates_its_nodes_and_edges(world, key):
    framework = services.framework_create(actor=world.hana, title=f"From {key}", template=key)
    spec = TEMPLATES[key]
    assert framework.nodes.count() == len(spec.nodes)
    assert FrameworkEdge.objects.filter(framework=framework).count() == len(spec.edges)
    assert framework.nodes.filter(kind="impact").count() == 1


def test_four_returns_has_the_four_returns_and_landscale_its_four_pillars(world):
    returns = services.framework_create(actor=world.hana, title="4R", template="four_returns")
    titles = " ".join(returns.nodes.filter(kind="outcome").values_list("title", flat=True))
    for word in ("inspiration", "Social", "Natural", "Financial"):
        assert word in titles
    pillars = services.framework_create(actor=world.hana, title="LS", template="landscale")
    titles = " ".join(pillars.nodes.filter(kind="outcome").values_list("title", flat=True))
    for word in ("Ecosystems", "Human well-being", "Governance", "Production"):
        assert word in titles


def test_a_landscape_framework_links_to_the_initiative_and_its_leader_keeps_it(world):
    initiative = services.framework_create(actor=world.hana, title="Initiative",
                                           template="initiative")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.framework_create(actor=world.lena, title="Not hers to make")
    mine = services.framework_create(actor=world.lena, title="Kenya Highlands ToC",
                                     landscape=world.landscape, parent=initiative)  # fmt: skip
    outcome = initiative.nodes.get(code="O2")
    title = "Coffee cooperatives finance restoration"
    node = services.node_save(actor=world.lena, framework=mine, kind="outcome", code="K1",
                              title=title, feeds=outcome)  # fmt: skip
    assert node.feeds == outcome and list(outcome.fed_by.all()) == [node]
    with pytest.raises(ValidationError, match="linked to"):
        services.node_save(actor=world.lena, framework=mine, kind="output", code="K2",
                           title="x", feeds=mine.nodes.get(code="K1"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.node_save(actor=world.nora, framework=mine, kind="output", code="K3", title="x")


def test_changes_to_a_published_framework_need_a_reason_and_are_kept(world):
    framework = services.framework_create(actor=world.hana, title="ToC", template="landscale")
    framework = services.framework_publish(actor=world.hana, framework=framework,
                                           version=framework.version)  # fmt: skip
    node = framework.nodes.get(code="L3")
    with pytest.raises(ValidationError, match="Say why"):
        services.node_save(actor=world.hana, framework=framework, node=node, kind="outcome",
                           code="L3", title="Governance: shared decisions")  # fmt: skip
    services.node_save(actor=world.hana, framework=framework, node=node, kind="outcome",
                       code="L3", title="Governance: shared decisions",
                       reason="The LLAG asked to stress shared decisions.")  # fmt: skip
    last = FrameworkNode.history.filter(id=node.pk).first()
    assert last.history_change_reason == "The LLAG asked to stress shared decisions."
    assert last.title == "Governance: shared decisions" and last.history_user == world.hana
    edge = FrameworkEdge.objects.filter(framework=framework).first()
    with pytest.raises(ValidationError):
        services.edge_remove(actor=world.hana, edge=edge)
    services.edge_remove(actor=world.hana, edge=edge, reason="Not supported by evidence.")
    assert not FrameworkEdge.objects.filter(pk=edge.pk).exists()


def test_edges_stay_inside_their_framework(world):
    one = services.framework_create(actor=world.hana, title="One", template="landscale")
    other = services.framework_create(actor=world.hana, title="Other", template="landscale")
    with pytest.raises(ValidationError, match="belong to this framework"):
        services.edge_save(actor=world.hana, framework=one, source=one.nodes.get(code="C1"),
                           target=other.nodes.get(code="I1"))  # fmt: skip
    node = one.nodes.get(code="C1")
    with pytest.raises(ValidationError, match="itself"):
        services.edge_save(actor=world.hana, framework=one, source=node, target=node)
    with pytest.raises(ValidationError, match="Another node"):
        services.node_save(actor=world.hana, framework=one, kind="output", code="C1", title="x")


def test_the_diagram_draws_every_node_and_arrow_and_escapes_text(world):
    framework = services.framework_create(actor=world.hana, title="ToC", template="initiative")
    services.node_save(actor=world.hana, framework=framework, kind="output", code="P9",
                       title="<script>alert(1)</script> & more")  # fmt: skip
    nodes = list(framework.nodes.all())
    edges = list(FrameworkEdge.objects.filter(framework=framework))
    svg = diagram.render(nodes, edges, title="ToC <draft>")
    assert svg.count("<rect") == len(nodes) and svg.count("<line") == len(edges)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "ToC &lt;draft&gt;" in svg
    assert 'stroke-dasharray="5 4"' in svg  # weak or untested evidence is dashed
    boxes, _width, _height = diagram.layout(nodes)
    rows = {box.kind: box.y for box in boxes}
    assert (
        rows["impact"] < rows["outcome"] < rows["output"] < rows["activity"] < rows["precondition"]
    )
