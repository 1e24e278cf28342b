"""The vendored front-end files are exactly those of the npm packages named in vendor.json."""

import os
import shutil

import pytest

from portal.tools.vendor import verify


@pytest.mark.skipif(not shutil.which("npm") and not os.environ.get("CI"), reason="npm is not installed: cannot fetch the packages to compare")
def test_vendored_files_match_their_npm_packages():
    assert verify() == []
