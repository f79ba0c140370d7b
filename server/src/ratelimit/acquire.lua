-- tollgate rate limits v1: admit a request's checks all together or not at all.
-- KEYS[i]: the counter of check i (a hash bucket -> amount, or for parallel slots a sorted set
--          permit id -> lease expiry).
-- ARGV: now_ms, permit_id, lease_until_ms, then per check: limit, amount, bucket_ms (0 = parallel).
-- Returns {1, used_1, reset_1, bucket_1, ...} when admitted,
--         {0, check_index (1-based), used, retry_after_ms} when refused.
local now = tonumber(ARGV[1])
local permit = ARGV[2]
local lease_until = tonumber(ARGV[3])
local BUCKETS = 60

local function arg(i, k) return tonumber(ARGV[3 + (i - 1) * 3 + k]) end

local counted = {}
local used = {}
for i = 1, #KEYS do
  local limit, amount, bucket_ms = arg(i, 1), arg(i, 2), arg(i, 3)
  if bucket_ms == 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    local in_flight = redis.call('ZCARD', KEYS[i])
    if in_flight + 1 > limit then
      return {0, i, in_flight, 1000}
    end
    used[i] = in_flight
  else
    local current = math.floor(now / bucket_ms)
    local fields = redis.call('HGETALL', KEYS[i])
    local sum, stale, live = 0, {}, {}
    for j = 1, #fields, 2 do
      local index, n = tonumber(fields[j]), tonumber(fields[j + 1])
      if index < current - BUCKETS then
        stale[#stale + 1] = fields[j]
      else
        sum = sum + n
        live[#live + 1] = {index, n}
      end
    end
    if #stale > 0 then
      redis.call('HDEL', KEYS[i], unpack(stale))
    end
    table.sort(live, function(a, b) return a[1] < b[1] end)
    counted[i] = live
    if sum + amount > limit then
      local excess, freed = sum + amount - limit, 0
      local wait = (current + BUCKETS + 1) * bucket_ms - now
      for _, entry in ipairs(live) do
        freed = freed + entry[2]
        if freed >= excess then
          wait = (entry[1] + BUCKETS + 1) * bucket_ms - now
          break
        end
      end
      return {0, i, sum, wait}
    end
    used[i] = sum
  end
end

local out = {1}
for i = 1, #KEYS do
  local amount, bucket_ms = arg(i, 2), arg(i, 3)
  if bucket_ms == 0 then
    redis.call('ZADD', KEYS[i], lease_until, permit)
    redis.call('PEXPIREAT', KEYS[i], lease_until + 1000)
    out[#out + 1] = used[i] + 1
    out[#out + 1] = 0
    out[#out + 1] = 0
  else
    local current = math.floor(now / bucket_ms)
    redis.call('HINCRBY', KEYS[i], current, amount)
    redis.call('PEXPIRE', KEYS[i], (BUCKETS + 2) * bucket_ms)
    local oldest = current
    if #counted[i] > 0 then oldest = counted[i][1][1] end
    out[#out + 1] = used[i] + amount
    out[#out + 1] = (oldest + BUCKETS + 1) * bucket_ms - now
    out[#out + 1] = current
  end
end
return out
