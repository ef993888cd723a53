import type { Redis } from "ioredis";

// Leases live in a sorted set per key: member = lease id, score = expiry in ms by Redis's own
// clock (TIME), so instances with skewed clocks agree. Each script drops lapsed leases first;
// the key itself expires once its newest lease has lapsed, so a crashed instance leaves nothing.
const NOW = `local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const KEEP_KEY = `if redis.call('pttl', KEYS[1]) < tonumber(ARGV[2]) then redis.call('pexpire', KEYS[1], ARGV[2]) end`;

/** KEYS[1] set; ARGV: limit, ttl ms, id. 1 when taken, 0 when every slot is held. */
const LEASE = `${NOW}
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
${KEEP_KEY}
return 1`;

/** KEYS[1] set; ARGV: id, ttl ms. 1 when renewed, 0 when the lease had lapsed (it is dropped). */
const RENEW = `${NOW}
local expires = redis.call('zscore', KEYS[1], ARGV[1])
if not expires or tonumber(expires) <= now then
  redis.call('zrem', KEYS[1], ARGV[1])
  return 0
end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
${KEEP_KEY}
return 1`;

/** KEYS[1] set. The number of unexpired leases. */
const COUNT = `${NOW}
return redis.call('zcount', KEYS[1], '(' .. now, '+inf')`;

/** The lease commands `defineLeaseCommands` adds to a client. */
export interface LeaseCommands {
  auraLease(key: string, limit: number, ttlMs: number, id: string): Promise<number>;
  auraRenew(key: string, id: string, ttlMs: number): Promise<number>;
  auraLeases(key: string): Promise<number>;
}

/** Teach `client` the lease scripts (sent once, then called by their hash). */
export function defineLeaseCommands(client: Redis): void {
  client.defineCommand("auraLease", { numberOfKeys: 1, lua: LEASE });
  client.defineCommand("auraRenew", { numberOfKeys: 1, lua: RENEW });
  client.defineCommand("auraLeases", { numberOfKeys: 1, lua: COUNT });
}
