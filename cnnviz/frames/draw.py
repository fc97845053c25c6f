"""A slide-sized picture and what the views draw on it: text, heatmaps that fill up cell by cell, outlines, tables
of numbers on their colours, bars. Text is in Pillow's own font (no system fonts needed), which has no maths
symbols: the page's words are written with PLAIN's letters instead."""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..format import fix, pct, short, signed  # noqa: F401  (the views import them from here)
from .scales import COLOURS, LEGEND, PENDING, colours, ink_on, rgb

SIZE = WIDTH, HEIGHT = 1280, 720       # a 16:9 slide
MARGIN = 28                            # pixels around the picture's edge
BG, INK, MUTED, GRID = "#ffffff", "#1b1f24", "#5a6370", "#d8dce2"    # the page's light theme
PLAIN_CELL = "#f3f4f6"                 # a table cell with no colour of its own
THEME = (BG, INK, MUTED, GRID, PENDING, PLAIN_CELL)
TITLE, TEXT, SMALL = 30, 20, 16        # font sizes: readable from the back of a classroom at slide size
HEAD = 64                              # the title's band
FOOT = 60                              # the caption's and legend's band
TOP, BOTTOM = HEAD + 12, HEIGHT - FOOT  # the views draw between these


@lru_cache(maxsize=None)
def font(size):
    """Pillow's bundled font (Aileron) at size pixels."""
    return ImageFont.load_default(size=size)


PLAIN = str.maketrans({"—": "-", "–": "-", "−": "-", "×": "x", "≥": ">=", "≤": "<=", "σ": "sigma",
                       "Σ": "sum", "δ": "delta", "∂": "d", "→": "->", "…": "..."})   # the symbols Pillow's font lacks


@lru_cache(maxsize=4096)      # the same numbers recur frame after frame: each drawn once
def lettering(s, size, bold=False):
    """s in the font at size as a mask (an "L" image), its left and top offsets from the text's origin, and its
    advance width."""
    f, s = font(size), s.translate(PLAIN)
    stroke = 1 if bold else 0
    left, top, right, bottom = f.getbbox(s, stroke_width=stroke)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), s, font=f, fill=255, stroke_width=stroke, stroke_fill=255)
    return mask, left, top, f.getlength(s)


@dataclass
class Map:
    """Where a heatmap of h x w cells was drawn: its top-left corner and cell size in pixels."""
    x: int
    y: int
    cell: int
    h: int
    w: int

    def rect(self, r0, c0, r1=None, c1=None):
        """The pixel rectangle around cells r0..r1, c0..c1 (inclusive)."""
        r1, c1 = r0 if r1 is None else r1, c0 if c1 is None else c1
        return (self.x + c0 * self.cell, self.y + r0 * self.cell,
                self.x + (c1 + 1) * self.cell - 1, self.y + (r1 + 1) * self.cell - 1)

    @property
    def right(self):
        return self.x + self.w * self.cell

    @property
    def bottom(self):
        return self.y + self.h * self.cell


class Canvas:
    """One picture: a title (what the stage is), the digit and weights it shows, a caption and legends below."""

    def __init__(self, title, about, caption, legends=()):
        self.img = Image.new("RGB", SIZE, BG)
        self.draw = ImageDraw.Draw(self.img)
        self.text(MARGIN, 18, title, TITLE, bold=True)
        self.text(WIDTH - MARGIN, 26, about, SMALL, MUTED, anchor="ra")
        self.draw.line((MARGIN, HEAD, WIDTH - MARGIN, HEAD), fill=GRID, width=1)
        self.text(MARGIN, BOTTOM + 8, caption, TEXT)
        self.text(MARGIN, BOTTOM + 36, " ".join(LEGEND[k] for k in legends), SMALL, MUTED)

    def text(self, x, y, s, size=TEXT, fill=INK, anchor="la", bold=False):
        """Draw s with its top at y and its left, middle or right (anchor "la", "ma", "ra") at x; returns its
        width in pixels."""
        mask, left, top, width = lettering(s, size, bold)
        x0 = x - width * {"l": 0, "m": 0.5, "r": 1}[anchor[0]] + left
        self.img.paste(COLOURS.get(fill, fill), (round(x0), round(y + top)), mask)
        return width

    def heatmap(self, x, y, values, scale, lo, hi, cell, filled=None, gap=0):
        """values (h, w) coloured on scale over [lo, hi] at (x, y), cell pixels each; cells where filled (bool
        (h, w)) is False are drawn as not yet computed. Returns the Map."""
        h, w = values.shape
        rgb_cells = colours(values, scale, lo, hi)                              # (h, w, 3)
        if filled is not None:
            rgb_cells[~filled] = rgb(PENDING)
        big = np.repeat(np.repeat(rgb_cells, cell, axis=0), cell, axis=1)      # (h*cell, w*cell, 3)
        if gap:
            big[cell - gap::cell] = rgb(BG)
            big[:, cell - gap::cell] = rgb(BG)
        self.img.paste(Image.fromarray(big), (x, y))
        m = Map(x, y, cell, h, w)
        self.draw.rectangle((x - 1, y - 1, m.right, m.bottom), outline=GRID)
        return m

    def outline(self, rect, colour="window", width=3):
        """A rectangle outline (in COLOURS' name or a colour) just outside rect."""
        x0, y0, x1, y1 = rect
        c = COLOURS.get(colour, colour)
        self.draw.rectangle((x0 - width + 1, y0 - width + 1, x1 + width - 1, y1 + width - 1), outline=c, width=width)

    def cell(self, rect, lines, background, sizes=(SMALL, TEXT)):
        """A table cell: background (r, g, b) and up to two centred lines of text in the colour that reads on it."""
        self.draw.rectangle(rect, fill=tuple(int(v) for v in background), outline=GRID)
        ink = ink_on(background)
        x0, y0, x1, y1 = rect
        lines = [s for s in lines if s]
        heights = [sizes[-len(lines) + i] for i in range(len(lines))]
        y = (y0 + y1) / 2 - (sum(heights) + 2 * (len(lines) - 1)) / 2
        for s, size in zip(lines, heights):
            self.text((x0 + x1) / 2, y, s, size, ink, anchor="ma")
            y += size + 2

    def table(self, x, y, widths, row_h, header, rows, current=None, size=TEXT):
        """A table of text at (x, y): a header row, then rows, the current one outlined; numbers right-aligned
        (any cell that starts with a digit or a minus). Returns the y below it."""
        def put(cells, y, colour=INK, s=size):
            left = x
            for text, w in zip(cells, widths):
                numeric = text[:1].isdigit() or text[:2].lstrip("-")[:1].isdigit()
                self.text(left + w - 10 if numeric else left + 4, y + (row_h - s) / 2, text, s, colour,
                          anchor="ra" if numeric else "la")
                left += w
        put(header, y, MUTED, SMALL)
        y += row_h
        self.draw.line((x, y - 2, x + sum(widths), y - 2), fill=GRID)
        for i, cells in enumerate(rows):
            if i == current:
                self.outline((x, y, x + sum(widths), y + row_h - 2), "current", 3)
            put(cells, y)
            y += row_h
        return y

    def colorbar(self, x, y, height, scale, lo, hi, width=14):
        """A vertical colour bar from lo (bottom) to hi (top), labelled at both ends."""
        ramp = colours(np.linspace(hi, lo, height), scale, lo, hi)[:, None, :].repeat(width, axis=1)
        self.img.paste(Image.fromarray(ramp), (x, y))
        self.text(x + width + 4, y, fix(hi, 2), SMALL, MUTED)
        self.text(x + width + 4, y + height - SMALL, fix(lo, 2), SMALL, MUTED)

    def bars(self, x, y, w, h, values, labels=None, texts=None, colour_of=None, current=None, lo=None, hi=None):
        """A bar per value in the box (x, y, w, h), from a zero line: labels under the bars and texts over them
        (if given), colour_of(i, v) -> a colour or a COLOURS name (default "bar"), the current bar outlined."""
        lo = min(0.0, float(np.min(values))) if lo is None else lo
        hi = max(0.0, float(np.max(values))) if hi is None else hi
        top = y + (SMALL + 6 if texts else 0)
        base = y + h - (SMALL + 8 if labels else 0)
        scale = (base - top) / ((hi - lo) or 1)
        zero = base - (0 - lo) * scale
        step = w / len(values)
        for i, v in enumerate(values):
            x0, x1 = x + i * step + step * 0.12, x + (i + 1) * step - step * 0.12
            end = base - (float(v) - lo) * scale
            c = colour_of(i, v) if colour_of else "bar"
            self.draw.rectangle((x0, min(zero, end), x1, max(zero, end)), fill=COLOURS.get(c, c))
            if i == current:
                self.outline((x0 - 2, top, x1 + 2, base), "current", 3)
            if texts:
                self.text((x0 + x1) / 2, min(zero, end) - SMALL - 4, texts[i], SMALL, anchor="ma")
            if labels:
                self.text((x0 + x1) / 2, base + 6, labels[i], SMALL, anchor="ma")
        self.draw.line((x, zero, x + w, zero), fill=MUTED, width=1)
        return zero
