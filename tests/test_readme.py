"""The README says what the service does: its problem types are the catalog's, and its
examples are shell that runs (run against the whole registry in tests/test_full_history.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from app.problem_types import PROBLEM_TYPES

README = Path(__file__).resolve().parents[1] / "README.md"
SERVICE = "http://127.0.0.1:8000"


def example_blocks() -> list[str]:
    """Every `bash` block but the Quick start's (those start the service and the tests)."""
    blocks = re.findall(r"^```bash\n(.*?)^```", README.read_text(), re.S | re.M)
    return [block for block in blocks if "run.py" not in block]


def example_script(base_url: str) -> str:
    """The examples as one script for `bash -euo pipefail`, against `base_url`, where curl fails
    on an error status and says why."""
    prelude = 'curl() { command curl --silent --show-error --fail-with-body "$@"; }\n'
    return prelude + "\n".join(block.replace(SERVICE, base_url) for block in example_blocks())


def test_the_readme_names_every_problem_type_with_its_status() -> None:
    text = README.read_text()
    for kind in PROBLEM_TYPES.values():
        row = f"| {kind.status} | `{kind.uri}` |"
        assert row in text, f"README lacks the row for {kind.uri}"
    unknown = set(re.findall(r"`/problems/([a-z-]+)`", text)) - set(PROBLEM_TYPES)
    assert not unknown, f"README names problem types the API does not have: {unknown}"


def test_the_examples_are_valid_shell_that_talks_only_to_the_local_service() -> None:
    blocks = example_blocks()
    assert len(blocks) >= 8
    script = example_script(SERVICE)
    syntax = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    for url in re.findall(r"https?://[^\s'\"]+", script):
        host = re.sub(r"^https?://([^/:]+).*", r"\1", url)
        # example.org and the news report cited: data inside a body, never requested
        assert host in {"127.0.0.1", "example.org", "okdiario.com"}, url
    assert "mem_..." not in script and "<etag" not in script  # placeholders do not run
