"""The generated output made on a second core (hooks/portal/glue/prerender.py): the same site as on one.

A reader or editor sees no difference between the two ways of building; these tests compare
them file by file, and check that a failure in the forked process is neither lost nor fatal."""

from __future__ import annotations

import filecmp
import os
import re
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, build, english_only

sys.path.insert(0, str(ROOT / "hooks"))
from portal.glue.prerender import _CHILD, Output, parallel_possible  # noqa: E402
from portal.model.site import load_site  # noqa: E402
from portal.render.pages import Renderer  # noqa: E402

SITE_URL = "https://example.org/portal/"
needs_two_cores = pytest.mark.skipif(not parallel_possible(), reason="the forked path needs Linux and a second core (and PORTAL_JOBS unset)")


def output(lang: str = "az", data: Path = ROOT / "data", **options) -> Output:
    site = load_site(data)
    renderer = Renderer(site, lang=lang)
    english = renderer if lang == "en" else Renderer(site)
    return Output(renderer, english, ROOT / "data" / "schemas", SITE_URL, SITE_URL + f"{lang}/", hide_search=True, **options)


def everything(out: Output) -> tuple[dict, dict, int]:
    """Every page as MkDocs gets it (unstashed blocks, cut elements), every file, and the number
    of texts shown in English."""
    pages = {}
    for uri in out.pages:
        prepared = out.page(uri)
        pages[uri] = (prepared.markdown, [zlib.decompress(b).decode() for b in prepared.store], prepared.hidden_elements())
    out.finish()
    files = {path: Path(out.path(path)).read_bytes() for path in out.files()}
    return pages, files, out.renderer.views.fallbacks_total


@needs_two_cores
def test_the_forked_process_makes_exactly_what_one_process_makes(project):
    english_only(project)  # the sample is translated: one text left in English, to be counted
    one, two = output(parallel=False, data=project.data), output(parallel=True, data=project.data)
    try:
        two.start()
        assert two.forked and not one.forked
        expected, got = everything(one), everything(two)
        assert got[0].keys() == expected[0].keys() and "regions/agdam.md" in got[0] and "data.md" in got[0]
        for uri in expected[0]:
            assert got[0][uri] == expected[0][uri], uri
        assert got[1] == expected[1]
        assert "data/events.csv" in got[1] and "feeds/events.atom" in got[1]
        # the az sample shows some texts in English; the count (logged by the build) is the same
        assert got[2] == expected[2] > 0
    finally:
        one.close()
        two.close()
    assert not Path(two.directory).exists() and not Path(one.directory).exists()


@needs_two_cores
def test_a_page_that_fails_in_the_forked_process_is_made_here():
    parent = os.getpid()
    reference = output(parallel=False)
    out = output(parallel=True)
    real_page = out.renderer.page

    def page(uri):
        if os.getpid() != parent:  # the child fails on the first page it makes, whichever it is
            raise RuntimeError("only in the child")
        return real_page(uri)

    out.renderer.page = page
    try:
        out.start()
        # The child's first job is a page. Wait until it has claimed one, so that this process
        # cannot make every page itself first on a loaded machine (the test would then see no
        # failure in the child at all).
        deadline = time.monotonic() + 30
        while _CHILD not in out._claims[:] and time.monotonic() < deadline:
            time.sleep(0.001)
        expected, got = everything(reference), everything(out)
        assert got == expected
        assert "RuntimeError: only in the child" in out.child_error
    finally:
        out.close()
        reference.close()


def test_an_error_making_a_page_is_raised_where_the_build_sees_it():
    out = output(parallel=None)

    def page(uri):
        raise KeyError(f"broken template for {uri}")

    out.renderer.page = page
    try:
        out.start()
        # (the child fails first; this process then fails on the page it asks for, or on one it
        # makes while it waits)
        with pytest.raises(KeyError, match="broken template for regions/"):
            out.page("regions/index.md")
    finally:
        out.close()


@needs_two_cores
def test_an_edition_built_on_two_processes_is_the_site_built_on_one(tmp_path, project):
    english_only(project)  # the sample is translated: one text left in English, to be counted
    sites = {}
    for jobs in ("1", ""):
        site = tmp_path / f"jobs{jobs or 'N'}" / "ru"
        result = build(project.root, site, PORTAL_EDITION="ru", PORTAL_JOBS=jobs)
        assert result.returncode == 0, result.stderr
        logged = re.search(r"ru: (\d+) data texts? (?:and \d+ pages? )?(?:is|are) shown in English", result.stderr)
        assert logged, result.stderr
        sites[jobs] = (site, logged.group(1))
    (one, one_count), (two, two_count) = sites["1"], sites[""]
    assert one_count == two_count
    compared = filecmp.dircmp(one, two)

    def differences(cmp: filecmp.dircmp, prefix: str = "") -> list[str]:
        out = [prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files]
        out += [prefix + name for name in filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)[1]]
        for name, sub in cmp.subdirs.items():
            out += differences(sub, f"{prefix}{name}/")
        return out

    assert differences(compared) == []
    assert (two / "regions" / "agdam" / "index.html").is_file() and (two / "data" / "events.csv").is_file()


@pytest.mark.parametrize("cut", ["in-the-payload", "in-the-header", "damaged-payload"])
def test_a_child_stopped_half_way_through_a_message_ends_the_reader_quietly(monkeypatch, cut):
    """A refused build kills the child (Output.close), possibly in the middle of a message: the
    reader thread used to unpickle the part that arrived and die with `EOFError: Ran out of
    input`. Now the message is dropped, the reader ends, and the parent does that job itself."""
    import pickle
    import threading

    from portal.glue.prerender import _HEADER

    out = output(parallel=False)
    raised: list = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    payload = pickle.dumps(("page:regions/agdam.md", "x" * 1000, 0))
    message = {
        "in-the-payload": _HEADER.pack(len(payload)) + payload[: len(payload) // 2],
        "in-the-header": _HEADER.pack(len(payload))[:3],
        "damaged-payload": _HEADER.pack(len(payload)) + b"\x00" * len(payload),
    }[cut]
    reader, writer = os.pipe()
    out._ended = False
    thread = threading.Thread(target=out._receive, args=(reader,))
    thread.start()
    os.write(writer, message)
    os.close(writer)  # the child is gone
    thread.join(timeout=30)
    try:
        assert not thread.is_alive() and raised == [] and out._ended
        assert out._received == {}
        assert out.page("regions/agdam.md").markdown  # made here instead
    finally:
        out.close()


def test_the_pages_come_in_the_order_the_build_takes_them_and_the_files_last():
    """MkDocs builds the pages in the order the hook adds them (output.pages): the child makes
    them in that order, region pages first (the navigation's large pages, the timeline's and
    the regions index's, come at the end, by when the child is far ahead), and the files,
    which the build needs only after its last page, at the very end."""
    out = output(parallel=False)
    try:
        pages = [job[len("page:") :] for job in out.jobs if job.startswith("page:")]
        assert out.jobs[-2:] == ["files:map", "files:feeds"]
        assert out.jobs[-3] == "files:data" and out.pages[-1] == "data.md"  # the data page lists the downloads
        assert pages == out.pages[:-1]
        assert pages.index("regions/agdam.md") < pages.index("timeline.md") and pages.index("countries/az.md") < pages.index("regions/index.md")
    finally:
        out.close()


@needs_two_cores
def test_every_job_the_child_made_is_used_and_none_is_made_again():
    """The child ahead of the build (as it is when the build takes the pages in its order):
    this process makes nothing, and what it takes is what one process makes."""
    reference = output(parallel=False)
    out = output(parallel=True)
    try:
        out.start()
        deadline = time.monotonic() + 120
        while not out._ended and time.monotonic() < deadline:  # the child has sent everything
            time.sleep(0.01)
        assert out._ended and out.child_error is None
        expected, got = everything(reference), everything(out)
        assert got == expected
        assert set(out._claims[:]) == {_CHILD}
    finally:
        out.close()
        reference.close()


def test_the_files_move_into_the_site_beside_the_pages_mkdocs_wrote(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "index.html").write_text("the data page", "utf-8")  # written by MkDocs
    (site / "feeds").mkdir()
    (site / "feeds" / "events.atom").write_text("an older feed", "utf-8")  # a --dirty build's
    out = output(parallel=False, directory=str(tmp_path / ".site.files-1"))
    try:
        for uri in out.pages:
            out.page(uri)
        out.finish()
        made = {path: Path(out.path(path)).read_bytes() for path in out.files()}
        out.move_files(str(site))
        assert (site / "data" / "index.html").read_text("utf-8") == "the data page"
        assert {path: (site / path).read_bytes() for path in made} == made
        assert b"an older feed" not in (site / "feeds" / "events.atom").read_bytes()
        assert "data/events.csv" in made and any(path.startswith("map/") for path in made)
    finally:
        out.close()
    assert not (tmp_path / ".site.files-1").exists()


def test_a_hand_written_page_may_link_to_a_download(project):
    """The downloads and map layers are moved into the site after MkDocs's last page, but MkDocs
    knows them: a link to one from content/ resolves, even in a --strict build."""
    project.replace("content/about.md", "\n", "\nEvery event is also [a CSV file](data/events.csv).\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    about = project.page("about")
    assert 'href="../data/events.csv"' in about
    assert (project.root / "site" / "data" / "events.csv").read_text("utf-8").startswith("id,")
