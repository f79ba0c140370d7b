-- tollgate budgets v1: replace a reservation by the real cost.
-- KEYS[i]: scope hashes; ARGV: reserved, actual, ttl_ms.
-- Returns per scope {spent, reset_at} as strings ('' for a scope Redis no longer holds: it will be
-- seeded again from the database, which the spend writer keeps up to date).
local reserved, actual, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local left = tonumber(redis.call('HINCRBYFLOAT', KEYS[i], 'reserved', -reserved))
    if left < 0 then redis.call('HSET', KEYS[i], 'reserved', 0) end
    local spent = redis.call('HINCRBYFLOAT', KEYS[i], 'spent', actual)
    redis.call('PEXPIRE', KEYS[i], ttl)
    out[#out + 1] = spent
    out[#out + 1] = redis.call('HGET', KEYS[i], 'reset_at') or '-1'
  else
    out[#out + 1] = ''
    out[#out + 1] = ''
  end
end
return out
