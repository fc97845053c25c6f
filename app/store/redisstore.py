"""The Redis store, for several cnnviz instances behind one load balancer: classes are hashes that expire
by themselves, and events fan out with Redis pub/sub (redis-py), one subscription per worker process.

A Redis that stops answering (stopped, paused, restarting, cut off) makes each call raise Unreachable within
about SOCKET_SECONDS (redis-py's default is 5 s, per connect and per reply), and the app answers 503. The
subscription alone waits without a timeout: no event is published while Redis is down, a connection Redis closed
is noticed at once (hub.py listens again), and the hub's pings tell the streams when Redis is silent."""

import functools
import json
import sys

import redis
from redis.backoff import ConstantBackoff
from redis.retry import Retry

from . import (ANSWERED, NO_CHOICE, NO_QUESTION, PRESENCE_SECONDS, REVEALED, ClassRecord, Refused, Unreachable,
               answers_refused, drawings_refused, questions_refused, sender_refused)

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
local asked = redis.call('HGET', KEYS[1], 'questions')
if asked then redis.call('EXPIRE', KEYS[1] .. ':q:' .. asked, ARGV[3]) end
return seq
"""
# A question of the class KEYS[1] (the class's "questions" field counts them): its own hash <class>:q:<id>, "data"
# the question, "n" its number of choices, "revealed", "a:<client>" each client's choice, "c:<choice>" the counts,
# "f:<address>" the clients from each address. Asked (ARGV: the question, n, the limit, the lifetime): its id, or 0
# (no class), -1 (the limit of questions asked already).
ASK = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local id = tonumber(redis.call('HGET', KEYS[1], 'questions') or 0) + 1
if id > tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'questions', id)
local key = KEYS[1] .. ':q:' .. id
redis.call('DEL', key)
redis.call('HSET', key, 'data', ARGV[1], 'n', ARGV[2])
redis.call('EXPIRE', key, ARGV[4])
return id
"""
# An answer to the question KEYS[2] of the open class KEYS[1] (client ARGV[1], choice ARGV[2], from address ARGV[3]),
# replacing the client's earlier one: 1, or 0 (no such question), -1 (ARGV[4] clients from that address already),
# -2 (revealed), -3 (no such choice).
ANSWER = """
local n = redis.call('HGET', KEYS[2], 'n')
if redis.call('EXISTS', KEYS[1]) == 0 or not n then return 0 end
if redis.call('HEXISTS', KEYS[2], 'revealed') == 1 then return -2 end
if tonumber(ARGV[2]) < 0 or tonumber(ARGV[2]) >= tonumber(n) then return -3 end
local before = redis.call('HGET', KEYS[2], 'a:' .. ARGV[1])
if before then
  redis.call('HINCRBY', KEYS[2], 'c:' .. before, -1)
else
  if tonumber(redis.call('HGET', KEYS[2], 'f:' .. ARGV[3]) or 0) >= tonumber(ARGV[4]) then return -1 end
  redis.call('HINCRBY', KEYS[2], 'f:' .. ARGV[3], 1)
end
redis.call('HSET', KEYS[2], 'a:' .. ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], 'c:' .. ARGV[2], 1)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
"""
ANSWERS = {1: ANSWERED, 0: NO_QUESTION, -2: REVEALED, -3: NO_CHOICE}
# The question KEYS[1] revealed (no answer changes it after this): its fields, or nil for no such question.
REVEAL = """
if redis.call('HEXISTS', KEYS[1], 'data') == 0 then return nil end
redis.call('HSET', KEYS[1], 'revealed', 1)
return redis.call('HGETALL', KEYS[1])
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

    def __init__(self, url, limits, warm=0):
        """warm: connections to open now, so that a class's answers arriving at once find them open. A Redis that
        does not answer yet is no error here (a worker may start during an outage: gunicorn replacing one, or a
        slow start): each call raises Unreachable until it answers. `cnnviz serve` pings it before it starts."""
        self.limits = limits
        self.r = redis.Redis.from_url(url, decode_responses=True, health_check_interval=30,
                                      socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS,
                                      retry=Retry(ConstantBackoff(RETRY_SECONDS), RETRIES,
                                                  supported_errors=(redis.ConnectionError,)))
        self.update = self.r.register_script(UPDATE)
        self.add = self.r.register_script(ADD_DRAWING)
        self.new_question, self.set_answer, self.set_revealed = map(self.r.register_script, (ASK, ANSWER, REVEAL))
        self.listeners = []           # each listen() has its own subscription
        try:
            for script in (UPDATE, ADD_DRAWING, ASK, ANSWER, REVEAL):   # in Redis before a class's answers all come
                self.r.script_load(script)                              # (else each loads on its first call)
            self.warm(warm)
        except (redis.ConnectionError, redis.TimeoutError) as e:
            print(f"cnnviz: the store does not answer yet ({type(e).__name__}: {e}); its calls answer 503 until it "
                  "does", file=sys.stderr, flush=True)

    def warm(self, n):
        """Open n connections in the pool and keep them for later calls."""
        pool = self.r.connection_pool
        opened = [pool.get_connection() for _ in range(n)]     # get_connection connects each
        for connection in opened:
            pool.release(connection)

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
        asked = int(self.r.hget(key, "questions") or 0)
        with self.r.pipeline() as p:
            p.delete(key, key + ":drawings", key + ":senders", *(f"{key}:q:{i}" for i in range(1, asked + 1)))
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

    # questions
    @answering
    def ask(self, code, question, choices, limit):
        n = self.new_question(keys=[PREFIX + "class:" + code], args=[question, choices, limit, self.ttl()])
        if n == -1:
            raise Refused(questions_refused(limit))
        return n or None

    @answering
    def question(self, code, id_=None):
        key = PREFIX + "class:" + code
        if id_ is None:
            id_ = int(self.r.hget(key, "questions") or 0)
        data, revealed = self.r.hmget(f"{key}:q:{id_}", "data", "revealed")
        return (id_, data, bool(revealed)) if data else None

    @answering
    def answer(self, code, id_, client, choice, address, each):
        key = PREFIX + "class:" + code
        n = self.set_answer(keys=[key, f"{key}:q:{id_}"], args=[client, choice, address, each, self.ttl()])
        if n == -1:
            raise Refused(answers_refused(each))
        return ANSWERS[n]

    @staticmethod
    def counts(fields):
        """A question's hash (field, value, ...) -> {choice: count} of the choices anyone holds."""
        pairs = dict(zip(fields[::2], fields[1::2])) if isinstance(fields, list) else fields
        return {int(f[2:]): int(n) for f, n in pairs.items() if f.startswith("c:") and int(n)}

    @answering
    def tally(self, code, id_):
        return self.counts(self.r.hgetall(f"{PREFIX}class:{code}:q:{id_}"))

    @answering
    def reveal(self, code, id_):
        fields = self.set_revealed(keys=[f"{PREFIX}class:{code}:q:{id_}"])
        return None if fields is None else self.counts(fields)

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
