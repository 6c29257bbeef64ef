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
  }

  /** The route for this method and path; undefined when none (or a path segment is not valid percent-encoding). */
  match(method: string, path: string): RouteMatch<R> | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method.toUpperCase()) continue;
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
