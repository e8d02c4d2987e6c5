// Dead-letter scripts. A letter is a hash `letter` (JSON), `queue`, `member`; `member` is its
// entry in the indexes: 16 hex digits that sort like `failedAt`, then the id. The indexes are
// sorted sets with every score 0 (so ZRANGEBYLEX orders by failedAt, then id): one for all
// letters, one per queue. Keys of dropped letters are built from the prefix (ARGV[1]).

const DROP = `
local function drop(prefix, all, member)
  local key = prefix .. 'dl:' .. string.sub(member, 17)
  redis.call('ZREM', all, member)
  if redis.call('TYPE', key).ok ~= 'hash' then return end
  local stored = redis.call('HMGET', key, 'queue', 'member')
  if stored[2] ~= member then return end
  if stored[1] then redis.call('ZREM', prefix .. 'dl-queue:' .. stored[1], member) end
  redis.call('DEL', key)
end
local function unlink(prefix, key, all)
  local kind = redis.call('TYPE', key).ok
  if kind == 'hash' then
    local old = redis.call('HMGET', key, 'queue', 'member')
    if old[2] then
      redis.call('ZREM', all, old[2])
      if old[1] then redis.call('ZREM', prefix .. 'dl-queue:' .. old[1], old[2]) end
    end
  end
  redis.call('DEL', key)
  return kind ~= 'none'
end
`;

/**
 * Adds (or replaces) a letter and applies the cap, dropping the oldest. KEYS: [1] letter,
 * [2] all, [3] its queue's index. ARGV: [1] prefix, [2] member, [3] queue, [4] letter JSON,
 * [5] cap. Returns how many letters the cap dropped.
 */
export const DEAD_LETTER_ADD = `${DROP}
unlink(ARGV[1], KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'letter', ARGV[4], 'queue', ARGV[3], 'member', ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[2])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess <= 0 then return 0 end
local victims = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
for _, member in ipairs(victims) do drop(ARGV[1], KEYS[2], member) end
return #victims
`;

/** KEYS: [1] letter, [2] all. ARGV: [1] prefix. Returns 1 when there was a letter. */
export const DEAD_LETTER_REMOVE = `${DROP}
if unlink(ARGV[1], KEYS[1], KEYS[2]) then return 1 end
return 0
`;

/**
 * Removes up to ARGV[3] of the oldest letters below the lex bound ARGV[2]. KEYS: [1] all.
 * ARGV: [1] prefix. Returns how many went (the caller repeats until fewer than the batch).
 */
export const DEAD_LETTER_PURGE = `${DROP}
local victims = redis.call('ZRANGEBYLEX', KEYS[1], '-', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(victims) do drop(ARGV[1], KEYS[1], member) end
return #victims
`;
