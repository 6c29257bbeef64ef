/**
 * The Lua scripts of the Redis store. Redis runs a script whole, one at a time, so each is one
 * step for every mock sharing the store: of two replicas admitting the same nonce or the last
 * slot of a rate window, one wins. Times are milliseconds on the mock's clock, passed in (the
 * clock's offset is shared through the store); every entry with a window also carries a Redis
 * expiry (PEXPIRE) at least as long, so Redis drops it only after the mock stopped needing it.
 *
 * Layout under the prefix P (e.g. `authconform:luxcore:`):
 *   P seeded          the world seeded here (profile id and fixtures digest)
 *   P clock           the clock's offset in ms (absent: 0)
 *   P keyids          zset of key ids, in the order they were first stored (listKeys' order)
 *   P key:<id>        hash: json (the KeyRecord), digests (JSON list of its values' digests)
 *   P kv:<digest>     the id of the key holding a value of that sha256
 *   P tok:<digest>    hash: json (the IssuedToken), keep (kept until, ms), spent ('1')
 *   P rec:<id>        hash: json (the RecordState but its status), status
 *   P nonce:<scope>   zset: nonce -> expiry (ms)
 *   P rate:<bucket>   hash: start, count, end (ms)
 * Scripts touch keys they build from the prefix: a single Redis (or one primary), not a Cluster.
 */

const PUT_KEY_FN = `
local function putKey(p, id, json, digests)
  local k = p .. 'key:' .. id
  local old = redis.call('HGET', k, 'digests')
  if old then
    for _, d in ipairs(cjson.decode(old)) do redis.call('DEL', p .. 'kv:' .. d) end
  end
  redis.call('HSET', k, 'json', json, 'digests', digests)
  for _, d in ipairs(cjson.decode(digests)) do redis.call('SET', p .. 'kv:' .. d, id) end
  if redis.call('ZSCORE', p .. 'keyids', id) == false then
    redis.call('ZADD', p .. 'keyids', redis.call('INCR', p .. 'keyseq'), id)
  end
end
`;

/** ARGV: prefix, id, key json, digests json. */
export const PUT_KEY = `#!lua
${PUT_KEY_FN}
putKey(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1`;

/** ARGV: prefix, digest. The key's json, or nil. */
export const FIND_KEY = `#!lua flags=no-writes
local id = redis.call('GET', ARGV[1] .. 'kv:' .. ARGV[2])
if not id then return nil end
return redis.call('HGET', ARGV[1] .. 'key:' .. id, 'json')`;

/** ARGV: prefix. Every key's json, in the order they were first stored. */
export const LIST_KEYS = `#!lua flags=no-writes
local out = {}
for i, id in ipairs(redis.call('ZRANGE', ARGV[1] .. 'keyids', 0, -1)) do
  out[i] = redis.call('HGET', ARGV[1] .. 'key:' .. id, 'json')
end
return out`;

const CLEAR_FN = `
local function clear(pattern)
  local cursor = '0'
  repeat
    local r = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = r[1]
    if #r[2] > 0 then redis.call('DEL', unpack(r[2])) end
  until cursor == '0'
end
`;

/** ARGV: match pattern of every key under the prefix. Forgets all (the clock's offset too). */
export const CLEAR = `#!lua flags=allow-oom
${CLEAR_FN}
clear(ARGV[1])
return 1`;

/**
 * ARGV: prefix, pattern, mode ('start' | 'reset'), label, then (id, json, digests) per key.
 * 'start': seeds only a store nobody seeded yet and answers the label found (a replica that
 * starts, or restarts, joins the world the others serve). 'reset': forgets everything (the
 * clock's offset too) and seeds, in one step: no replica sees an empty store in between.
 */
export const SEED = `#!lua flags=allow-oom
${PUT_KEY_FN}${CLEAR_FN}
local p, pattern, mode, label = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if mode == 'start' then
  local held = redis.call('GET', p .. 'seeded')
  if held then return held end
end
clear(pattern)
for i = 5, #ARGV, 3 do putKey(p, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
redis.call('SET', p .. 'seeded', label)
return label`;

/** ARGV: token key, now. {json, spent before} of a token still kept, now spent; nil when none. */
export const SPEND_TOKEN = `#!lua
local t = redis.call('HMGET', ARGV[1], 'json', 'keep', 'spent')
if not t[1] or tonumber(t[2]) <= tonumber(ARGV[2]) then return nil end
redis.call('HSET', ARGV[1], 'spent', '1')
return {t[1], t[3] or '0'}`;

/** ARGV: record key, new status, seed json. 1 when it was active (or unknown) and is now used up. */
export const USE_UP_RECORD = `#!lua
local status = redis.call('HGET', ARGV[1], 'status')
if status and status ~= 'active' then return 0 end
if not status then redis.call('HSET', ARGV[1], 'json', ARGV[3]) end
redis.call('HSET', ARGV[1], 'status', ARGV[2])
return 1`;

/**
 * ARGV: scope key, nonce, now, ttl, bound. {'fresh'}, {'replay'}, or {'full', retry ms}. The
 * expired nonces of the scope are dropped first; a nonce inside its window is never dropped.
 */
export const REMEMBER_NONCE = `#!lua
local k, nonce = ARGV[1], ARGV[2]
local now, ttl, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
if redis.call('ZSCORE', k, nonce) then return {'replay'} end
if redis.call('ZCARD', k) >= max then
  if max <= 0 then return {'full', tostring(ttl)} end
  local oldest = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
  return {'full', tostring(tonumber(oldest[2]) - now)}
end
redis.call('ZADD', k, now + ttl, nonce)
if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, math.ceil(ttl)) end
return {'fresh'}`;

/**
 * ARGV: now, then (bucket key, limit, window ms, aligned 0/1) per window. Counts the request in
 * every window when each has room ({1, start...}, each start as stored); else in none ({0, retry
 * ms}). An aligned window starts at the last whole multiple of its length, not at `now`.
 */
export const CONSUME_RATE = `#!lua
local now = tonumber(ARGV[1])
local n = (#ARGV - 1) / 4
local starts, counts, retry = {}, {}, 0
for i = 1, n do
  local k, limit, win = ARGV[4 * i - 2], tonumber(ARGV[4 * i - 1]), tonumber(ARGV[4 * i])
  local h = redis.call('HMGET', k, 'start', 'count')
  local s, c, raw = tonumber(h[1]), tonumber(h[2]), h[1]
  if not s or now - s >= win then
    s, c, raw = now, 0, ARGV[1]
    if ARGV[4 * i + 1] == '1' then s = now - now % win; raw = tostring(s) end
  end
  starts[i], counts[i] = raw, c
  if c >= limit then retry = math.max(retry, s + win - now) end
end
if retry > 0 then return {0, tostring(retry)} end
local out = {1}
for i = 1, n do
  local k, win = ARGV[4 * i - 2], tonumber(ARGV[4 * i])
  if counts[i] == 0 then
    local s = tonumber(starts[i])
    redis.call('HSET', k, 'start', starts[i], 'count', 1, 'end', tostring(s + win))
    redis.call('PEXPIRE', k, math.ceil(s + win - now))
  else
    redis.call('HINCRBY', k, 'count', 1)
  end
  out[i + 1] = starts[i]
end
return out`;

/** ARGV: (bucket key, window start) per window counted in. Gives the count back to that window. */
export const REFUND_RATE = `#!lua flags=allow-oom
for i = 1, #ARGV, 2 do
  local h = redis.call('HMGET', ARGV[i], 'start', 'count')
  if h[1] and h[1] == ARGV[i + 1] and tonumber(h[2]) > 0 then
    redis.call('HINCRBY', ARGV[i], 'count', -1)
  end
end
return 1`;

/** ARGV: clock key, ms, max offset ms. {1, new offset} or {0, offset} when past the max. */
export const ADVANCE_CLOCK = `#!lua
local cur = tonumber(redis.call('GET', ARGV[1]) or '0')
local next = cur + tonumber(ARGV[2])
if next > tonumber(ARGV[3]) then return {0, tostring(cur)} end
redis.call('SET', ARGV[1], tostring(next))
return {1, tostring(next)}`;

/** ARGV: prefix, pattern, now. {keys, tokens, nonces, rate buckets, records} still live. */
export const STATS = `#!lua flags=no-writes
local p, now = ARGV[1], tonumber(ARGV[3])
local keys = redis.call('ZCARD', p .. 'keyids')
local tokens, nonces, rates, records = 0, 0, 0, 0
local function under(k, part) return string.sub(k, #p + 1, #p + #part) == part end
local cursor = '0'
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', ARGV[2], 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    if under(k, 'tok:') then
      if tonumber(redis.call('HGET', k, 'keep')) > now then tokens = tokens + 1 end
    elseif under(k, 'nonce:') then
      nonces = nonces + redis.call('ZCOUNT', k, '(' .. ARGV[3], '+inf')
    elseif under(k, 'rate:') then
      if tonumber(redis.call('HGET', k, 'end')) > now then rates = rates + 1 end
    elseif under(k, 'rec:') then
      records = records + 1
    end
  end
until cursor == '0'
return {keys, tokens, nonces, rates, records}`;
