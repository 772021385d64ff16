"""The digest as JSON: the same facts as the other formats, for scripts."""

from __future__ import annotations

import json

from ometsuke.digest.model import Digest


def render_json(digest: Digest) -> str:
    return json.dumps(digest.as_dict(), ensure_ascii=False, indent=2) + "\n"
