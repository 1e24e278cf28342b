"""Prove that the vendored front-end files are exactly those of their npm packages.

    PYTHONPATH=hooks python -m portal.tools.vendor verify

For each package in ``overrides/assets/vendor/vendor.json`` it runs ``npm pack NAME@VERSION``
(the npm registry is the only place they come from), checks the tarball against the recorded
``integrity`` (Subresource-Integrity style sha512), and compares every vendored file byte for
byte with the file in the tarball. Exit status 0 when all match.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "overrides" / "assets" / "vendor" / "vendor.json"


def verify(manifest: Path = MANIFEST, root: Path = ROOT) -> list[str]:
    """Every mismatch, as readable lines; empty when all vendored files match their packages."""
    problems: list[str] = []
    packages = json.loads(manifest.read_text("utf-8"))["packages"]
    with tempfile.TemporaryDirectory() as tmp:
        for package in packages:
            spec = f"{package['name']}@{package['version']}"
            out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True, timeout=300)
            if out.returncode != 0:
                problems.append(f"{spec}: npm pack failed: {out.stderr.strip()}")
                continue
            tarball = Path(tmp) / out.stdout.strip().splitlines()[-1]
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
            if digest != package["integrity"]:
                problems.append(f"{spec}: the tarball's integrity is {digest}, not the recorded {package['integrity']}")
            with tarfile.open(tarball) as tar:
                for local, member in package["files"].items():
                    extracted = tar.extractfile(member)
                    if extracted is None:
                        problems.append(f"{spec}: {member} is not in the package")
                    elif not (root / local).is_file():
                        problems.append(f"{local}: missing (expected {spec} {member})")
                    elif extracted.read() != (root / local).read_bytes():
                        problems.append(f"{local}: differs from {spec} {member}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.vendor", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["verify"])
    parser.parse_args(argv)
    problems = verify()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"all vendored files match their npm packages ({MANIFEST.relative_to(ROOT)})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
