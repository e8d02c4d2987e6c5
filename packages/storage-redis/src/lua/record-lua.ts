// Record scripts. A record is a hash `value` (JSON), `version`, `expiresAt` (absent: no TTL),
// listed in a per-namespace sorted set (all scores 0, so ZRANGEBYLEX walks keys in order).

/**
 * `set` and `compareAndSet`. KEYS: [1] record, [2] namespace index, [3] namespace set.
 * ARGV: [1] key, [2] value JSON, [3] now, [4] expiresAt or '', [5] GC ms or '',
 * [6] expected version or '' (unconditional), [7] namespace. Returns the new version, or nil
 * when the expected version did not match. An expired record counts as absent (version 0).
 */
export const RECORD_WRITE = `
local current = redis.call('HMGET', KEYS[1], 'value', 'version', 'expiresAt')
local version = 0
if current[1] or current[2] or current[3] then
  version = tonumber(current[2])
  if not version or version < 1 or version % 1 ~= 0 then
    return redis.error_reply('VIGIL_CORRUPT the stored version')
  end
  if current[3] then
    local expiresAt = tonumber(current[3])
    if not expiresAt then return redis.error_reply('VIGIL_CORRUPT the stored expiresAt') end
    if expiresAt <= tonumber(ARGV[3]) then version = 0 end
  end
end
if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= version then return false end
version = version + 1
redis.call('DEL', KEYS[1])
if ARGV[4] == '' then
  redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', string.format('%d', version))
else
  redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', string.format('%d', version),
    'expiresAt', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('SADD', KEYS[3], ARGV[7])
return version
`;

/**
 * KEYS: [1] record, [2] namespace index. ARGV: [1] key, [2] now. Deletes whatever is there, a
 * corrupt record included (that is how it gets repaired); returns 1 when it was live.
 */
export const RECORD_DELETE = `
local kind = redis.call('TYPE', KEYS[1]).ok
redis.call('ZREM', KEYS[2], ARGV[1])
if kind == 'none' then return 0 end
local live = 1
if kind == 'hash' then
  local raw = redis.call('HGET', KEYS[1], 'expiresAt')
  if raw then
    local expiresAt = tonumber(raw)
    if expiresAt and expiresAt <= tonumber(ARGV[2]) then live = 0 end
  end
end
redis.call('DEL', KEYS[1])
return live
`;

/**
 * Index upkeep for `list` and the sweep. KEYS: [1] namespace index, [2…] records.
 * ARGV: [1] now, [2…] the index member of KEYS[2…]. Drops index entries whose record is gone and
 * records (with their entries) whose expiresAt has passed. Returns how many entries went.
 */
export const RECORD_PRUNE = `
local now = tonumber(ARGV[1])
local removed = 0
for i = 2, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind == 'none' then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  elseif kind == 'hash' then
    local raw = redis.call('HGET', KEYS[i], 'expiresAt')
    local expiresAt = raw and tonumber(raw)
    if expiresAt and expiresAt <= now then
      redis.call('DEL', KEYS[i])
      removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
    end
  end
end
return removed
`;
