"""How long `status` takes on the benchmark fleet, beside `render --check` of the same fleet; and how long
the HTML page takes to open in a headless Chromium (when one is installed).

    python benchmarks/status.py                        # 1,000 models x 3 environments x 3 clusters
    python benchmarks/status.py --models 100 --runs 3  # a quicker look

Every command runs as a fresh process (benchmarks/fleet.py's measure): median and min wall time, peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleet import MEDIANS, measure, run, settle, write_fleet  # noqa: E402


def page_open_seconds(page: Path) -> str:
    """Load time of the page in headless Chromium (navigation start to the end of the load event), via DevTools."""
    try:
        from tests.test_status_html import Browser, find_browser
    except ImportError as exc:
        return f"not measured ({exc})"
    binary = find_browser()
    if binary is None:
        return "not measured (no Chromium)"
    profile = Path(tempfile.mkdtemp(prefix="gitops-gen-bench-chromium-"))
    browser = Browser(binary, profile)
    try:
        started = time.perf_counter()
        browser.open(page.as_uri())
        wall = time.perf_counter() - started
        timing = browser.js("JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())")
        load_end = json.loads(timing)["loadEventEnd"] / 1000
        started = time.perf_counter()
        browser.js("""(() => { const q = document.getElementById('filter-model'); q.value = 'model-04';
                       q.dispatchEvent(new Event('input')); })()""")
        browser.js("new Promise(r => setTimeout(r, 100))")  # the filter waits 60 ms for more typing
        shown = browser.js("document.getElementById('shown').textContent")
        filtered = time.perf_counter() - started - 0.1
        problems = browser.problems()
        return (f"opened in {load_end:.2f} s (load event; {wall:.2f} s wall including navigation), "
                f"a model filter applied in {filtered:.2f} s ({shown}); console problems: {len(problems)}")
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--envs", type=int, default=3)
    parser.add_argument("--clusters", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gitops-gen-bench-"))
    try:
        write_fleet(root, args.models, args.envs, args.clusters)
        releases = args.models * args.envs * args.clusters
        print(f"fleet: {args.models} models x {args.envs} environments x {args.clusters} clusters "
              f"= {releases} releases", flush=True)
        records = root / "cache"
        env = {**os.environ, "XDG_CACHE_HOME": str(records)}
        gitops_gen = [sys.executable, "-m", "generator"]
        run([*gitops_gen, "render", "-q"], root, env)
        settle(root)
        measure("render --check (unchanged tree)", [*gitops_gen, "render", "--check", "-q"], root, args.runs, env)
        measure("render --check (no record: CI)", [*gitops_gen, "render", "--check", "-q"], root, args.runs, env,
                before=lambda _i: shutil.rmtree(records, ignore_errors=True))
        measure("status (table)", [*gitops_gen, "status"], root, args.runs, env)
        measure("status --format json", [*gitops_gen, "status", "--format", "json"], root, args.runs, env)
        page = root / "status.html"
        measure("status --format html", [*gitops_gen, "status", "--format", "html", "--out", str(page)], root,
                args.runs, env)
        print(f"page: {page.stat().st_size / 1e6:.1f} MB; " + page_open_seconds(page))
        check = min(MEDIANS["render --check (unchanged tree)"], MEDIANS["render --check (no record: CI)"])
        print("status as a multiple of the faster render --check: " + ", ".join(
            f"{label} {MEDIANS[label] / check:.2f}" for label in MEDIANS if label.startswith("status")))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
