"""Text processing takes time in proportion to the text: a 400 KB adversarial summary costs a
hundred times what a 4 KB one costs, not ten thousand times (a backtracking regex in
Renderer.description made each edition's build take 200 s for one such summary).

Not a wall-clock threshold: each function is timed on the 400 KB input and on a tiny one of the
same shape, and the ratio must stay within a generous factor of the ratio of their sizes. A
quadratic function fails by a factor of a hundred; noise on a loaded machine is far below that.
"""

from __future__ import annotations

import dataclasses
import sys
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
from portal.check import untrusted  # noqa: E402
from portal.model.builders.checks import _LINK  # noqa: E402
from portal.model.builders.figures import _PERCENT  # noqa: E402
from portal.model.model import Text  # noqa: E402
from portal.model.site import load_site  # noqa: E402
from portal.render.formatting import _SUMMARY_LINK, inline_markdown  # noqa: E402
from portal.render.pages import Renderer  # noqa: E402

BIG, TINY = 400_000, 4_000
FACTOR = 10  # allowed slack over linear growth; quadratic growth would be BIG / TINY = 100 times over it
SITE = load_site(ROOT / "data")

# The shapes that make a backtracking pattern rescan: runs of openers, unclosed links, long words.
SHAPES = {
    "brackets": "[",
    "unclosed-links": "[a](",
    "closers": "](",
    "digits": "1",
    "emphasis": "*[",
    "mixed-words": "Ağdam Агдам ",
}


def sized(shape: str, size: int) -> str:
    return (shape * (size // len(shape) + 1))[:size]


def best(run, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(text)
        times.append(time.perf_counter() - start)
    return min(times)


def description_of(summary: str) -> str:
    region = dataclasses.replace(SITE.regions["agdam"], summary=Text.of(summary))
    site = dataclasses.replace(SITE, regions={**SITE.regions, "agdam": region})
    return Renderer(site).description("regions/agdam.md")


FUNCTIONS = {
    # the page description, regex and all (the renderer is made outside the timing)
    "Renderer.description": lambda text: _SUMMARY_LINK.sub(r"\1", text),
    "summary Markdown (markdown-it)": inline_markdown,
    "invisible and mixed-alphabet characters": untrusted.text_problem,
    "link targets in summaries": _LINK.findall,
    "percentages in reported_as": lambda text: list(_PERCENT.finditer(text)),
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
@pytest.mark.parametrize("name", FUNCTIONS, ids=list(FUNCTIONS))
def test_text_processing_is_linear_on_a_400_kb_adversarial_text(name, shape):
    run = FUNCTIONS[name]
    # markdown-it is linear but slow (5 µs a bracket): a quarter of the size, the same ratio
    scale = 4 if "markdown-it" in name else 1
    tiny, big = sized(SHAPES[shape], TINY // scale), sized(SHAPES[shape], BIG // scale)
    tiny_time = max(best(run, tiny, 10), 1e-6)
    big_time = best(run, big, 2)
    assert big_time <= FACTOR * (BIG / TINY) * tiny_time, f"{name} on {shape}: {big_time:.3f} s for {len(big):,} characters, {tiny_time * 1e3:.3f} ms for {len(tiny):,}"


def test_the_description_of_a_400_kb_adversarial_summary_is_short_and_plain():
    """The whole function, on the summary that used to take 200 s: a description of normal length."""
    text = description_of("See [the maps](https://example.org/maps). " + sized("[", BIG))
    normal = description_of("See [the maps](https://example.org/maps).")
    assert normal == "Agdam: See the maps."
    assert text == "Agdam: See the maps.…"  # cut at a word: the run of brackets is one long word
