package redislimit

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The budget lives in Redis as a sorted set of request starts per limit
// (score: the start in microseconds of Redis's clock, member: a unique id),
// a hash with the limit HubSpot announced, and a sorted set of the Limiters
// seen lately (for the fallback's share). Every decision is one Lua script,
// atomic on the server and timed by redis.call('TIME') alone: the callers'
// clocks never count, so skew between hosts cannot break the limit.

// prelude is shared by the scripts. KEYS[1] is a window, KEYS[2] the learnt
// limit; ARGV[1] and ARGV[2] are the caller's limit (max, window in µs),
// ARGV[3] the least margin in µs, ARGV[4] '1' when the learnt limit counts.
// Values read back from Redis are checked like any input: a learnt limit out
// of range is ignored, a start outside any sane window is dropped.
var prelude = fmt.Sprintf(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local learn = ARGV[4] == '1'
local function valid(m, w)
  return m ~= nil and w ~= nil and m == math.floor(m) and m >= 1 and m <= %d
    and w == math.floor(w) and w >= %d and w <= %d
end
local max, win = tonumber(ARGV[1]), tonumber(ARGV[2])
if learn then
  local l = redis.call('HMGET', KEYS[2], 'max', 'window')
  local m, w = tonumber(l[1]), tonumber(l[2])
  if valid(m, w) then max, win = m, w end
end
local function prune()
  local span = win + math.max(math.floor(win / 100), tonumber(ARGV[3]))
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], string.format('(%%.0f', now + span), '+inf')
  return span, redis.call('ZCARD', KEYS[1])
end
local function keep(key, span)
  redis.call('PEXPIRE', key, math.ceil(span / 1000) + 1000)
end
`, maxLimit, minWindow.Microseconds(), maxWindow.Microseconds())

// acquireScript admits a start when the window holds fewer than max, and
// otherwise says how long until the start that blocks it leaves the window.
// KEYS[3] is the set of Limiters seen; ARGV[5] is this Limiter's id,
// ARGV[6] the member for the start, ARGV[7] how long (µs) a Limiter counts
// as active. Reply: {admitted 0/1, wait µs, max, window µs, peers}.
var acquireScript = redis.NewScript(prelude + `
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[7]))
keep(KEYS[3], tonumber(ARGV[7]))
local peers = redis.call('ZCARD', KEYS[3])
local span, count = prune()
if count < max then
  redis.call('ZADD', KEYS[1], now, ARGV[6])
  keep(KEYS[1], span)
  return {1, 0, max, win, peers}
end
local edge = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
local wait = math.max(math.ceil(tonumber(edge[2]) + span - now), 1)
return {0, wait, max, win, peers}
`)

// fillScript counts starts the window did not see. ARGV[5] and ARGV[6] are
// the limit HubSpot announced (0 when none), which it shares when learning;
// ARGV[10] is how long (ms) a learnt limit is kept. ARGV[11...] are pairs
// of a start's age (µs) and its member: this Limiter's starts, made while
// Redis was unavailable or lost with its data (a member the window holds is
// not added twice). Then ARGV[7], the X-HubSpot-RateLimit-Remaining of an
// answer (-1 when none), fills the window up to what HubSpot says is used,
// and ARGV[8] '1', a 429 that said the window is full, fills it whole;
// ARGV[9] is a unique prefix for the members of fills.
// Reply: {added, max, window µs}.
var fillScript = redis.NewScript(prelude + `
local nm, nw = tonumber(ARGV[5]), tonumber(ARGV[6])
if learn and valid(nm, nw) then
  if nm ~= max or nw ~= win then
    redis.call('HSET', KEYS[2], 'max', nm, 'window', nw)
    max, win = nm, nw
  end
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[10]))
end
local span, count = prune()
local added = 0
for i = 11, math.min(#ARGV - 1, 10 + 2 * max), 2 do
  local age = tonumber(ARGV[i])
  if age ~= nil and age >= 0 and age < span then
    added = added + redis.call('ZADD', KEYS[1], now - math.floor(age), ARGV[i + 1])
  end
end
count = count + added
local add = 0
local rem = tonumber(ARGV[7])
if ARGV[8] == '1' then
  add = max - count
elseif learn and rem ~= nil and rem >= 0 then
  add = max - count - rem
end
for i = 1, add do
  redis.call('ZADD', KEYS[1], now, ARGV[9] .. ':f' .. i)
  added = added + 1
end
if added > 0 then keep(KEYS[1], span) end
return {added, max, win}
`)

// errReply is a script reply that does not make sense: Redis (or whatever
// answers in its place) is not to be trusted, and the Limiter falls back.
var errReply = errors.New("redislimit: unexpected reply from Redis")

// acquired is what acquireScript decided.
type acquired struct {
	admitted bool
	wait     time.Duration
	max      int
	window   time.Duration
	peers    int
}

// parseAcquire checks a reply of acquireScript.
func parseAcquire(v []int64) (acquired, error) {
	if len(v) != 5 {
		return acquired{}, fmt.Errorf("%w: %d values", errReply, len(v))
	}
	a := acquired{admitted: v[0] == 1, peers: int(v[4])}
	var err error
	if a.max, a.window, err = parseLimit(v[2], v[3]); err != nil {
		return acquired{}, err
	}
	switch {
	case v[0] != 0 && v[0] != 1:
		return acquired{}, fmt.Errorf("%w: admitted %d", errReply, v[0])
	case v[1] < 0 || v[1] > 2*maxWindow.Microseconds() || (v[0] == 0 && v[1] == 0):
		return acquired{}, fmt.Errorf("%w: wait %dµs", errReply, v[1])
	case v[4] < 1 || v[4] > 1_000_000:
		return acquired{}, fmt.Errorf("%w: %d peers", errReply, v[4])
	}
	a.wait = time.Duration(v[1]) * time.Microsecond
	return a, nil
}

// parseFill checks a reply of fillScript.
func parseFill(v []int64) (added, max int, window time.Duration, err error) {
	if len(v) != 3 {
		return 0, 0, 0, fmt.Errorf("%w: %d values", errReply, len(v))
	}
	if max, window, err = parseLimit(v[1], v[2]); err != nil {
		return 0, 0, 0, err
	}
	if v[0] < 0 || v[0] > 2*maxLimit {
		return 0, 0, 0, fmt.Errorf("%w: added %d", errReply, v[0])
	}
	return int(v[0]), max, window, nil
}

func parseLimit(max, windowMicros int64) (int, time.Duration, error) {
	if max < 1 || max > maxLimit || windowMicros < minWindow.Microseconds() || windowMicros > maxWindow.Microseconds() {
		return 0, 0, fmt.Errorf("%w: limit %d per %dµs", errReply, max, windowMicros)
	}
	return int(max), time.Duration(windowMicros) * time.Microsecond, nil
}

func micros(d time.Duration) string { return strconv.FormatInt(d.Microseconds(), 10) }
