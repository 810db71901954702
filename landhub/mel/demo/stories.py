"""Demo data of most significant change (``landhub seed-demo``): eleven stories of change told
in the demo landscapes, in several domains, languages and consent states; a closed selection
round of the Landscape Leaders Advisory Group with its selected stories and reasons, and an
open round for the second half of 2025 whose panel is lena (hub staff's sofia sits on both).

Written through the services, so history and notifications are real. Idempotent: a story or
round that exists (by title) is left alone. The stories are invented, in the voice of the
kinds of people who tell them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import services
from ..models import SelectionRound, Story


@dataclass(frozen=True)
class DemoStory:
    title: str
    landscape: str  # name of a demo landscape
    collector: str  # hana, lena or sofia
    storyteller: str
    role: str
    domain: str
    told_on: dt.date
    story: str
    why: str
    consent: str = "not_asked"
    consent_note: str = ""
    language: str = "en"
    visibility: str = "network"
    themes: list[str] = field(default_factory=list)
    outcome_words: str = ""  # link the first demo outcome statement whose title has these
    offering_words: str = ""  # and the first offering whose title has these


KENYA = "Mount Kenya Forest and Farms"

STORIES = [
    DemoStory(
        "The spring above Kianjege flows all year again", KENYA, "lena", "Wanjiru Njoroge",
        "farmer and mother of four", "land_and_nature", dt.date(2025, 3, 14),
        "When I married, the spring above our village ran all year. Then the hill was cleared "
        "for maize and it dried every February. Our women's group fenced the spring, planted "
        "bamboo and *Syzygium* along the stream, and agreed with the herders where cattle may "
        "drink.\n\nThis is the second dry season that the water has not stopped.",
        "My daughters no longer walk two hours for water before school, and the group now "
        "decides with the herders instead of fighting them.",
        consent="named", consent_note="Signed consent form kept by the Mount Kenya Water Trust.",
        visibility="public", themes=["water", "restoration"],
    ),  # fmt: skip
    DemoStory(
        "A youth group's tree nursery pays its own way", KENYA, "lena", "Brian Muriuki",
        "chair of the Kiriita youth group", "peoples_lives", dt.date(2025, 9, 3),
        "We started with 500 seedlings in milk packets. A small grant bought a shade net, "
        "the partnership trained us in grafting "
        "and connected us to the tea factory, which buys shade trees for its farmers. This "
        "year we sold 40,000 seedlings and six of us earn a living from the nursery.",
        "Young people stay in the village because there is work that heals the land.",
        consent="named", consent_note="Recorded verbally at the group meeting; minutes kept.",
        themes=["livelihoods", "restoration"], offering_words="small grants",
    ),  # fmt: skip
    DemoStory(
        "The county assembly's by-law on grazing corridors", "Laikipia Rangelands", "sofia",
        "Ruth Lekalkuli", "ward administrator", "institutions", dt.date(2025, 4, 22),
        "For years ranchers and pastoralists argued in court about the corridors. The "
        "rangelands forum brought them to one table with the county. The assembly passed a "
        "by-law that maps the corridors and sets the dry-season grazing plan together.",
        "A law written with the herders is a law the herders keep.",
        consent="internal", consent_note="May be shared within the initiative only.",
        themes=["governance"], outcome_words="rangeland",
        offering_words="land-use planning",
    ),  # fmt: skip
    DemoStory(
        "El acueducto paga por cuidar el páramo", "Andes Páramo Water Landscape", "hana",
        "Marta Cifuentes", "presidenta de la junta de acueducto veredal", "markets_and_finance",
        dt.date(2025, 5, 30),
        "Durante años cuidamos los nacimientos sin que nadie lo reconociera. Con la alianza, la "
        "empresa de acueducto de la ciudad firmó un acuerdo: paga a las familias que "
        "conservan el páramo y restauran las rondas de las quebradas.",
        "Por primera vez la ciudad reconoce que su agua nace aquí y que cuidarla es trabajo.",
        consent="named", consent_note="Formulario firmado.", language="es",
        visibility="public", themes=["water"], outcome_words="water",
    ),  # fmt: skip
    DemoStory(
        "Springs came back behind the exclosures", "Tigray Highlands Restoration", "hana",
        "A farmer of Abreha we Atsbeha", "farmer", "land_and_nature", dt.date(2025, 2, 11),
        "We closed the hillside to animals and cut-and-carried the grass instead. We built "
        "terraces with the whole village, one day a week. After four rains the springs below "
        "came back and we irrigate onions in the dry season.",
        "The hill that was stones is green, and we sell vegetables when others buy them.",
        consent="anonymous", consent_note="Agreed orally; he asked not to be named.",
        themes=["restoration", "food-security"],
    ),  # fmt: skip
    DemoStory(
        "Our cooperative's first bank loan", "Ashanti Cocoa Landscape", "sofia",
        "Kwame Boateng", "secretary of a cocoa farmers' cooperative", "markets_and_finance",
        dt.date(2025, 6, 5),
        "Banks told us cocoa farmers are too risky. The partnership's finance clinic helped us "
        "keep records and show our shade-tree plan. A regional bank now lends to "
        "cooperatives that meet its landscape criteria, and we received our first loan to "
        "rehabilitate old farms.",
        "We are no longer waiting for buyers' advances; we invest in our own farms.",
        consent="named", consent_note="Signed form.", visibility="public",
        themes=["livelihoods"], outcome_words="bank",
        offering_words="certification readiness",
    ),  # fmt: skip
    DemoStory(
        "Los almendreros ya hablan con una sola voz", "AlVelAl Altiplano", "hana",
        "Antonio Martínez", "agricultor de almendro de secano", "collaboration",
        dt.date(2025, 10, 8),
        "Antes cada finca iba por su cuenta. En la asociación compartimos maquinaria para las "
        "cubiertas vegetales y vendemos juntos la almendra regenerativa con una marca común.",
        "Juntos conseguimos un precio que solos nunca habríamos tenido.",
        consent="anonymous", consent_note="Consentimiento verbal grabado.", language="es",
        themes=["restoration"],
    ),  # fmt: skip
    DemoStory(
        "A soy buyer changed where it buys", "Cerrado Waters", "hana", "Paulo Souza",
        "technician of a producers' association", "markets_and_finance", dt.date(2025, 8, 19),
        "The trader that buys most of our soy now checks every farm against the map of "
        "remaining native vegetation. Farms that cleared after 2020 lost the contract; those "
        "that restored their springs' buffers get a premium.",
        "The market now rewards the farmers who protect the springs.",
        themes=["water", "biodiversity"],
    ),  # fmt: skip
    DemoStory(
        "Women lead the upland farmers' association", "Mindanao Uplands", "sofia",
        "Rosa Dalisay", "treasurer of the farmers' association", "peoples_lives",
        dt.date(2025, 7, 25),
        "After the leadership training, three of us stood for the association's board and "
        "won. We changed the meeting time so mothers can come, and the agroforestry loans now "
        "go to women too.",
        "Half the farmers were never heard. Now they decide.",
        consent="refused", consent_note="She prefers the story stays in the partnership.",
        themes=["livelihoods"],
    ),  # fmt: skip
    DemoStory(
        "Spekboom brought work back to the valley", "Baviaanskloof Hartland", "hana",
        "Nomvula Dlamini", "restoration team leader", "peoples_lives", dt.date(2025, 11, 12),
        "Our team of twenty plants spekboom cuttings on the slopes the goats stripped. The "
        "carbon buyer pays for each hectare that survives, so we are paid for years, not "
        "one season.",
        "A job that lasts means young people do not have to leave for the city.",
        consent="anonymous", consent_note="Signed form; no name.",
        themes=["restoration", "livelihoods"],
    ),  # fmt: skip
    DemoStory(
        "A village regulation protects the peat dome", "Heart of Borneo Peatlands", "hana",
        "Village head of a peatland village", "village head", "institutions",
        dt.date(2026, 2, 17),
        "After the fires, the village council wrote a regulation: no burning to clear land, "
        "canals blocked, and patrols in the dry season. The district recognised it.",
        "The smoke did not come back this year.",
        consent="not_asked", visibility="restricted", themes=["climate-mitigation"],
    ),  # fmt: skip
]  # fmt: skip

CLOSED_ROUND = "Most significant change, first half of 2025"
OPEN_ROUND = "Most significant change, second half of 2025"
PANEL = "Landscape Leaders Advisory Group"

# The closed round's choices: story title → the panel's reason.
SELECTED = {
    "The spring above Kianjege flows all year again":
        "Water for a whole village, and herders and farmers deciding together: the change "
        "the initiative exists for.",
    "Our cooperative's first bank loan":
        "A financial institution changed its lending because of the partnership; it can "
        "happen in other cocoa landscapes.",
}  # fmt: skip


def _links(spec: DemoStory, actor) -> dict:
    """Tags, and an outcome statement and an offering the collector may link (the service
    refuses a link its actor may not see)."""
    from landhub.coordination.selectors import visible_offerings
    from landhub.directory.models import Term

    from ..models import OutcomeStatement

    links: dict = {"tags": list(Term.objects.filter(vocabulary="theme", slug__in=spec.themes))}
    if spec.outcome_words:
        outcome = (OutcomeStatement.objects.visible_to(actor)
                   .filter(title__icontains=spec.outcome_words, archived_at__isnull=True)
                   .order_by("pk").first())  # fmt: skip
        links["outcomes"] = [outcome] if outcome else []
    if spec.offering_words:
        offering = (visible_offerings(actor)
                    .filter(title__icontains=spec.offering_words, status="published")
                    .order_by("pk").first())  # fmt: skip
        links["offerings"] = [offering] if offering else []
    return links


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the demo stories and rounds that are not there yet."""
    from landhub.directory.models import Landscape

    say = stdout.write if stdout else (lambda _msg: None)
    users = {u.email.split("@")[0]: u for u in get_user_model().objects.filter(
        email__in=[f"{k}@demo.landhub.org" for k in ("hana", "lena", "sofia")])}  # fmt: skip
    if len(users) < 3:
        return {"stories": 0}
    landscapes = {ls.name: ls for ls in Landscape.objects.filter(
        name__in={s.landscape for s in STORIES})}  # fmt: skip
    existing = set(Story.objects.filter(title__in=[s.title for s in STORIES])
                   .values_list("title", flat=True))  # fmt: skip
    made = 0
    for spec in STORIES:
        if spec.title in existing or spec.landscape not in landscapes:
            continue
        services.story_create(
            actor=users[spec.collector], title=spec.title, landscape=landscapes[spec.landscape],
            storyteller=spec.storyteller, storyteller_role=spec.role, domain=spec.domain,
            told_on=spec.told_on, language=spec.language, story=spec.story,
            why_significant=spec.why, consent=spec.consent,
            consent_recorded_on=spec.told_on if spec.consent != "not_asked" else None,
            consent_note=spec.consent_note, visibility=spec.visibility,
            **_links(spec, users[spec.collector]),
        )  # fmt: skip
        made += 1
    rounds = _rounds(users)
    say(f"MEL stories: {made} stories, {rounds} selection rounds\n")
    return {"stories": made, "selection_rounds": rounds}


def _rounds(users) -> int:
    hana = users["hana"]
    made = 0
    if not SelectionRound.objects.filter(title=CLOSED_ROUND).exists():
        closed = services.round_create(
            actor=hana, title=CLOSED_ROUND, panel_name=PANEL, panel=[users["sofia"], hana],
            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30),
            held_on=dt.date(2025, 7, 15),
        )  # fmt: skip
        services.round_add_stories(actor=hana, selection_round=closed)
        for title, reason in SELECTED.items():
            story = Story.objects.filter(title=title).first()
            if story is not None and closed.entries.filter(story=story).exists():
                services.round_select(actor=users["sofia"], selection_round=closed,
                                      story=story, reason=reason)  # fmt: skip
        if closed.entries.filter(selected=True).exists():
            services.round_close(
                actor=hana, selection_round=closed, version=closed.version,
                notes="Every story was read aloud by its collector. The panel chose the two "
                      "that show a change others can copy: a community and herders sharing "
                      "a spring, and a bank lending on landscape criteria.",
            )  # fmt: skip
        made += 1
    if not SelectionRound.objects.filter(title=OPEN_ROUND).exists():
        open_round = services.round_create(
            actor=hana, title=OPEN_ROUND, panel_name=PANEL, panel=[users["lena"], users["sofia"]],
            period_start=dt.date(2025, 7, 1), period_end=dt.date(2025, 12, 31),
            held_on=dt.date(2026, 12, 10),
        )  # fmt: skip
        services.round_add_stories(actor=hana, selection_round=open_round)
        made += 1
    return made
