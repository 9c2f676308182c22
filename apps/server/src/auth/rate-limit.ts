/** A token bucket per client: `perMinute` units refill evenly; a full bucket allows a burst of one minute's worth. */
export interface RateLimiter {
  /** Takes `cost` units for `key`; when the bucket holds fewer, nothing is taken and the wait is returned. */
  take(key: string, cost: number): { ok: true } | { ok: false; retryAfterMs: number };
}

export interface RateLimitOptions {
  perMinute: number;
  /** Milliseconds; injectable so the arithmetic can be tested without waiting. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Above this many buckets, full ones (idle clients) are dropped so the map cannot grow without bound. */
const SWEEP_ABOVE = 10_000;

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const capacity = options.perMinute;
  const perMs = options.perMinute / 60_000;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, t: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
  };

  return {
    take(key, cost) {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= SWEEP_ABOVE) {
          for (const [k, b] of buckets) {
            refill(b, t);
            if (b.tokens >= capacity) buckets.delete(k);
          }
        }
        bucket = { tokens: capacity, at: t };
        buckets.set(key, bucket);
      }
      refill(bucket, t);
      // A cost above the capacity could never be paid; it is charged as a full bucket instead.
      const charge = Math.min(cost, capacity);
      if (bucket.tokens >= charge) {
        bucket.tokens -= charge;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: (charge - bucket.tokens) / perMs };
    },
  };
}
