#!/usr/bin/env python3
"""Zero-setup entry point: the two Quick start commands of the README.

`python3 run.py serve` starts the service, `python3 run.py test` runs the test suite. Both
create `.venv/` on first use and install the project into it (again whenever pyproject.toml
changes), so a machine with nothing but Python 3.11+ can run them. Everything after the
command name is passed on: `python3 run.py test -k search`, `python3 run.py serve --port 9000`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".orgreg-installed"


def _requirements_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"orgreg needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print("Creating .venv/ ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # ensurepip missing on some Debian-based images
            sys.exit(
                f"Could not create .venv ({exc}). On Debian/Ubuntu: apt-get install python3-venv"
            )
    digest = _requirements_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    print("Installing orgreg and its dependencies into .venv/ ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[embedded,dev]"], check=True)
    STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    commands = {
        "serve": [str(BIN / "orgreg"), "serve"],
        "test": [str(BIN / "python"), "-m", "pytest"],
        "cli": [str(BIN / "orgreg")],
    }
    if not argv or argv[0] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    cmd = [*commands[argv[0]], *argv[1:]]
    os.chdir(ROOT)
    if os.name == "nt":
        return subprocess.call(cmd)
    os.execv(cmd[0], cmd)  # replace this process so signals reach the service directly


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
