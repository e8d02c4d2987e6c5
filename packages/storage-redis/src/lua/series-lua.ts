// Time-series scripts. Raw points: a sorted set per series, score = timestamp, member
// `seq:timestamp:value` (seq: 16 hex digits from a counter, so equal timestamps keep append
// order and equal points stay distinct). Rollups: a sorted set per series and resolution,
// score = bucket start, member `start:count:sum:min:max:last:lastAt`. Numbers computed here are
// written with %.17g, which reads back as the same double; the others are passed through as
// JavaScript wrote them. Cells fold point by point in append order, as the memory store does,
// so the rollups give the same sums as the raw points.

const CELLS = `
local function fmt(x) return string.format('%.17g', x) end
local function parseCell(member)
  local f = {}
  for part in string.gmatch(member, '[^:]+') do f[#f + 1] = tonumber(part) end
  if #f ~= 7 then return nil end
  for i = 1, 7 do if not f[i] then return nil end end
  return { count = f[2], sum = f[3], min = f[4], max = f[5], last = f[6], lastAt = f[7] }
end
local function fold(cell, t, v)
  if not cell then return { count = 1, sum = v, min = v, max = v, last = v, lastAt = t } end
  cell.count = cell.count + 1
  cell.sum = cell.sum + v
  if v < cell.min then cell.min = v end
  if v > cell.max then cell.max = v end
  if t >= cell.lastAt then
    cell.last = v
    cell.lastAt = t
  end
  return cell
end
local function encodeCell(start, c)
  return start .. ':' .. fmt(c.count) .. ':' .. fmt(c.sum) .. ':' .. fmt(c.min) .. ':'
    .. fmt(c.max) .. ':' .. fmt(c.last) .. ':' .. fmt(c.lastAt)
end
`;

/**
 * Appends one batch atomically. KEYS: [1] metric set, [2] sequence counter, then per series
 * index, raw, rollup 60 s, rollup 1 h. ARGV: [1] point count, then per series: metric, labels
 * JSON, n, and n × (timestamp, value, 60 s bucket start, 1 h bucket start).
 */
export const SERIES_APPEND = `${CELLS}
local total = tonumber(ARGV[1])
local seq = redis.call('INCRBY', KEYS[2], total) - total
local a, k = 2, 3
while a <= #ARGV do
  local metric, labels, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  local raw, rollups = KEYS[k + 1], { KEYS[k + 2], KEYS[k + 3] }
  redis.call('SADD', KEYS[1], metric)
  redis.call('ZADD', KEYS[k], 'NX', seq + 1, labels)
  k = k + 4
  local batch, cells, order = {}, { {}, {} }, { {}, {} }
  for _ = 1, n do
    local ts, value = ARGV[a], ARGV[a + 1]
    local t, v = tonumber(ts), tonumber(value)
    seq = seq + 1
    batch[#batch + 1] = ts
    batch[#batch + 1] = string.format('%016x', seq) .. ':' .. ts .. ':' .. value
    if #batch >= 1000 then
      redis.call('ZADD', raw, unpack(batch))
      batch = {}
    end
    for r = 1, 2 do
      local start = ARGV[a + 1 + r]
      local cell = cells[r][start]
      if not cell then
        order[r][#order[r] + 1] = start
        local old = redis.call('ZRANGEBYSCORE', rollups[r], start, start)
        if old[1] then
          cell = parseCell(old[1])
          if not cell then
            return redis.error_reply('VIGIL_CORRUPT a rollup cell of ' .. metric)
          end
          redis.call('ZREM', rollups[r], old[1])
        end
      end
      cells[r][start] = fold(cell, t, v)
    end
    a = a + 4
  end
  if #batch > 0 then redis.call('ZADD', raw, unpack(batch)) end
  for r = 1, 2 do
    for _, start in ipairs(order[r]) do
      redis.call('ZADD', rollups[r], start, encodeCell(start, cells[r][start]))
    end
  end
end
return total
`;

/**
 * Removes the points of one series older than a timestamp and brings its rollups in line: cells
 * of buckets before the cut go, the bucket holding the cut is rebuilt from the raw points left.
 * An emptied series leaves the indexes. KEYS: [1] metric set, [2] series index, [3] raw,
 * [4] rollup 60 s, [5] rollup 1 h. ARGV: [1] metric, [2] labels JSON, [3] raw max bound, then
 * per rollup: drop max bound, rebuild start or '', rebuild end. Returns the raw points removed.
 */
export const SERIES_TRIM = `${CELLS}
local removed = redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
if removed > 0 then
  for r = 1, 2 do
    local key, base = KEYS[3 + r], 4 + (r - 1) * 3
    redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[base])
    local start = ARGV[base + 1]
    if start ~= '' then
      redis.call('ZREMRANGEBYSCORE', key, start, start)
      local cell = nil
      for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], start, '(' .. ARGV[base + 2])) do
        local ts, value = string.match(m, '^%x+:([^:]+):([^:]+)$')
        local t, v = tonumber(ts), tonumber(value)
        if not t or not v then
          return redis.error_reply('VIGIL_CORRUPT a raw point of ' .. ARGV[1])
        end
        cell = fold(cell, t, v)
      end
      if cell then redis.call('ZADD', key, start, encodeCell(start, cell)) end
    end
  end
end
if redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[4], KEYS[5])
  redis.call('ZREM', KEYS[2], ARGV[2])
  if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[1]) end
end
return removed
`;
