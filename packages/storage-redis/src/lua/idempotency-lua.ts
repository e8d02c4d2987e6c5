// Idempotency scripts. KEYS[1] the key: a hash `value` (JSON) and `expiresAt` (the caller's clock).

const READ = `
local current = redis.call('HMGET', KEYS[1], 'value', 'expiresAt')
local expiresAt = nil
if current[1] or current[2] then
  expiresAt = tonumber(current[2])
  if not current[1] or not expiresAt then
    return redis.error_reply('VIGIL_CORRUPT the stored idempotency key')
  end
end
`;

/**
 * Set-if-absent. ARGV: [1] value JSON, [2] now, [3] expiresAt, [4] GC ms, [5] this claim's token,
 * [6] tokens (space-separated, may be empty) of this store's earlier claims of the key that were
 * reported `STORE_UNAVAILABLE` and may have been applied. Returns `{1}` when claimed (a live claim
 * holding one of those tokens is taken over: it was this store's own), `{0, stored value JSON}`
 * when another live claim exists.
 */
export const IDEMPOTENCY_CLAIM = `${READ}
if expiresAt and expiresAt > tonumber(ARGV[2]) then
  local token = redis.call('HGET', KEYS[1], 'token')
  if not token or ARGV[6] == '' or not string.find(' ' .. ARGV[6] .. ' ', ' ' .. token .. ' ', 1, true) then
    return { 0, current[1] }
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'expiresAt', ARGV[3], 'token', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { 1 }
`;

/** Replaces the value of a live key, keeping its expiry. ARGV: [1] value JSON, [2] now. */
export const IDEMPOTENCY_UPDATE = `${READ}
if not expiresAt or expiresAt <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[1])
return 1
`;

/** Deletes the key, a corrupt one included; 1 when it was live. ARGV: [1] now. */
export const IDEMPOTENCY_RELEASE = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return 0 end
local live = 1
if kind == 'hash' then
  local raw = redis.call('HGET', KEYS[1], 'expiresAt')
  local expiresAt = raw and tonumber(raw)
  if expiresAt and expiresAt <= tonumber(ARGV[1]) then live = 0 end
end
redis.call('DEL', KEYS[1])
return live
`;
