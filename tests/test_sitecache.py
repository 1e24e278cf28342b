"""The data's model is checked again only when something it is made from changed (portal.check.sitecache)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from portal.check import sitecache
from portal.load import forking
from portal.model.dataset import load_site
from portal.problems import DataError

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("PORTAL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(forking, "can_fork", lambda **_: False)  # written at once, in this process
    return copy


class Counting:
    def __init__(self, load=load_site):
        self.calls = 0
        self.load = load

    def __call__(self, data_dir):
        self.calls += 1
        return self.load(data_dir)


def test_unchanged_data_is_read_back_not_checked_again(data, tmp_path):
    loader = Counting()
    first = sitecache.load(data, loader)
    second = sitecache.load(data, loader)
    assert loader.calls == 1 and second == first and second is not first
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1


def test_a_changed_file_is_checked_again(data):
    loader = Counting()
    sitecache.load(data, loader)
    region = data / "regions" / "agdam.yml"
    region.write_text(region.read_text("utf-8").replace("  en: Agdam\n", "  en: Agdam district\n"), "utf-8")
    site = sitecache.load(data, loader)
    assert loader.calls == 2 and site.regions["agdam"].name.get("en") == "Agdam district"
    (data / "regions" / "notes.txt").write_text("a new file in the folder\n", "utf-8")  # every file of the folder counts
    with pytest.raises(DataError, match="notes.txt"):
        sitecache.load(data, loader)
    assert loader.calls == 3


def test_data_with_a_problem_is_never_cached(data, tmp_path):
    def broken(data_dir):
        raise DataError([])

    loader = Counting(broken)
    for _ in range(2):
        with pytest.raises(DataError):
            sitecache.load(data, loader)
    assert loader.calls == 2 and not list((tmp_path / "cache").glob("*.pickle"))


def test_the_cache_can_be_turned_off(data, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_CACHE", "0")
    loader = Counting()
    sitecache.load(data, loader)
    sitecache.load(data, loader)
    assert loader.calls == 2 and not (tmp_path / "cache").exists()


def test_a_damaged_or_foreign_cache_file_is_ignored(data, tmp_path):
    loader = Counting()
    sitecache.load(data, loader)
    (file,) = (tmp_path / "cache").glob("*.pickle")
    file.write_bytes(file.read_bytes()[:200])  # cut short
    assert sitecache.load(data, loader) == load_site(data) and loader.calls == 2
    file.write_bytes(b"0" * 64 + file.read_bytes()[64:])  # another key
    sitecache.load(data, loader)
    assert loader.calls == 3


def test_the_code_is_part_of_the_key(data, monkeypatch, tmp_path):
    before = sitecache.key(data)
    package = tmp_path / "portal"
    shutil.copytree(sitecache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sitecache, "PACKAGE", package)
    assert sitecache.key(data) == before
    (package / "model" / "model.py").write_text((package / "model" / "model.py").read_text("utf-8") + "\n# changed\n", "utf-8")
    assert sitecache.key(data) != before


def test_the_cache_is_written_by_a_forked_process_where_the_portal_forks(data, tmp_path, monkeypatch):
    monkeypatch.setattr(forking, "can_fork", lambda **_: True)
    site = sitecache.load(data, load_site)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "cache").glob("*.pickle")) and time.monotonic() < deadline:
        time.sleep(0.05)
    loader = Counting()
    assert sitecache.load(data, loader) == site and loader.calls == 0
