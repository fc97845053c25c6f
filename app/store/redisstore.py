"""The Redis store, for several cnnviz instances behind one load balancer: classes are hashes that expire
by themselves, and events fan out with Redis pub/sub (redis-py), one subscription per worker process.

A Redis that stops answering (stopped, paused, restarting, cut off) makes each call raise Unreachable within
about SOCKET_SECONDS (redis-py's default is 5 s, per connect and per reply), and the app answers 503. The
subscription alone waits without a timeout: no event is published while Redis is down, a connection Redis closed
is noticed at once (hub.py listens again), and the hub's pings tell the streams when Redis is silent."""

import functools
import json

import redis
from redis.backoff import ConstantBackoff
from redis.retry import Retry

from . import PRESENCE_SECONDS, ClassRecord, Refused, Unreachable, drawings_refused, sender_refused

PREFIX = "cnnviz:"
CHANNEL = PREFIX + "events"
ENDED_SECONDS = 3600       # how long an address's count of started classes is kept
# Change a class's state only if it is still open: HINCRBY would otherwise bring an expired class back.
UPDATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'changed', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
return seq
"""
# A drawing, if the class exists and neither it (ARGV[2] drawings) nor its sender (ARGV[4], ARGV[3] each) is full:
# its id, or 0 (no class), -1 (the class full), -2 (the sender)
ADD_DRAWING = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
if tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or 0) >= tonumber(ARGV[3]) then return -2 end
local n = redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[3], ARGV[5])
return n
"""
SOCKET_SECONDS = 2.0       # a connection or a reply that takes longer fails (Redis answers in well under 1 ms)
RETRIES = 1                # a lost connection (one a restarted Redis closed) is tried once more, on a new one; a
RETRY_SECONDS = 0.1        # timeout is not: redis-py retries inside connect() too, so retried timeouts multiply
UNREACHABLE = "the class store (Redis) is not answering: try again in a moment"


def milliseconds(seconds):
    """A lifetime for Redis (PX, PEXPIRE): whole milliseconds, at least one; Redis keeps the time itself."""
    return max(1, round(seconds * 1000))


def answering(method):
    """A store call whose connection errors and timeouts raise Unreachable (the cause, with the address, chained)."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as e:     # also LOADING: a restarted Redis reading its file
            raise Unreachable(UNREACHABLE) from e
    return call


class RedisStore:
    """The store in Redis."""

    def __init__(self, url, limits):
        self.limits = limits
        self.r = redis.Redis.from_url(url, decode_responses=True, health_check_interval=30,
                                      socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS,
                                      retry=Retry(ConstantBackoff(RETRY_SECONDS), RETRIES,
                                                  supported_errors=(redis.ConnectionError,)))
        self.r.ping()                      # fail at start-up, with the URL, rather than on the first class
        self.update = self.r.register_script(UPDATE)
        self.add = self.r.register_script(ADD_DRAWING)
        self.listeners = []           # each listen() has its own subscription

    def ttl(self):
        return int(self.limits.class_hours * 3600)

    # classes
    @answering
    def create_class(self, code, token_hash, state, address, now, limits=None):
        limits = limits or self.limits
        made = f"{PREFIX}made:{address}:{int(now // 3600)}"
        if self.r.incr(made) > limits.per_address_hour:
            raise Refused(f"at most {limits.per_address_hour} classes an hour from one address: try later")
        self.r.expire(made, ENDED_SECONDS)
        open_ = PREFIX + "open"
        self.r.zremrangebyscore(open_, 0, now - self.ttl())
        if self.r.zcard(open_) >= limits.at_once:
            raise Refused(f"{limits.at_once} classes are open on this server: try later")
        key = PREFIX + "class:" + code
        with self.r.pipeline() as p:
            p.delete(key, key + ":drawings", key + ":senders")
            p.hset(key, mapping={"token_hash": token_hash, "state": state, "seq": 1, "changed": now,
                                 "address": address})
            p.expire(key, self.ttl())
            p.zadd(open_, {code: now})
            p.execute()

    @answering
    def get_class(self, code, now):
        h = self.r.hgetall(PREFIX + "class:" + code)
        if not h or float(h["changed"]) <= now - self.ttl():
            return None
        return ClassRecord(code, h["token_hash"], h["state"], int(h["seq"]), float(h["changed"]),
                           h.get("address", ""))

    @answering
    def update_class(self, code, state, now):
        return self.update(keys=[PREFIX + "class:" + code, PREFIX + "open"], args=[state, now, self.ttl(), code])

    @answering
    def end_class(self, code):
        key = PREFIX + "class:" + code
        with self.r.pipeline() as p:
            p.delete(key, key + ":drawings", key + ":senders")
            p.zrem(PREFIX + "open", code)
            gone, *_ = p.execute()
        return gone > 0

    @answering
    def expired_classes(self, now):
        return self.r.zrangebyscore(PREFIX + "open", 0, now - self.ttl())

    @answering
    def add_drawing(self, code, drawing, sender, limit, each):
        key = PREFIX + "class:" + code
        n = self.add(keys=[key, key + ":drawings", key + ":senders"], args=[drawing, limit, each, sender, self.ttl()])
        if n == -1:
            raise Refused(drawings_refused(limit))
        if n == -2:
            raise Refused(sender_refused(each))
        return n or None

    @answering
    def drawings(self, code):
        return self.r.lrange(PREFIX + "class:" + code + ":drawings", 0, -1)

    # runs
    @answering
    def claim(self, key, value, seconds):
        return bool(self.r.set(PREFIX + key, value, nx=True, px=milliseconds(seconds)))

    @answering
    def get(self, key):
        return self.r.get(PREFIX + key)

    @answering
    def put(self, key, value, seconds):
        self.r.set(PREFIX + key, value, px=milliseconds(seconds))

    @answering
    def drop(self, key):
        self.r.delete(PREFIX + key)

    @answering
    def append(self, key, value, seconds):
        with self.r.pipeline() as p:
            p.rpush(PREFIX + key, value)
            p.pexpire(PREFIX + key, milliseconds(seconds))
            n, _ = p.execute()
        return n

    @answering
    def items(self, key, start=0):
        return self.r.lrange(PREFIX + key, start, -1)

    # presence
    @answering
    def set_presence(self, topic, worker, counts, now):
        key = PREFIX + "presence:" + topic
        if any(counts.values()):
            self.r.hset(key, worker, json.dumps({"counts": counts, "seen": now}))
            self.r.expire(key, int(PRESENCE_SECONDS) * 2)
        else:
            self.r.hdel(key, worker)

    @answering
    def presence(self, topic, now, alive=lambda worker: True):
        totals = {}
        for worker, entry in self.r.hgetall(PREFIX + "presence:" + topic).items():
            entry = json.loads(entry)
            if entry["seen"] > now - PRESENCE_SECONDS and alive(worker):
                for name, n in entry["counts"].items():
                    totals[name] = totals.get(name, 0) + n
        return totals

    # health
    @answering
    def ping(self):
        self.r.ping()

    # events
    @answering
    def publish(self, topic, event, data):
        self.r.publish(CHANNEL, json.dumps([topic, event, data]))

    def listen(self, deliver, ready=lambda: None):
        """Deliver every event published from now on, until close(); ready() once Redis confirms the subscription.
        A lost connection raises, and the caller listens again."""
        pubsub = self.r.pubsub()
        self.listeners.append(pubsub)
        try:
            pubsub.subscribe(CHANNEL)
            for message in pubsub.listen():
                if message["type"] == "subscribe":
                    ready()
                elif message["type"] == "message":
                    deliver(*json.loads(message["data"]))
        except Exception:
            if pubsub in self.listeners:     # not closed by close(): the connection was lost
                raise
        finally:
            if pubsub in self.listeners:     # this subscription is over: the next listen() makes a new one
                self.listeners.remove(pubsub)
                try:
                    pubsub.close()
                except Exception:            # its connection is already broken
                    pass

    def close(self):
        listeners, self.listeners = self.listeners, []
        for pubsub in listeners:
            pubsub.close()
        self.r.close()
