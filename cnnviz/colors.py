"""The page's colour scales, colours and legends (colors.json), the one file the page and the figures both read."""

import functools
import json
from pathlib import Path

COLORS_FILE = Path(__file__).resolve().parent / "colors.json"


@functools.cache
def colors():
    """colors.json as a dict: "scales" (diverging, sequential, image), "colours" by use, "legends" by scale."""
    return json.loads(COLORS_FILE.read_text(encoding="utf-8"))
