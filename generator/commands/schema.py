"""gitops-gen schema: print the JSON Schema of spec documents, for editors."""
from __future__ import annotations

import json
import sys

from ..load.spec_schema import spec_schema


def schema() -> int:
    sys.stdout.write(json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0
