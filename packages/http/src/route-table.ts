import { describeValue, invalidOption } from '@vigil/core/options';
import { HttpError } from './errors.js';

/** A matched route's path parameters, decoded. */
export type RouteParams = Readonly<Record<string, string>>;

/** A route's entries by method, and the parameters of the path that matched. */
export interface RouteMatch<E> {
  readonly methods: ReadonlyMap<string, E>;
  readonly params: RouteParams;
}

interface DynamicRoute<E> {
  readonly pattern: string;
  /** Per segment: the literal, or `undefined` for a `:param`. */
  readonly literals: readonly (string | undefined)[];
  /** Per segment: the parameter name, or `undefined` for a literal. */
  readonly names: readonly (string | undefined)[];
  readonly methods: Map<string, E>;
}

const EMPTY: RouteParams = Object.freeze({});
const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9\-._~!$&'()*+,;=@]+)$/;

/**
 * Path patterns (`/metrics`, `/alerts/:id/ack`) to entries by method. Static paths are one `Map`
 * lookup; patterns with parameters are tried in the order they were added.
 */
export class RouteTable<E> {
  readonly #static = new Map<string, Map<string, E>>();
  readonly #dynamic: DynamicRoute<E>[] = [];

  /**
   * Throws what `add()` would throw for `method` on `pattern`, adding nothing: a bad pattern, or
   * one that has `method` already. `owner` (who adds the route) prefixes the message.
   */
  check(owner: string, method: string, pattern: string): void {
    const segments = segmentsOf(owner, pattern);
    const methods = segments.some((segment) => segment.startsWith(':'))
      ? this.#dynamic.find((candidate) => candidate.pattern === pattern)?.methods
      : this.#static.get(pattern);
    if (methods?.has(method) === true) {
      throw invalidOption(
        owner,
        `${method} ${pattern} is already registered; register each method and path once`,
      );
    }
  }

  /** Adds `entry` for `method` on `pattern`, after `check()`. */
  add(owner: string, method: string, pattern: string, entry: E): void {
    this.check(owner, method, pattern);
    const segments = segmentsOf(owner, pattern);
    const dynamic = segments.some((segment) => segment.startsWith(':'));
    let methods: Map<string, E>;
    if (!dynamic) {
      methods = this.#static.get(pattern) ?? new Map<string, E>();
      this.#static.set(pattern, methods);
    } else {
      let route = this.#dynamic.find((candidate) => candidate.pattern === pattern);
      if (route === undefined) {
        route = {
          pattern,
          literals: segments.map((s) => (s.startsWith(':') ? undefined : s)),
          names: segments.map((s) => (s.startsWith(':') ? s.slice(1) : undefined)),
          methods: new Map<string, E>(),
        };
        this.#dynamic.push(route);
      }
      methods = route.methods;
    }
    methods.set(method, entry);
  }

  /** Whether any route matches `path`, whatever the method. */
  has(path: string): boolean {
    if (this.#static.has(path)) return true;
    if (this.#dynamic.length === 0) return false;
    const segments = path.split('/');
    return this.#dynamic.some((route) => literalsMatch(route, segments));
  }

  /**
   * The route matching `path`, or undefined.
   *
   * @throws HttpError `HTTP_BAD_REQUEST` when a parameter is not valid percent-encoding.
   */
  match(path: string): RouteMatch<E> | undefined {
    const methods = this.#static.get(path);
    if (methods !== undefined) return { methods, params: EMPTY };
    if (this.#dynamic.length === 0) return undefined;
    const segments = path.split('/');
    for (const route of this.#dynamic) {
      if (!literalsMatch(route, segments)) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < route.names.length; i++) {
        const name = route.names[i];
        if (name !== undefined) params[name] = decodeSegment(segments[i] as string);
      }
      return { methods: route.methods, params };
    }
    return undefined;
  }
}

function segmentsOf(owner: string, pattern: string): string[] {
  if (typeof pattern !== 'string' || !pattern.startsWith('/') || pattern.length < 2) {
    throw invalidOption(
      owner,
      `the path should start with '/' and name a route, e.g. '/alerts/:id/ack', got ${describeValue(pattern)}`,
    );
  }
  const segments = pattern.split('/');
  const names = new Set<string>();
  for (const segment of segments.slice(1)) {
    if (!SEGMENT.test(segment)) {
      throw invalidOption(
        owner,
        `segment ${describeValue(segment)} of ${describeValue(pattern)} should be a literal or ':name'`,
      );
    }
    if (segment.startsWith(':')) {
      if (names.has(segment)) {
        throw invalidOption(
          owner,
          `parameter ${segment} appears twice in ${describeValue(pattern)}`,
        );
      }
      names.add(segment);
    }
  }
  return segments;
}

function literalsMatch(route: DynamicRoute<unknown>, segments: readonly string[]): boolean {
  const literals = route.literals;
  if (segments.length !== literals.length) return false;
  for (let i = 0; i < literals.length; i++) {
    const literal = literals[i];
    const segment = segments[i] as string;
    if (literal === undefined ? segment === '' : literal !== segment) return false;
  }
  return true;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      'HTTP_BAD_REQUEST',
      `path segment ${JSON.stringify(segment)} is not valid percent-encoding`,
    );
  }
}
