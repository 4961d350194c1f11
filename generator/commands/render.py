"""gitops-gen render: compile the source tree into the output tree (or check it is current)."""
from __future__ import annotations

import time
from pathlib import Path

from ..build import build_fleet
from ..emit import check_tree, file_contents, render_tree
from ..resolve import load_fleet
from .common import default_output, info


def render(source: Path, out: Path | None = None, check: bool = False, quiet: bool = False) -> int:
    started = time.perf_counter()
    fleet = load_fleet(source)
    contents = file_contents(build_fleet(fleet))
    out = out or default_output(source, fleet)
    if check:
        differences = check_tree(contents, out)
        for line in differences:
            print(line)
        if differences:
            info(f"{out}: {len(differences)} files differ from the specs; run `gitops-gen render`")
            return 1
        if not quiet:
            info(f"{out}: up to date ({len(contents)} files)")
        return 0
    change = render_tree(contents, out, source=source)
    if not quiet:
        elapsed = time.perf_counter() - started
        info(f"rendered {len(fleet.releases)} releases into {out}: {len(contents)} files, "
             f"{change.written} written, {change.removed} removed, in {elapsed:.2f}s")
    return 0
