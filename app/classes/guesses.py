"""Guessing: wrong class codes and tokens from one address are limited (a token bucket per address, per worker),
so that neither can be found by trying at speed; a school's students mistyping behind one NAT still fit."""

import threading
from collections import OrderedDict

from ..lan import is_loopback
from ..store import Refused

BURST = 60            # wrong codes or tokens one address may send at once: a class of 60 each mistyping once
PER_SECOND = 1.0      # and then one a second (31^6 = 887 million codes: centuries at this pace, per worker)
ADDRESSES = 10_000    # addresses remembered per worker, the oldest forgotten first


class Guesses:
    """Wrong guesses by client address; this machine's own (the teacher, tests, a proxy) are not limited."""

    def __init__(self, burst=BURST, per_second=PER_SECOND, addresses=ADDRESSES):
        self.burst, self.per_second, self.addresses = burst, per_second, addresses
        self.kept, self.lock = OrderedDict(), threading.Lock()     # address -> (allowance, at)

    def allowance(self, address, now):
        left, at = self.kept.get(address, (self.burst, now))
        return min(self.burst, left + (now - at) * self.per_second)

    def check(self, address, now):
        """429 (Refused) for an address whose wrong guesses used up its allowance."""
        if not is_loopback(address) and self.allowance(address, now) < 1:
            raise Refused("too many wrong class codes or tokens from this address: wait a minute and try again")

    def wrong(self, address, now):
        """Count one wrong code or token from address."""
        if is_loopback(address):
            return
        with self.lock:
            self.kept[address] = (self.allowance(address, now) - 1, now)
            self.kept.move_to_end(address)
            while len(self.kept) > self.addresses:
                self.kept.popitem(last=False)
