// Seeded data shared by every benchmark, built the same way for every library.

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal variates by Box-Muller, from a uniform source. */
export function normal(random) {
  return () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
export const ROUTES = ['/', '/users', '/users/:id', '/orders', '/orders/:id'];
export const STATUSES = ['200', '201', '404', '500'];
export const LABEL_NAMES = ['method', 'route', 'status'];

/** Every (method, route, status) combination: 80 label sets. */
export const COMBOS = METHODS.flatMap((method) =>
  ROUTES.flatMap((route) => STATUSES.map((status) => [method, route, status])),
);

/**
 * `count` label objects picked at random (seeded) among the 80 combinations. Each is a fresh
 * object literal, so that no library can key anything on object identity; `combo[i]` is the
 * index of label set i in COMBOS (used to pick the pre-bound child of the same label set).
 */
export function labelSets(count, seed = 1) {
  const random = prng(seed);
  const sets = [];
  const combo = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(random() * COMBOS.length);
    const [method, route, status] = COMBOS[k];
    sets.push({ method, route, status });
    combo[i] = k;
  }
  return { sets, combo };
}

/** Log-normal request latencies in seconds: median 50 ms, sigma 1 (most fall in 5 ms … 500 ms). */
export function latencies(count, seed = 2) {
  const gauss = normal(prng(seed));
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = Math.exp(Math.log(0.05) + gauss());
  return values;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
