"""A minimal text/event-stream client over a real socket, for tests: one event at a time, with a deadline."""

import http.client
import json
import time
from urllib.parse import urlsplit


class EventStream:
    """GET url and read its server-sent events as (event, id, data) with data parsed as JSON."""

    def __init__(self, url, headers=None, timeout=10):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            self.conn.request("GET", f"{parts.path}?{parts.query}", headers=headers or {})
            self.response = self.conn.getresponse()
        except BaseException:                      # refused or reset: no socket left open
            self.conn.close()
            raise
        self.status = self.response.status
        self.headers = self.response.headers

    def next(self, skip=("counts",)):
        """The next event whose name is not in skip (heartbeats and retry lines are always skipped)."""
        while True:
            event, id_, data = "message", None, None
            while True:
                line = self.response.readline()
                if not line:
                    raise EOFError("the stream ended")
                line = line.decode().rstrip("\n")
                if not line:
                    break
                field, _, value = line.partition(": ")
                if field == "event":
                    event = value
                elif field == "id":
                    id_ = int(value)
                elif field == "data":
                    data = json.loads(value)
            if data is not None and event not in skip:
                return event, id_, data

    def until(self, event, predicate=lambda data: True, seconds=10):
        """Read until an event of this name whose data satisfies predicate; its data. The deadline holds while
        only heartbeats come, too (then the stream is left unusable)."""
        deadline = time.monotonic() + seconds
        sock, timeout = self.conn.sock, self.conn.sock.gettimeout()
        try:
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    name, _, data = self.next(skip=())
                except TimeoutError:
                    break
                if name == event and predicate(data):
                    return data
        finally:
            sock.settimeout(timeout)
        raise TimeoutError(f"no {event} event within {seconds} s")

    def close(self):
        self.conn.close()
