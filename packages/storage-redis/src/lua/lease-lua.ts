// Lease scripts. KEYS[1] the lease (a JSON string), KEYS[2] its fencing-token counter.
// ARGV: [1] name as JSON, [2] owner as JSON, [3] owner, [4] now, [5] new expiresAt, [6] GC ms.
// Expiry is decided by `expiresAt` against the caller's clock (`now`); PX only collects garbage.

const HELPERS = `
local function decode(text)
  local ok, lease = pcall(cjson.decode, text)
  if not ok or type(lease) ~= 'table' or type(lease.owner) ~= 'string' or lease.owner == ''
    or type(lease.token) ~= 'number' or lease.token < 1 or lease.token % 1 ~= 0
    or type(lease.expiresAt) ~= 'number' then
    return nil
  end
  return lease
end
local function encode(token)
  return '{"name":' .. ARGV[1] .. ',"owner":' .. ARGV[2] .. ',"token":' .. token
    .. ',"expiresAt":' .. ARGV[5] .. '}'
end
local text = redis.call('GET', KEYS[1])
local lease = text and decode(text)
if text and not lease then return redis.error_reply('VIGIL_CORRUPT the stored lease') end
`;

/** Free or expired: a new holder with a new token (`SET NX PX`); held by `owner`: extended. */
export const LEASE_ACQUIRE = `${HELPERS}
local now = tonumber(ARGV[4])
if lease then
  if lease.expiresAt > now then
    if lease.owner ~= ARGV[3] then return false end
    local value = encode(string.format('%d', lease.token))
    redis.call('SET', KEYS[1], value, 'PX', ARGV[6])
    return value
  end
  redis.call('DEL', KEYS[1])
end
local token = redis.call('INCR', KEYS[2])
if lease and token <= lease.token then
  token = lease.token + 1
  redis.call('SET', KEYS[2], string.format('%d', token))
end
local value = encode(string.format('%d', token))
redis.call('SET', KEYS[1], value, 'NX', 'PX', ARGV[6])
return value
`;

/** Extends a live lease held by `owner` (same token); nil otherwise. */
export const LEASE_RENEW = `${HELPERS}
if not lease or lease.expiresAt <= tonumber(ARGV[4]) or lease.owner ~= ARGV[3] then
  return false
end
local value = encode(string.format('%d', lease.token))
redis.call('SET', KEYS[1], value, 'PX', ARGV[6])
return value
`;

/** Deletes a live lease held by `owner` (the token counter stays); 1 or 0. */
export const LEASE_RELEASE = `${HELPERS}
if not lease or lease.expiresAt <= tonumber(ARGV[4]) or lease.owner ~= ARGV[3] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
`;
