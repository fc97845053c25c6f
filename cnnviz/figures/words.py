"""Words in a figure, which plotly.js neither wraps nor measures: about how wide a text is at a size, and the <br>
that keep its lines within a width, so that no caption or note runs past a figure's edge."""

import html
import re

EM = 0.6                 # a character's width in em, at most on average, in the sans-serif fonts met (DejaVu Sans)
BOLD = 1.15              # how much wider a bold character is
LINE = 1.3               # a line's height in em, as plotly.js spaces lines


def text_width(text, size):
    """About how many px text takes at size px: tags not counted, bold wider (an estimate on the wide side)."""
    width, bold = 0.0, False
    for tag, chars in re.findall(r"(<[^>]*>)|([^<]+)", text):
        if tag:
            bold = {"<b>": True, "</b>": False}.get(tag.lower(), bold)
        else:
            width += len(html.unescape(chars)) * EM * size * (BOLD if bold else 1)
    return width


def wrap(text, width, size):
    """text with a <br> wherever a line would pass width px at size px; words and tags kept whole, the <br> already
    there kept (plotly carries a <b> or <span> open across a <br>)."""
    lines = []
    for line in re.split(r"<br\s*/?>", text):
        row = ""
        for word in re.findall(r"(?:<[^>]*>|[^ <])+", line):
            longer = f"{row} {word}" if row else word
            if row and text_width(longer, size) > width:
                lines.append(row)
                longer = word
            row = longer
        lines.append(row)
    return "<br>".join(lines)


def text_height(text, width, size):
    """px that text takes wrapped to width px at size px."""
    return (wrap(text, width, size).count("<br>") + 1) * round(LINE * size)
