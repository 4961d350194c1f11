"""`gitops-gen-cmp`: the commands Argo CD's repo-server sidecar runs (SPEC.md section 5).

Not implemented yet: see the plugin issue. Exits non-zero so Argo CD never
mistakes this stub's silence for an empty, prune-everything result.
"""
from __future__ import annotations

import sys


def main() -> None:
    print("gitops-gen-cmp: not implemented yet", file=sys.stderr)
    sys.exit(1)
