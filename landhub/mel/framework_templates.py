"""Results frameworks to start from: the initiative's theory of change, Commonland's 4 Returns
and LandScale's four pillars. Written in our own words as starting points; hub staff adapt
them (nodes, edges, assumptions) once created.

Each template is a list of nodes ``(code, kind, title)`` and edges ``(source, target,
assumption, strength)``; ``services.framework_from_template`` creates them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Template:
    key: str
    title: object
    description: object
    nodes: list[tuple[str, str, str]]
    edges: list[tuple[str, str, str, str]]


TEMPLATES = {
    "initiative": Template(
        "initiative",
        _("The initiative's theory of change"),
        _("How the hub's seven functions help 1,000 landscape partnerships restore land for "
          "1 billion people."),
        nodes=[
            ("I1", "impact", "1,000 landscapes under integrated management, benefiting "
                             "1 billion people"),
            ("O1", "outcome", "Landscape partnerships are strong, inclusive and self-governed"),
            ("O2", "outcome", "Finance flows to landscape partnerships at scale"),
            ("O3", "outcome", "Policy, business and finance practices support integrated "
                              "landscape management"),
            ("O4", "outcome", "Knowledge and tools are used across landscapes"),
            ("P1", "output", "Partners' tools and services delivered where they are needed"),
            ("P2", "output", "Landscape leaders connected in a learning network"),
            ("P3", "output", "Investment cases and joint proposals prepared"),
            ("A1", "activity", "Coordinate the partners' offerings and activities"),
            ("A2", "activity", "Convene, broker and facilitate partnerships"),
            ("C1", "precondition", "The six core partners act as one"),
        ],
        edges=[
            ("O1", "I1", "Strong partnerships sustain restoration beyond projects.", "moderate"),
            ("O2", "I1", "Money is a binding constraint on restoration at scale.", "strong"),
            ("O3", "I1", "Rules and markets reward restoration rather than degradation.",
             "moderate"),
            ("O4", "O1", "Partnerships apply what others learned.", "weak"),
            ("P1", "O1", "Landscapes use the tools they receive.", "untested"),
            ("P2", "O4", "Peers trust peers' lessons.", "moderate"),
            ("P3", "O2", "Investors fund well-prepared cases.", "moderate"),
            ("A1", "P1", "Matching offerings to needs reaches the right landscapes.", "untested"),
            ("A2", "P2", "Leaders have time to take part.", "weak"),
            ("C1", "A1", "Partners share their plans openly.", "untested"),
        ],
    ),
    "four_returns": Template(
        "four_returns",
        _("4 Returns (Commonland)"),
        _("Four returns from landscape restoration over a generation: inspiration, social, "
          "natural and financial."),
        nodes=[
            ("I1", "impact", "A restored landscape yielding four returns over 20 years"),
            ("R1", "outcome", "Return of inspiration: people find hope and purpose again"),
            ("R2", "outcome", "Social returns: jobs, skills, safety and social cohesion"),
            ("R3", "outcome", "Natural returns: biodiversity, soil and water restored"),
            ("R4", "outcome", "Financial returns: sustainable, long-term profit"),
            ("Z1", "output", "Natural zone restored and protected"),
            ("Z2", "output", "Combined zone under regenerative land use"),
            ("Z3", "output", "Economic zone with landscape-based businesses"),
            ("C1", "precondition", "A landscape partnership with a shared long-term vision"),
        ],
        edges=[
            ("R1", "I1", "Inspired people sustain the effort.", "moderate"),
            ("R2", "I1", "Livelihoods keep people in the landscape.", "moderate"),
            ("R3", "I1", "Healthy ecosystems underpin every other return.", "strong"),
            ("R4", "I1", "Profit makes restoration self-financing.", "moderate"),
            ("Z1", "R3", "Protection lets nature recover.", "strong"),
            ("Z2", "R3", "Regenerative practices rebuild soil.", "moderate"),
            ("Z2", "R2", "Regenerative farming creates work.", "weak"),
            ("Z3", "R4", "Markets exist for landscape products.", "untested"),
            ("C1", "Z1", "Partners agree on the zoning.", "untested"),
            ("C1", "R1", "A shared vision inspires.", "weak"),
        ],
    ),
    "landscale": Template(
        "landscale",
        _("LandScale pillars"),
        _("Landscape sustainability assessed in four pillars: ecosystems, human well-being, "
          "governance and production."),
        nodes=[
            ("I1", "impact", "A sustainable landscape, measured and verified"),
            ("L1", "outcome", "Ecosystems: natural ecosystems conserved and restored"),
            ("L2", "outcome", "Human well-being: livelihoods, rights and health improve"),
            ("L3", "outcome", "Governance: inclusive, effective landscape governance"),
            ("L4", "outcome", "Production: sustainable agriculture and forestry"),
            ("C1", "precondition", "Credible landscape data collected and shared"),
        ],
        edges=[
            ("L1", "I1", "", "strong"),
            ("L2", "I1", "", "moderate"),
            ("L3", "I1", "Governance enables the other pillars.", "moderate"),
            ("L4", "I1", "", "moderate"),
            ("L3", "L1", "Agreed rules protect ecosystems.", "moderate"),
            ("C1", "L3", "Shared data builds trust among stakeholders.", "weak"),
        ],
    ),
}  # fmt: skip
