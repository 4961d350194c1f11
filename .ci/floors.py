"""Print pip constraints that pin every direct dependency of gitops-gen (and its test extra) to its floor.

`pip install -c THIS -e '.[test]'` then installs the oldest versions pyproject.toml allows for what we
import, and the newest of everything they pull in: what `uv pip install --resolution lowest-direct`
does, with pip alone. .ci/lowest runs the suite that way, so the floors we declare stay true.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9._-]+)\s*(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def floors(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if not match:
            sys.exit(f"{pyproject}: {requirement!r} has no '>=' floor; declare one so the oldest-versions run can pin it")
        name = match.group(1).lower().replace("_", "-")
        pins[name] = max(pins.get(name, match.group(2)), match.group(2), key=_version_key)
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


if __name__ == "__main__":
    print("\n".join(floors(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml"))))
