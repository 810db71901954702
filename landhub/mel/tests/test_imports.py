"""Importing values (CSV/XLSX): the template for a landscape and a period, every bad cell
reported with its line and column, nothing written unless every row is good, approved values
and locked periods protected, roll-ups once per indicator."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from landhub.core.models import TaskProgress
from landhub.core.services import progress_start
from landhub.directory.imports import kinds_for, run_import, template_csv, template_xlsx
from landhub.mel import services
from landhub.mel.imports import import_values
from landhub.mel.models import (
    DisaggregationOption,
    DisaggregationScheme,
    Indicator,
    IndicatorAssignment,
    Observation,
    Rollup,
)

pytestmark = pytest.mark.django_db


def _template(world, mel, actor=None, period=None) -> list[dict]:
    params = {"landscape": world.landscape.slug, "period": (period or mel.periods[0]).label}
    text = template_csv("mel-values", actor=actor or world.lena, params=params)
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    columns = list(dict.fromkeys(c for row in rows for c in row))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _run(owner, tmp_path, content: bytes, name="values.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    progress = progress_start(owner=owner, kind="import.mel-values", label="test")
    result = run_import(progress_id=progress.pk, kind="mel-values", path=str(path))
    progress.refresh_from_db()
    return progress, result


def _row(world, code, period="2025", **cells) -> dict:
    return {"landscape": world.landscape.slug, "period": period, "indicator": code, **cells}


def _scale(world) -> Indicator:
    """An ordinal scale with named levels, assigned to the world's landscape."""
    scale = Indicator.objects.create(
        code="S1",
        name="Governance",
        definition="Levels.",
        measure="ordinal",
        levels=["weak", "fair", "strong"],
    )
    IndicatorAssignment.objects.create(indicator=scale, scope_kind="landscape",
                                       landscape=world.landscape)  # fmt: skip
    return scale


def _errors(result) -> set[tuple[int, str, str]]:
    return {(e["line"], e["column"], e["message"]) for e in result["errors"]}


def test_the_template_lists_the_landscapes_indicators_prefilled(world, mel):
    y25 = mel.periods[0]
    services.observation_save(actor=world.lena, assignment=mel.a[("T1", world.landscape.pk)],
                              period=y25, parts={"sex:women": {"value": 30},
                                                 "sex:men": {"value": 20}})  # fmt: skip
    rows = _template(world, mel)
    assert [r["indicator"] for r in rows] == ["T1", "W1"]
    trained, share = rows
    assert (trained["sex:women"], trained["sex:men"], trained["value"]) == ("30", "20", "")
    assert trained["current_status"] == "draft" and trained["version"] == "1"
    assert "the total is their sum" in trained["expects"]
    assert share["name"] == "Women among decision-makers"
    assert share["expects"] == "numerator and denominator" and share["numerator"] == ""
    assert share["landscape"] == world.landscape.slug and share["period"] == "2025"


def test_a_leader_fills_the_template_and_imports_drafts(world, mel, tmp_path):
    rows = _template(world, mel)
    rows[1].update(numerator="3", denominator="12", comment="Village committees")
    progress, result = _run(world.lena, tmp_path, _csv(rows))
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    assert result["created"] == 1  # the empty T1 row changes nothing
    share = Observation.objects.get(assignment__indicator__code="W1")
    assert (share.value, share.status, share.comment) == (D(25), "draft", "Village committees")
    assert share.history.get().history_user == world.lena
    # The same file again: nothing changed, nothing written, no error.
    rows = _template(world, mel)
    _progress, result = _run(world.lena, tmp_path, _csv(rows))
    assert result == {"errors": [], "created": 0, "updated": 0}
    assert Observation.objects.get(pk=share.pk).version == 1


def test_imported_parts_keep_their_history_under_their_own_ids(world, mel, tmp_path):
    """Observations and parts are written in bulk (with ids taken from the sequence on
    PostgreSQL): each new part's history row must name that part and its observation."""
    rows = _template(world, mel)
    rows[0].update({"sex:women": "30", "sex:men": "20"})
    progress, result = _run(world.lena, tmp_path, _csv(rows))
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    trained = Observation.objects.get(assignment__indicator__code="T1")
    assert trained.value == D(50) and trained.history.get().history_type == "+"
    parts = {p.option.code: p for p in trained.parts.select_related("option")}
    assert {code: p.value for code, p in parts.items()} == {"women": D(30), "men": D(20)}
    for part in parts.values():
        entry = part.history.get()
        assert (entry.observation_id, entry.option_id, entry.value) == (
            trained.pk, part.option_id, part.value)  # fmt: skip
    # A value saved afterwards through the service gets a fresh id (the sequence moved on).
    saved = services.observation_save(
        actor=world.hana,
        assignment=mel.a[("T1", mel.landscapes[1].pk)],
        period=mel.periods[0],
        parts={"sex:women": {"value": 3}, "sex:men": {"value": 2}},
    )
    assert saved.pk > trained.pk


def test_every_bad_cell_is_reported_and_nothing_is_written(world, mel, tmp_path):
    age = DisaggregationScheme.objects.create(name="Age", slug="age")
    for code in ("young", "older"):
        DisaggregationOption.objects.create(scheme=age, label=code, code=code)
    mel.trained.disaggregations.add(age)
    _scale(world)
    rows = [
        _row(world, "W1", numerator="3", denominator="12"),  # line 2: good
        _row(
            world,
            "T1",
            **{"sex:women": "30", "sex:men": "20", "age:young": "10", "age:older": "30"},
        ),  # line 3: splits disagree  # fmt: skip
        _row(world, "S1", value="excellent"),  # line 4: no such level
        _row(world, "W1", period="2026", numerator="lots", denominator="12"),  # line 5
        _row(world, "T1", period="2026", not_applicable="yes", **{"sex:women": "4"}),  # line 6
        _row(world, "W1", numerator="1", denominator="2"),  # line 7: duplicate of line 2
        {**_row(world, "W1", numerator="1", denominator="2"), "landscape": "atlantis"},  # 8
        _row(world, "W1", period="2027", numerator="5", denominator="4"),  # line 9: 2027?
    ]
    progress, result = _run(world.lena, tmp_path, _csv(rows))
    assert progress.status == TaskProgress.Status.FAILED
    errors = _errors(result)
    assert (
        3,
        "age:older, age:young, sex:women, sex:men",
        "The disaggregations do not add up to the same total (Age: 40; Sex: 50).",
    ) in errors
    assert (4, "value", "Choose one of: weak, fair, strong.") in errors
    assert (5, "numerator", "Enter a number.") in errors
    assert (6, "sex:women", "“Not applicable” takes no number: leave the numbers empty, or "
                            "clear the flag.") in errors  # fmt: skip
    assert (6, "not_applicable_reason", "Say why it does not apply.") in errors
    assert (7, "indicator", "Duplicate of line 2 in this file.") in errors
    assert (8, "landscape", "No landscape “atlantis”.") in errors
    assert (9, "period", "No reporting period “2027”.") in errors
    assert not any(line == 2 for line, _c, _m in errors)
    assert not Observation.objects.exists()
    # The page offers the same list as a CSV.
    assert "problems found" in progress.message


def test_levels_by_name_and_a_total_beside_its_parts(world, mel):
    scale = _scale(world)
    bad = import_values(world.lena, [
        _row(world, "S1", value="Fair"),
        _row(world, "T1", value="60", **{"sex:women": "30", "sex:men": "20"}),
    ])  # fmt: skip
    assert _errors(bad) == {(1, "value", "The total is the sum of the parts (50); leave it "
                                         "empty or correct the parts.")}  # fmt: skip
    good = import_values(world.lena, [
        _row(world, "S1", value="Fair"),
        _row(world, "T1", value="50", **{"sex:women": "30", "sex:men": "20"}),
    ])  # fmt: skip
    assert good["written"] == 2, good
    assert Observation.objects.get(assignment__indicator=scale).value == 1
    trained = Observation.objects.get(assignment__indicator__code="T1")
    assert trained.value == 50 and trained.parts.count() == 2


def test_not_applicable_is_a_flag_with_a_reason(world, mel):
    result = import_values(world.lena, [
        _row(world, "W1", value="N/A", not_applicable_reason="No committees yet"),
        _row(world, "W1", period="2026", not_applicable="yes", numerator="3", denominator="4",
             not_applicable_reason="None"),
    ])  # fmt: skip
    assert {(e["line"], e["column"]) for e in result["errors"]} == {
        (1, "numerator"),
        (1, "denominator"),
    }
    result = import_values(
        world.lena, [_row(world, "W1", value="N/A", not_applicable_reason="No committees yet")]
    )
    assert result["written"] == 1
    observation = Observation.objects.get()
    assert observation.not_applicable and observation.value is None
    assert observation.not_applicable_reason == "No committees yet"


def test_locked_periods_and_others_landscapes_are_refused(world, mel):
    y25, y26 = mel.periods
    services.period_lock(actor=world.hana, period=y26)
    _kenya, lake, _border = mel.landscapes
    result = import_values(world.lena, [
        _row(world, "W1", period="2026", numerator="1", denominator="2"),
        {**_row(world, "W1", numerator="1", denominator="2"), "landscape": lake.slug},
    ])  # fmt: skip
    assert _errors(result) == {
        (0, "period", "2026 is locked; no values can change."),
        (1, "indicator", "You do not report this indicator."),
    }
    assert not Observation.objects.exists()
    with pytest.raises(PermissionDenied):
        import_values(world.oscar, [_row(world, "W1", numerator="1", denominator="2")])
    assert "mel-values" in kinds_for(world.lena) and "mel-values" not in kinds_for(world.nora)


def test_reviewers_import_approved_history_and_the_rollups_follow(world, mel):
    _kenya, lake, _border = mel.landscapes
    rows = [_row(world, "T1", status="approved", **{"sex:women": "30", "sex:men": "20"}),
            {**_row(world, "T1", status="approved", **{"sex:women": "5", "sex:men": "5"}),
             "landscape": lake.slug}]  # fmt: skip
    refused = import_values(world.lena, rows[:1])
    assert _errors(refused) == {(0, "status", "Only reviewers import approved values.")}
    result = import_values(world.hana, rows)
    assert result["written"] == 2, result
    total = Rollup.objects.get(indicator=mel.trained, period=mel.periods[0], level="initiative",
                               option=None)  # fmt: skip
    assert (total.value, total.scopes) == (D(60), 2)
    # Changing an approved value: reviewers only, with a reason kept in the history.
    changed = [{**rows[0], "sex:women": "40", "status": ""}]
    assert _errors(import_values(world.lena, changed)) == {
        (0, "status", "An approved value is changed by the reviewers only.")
    }
    assert _errors(import_values(world.hana, changed)) == {
        (0, "reason", "Say why an approved value changes.")
    }
    result = import_values(world.hana, [{**changed[0], "reason": "Recount of the register"}])
    assert result["written"] == 1
    observation = Observation.objects.get(assignment__landscape=world.landscape)
    assert (observation.value, observation.status, observation.version) == (D(60), "approved", 2)
    latest = observation.history.first()
    assert latest.history_change_reason == "Recount of the register"
    assert latest.history_user == world.hana
    total = Rollup.objects.get(indicator=mel.trained, period=mel.periods[0], level="initiative",
                               option=None)  # rewritten by the recompute  # fmt: skip
    assert total.value == D(70)


def test_a_stale_template_row_is_refused(world, mel):
    y25 = mel.periods[0]
    share = mel.a[("W1", world.landscape.pk)]
    services.observation_save(actor=world.lena, assignment=share, period=y25, numerator=1,
                              denominator=4)  # fmt: skip
    rows = _template(world, mel)
    services.observation_save(actor=world.hana, assignment=share, period=y25, numerator=2,
                              denominator=4, version=1)  # fmt: skip
    rows[1].update(numerator="3")
    result = import_values(world.lena, rows)
    assert _errors(result) == {
        (
            1,
            "version",
            "This value changed since the template was made "
            "(now version 2); download a fresh template.",
        )
    }


def test_submitted_values_wait_for_the_reviewers(world, mel):
    y25 = mel.periods[0]
    share = mel.a[("W1", world.landscape.pk)]
    result = import_values(world.lena, [_row(world, "W1", numerator="1", denominator="4",
                                             status="submitted")])  # fmt: skip
    assert result["written"] == 1
    observation = Observation.objects.get(assignment=share, period=y25)
    assert observation.status == "submitted" and observation.submitted_by == world.lena
    result = import_values(world.lena, [_row(world, "W1", numerator="2", denominator="4")])
    assert _errors(result) == {
        (0, "status", "It is with the reviewers; wait until they return or approve it.")
    }


def test_xlsx_template_round_trip(world, mel, tmp_path):
    from openpyxl import load_workbook

    raw = template_xlsx("mel-values", actor=world.lena,
                        params={"landscape": world.landscape.slug, "period": "2025"})  # fmt: skip
    book = load_workbook(io.BytesIO(raw))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["landscape", "period", "indicator"] and "sex:women" in header
    trained = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "T1")
    trained[header.index("sex:women")].value = 12
    trained[header.index("sex:men")].value = 8.5
    out = io.BytesIO()
    book.save(out)
    progress, result = _run(world.lena, tmp_path, out.getvalue(), "values.xlsx")
    errors = _errors(result)
    assert (2, "sex:men.value", "Enter a whole number.") not in errors  # column, not field
    assert (2, "sex:men", "Enter a whole number.") in errors
    trained[header.index("sex:men")].value = 8
    out = io.BytesIO()
    book.save(out)
    progress, result = _run(world.lena, tmp_path, out.getvalue(), "values.xlsx")
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    assert Observation.objects.get(assignment__indicator__code="T1").value == 20


def test_template_links_from_the_grid_and_the_import_page(client_for, world, mel):
    lena = client_for("lena")
    grid = lena.get(reverse("mel:report_grid", args=[world.landscape.slug, "2025"]))
    url = (reverse("directory:import_template", args=["mel-values", "csv"])
           + f"?landscape={world.landscape.slug}&amp;period=2025")  # fmt: skip
    assert url in grid.content.decode()
    page = lena.get(reverse("directory:import_list") + "?kind=mel-values").content.decode()
    assert 'id="template-mel-values"' in page and f'value="{world.landscape.slug}"' in page
    assert 'name="boundaries"' not in page  # no GeoJSON to upload with values
    download = lena.get(url.replace("&amp;", "&"))
    assert download.status_code == 200 and b"T1" in download.content
    assert download["Content-Disposition"].endswith(f'{world.landscape.slug}-2025.csv"')
    lake = mel.landscapes[1]
    refused = lena.get(reverse("directory:import_template", args=["mel-values", "csv"])
                       + f"?landscape={lake.slug}&period=2025", follow=True)  # fmt: skip
    assert "You do not report values for Lake Basin." in refused.content.decode()


def test_the_upload_page_runs_the_import_as_a_task(
    client_for, world, mel, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(settings.VAR_DIR / "test-media")
    content = _csv([_row(world, "W1", numerator="1", denominator="4")])
    upload = SimpleUploadedFile("values.csv", content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("lena").post(reverse("directory:import_create"),
                                           {"kind": "mel-values", "file": upload})  # fmt: skip
    assert response.status_code == 302
    page = client_for("lena").get(response["Location"]).content.decode()
    assert "1 record created" in page and 'aria-valuenow="100"' in page
    assert Observation.objects.get().value == D(25)


def test_checking_costs_queries_per_landscape_not_per_row(
    world, mel, django_assert_max_num_queries
):
    from landhub.directory.imports import Report
    from landhub.mel.services.bulk import ValuesImport

    extra = [Indicator.objects.create(code=f"C{i:02d}", name=f"Count {i}", definition="n",
                                      measure="count") for i in range(20)]  # fmt: skip
    for indicator in extra:
        IndicatorAssignment.objects.create(indicator=indicator, scope_kind="landscape",
                                           landscape=world.landscape)  # fmt: skip
    rows = [_row(world, i.code, period=p, value=str(n)) for n, i in enumerate(extra)
            for p in ("2025", "2026")]  # fmt: skip
    values = ValuesImport(world.lena)
    report = Report()
    with django_assert_max_num_queries(4):  # assignments, observations (no parts yet)
        checked = [values.check(report, n, row) for n, row in enumerate(rows)]
    assert not report.errors and len(checked) == 40
    with django_assert_max_num_queries(12):
        assert values.write(checked) == 40
    assert Observation.objects.count() == 40
