"""Numbers written as the page writes them (static/js/format.js), by the figures and the frames alike: the numbers
themselves always come from the trace."""

DIGITS = 4               # decimals shown in cells (hover shows 7 significant digits, as the page)


def fix(v, d=DIGITS):
    """v to d decimals, never "-0.0000", as the page's fix (JS toFixed, which rounds a value exactly halfway, such as
    0.03125, away from zero, where Python's format rounds it to even)."""
    v = float(v)
    p, q = v.as_integer_ratio()
    scaled = abs(p) * 10 ** d                          # |v| * 10^d = scaled / q exactly; q is a power of two
    if scaled % q and 2 * scaled % q == 0:             # exactly halfway between two last digits
        units = str(scaled // q + 1).rjust(d + 1, "0")
        text = ("-" if v < 0 else "") + (f"{units[:-d]}.{units[-d:]}" if d else units)
    else:
        text = f"{v:.{d}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def short(v, d=DIGITS):
    """fix(), except a value too small to show in d decimals is written 1.234e-7, as the page's short (JS
    toExponential: no leading zero in the exponent; no such value lies exactly halfway)."""
    v = float(v)
    if v == 0 or abs(v) >= 0.5 * 10 ** -d:
        return fix(v, d)
    mantissa, exponent = f"{v:.{d - 1}e}".split("e")
    return f"{mantissa}e{int(exponent):+d}"


def signed(v, d=DIGITS):
    """+0.1234 or -0.1234, a share added to a running sum (the page's signed with an ASCII minus, which the
    pictures' font has where it has no −)."""
    return ("+" if float(v) >= 0 else "-") + fix(abs(float(v)), d)


def exact(v):
    """A float32 to its 7 significant digits, as hover shows it."""
    return f"{float(v):.7g}"


def pct(p):
    """A probability as a percentage: "<0.1%" below 0.1%, not a misleading 0.0%."""
    return "<0.1%" if 0 < p < 0.001 else f"{100 * float(p):.1f}%"
