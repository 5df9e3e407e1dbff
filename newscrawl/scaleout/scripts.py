"""The crawl's Redis operations that must be atomic, as Lua scripts.

Each runs on the Redis server in one step, so two workers claiming the same
URL get one winner, a lease is taken as the request leaves the queue (never
popped and forgotten), and an expired lease goes back to the queue exactly
once. Times come from the Redis server's clock (`TIME`), so machines whose
clocks disagree still agree on deadlines. The first argument of each is the
crawl's key prefix (see `keys.py`).
"""

from __future__ import annotations

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# Leases past their deadline go back to the queue; a URL whose leases expired
# `max_attempts` times (it keeps killing workers) is given up through the stream.
_REAP = """
local function reap(p, now, max_attempts, limit)
  local expired = redis.call('ZRANGEBYSCORE', p..'leases', '-inf', now, 'LIMIT', 0, limit)
  for _, url in ipairs(expired) do
    local owner = redis.call('HGET', p..'owner', url)
    if owner then redis.call('SREM', p..'wleases:'..owner, url) end
    redis.call('HDEL', p..'owner', url)
    redis.call('ZREM', p..'leases', url)
    local n = redis.call('HINCRBY', p..'attempts', url, 1)
    if n >= max_attempts then
      redis.call('XADD', p..'ops', '*', 'd', cjson.encode({op='give_up', args={url, n}}))
    else
      local payload = redis.call('HGET', p..'reqs', url)
      local score = 0
      if payload then score = cjson.decode(payload)['score'] or 0 end
      redis.call('ZADD', p..'queue', score, url)
    end
  end
  return #expired
end
"""

# ARGV: prefix, max_attempts. The writer calls it when no worker may be left to pop.
REAP = _NOW + _REAP + """
return reap(ARGV[1], now, tonumber(ARGV[2]), 1000)
"""

# ARGV: prefix, worker, lease ms, max_attempts, how many -> {url, payload, validators, stored,
# url, ...}: up to `how many` requests, each now leased to `worker` (empty when none wait).
POP = _NOW + _REAP + """
local p, worker = ARGV[1], ARGV[2]
reap(p, now, tonumber(ARGV[4]), 100)
local out = {}
for _, url in ipairs(redis.call('ZRANGE', p..'queue', 0, tonumber(ARGV[5]) - 1)) do
  redis.call('ZREM', p..'queue', url)
  redis.call('ZADD', p..'leases', now + tonumber(ARGV[3]), url)
  redis.call('HSET', p..'owner', url, worker)
  redis.call('SADD', p..'wleases:'..worker, url)
  out[#out + 1] = url
  out[#out + 1] = redis.call('HGET', p..'reqs', url) or ''
  out[#out + 1] = redis.call('HGET', p..'validators', url) or ''
  out[#out + 1] = redis.call('HEXISTS', p..'stored', url)
end
return out
"""

# ARGV: prefix, worker, lease ms. The worker's heartbeat: it is alive, its leases go on.
RENEW = _NOW + """
local p, worker = ARGV[1], ARGV[2]
redis.call('ZADD', p..'workers', now, worker)
local urls = redis.call('SMEMBERS', p..'wleases:'..worker)
for _, url in ipairs(urls) do
  if redis.call('HGET', p..'owner', url) == worker then
    redis.call('ZADD', p..'leases', 'XX', now + tonumber(ARGV[3]), url)
  else
    redis.call('SREM', p..'wleases:'..worker, url)
  end
end
return #urls
"""

# ARGV: prefix, url... The writer committed these URLs' outcomes: they are done.
RELEASE = """
local p = ARGV[1]
for i = 2, #ARGV do
  local url = ARGV[i]
  local owner = redis.call('HGET', p..'owner', url)
  if owner then redis.call('SREM', p..'wleases:'..owner, url) end
  redis.call('HDEL', p..'owner', url)
  redis.call('ZREM', p..'leases', url)
  redis.call('ZREM', p..'queue', url)
  redis.call('HDEL', p..'reqs', url)
  redis.call('HDEL', p..'attempts', url)
end
return #ARGV - 1
"""

# ARGV: prefix, worker. A worker leaving: what it holds goes back to the queue.
RETURN_LEASES = """
local p, worker = ARGV[1], ARGV[2]
local urls = redis.call('SMEMBERS', p..'wleases:'..worker)
local returned = 0
for _, url in ipairs(urls) do
  if redis.call('HGET', p..'owner', url) == worker then
    redis.call('HDEL', p..'owner', url)
    redis.call('ZREM', p..'leases', url)
    local payload = redis.call('HGET', p..'reqs', url)
    if payload then
      redis.call('ZADD', p..'queue', cjson.decode(payload)['score'] or 0, url)
      returned = returned + 1
    end
  end
end
redis.call('DEL', p..'wleases:'..worker)
redis.call('ZREM', p..'workers', worker)
return returned
"""

# ARGV: prefix, now (ISO, +07:00), mode (page | article | related), refresh (0/1),
# stale-before (ISO or ''), then for each URL: url, payload, score, modified (ISO or ''),
# refused ('' or why it cannot be fetched). The same decisions, in the same order, as
# `crawl/frontier.py` makes in SQLite for a single-process crawl.
CLAIM = """
local p, now, mode, refresh, cutoff = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1', ARGV[5]
local out = {}
local function queue(url, payload, score)
  redis.call('HSET', p..'seen', url, 1)
  redis.call('HSET', p..'reqs', url, payload)
  redis.call('ZADD', p..'queue', tonumber(score), url)
  return 'q'
end
local function page(url, payload, score, refused)
  if redis.call('HEXISTS', p..'seen', url) == 1 then return 'already_requested' end
  if refused ~= '' then return 'unfetchable' end
  return queue(url, payload, score)
end
local function article(url, payload, score, modified, refused)
  local fetched = redis.call('HGET', p..'stored', url)
  if mode == 'related' and fetched then return 'already_stored' end
  if redis.call('HEXISTS', p..'seen', url) == 1 then return 'already_requested' end
  local fin = redis.call('HGET', p..'finished', url)
  if fin and string.sub(fin, 1, 6) == 'retry:' and string.sub(fin, 7) > now then
    redis.call('HSET', p..'seen', url, 1)
    return 'retry_later'
  end
  local settled = fin == 'done' or fin == 'failed'
  local stale = fetched and ((modified ~= '' and modified > fetched) or (cutoff ~= '' and fetched < cutoff))
  if not refresh and not stale then
    if fetched then redis.call('HSET', p..'seen', url, 1) return 'skipped_stored' end
    if settled then redis.call('HSET', p..'seen', url, 1) return 'skipped_finished' end
  end
  if refused ~= '' then
    if settled then return 'unfetchable' end
    redis.call('HSET', p..'seen', url, 1)
    return 'unfetchable_new'
  end
  return queue(url, payload, score)
end
for i = 6, #ARGV, 5 do
  if mode == 'page' then
    out[#out + 1] = page(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 4])
  else
    out[#out + 1] = article(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
  end
end
return out
"""

# ARGV: prefix, host, delay ms, max concurrent, token, hold ms -> 0: go now (the slot is
# taken); > 0: ms until the host's next request may start (ask again then); -1: the host has
# its concurrency in flight. Politeness for the whole crawl: requests to one host start at
# least `delay` apart and at most `max concurrent` are in flight, whichever worker sends
# them. The slot is taken only when the request can go at once, so a worker that is slow to
# send (busy parsing) never shortens the gap another worker's request sees. A token whose
# worker died expires after `hold` ms.
HOST_SLOT = _NOW + """
local p, host = ARGV[1], ARGV[2]
local hk, sk = p..'host:'..host, p..'slots:'..host
redis.call('ZREMRANGEBYSCORE', sk, '-inf', now)
local limit = tonumber(ARGV[4])
if limit > 0 and redis.call('ZCARD', sk) >= limit then return -1 end
local next_start = tonumber(redis.call('HGET', hk, 'next') or '0')
if next_start > now then return next_start - now end
redis.call('HSET', hk, 'next', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', hk, 3600000)
redis.call('ZADD', sk, now + tonumber(ARGV[6]), ARGV[5])
redis.call('PEXPIRE', sk, 3600000)
return 0
"""


class Scripts:
    """The scripts registered on one client (redis-py reloads them after a Redis restart)."""

    def __init__(self, client):
        self.reap = client.register_script(REAP)
        self.pop = client.register_script(POP)
        self.renew = client.register_script(RENEW)
        self.release = client.register_script(RELEASE)
        self.return_leases = client.register_script(RETURN_LEASES)
        self.claim = client.register_script(CLAIM)
        self.host_slot = client.register_script(HOST_SLOT)
