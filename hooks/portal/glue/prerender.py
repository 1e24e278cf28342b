"""The generated output of a build, made ahead of MkDocs on the machine's second core.

MkDocs builds a site on one core, one page after another. The portal's own share of a build
(Jinja for every generated page, the map layers, the open-data downloads) depends only on the
data, so a forked process makes it while MkDocs collects the files, converts the hand-written
pages and builds the pages: the pages first, in the order MkDocs builds them (the hook takes
each when MkDocs builds it: portal.glue.material.convert_when_built), then the files, written
into a folder beside the site and moved into it once MkDocs has built every page
(:meth:`Output.move_files`). This process makes a job only when it would otherwise wait.

Off Linux (fork() without exec is unsafe on macOS), on one core, with PORTAL_JOBS=1, or if the
forked process fails, the same work is done in this process when it is needed; the output is
the same either way (a test builds both ways and compares every file). Nothing here knows MkDocs.

    output = Output(renderer, english, schema_dir, site_url, edition_url, hide_search=True)
    output.start()                   # forks (where it can); the child works through every job
    output.page("regions/agdam.md")  # a Prepared page: stashed Markdown, its blocks, cut elements
    output.finish()                  # every file written, the child reaped
    output.files()                   # paths (under the site) of the files it wrote, and
    output.path(p)                   #   where each is, or
    output.move_files(site_dir)      #   each moved into the site
    output.close()                   # the folder removed
"""

from __future__ import annotations

import atexit
import gc
import mmap
import os
import pickle
import shutil
import signal
import struct
import tempfile
import threading
import traceback
import warnings
import weakref
import zlib
from dataclasses import dataclass
from pathlib import Path

from portal.glue import searchtext
from portal.load import forking
from portal.publish import feeds
from portal.publish.exports import PATHS as EXPORT_PATHS
from portal.publish.exports import Exports
from portal.render import figurecharts
from portal.render.pages import Renderer
from portal.render.routes import DATA_PAGE
from portal.render.stash import stash_page

_LAYERS = "files:map"
_FEEDS = "files:feeds"
_EXPORTS = "files:data"  # the downloads, and the data page that lists them
_HEADER = struct.Struct("<Q")
_FREE, _PARENT, _CHILD = 0, 1, 2
_OPEN: weakref.WeakSet = weakref.WeakSet()  # closed at exit: no child left running, no folder left behind


@atexit.register
def _close_all() -> None:
    for output in list(_OPEN):
        output.close()


@dataclass(frozen=True)
class Prepared:
    """A generated page, ready for MkDocs: its Markdown with every HTML block stashed
    (:func:`portal.render.stash.stash`), the stashed blocks, and the elements cut out of those blocks for
    the search index (:func:`portal.glue.searchtext.hide`), as they are written once the search plugin
    has read the page (:func:`portal.glue.searchtext.as_written`), each compressed as the blocks are.

    Compressed once, where the page is made: the blocks and elements cross the pipe from the
    forked process so, in the one pickle of the message (:meth:`Output._send`), and stay so
    while the page waits for MkDocs to build it (the child is ahead of the build). For ``export``
    (``stash=False``) the Markdown is the page as rendered, and nothing is stashed."""

    markdown: str
    store: list[bytes]
    hidden: tuple[bytes, ...] = ()

    def hidden_elements(self) -> list[str]:
        return [zlib.decompress(element).decode("utf-8") for element in self.hidden]


def parallel_possible() -> bool:
    """See portal.load.forking: the child runs only the portal's code, so other threads (those of
    `mkdocs serve`) may run beside it."""
    return forking.can_fork(with_threads=True)


class _Jobs:
    """What each job makes, in whichever process does it: a page (:class:`Prepared`), or the
    files of the map layers, the feeds or the downloads (with the data page that lists them),
    written into ``directory``."""

    def __init__(self, renderer: Renderer, english: Renderer, schema_dir: Path, site_url: str, edition_url: str, *, hide_search: bool, stash: bool, directory: str | None):
        self.renderer = renderer
        self.english = english
        self.schema_dir = schema_dir
        self.site_url = site_url
        self.edition_url = edition_url
        self.hide_search = hide_search
        self.stash = stash
        self.directory = directory or tempfile.mkdtemp(prefix="portal-output-")
        os.makedirs(self.directory, exist_ok=True)
        # The pages in the order MkDocs builds them (portal.glue.sitefiles adds them so): the
        # region and country pages, then the large pages of the navigation, which the child has
        # made by the time MkDocs comes to them.
        uris = renderer.page_uris()
        self.pages = [uri for uri in uris if uri not in renderer.FIXED_PAGES] + [uri for uri in uris if uri in renderer.FIXED_PAGES] + [DATA_PAGE]
        self._layer_paths = renderer.map_layer_paths()
        self._chart_paths = figurecharts.csv_paths(renderer.site)
        self._folders: set[str] = set()  # made by _write
        # Every job. The child takes them from the front: the pages in the order MkDocs builds
        # them (the data page with the downloads it lists), then the other files, which the
        # build needs only once it has built every page. This process, when it would wait for
        # the child, takes jobs from the back.
        self.order = [_EXPORTS if uri == DATA_PAGE else f"page:{uri}" for uri in self.pages] + [_LAYERS, _FEEDS]

    def files(self) -> list[str]:
        return [*self._layer_paths, feeds.ATOM, feeds.JSON, *EXPORT_PATHS, *self._chart_paths]

    def path(self, relative: str) -> str:
        return os.path.join(self.directory, relative)

    def run(self, job: str) -> object:
        if job.startswith("page:"):
            return self._prepare(self.renderer.page(job[len("page:") :]))
        if job == _LAYERS:
            for relative, content in self.renderer.map_layers().items():
                self._write(relative, content.encode("utf-8"))
            return True
        if job == _FEEDS:
            language = self.renderer.views.language
            self._write(feeds.ATOM, feeds.atom(self.renderer.site, self.edition_url, language, directory_urls=self.renderer.directory_urls))
            self._write(feeds.JSON, feeds.json_feed(self.renderer.site, self.edition_url, language, directory_urls=self.renderer.directory_urls).encode("utf-8"))
            return True
        if job == _EXPORTS:
            exports = Exports(self.renderer.site, self.schema_dir, self.english.views.charts.csv_files)  # and each chart's values
            updated = exports.last_updated()
            sizes = {}
            for relative, content in exports.each_file(self.site_url, updated):
                self._write(relative, content)
                sizes[relative] = len(content)
                del content
            page = self.renderer.data_page(exports.summary(sizes), updated, sizes["data/datapackage.json"])
            return self._prepare(page)
        raise ValueError(job)

    def _write(self, relative: str, content: bytes) -> None:
        target = self.path(relative)
        folder = os.path.dirname(target)
        if folder not in self._folders:  # one makedirs a folder, not one a file (thousands of map and chart files)
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(target, "wb") as stream:
            stream.write(content)

    def _prepare(self, markdown: str) -> Prepared:
        store: list[bytes] = []
        if not self.stash:
            return Prepared(markdown, store)
        if not self.hide_search:
            return Prepared(stash_page(markdown, store), store)
        # Each block cut on its own before it is stashed, the elements of the page numbered in
        # one sequence; an element that spans two blocks is left in place (and indexed), as
        # hide() leaves any element it cannot close.
        hidden: list[str] = []

        def cut(html: str) -> str:
            shown, elements = searchtext.hide(html, len(hidden))
            hidden.extend(searchtext.as_written(element) for element in elements)
            return shown

        stashed = stash_page(markdown, store, cut)
        return Prepared(stashed, store, tuple(zlib.compress(element.encode("utf-8"), 1) for element in hidden))


def _move_into(folder: str, target: str) -> None:
    os.makedirs(target, exist_ok=True)
    with os.scandir(folder) as entries:
        for entry in entries:
            destination = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False) and os.path.isdir(destination) and not os.path.islink(destination):
                _move_into(entry.path, destination)  # a folder MkDocs writes pages into too
                continue
            if os.path.isdir(destination) and not os.path.islink(destination):
                shutil.rmtree(destination)
            shutil.move(entry.path, destination)


class Output:
    """Every job made once, by whichever process comes to it first: work stealing between this
    process and one forked child, over a shared claims array (one byte a job) and a pipe.

    One job's claim, in the shared array, and where its result goes (a job both processes claim
    at once is done twice: harmless, this process then uses its own)::

                 the child reaches it (from the front)           sent through the pipe
        FREE --------------------------------------------> CHILD ----------------------> _received --+
          |                                                  |                                        |
          |  this process steals it (from the back),         |  the child ended without sending it    +--> _result(job)
          |  or needs it and the child has not claimed it    v                                        |     -> the hook
          +--------------------------------------------> PARENT ---> made here: kept in _mine -------+
                                                                     (stolen) or returned at once

    This process, asking for a job (:meth:`_result`): done already (a file job) -> that; made
    here while waiting (``_mine``) -> that; received from the child -> that; the child ended or
    never claimed it -> made here; else the child is making it -> steal the last job nobody has
    started and ask again, or, if there is none, wait for the child's message.

    The child (:meth:`_child`) walks the jobs from the front, claims each FREE one and sends it;
    on an error it sends ``!error`` with the traceback and stops, and this process makes the
    rest. The reader thread (:meth:`_receive`) keeps the pipe drained and marks the end
    (``_ended``) when the pipe closes, however the child stopped. What a job makes is
    :class:`_Jobs`; the scheduling reads best as this one class: each state above is a field of
    it, and every method moves jobs between them."""

    def __init__(
        self, renderer: Renderer, english: Renderer, schema_dir: Path, site_url: str, edition_url: str, *, hide_search: bool, stash: bool = True, parallel: bool | None = None, directory: str | None = None
    ):
        """``site_url``: the English edition's address, the downloads' one canonical address (they
        are the same in every edition); ``edition_url``: this edition's, for its feeds;
        ``stash``: whether the pages' HTML blocks are stashed (for MkDocs), or left in the
        Markdown (for ``export``); ``directory``: where the files are written (made if need be;
        by default a new temporary folder), removed by :meth:`close`."""
        self._jobs = _Jobs(renderer, english, schema_dir, site_url, edition_url, hide_search=hide_search, stash=stash, directory=directory)
        self.renderer = renderer
        self.parallel = parallel_possible() if parallel is None else parallel
        self.directory = self._jobs.directory
        self.pages = self._jobs.pages
        self.jobs = self._jobs.order
        self._index = {job: i for i, job in enumerate(self.jobs)}
        # Who does which job: 0 nobody yet, 1 this process, 2 the child. The child takes the
        # jobs from the front; this process, while it waits, from the back. Shared after the
        # fork; a job both start at once is only done twice, and this process uses its own.
        self._claims = bytearray(len(self.jobs))
        self._back = len(self.jobs) - 1
        self._mine: dict[str, object] = {}
        self._done: dict[str, object] = {}
        self._received: dict[str, tuple[object, int]] = {}
        self._condition = threading.Condition()
        self._ended = True  # no child sends anything (yet)
        self.child_error: str | None = None
        self._pid: int | None = None  # the child's, while it runs
        self.forked = False  # whether a child was started
        self._reader: threading.Thread | None = None
        _OPEN.add(self)

    # -- what the hook asks for -------------------------------------------------------------

    def files(self) -> list[str]:
        return self._jobs.files()

    def path(self, relative: str) -> str:
        return self._jobs.path(relative)

    def page(self, src_uri: str) -> Prepared:
        if src_uri == DATA_PAGE:
            return self._result(_EXPORTS)
        return self._result(f"page:{src_uri}")

    def finish(self) -> None:
        """Every file written (here, if the child did not), and the child reaped."""
        for job in (_LAYERS, _FEEDS, _EXPORTS):
            self._result(job)
        self._reap()
        self._received.clear()  # jobs that both processes did
        self._mine.clear()

    def move_files(self, site_dir: str) -> None:
        """Every file moved to its place under ``site_dir`` (after :meth:`finish`), replacing
        what is there; one rename each where the two folders share a file system."""
        _move_into(self.directory, site_dir)

    def close(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- who makes each job ------------------------------------------------------------------

    def _result(self, job: str):
        if job in self._done:
            return self._done[job]
        views = self.renderer.views
        if job in self._mine:
            value = self._mine.pop(job)
        else:
            index = self._index[job]
            while True:
                with self._condition:
                    received = self._received.pop(job, None)
                    ended = self._ended
                if received is not None:
                    value, fallbacks = received
                    views.fallbacks_total += fallbacks
                    break
                if ended or self._claims[index] == _FREE:
                    # no child, it stopped (an error is then raised here), or it has not come to
                    # this job yet: do it here
                    self._claims[index] = _PARENT
                    value = self._jobs.run(job)
                    break
                # The child is making it. Rather than wait, make a job that it would come to last.
                if not self._steal():
                    with self._condition:
                        while job not in self._received and not self._ended:
                            self._condition.wait()
        if not job.startswith("page:"):
            self._done[job] = value
        return value

    def _steal(self) -> bool:
        """Do the last job that nobody has started, here; False if there is none."""
        while self._back >= 0:
            index = self._back
            self._back -= 1
            if self._claims[index] == _FREE:
                self._claims[index] = _PARENT
                job = self.jobs[index]
                self._mine[job] = self._jobs.run(job)
                return True
            if self._claims[index] == _CHILD:  # from here on, the child has been everywhere
                self._back = -1
        return False

    # -- the forked process --------------------------------------------------------------------

    def start(self) -> None:
        if not self.parallel or self._pid is not None:
            return
        self._claims = mmap.mmap(-1, len(self.jobs))  # anonymous and shared: seen by both processes
        reader, writer = os.pipe()
        # Every object alive now is out of the collector's reach until the fork is done: a
        # collection in the child would otherwise write to each of them, and so copy every
        # memory page that the two processes share (Python's advice for fork without exec).
        # (Under `mkdocs serve` the hook has frozen the data already, and keeps it frozen.)
        frozen = gc.get_freeze_count()
        if not frozen:
            gc.freeze()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() beside other threads (`mkdocs serve` has its
            # server's): the child runs only the portal's code, which no other thread uses, and
            # never touches the streams those threads write to.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid != 0 and not frozen:
            gc.unfreeze()  # this process collects as before (`mkdocs serve` keeps its own freeze)
        if pid == 0:
            os.close(reader)
            self._child(writer)  # never returns
        os.close(writer)
        self._pid = pid
        self.forked = True
        self._ended = False
        self._reader = threading.Thread(target=self._receive, args=(reader,), name="portal-output", daemon=True)
        self._reader.start()

    def _child(self, fd: int) -> None:
        status = 1
        try:
            with os.fdopen(fd, "wb", buffering=1 << 16) as stream:
                views = self.renderer.views
                for index, job in enumerate(self.jobs):
                    if self._claims[index] != _FREE:
                        continue
                    self._claims[index] = _CHILD
                    before = views.fallbacks_total
                    try:
                        value = self._jobs.run(job)
                    except BaseException:
                        # the parent does the job again and raises the error itself
                        self._send(stream, "!error", traceback.format_exc(), 0)
                        raise
                    self._send(stream, job, value, views.fallbacks_total - before)
                    del value
            status = 0
        finally:
            os._exit(status)

    @staticmethod
    def _send(stream, job: str, value: object, fallbacks: int) -> None:
        payload = pickle.dumps((job, value, fallbacks), protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(_HEADER.pack(len(payload)))
        stream.write(payload)

    def _receive(self, fd: int) -> None:
        """The parent's reader thread: keeps the pipe drained, so that the child never waits."""
        try:
            with os.fdopen(fd, "rb") as stream:
                while True:
                    header = stream.read(_HEADER.size)
                    if len(header) < _HEADER.size:
                        break
                    size = _HEADER.unpack(header)[0]
                    payload = stream.read(size)
                    if len(payload) < size:
                        # The child was stopped half-way through a message (close() kills it when
                        # a build is refused): the end of its output, not an error. Unpickling
                        # the part that arrived raised "EOFError: Ran out of input" in this thread.
                        break
                    try:
                        job, value, fallbacks = pickle.loads(payload)
                    except Exception:  # noqa: BLE001 - a damaged message: the parent does the job itself
                        break
                    with self._condition:
                        if job == "!error":
                            self.child_error = value
                        else:
                            self._received[job] = (value, fallbacks)
                        self._condition.notify_all()
        finally:
            with self._condition:
                self._ended = True
                self._condition.notify_all()

    def _reap(self) -> None:
        if self._reader is not None:
            self._reader.join()
            self._reader = None
        if self._pid is not None:
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None
