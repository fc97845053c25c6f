"""Numbers as the page writes them (static/js/format.js fix and short), so that a question's choices read exactly as
the page shows the number once the teacher steps on."""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = 4                 # decimals the page shows (static/js/config.js DIGITS)


def fix(v, d=DIGITS):
    """v with d decimals as the page's fix() writes it (JS toFixed: halves away from zero; never "-0.0000")."""
    q = Decimal(float(v)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    return f"{abs(q) if q == 0 else q:f}"


def short(v, d=DIGITS):
    """As the page's short(): fix(), but a number too small for d decimals as 1.234e-7 (JS toExponential)."""
    v = float(v)
    if v == 0 or abs(v) >= 0.5 * 10 ** -d:
        return fix(v, d)
    exact = Decimal(v)
    exponent = exact.adjusted()
    mantissa = exact.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - d), rounding=ROUND_HALF_UP)
    if abs(mantissa) >= 10:                                    # 9.9996e-6 rounds up to 1.000e-5
        exponent += 1
        mantissa = exact.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - d), rounding=ROUND_HALF_UP)
    return f"{mantissa:f}e{exponent:+d}"
