/** A profile's routes compiled once into matchers: method + path template -> route and params. */
import type { Route } from '../../src/model/profile.ts';

interface CompiledRoute<R extends Route> {
  route: R;
  re: RegExp;
  names: string[];
}

export interface RouteMatch<R extends Route = Route> {
  route: R;
  params: Record<string, string>;
}

export class RouteTable<R extends Route = Route> {
  private readonly compiled: CompiledRoute<R>[];
  /**
   * `METHOD path` of each route without parameters, when no route before it takes the same
   * path: found with one lookup instead of a regex per route, on every request.
   */
  private readonly fixed = new Map<string, R>();
  constructor(routes: readonly R[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1]!);
          return '([^/]+)';
        })
        .join('');
      return { route, re: new RegExp(`^${source}/?$`), names };
    });
    this.compiled.forEach(({ route, names }, i) => {
      const earlier = this.compiled.slice(0, i);
      const taken = (path: string) =>
        earlier.some((c) => c.route.method === route.method && c.re.test(path));
      if (names.length === 0 && !taken(route.path) && !taken(`${route.path}/`))
        this.fixed.set(`${route.method} ${route.path}`, route);
    });
  }

  /** The route for this method and path; undefined when none (or a path segment is not valid percent-encoding). */
  match(method: string, path: string): RouteMatch<R> | undefined {
    const upper = method.toUpperCase();
    const fixed =
      this.fixed.get(`${upper} ${path}`) ??
      (path.endsWith('/') ? this.fixed.get(`${upper} ${path.slice(0, -1)}`) : undefined);
    if (fixed) return { route: fixed, params: {} };
    for (const c of this.compiled) {
      if (c.route.method !== upper) continue;
      const m = c.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return undefined;
      }
      return { route: c.route, params };
    }
    return undefined;
  }
}
