"""A framework's diagram as server-rendered SVG: readable on a slow connection, printable, no
script (the CSP allows inline SVG).

Layout: one row per node kind, impact at the top and preconditions at the bottom; nodes in
their order within a row; an arrow from each node to the nodes it contributes to, dashed when
the evidence for its assumption is weak or untested. Each box shows the node's code, title
(wrapped) and indicator codes; the assumption is the arrow's tooltip and is listed in the
table beside the diagram for readers who cannot point.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape

ROWS = ["impact", "outcome", "output", "activity", "precondition"]
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 200, 92, 24, 56, 16
COLOURS = {
    "impact": "#0f5132", "outcome": "#146c43", "output": "#0a58ca", "activity": "#6c757d",
    "precondition": "#664d03",
}  # fmt: skip
WRAP = 30
MAX_LINES = 3


@dataclass(frozen=True)
class Box:
    pk: int
    code: str
    title: str
    kind: str
    indicators: tuple[str, ...]
    x: int
    y: int


def layout(nodes) -> tuple[list[Box], int, int]:
    """Place nodes (objects with pk, code, title, kind, ``indicator_codes``) in rows."""
    rows = [[n for n in nodes if n.kind == kind] for kind in ROWS]
    rows = [row for row in rows if row]
    widest = max((len(row) for row in rows), default=1)
    width = PAD * 2 + widest * BOX_W + (widest - 1) * GAP_X
    boxes = []
    for index, row in enumerate(rows):
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        left = (width - row_width) // 2
        for position, node in enumerate(row):
            boxes.append(Box(node.pk, node.code, node.title, node.kind,
                             tuple(getattr(node, "indicator_codes", ())),
                             left + position * (BOX_W + GAP_X),
                             PAD + index * (BOX_H + GAP_Y)))  # fmt: skip
    height = PAD * 2 + len(rows) * BOX_H + max(len(rows) - 1, 0) * GAP_Y
    return boxes, width, height


def render(nodes, edges, *, title: str) -> str:
    """The SVG markup; ``edges`` are objects with source_id, target_id, assumption, evidence."""
    boxes, width, height = layout(nodes)
    by_pk = {box.pk: box for box in boxes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="diagram-title" '
        f'class="framework-diagram">',
        f'<title id="diagram-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#495057"/></marker></defs>',
    ]
    for edge in edges:
        source, target = by_pk.get(edge.source_id), by_pk.get(edge.target_id)
        if source is None or target is None:
            continue
        x1, x2 = source.x + BOX_W // 2, target.x + BOX_W // 2
        # Upwards (toward impact) from the top of the source to the bottom of the target.
        y1, y2 = (source.y, target.y + BOX_H) if source.y > target.y else (
            source.y + BOX_H, target.y)  # fmt: skip
        dashed = ' stroke-dasharray="5 4"' if edge.evidence in ("weak", "untested") else ""
        tip = escape(f"{source.code} → {target.code}: {edge.assumption or '—'} "
                     f"({edge.get_evidence_display()})")  # fmt: skip
        parts.append(
            f'<g><title>{tip}</title><line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke="#495057" stroke-width="1.5"{dashed} marker-end="url(#arrow)"/></g>'
        )
    for box in boxes:
        colour = COLOURS.get(box.kind, "#212529")
        lines = textwrap.wrap(box.title, WRAP)[:MAX_LINES]
        if len(textwrap.wrap(box.title, WRAP)) > MAX_LINES:
            lines[-1] = lines[-1][: WRAP - 1] + "…"
        parts.append(
            f"<g><title>{escape(box.code)} {escape(box.title)}</title>"
            f'<rect x="{box.x}" y="{box.y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{box.x + 8}" y="{box.y + 17}" font-size="12" font-weight="bold" '
            f'fill="{colour}">{escape(box.code)}</text>'
        )
        for i, line in enumerate(lines):
            parts.append(f'<text x="{box.x + 8}" y="{box.y + 34 + i * 15}" font-size="12" '
                         f'fill="#212529">{escape(line)}</text>')  # fmt: skip
        if box.indicators:
            codes = ", ".join(box.indicators)
            if len(codes) > WRAP:
                codes = codes[: WRAP - 1] + "…"
            parts.append(f'<text x="{box.x + 8}" y="{box.y + BOX_H - 8}" font-size="11" '
                         f'fill="#495057">{escape(codes)}</text>')  # fmt: skip
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
