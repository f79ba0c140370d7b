-- tollgate rate limits v1: settle a permit.
-- KEYS[i]: a token window (hash) or a parallel slot set (sorted set).
-- ARGV: permit_id, then per key: kind ('adjust' or 'release'), bucket index, delta.
-- A token reservation moves by delta in its bucket if that bucket is still there (never below 0);
-- a parallel slot is removed.
local permit = ARGV[1]
for i = 1, #KEYS do
  local kind = ARGV[2 + (i - 1) * 3]
  if kind == 'release' then
    redis.call('ZREM', KEYS[i], permit)
  else
    local bucket = ARGV[3 + (i - 1) * 3]
    local delta = tonumber(ARGV[4 + (i - 1) * 3])
    if redis.call('HEXISTS', KEYS[i], bucket) == 1 then
      local n = redis.call('HINCRBY', KEYS[i], bucket, delta)
      if n < 0 then redis.call('HSET', KEYS[i], bucket, 0) end
    end
  end
end
return 1
