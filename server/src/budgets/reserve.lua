-- tollgate budgets v1: reserve an amount against every budget of a request, or none.
-- KEYS[i]: the hash {spent, reserved, reset_at} of scope i.
-- ARGV: now_ms, amount, ttl_ms, then per scope: max_budget ('-' = none), period_ms (0 = none),
--       stored_spend, stored_reset_at (-1 = none): the database's view, used to seed a scope
--       Redis does not hold yet.
-- Returns {1} when reserved, {0, i, spent, reserved, reset_at} (as strings) when scope i has no room.
-- With amount < 0 nothing is reserved and the reply is {2, remaining} (the least left of all scopes).
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])

local function arg(i, k) return ARGV[3 + (i - 1) * 4 + k] end

local function load(i)
  local period = tonumber(arg(i, 2))
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local reset_at = tonumber(arg(i, 4))
    if reset_at < 0 then
      if period > 0 then reset_at = now + period else reset_at = -1 end
    end
    redis.call('HSET', KEYS[i], 'spent', arg(i, 3), 'reserved', 0, 'reset_at', reset_at)
  end
  local v = redis.call('HMGET', KEYS[i], 'spent', 'reserved', 'reset_at')
  local spent, reserved, reset_at = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or -1
  if period > 0 then
    if reset_at < 0 then
      reset_at = now + period
      redis.call('HSET', KEYS[i], 'reset_at', reset_at)
    elseif now >= reset_at then
      local periods = math.floor((now - reset_at) / period) + 1
      reset_at = reset_at + periods * period
      spent = 0
      redis.call('HSET', KEYS[i], 'spent', 0, 'reset_at', reset_at)
    end
  end
  redis.call('PEXPIRE', KEYS[i], ttl)
  return spent, reserved, reset_at
end

local least = nil
for i = 1, #KEYS do
  local spent, reserved, reset_at = load(i)
  local max = tonumber(arg(i, 1))
  if amount < 0 then
    if max ~= nil then
      local left = max - spent - reserved
      if least == nil or left < least then least = left end
    end
  elseif max ~= nil and spent + reserved + amount > max + 1e-12 then
    return {0, i, tostring(spent), tostring(reserved), tostring(reset_at)}
  end
end
if amount < 0 then
  if least == nil then return {2, 'inf'} end
  return {2, tostring(least)}
end
for i = 1, #KEYS do
  redis.call('HINCRBYFLOAT', KEYS[i], 'reserved', amount)
end
return {1}
