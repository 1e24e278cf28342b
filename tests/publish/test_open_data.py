"""Open data: the downloads validate as a Frictionless Data Package, equal the data files and
what the pages show, and cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from frictionless import Package

from conftest import ROOT, Text, page
from portal.model.site import load_site
from portal.render.formatting import format_value

TABLES = ("sources", "regions", "observations", "events", "demands")


def rows(site, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((site / "data" / f"{name}.csv").read_text("utf-8"))))


def test_the_data_package_validates_without_errors(built_site):
    report = Package(str(built_site / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])


def test_the_package_names_licences_keys_and_dates(built_site):
    package = json.loads((built_site / "data" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert "original sources keep their own terms" in package["description"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", package["created"]) and package["version"]
    resources = {r["name"]: r for r in package["resources"]}
    assert set(TABLES) | {"map-layers"} == set(resources)
    assert resources["observations"]["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in resources["observations"]["schema"]["foreignKeys"]


def test_every_observation_in_the_data_is_in_the_download_with_the_same_values(built_site):
    site = load_site(ROOT / "data")
    downloaded = {r["id"]: r for r in rows(built_site, "observations")}
    expected = sum(len(s.observations) for p in (*site.regions.values(), *site.countries.values(), *site.events) for s in p.figures)
    assert len(downloaded) == expected
    for region in site.regions.values():
        shown = Text.of(page(built_site, f"regions/{region.id}"))
        for series in region.figures:
            for n, obs in enumerate(series.observations, start=1):
                row = downloaded[f"region:{region.id}:{series.figure}:{n}"]
                assert float(row["value"]) == obs.value and row["unit"] == obs.unit and row["source"] == obs.source
                assert row["as_of"] == (obs.as_of.iso if obs.as_of else "")
                assert format_value(obs) in shown  # the page shows the same value


def test_the_regions_download_gives_the_latest_value_and_its_source(built_site):
    agdam = next(r for r in rows(built_site, "regions") if r["id"] == "agdam")
    assert agdam["estimated_mines_value"] == "300000" and agdam["estimated_mines_qualifier"] == "about"
    assert agdam["estimated_mines_source"] == "caspian-post-landmine-maps"
    assert agdam["mines_on_handed_over_maps_value"] == "97000" and agdam["mines_on_handed_over_maps_as_of"] == "2021-06-12"
    assert len(rows(built_site, "regions")) == len(list((ROOT / "data" / "regions").glob("*.yml")))
    regions_json = json.loads((built_site / "data" / "regions.json").read_text("utf-8"))
    assert next(r for r in regions_json if r["id"] == "agdam")["estimated_mines_value"] == 300000


def test_the_data_page_lists_each_download_with_size_rows_and_fields(built_site):
    data = page(built_site, "data")
    text = Text.of(data)
    for name in TABLES:
        size = (built_site / "data" / f"{name}.csv").stat().st_size
        shown = f"{round(size / 1000, 1):,}".removesuffix(".0")  # as the page writes numbers: 10 KB, 9.9 KB
        assert f'href="{name}.csv">{name}.csv</a> ({shown} KB)' in data
        assert f"{len(rows(built_site, name))} rows." in text
    assert "value number" in text and "The number, without thousands separators" in text  # from the JSON Schema
    assert "Creative Commons Attribution 4.0" in text


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_cannot_run_as_formulas(project, payload):
    project.replace("data/regions/agdam.yml", "reported_as: Approx. 300,000", "reported_as: '" + payload.replace("'", "''") + "'")
    result = project.build()
    assert result.returncode == 0, result.stderr
    observations = (project.root / "site" / "data" / "observations.csv").read_text("utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(observations)) if r["id"] == "region:agdam:estimated_mines:1")
    assert row["reported_as"] == "'" + payload


def test_the_editors_guide_documents_fields_from_the_schemas(built_site):
    text = Text.of(page(built_site, "data-format"))
    schema = json.loads((ROOT / "data" / "schemas" / "common.schema.json").read_text("utf-8"))
    for key, node in schema["$defs"]["observation"]["properties"].items():
        assert node["description"] in text, key
    assert "reported_as no text The wording of the source" in text


def test_whom_a_source_cites_is_its_own_column_with_a_description(built_site):
    """data/sources.yml's citing reaches the downloads as a column, the names in order, never
    folded into the publisher."""
    site = load_site(ROOT / "data")
    downloaded = {r["id"]: r for r in rows(built_site, "sources")}
    citing = {s.id: s for s in site.sources.values() if s.citing}
    assert citing  # the sample data has sources that cite another outlet
    for source in site.sources.values():
        row = downloaded[source.id]
        assert row["publisher"] == source.publisher and "citing" not in row["publisher"]
        assert row["citing"] == ";".join(source.citing)
    assert downloaded["kaaf-2021-06-13-pashinyan"]["citing"] == "Tasnim;TASS"
    as_json = {r["id"]: r for r in json.loads((built_site / "data" / "sources.json").read_text("utf-8"))}
    assert all(as_json[i]["citing"] == ";".join(s.citing) for i, s in citing.items())
    package = json.loads((built_site / "data" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "sources" for f in r["schema"]["fields"]}
    assert fields["citing"]["type"] == "string" and "origin of its report" in fields["citing"]["description"]
