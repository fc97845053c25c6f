"""Numbers written as the page writes them (static/js/format.js), by the figures and the frames alike: the numbers
themselves always come from the trace."""

DIGITS = 4               # decimals shown in cells (hover shows 7 significant digits, as the page)


def fix(v, d=DIGITS):
    """v to d decimals, never "-0.0000" (as the page's fix)."""
    text = f"{float(v):.{d}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def short(v, d=DIGITS):
    """fix(), except a value too small to show in d decimals is written 1.234e-07 (as the page's short)."""
    v = float(v)
    return f"{v:.{d - 1}e}" if v != 0 and abs(v) < 0.5 * 10 ** -d else fix(v, d)


def signed(v, d=DIGITS):
    """+0.1234 or -0.1234, a share added to a running sum (as the page's signed)."""
    return ("+" if float(v) >= 0 else "-") + fix(abs(float(v)), d)


def exact(v):
    """A float32 to its 7 significant digits, as hover shows it."""
    return f"{float(v):.7g}"


def pct(p):
    """A probability as a percentage: "<0.1%" below 0.1%, not a misleading 0.0%."""
    return "<0.1%" if 0 < p < 0.001 else f"{100 * float(p):.1f}%"
