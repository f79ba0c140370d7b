-- tollgate rate limits v1: extend the leases of a permit's parallel slots.
-- KEYS: slot sets; ARGV: permit_id, lease_until_ms.
for i = 1, #KEYS do
  if redis.call('ZADD', KEYS[i], 'XX', 'CH', ARGV[2], ARGV[1]) >= 0 then
    redis.call('PEXPIREAT', KEYS[i], tonumber(ARGV[2]) + 1000)
  end
end
return 1
