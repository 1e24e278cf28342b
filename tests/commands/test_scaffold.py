"""``python -m portal new``: each stub passes every check but its TODO placeholders, which validate
and the build refuse line by line until they are replaced; nothing is overwritten."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SOURCES
from portal.__main__ import main
from portal.check.untrusted import STUB_MESSAGE
from portal.model.site import load_site
from portal.problems import DataError


def todo_lines(project, rel: str) -> list[int]:
    return [n for n, line in enumerate(project.read(rel).splitlines(), start=1) if "TODO:" in line]


def refused_for_todos_only(project, rel: str) -> None:
    """The stub's only problems are its TODO placeholders, one per line that holds one."""
    with pytest.raises(DataError) as caught:
        load_site(project.data)
    lines = todo_lines(project, rel)
    assert lines
    assert [str(p) for p in caught.value.problems if p.severity == "error"] == [f"{rel}:{n}: {STUB_MESSAGE}" for n in lines]


def fill_in(project, rel: str, replacements: dict[str, str]) -> None:
    """What the editor does: every TODO replaced, every TODO comment deleted."""
    for old, new in replacements.items():
        project.replace(rel, old, new)
    kept = [line for line in project.read(rel).splitlines(keepends=True) if not (line.lstrip().startswith("#") and "TODO:" in line)]
    project.write(rel, "".join(kept))
    assert not todo_lines(project, rel), project.read(rel)


def new(project, *args: str) -> int:
    return main(["new", *args, "--data", str(project.data)])


def test_a_new_region_passes_the_checks(project, capsys):
    assert new(project, "region", "beylagan", "--name", "Beylagan", "--iso", "AZ-BEY") == 0
    assert capsys.readouterr().out.startswith("Created data/regions/beylagan.yml for Beylagan (AZ-BEY, Beyləqan (Rayon)).")
    text = project.read("data/regions/beylagan.yml")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/region.schema.json"
    assert "  TODO: write two or three sentences in your own words.\n" in text
    refused_for_todos_only(project, "data/regions/beylagan.yml")
    fill_in(project, "data/regions/beylagan.yml", {"TODO: write two or three sentences in your own words.": "A district of Azerbaijan."})
    region = load_site(project.data).regions["beylagan"]
    assert (region.iso, str(region.name), region.country) == ("AZ-BEY", "Beylagan", "az")
    assert str(region.summary) == "A district of Azerbaijan."


def test_a_region_code_is_found_from_the_name_when_there_is_one_match(project, capsys):
    assert new(project, "region", "sabirabad") == 0
    assert "iso: AZ-SAB\n" in project.read("data/regions/sabirabad.yml")
    refused_for_todos_only(project, "data/regions/sabirabad.yml")


def test_a_region_without_a_code_lists_the_codes_to_choose_from(project, capsys):
    assert new(project, "region", "murovdag") == 1
    err = capsys.readouterr().err
    assert err.startswith("Nothing was written: no ISO 3166-2 code was found for 'Murovdag'; give it with --iso.")
    assert "  AZ-BEY  Beyləqan (Rayon)\n" in err and "AZ-AGM" not in err  # Agdam already has a file
    assert not (project.data / "regions" / "murovdag.yml").exists()


def test_a_new_event_is_refused_until_its_todos_and_placeholder_source_are_replaced(project, capsys):
    rel = "data/events/2024-03-01-anama-statement.yml"
    assert new(project, "event", "--date", "2024-03-01", "anama-statement") == 0
    text = project.read(rel)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/event.schema.json"
    placeholder = "# TODO: replace this placeholder: it is the first source in data/sources.yml, not this event's source.\n"
    assert placeholder in text
    refused_for_todos_only(project, rel)
    assert project.line_of(rel, "TODO: replace this placeholder") in todo_lines(project, rel)  # the placeholder source
    fill_in(project, rel, {"TODO: a short headline in your own words.": "ANAMA statement", "TODO: write two or three sentences in your own words.": "ANAMA made a statement."})
    event = next(e for e in load_site(project.data).events if e.id == "2024-03-01-anama-statement")
    assert event.date.iso == "2024-03-01"
    assert str(event.title) == "ANAMA statement"


def test_a_new_source_is_appended_and_passes_the_checks(project, capsys):
    before = project.read(SOURCES)
    assert new(project, "source", "example-2024-03-01-report", "--url", "https://example.org/report") == 0
    after = project.read(SOURCES)
    assert after.startswith(before) and after.splitlines()[0] == "# yaml-language-server: $schema=schemas/sources.schema.json"
    refused_for_todos_only(project, SOURCES)
    fill_in(project, SOURCES, {"TODO: the title as the source gives it": "A report", "TODO: who published it": "Example"})
    source = load_site(project.data).sources["example-2024-03-01-report"]
    assert (source.url, source.title, source.published) == ("https://example.org/report", "A report", None)
    assert source.accessed.iso == dt.date.today().isoformat()


@pytest.mark.parametrize(
    "args, rel, message",
    [
        (["region", "agdam"], "data/regions/agdam.yml", "data/regions/agdam.yml already exists; edit it, or choose another id"),
        (["region", "aghdam", "--iso", "AZ-AGM"], "data/regions/agdam.yml", "the ISO code AZ-AGM is already used by data/regions/agdam.yml"),
        (
            ["event", "--date", "2021-06-12", "agdam-maps-handover"],
            "data/events/2021-06-12-agdam-maps-handover.yml",
            "data/events/2021-06-12-agdam-maps-handover.yml already exists; edit it, or choose another id",
        ),
        (["source", "abc-az-agdam-maps", "--url", "https://example.org/other"], SOURCES, "the id 'abc-az-agdam-maps' is already used in data/sources.yml; choose another id"),
        (["source", "abc-az-again", "--url", "http://abc.az/en/news/74781"], SOURCES, "this address is already in data/sources.yml as 'abc-az-agdam-maps'; cite that id instead"),
    ],
    ids=["region-file", "region-iso", "event-file", "source-id", "source-url"],
)
def test_nothing_is_overwritten(project, capsys, args, rel, message):
    before = project.read(rel)
    assert new(project, *args) == 1
    assert capsys.readouterr().err == f"Nothing was written: {message}\n"
    assert project.read(rel) == before


def test_a_stub_that_would_fail_the_checks_is_not_written(project, capsys):
    assert new(project, "event", "--date", "2999-01-01", "future") == 1
    err = capsys.readouterr().err
    from portal.commands.scaffold import event_stub

    stub = event_stub("2999-01-01-future", "2999-01-01", [], [], "x", "2026-12-01").splitlines()
    line = stub.index("date: 2999-01-01") + 1  # where the stub writes the date
    assert f"data/events/2999-01-01-future.yml:{line}: date: '2999-01-01' is in the future" in err
    assert not (project.data / "events" / "2999-01-01-future.yml").exists()


def test_a_malformed_id_is_refused(project, capsys):
    assert new(project, "region", "Beylagan") == 1
    assert capsys.readouterr().err == (
        "Nothing was written: 'Beylagan' cannot be the id of a region: use lower-case letters, digits and single hyphens, such as 'agdam'\n"
    )
