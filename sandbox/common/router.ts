import { HttpError } from './json-http.ts';

/**
 * Method + path routing with `:name` segments. A path that matches with another method answers 405
 * (with `Allow`), a path that matches nothing answers 404: clients must not mistake one for the other.
 */

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  on(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  /**
   * Finds the handler for a request, or throws the 404/405 a real server would answer. Literal
   * segments beat parameters, so `/records/bulk` is never taken for a record with id "bulk".
   */
  match(method: string, pathname: string): RouteMatch<H> {
    const segments = split(pathname);
    const candidates = this.routes.flatMap((route) => {
      const params = matchSegments(route.segments, segments);
      return params
        ? [{ route, params, literals: route.segments.filter((s) => !s.startsWith(':')).length }]
        : [];
    });
    if (candidates.length === 0) throw HttpError.of(404, 'Not found', `No route for ${pathname}`);
    const best = Math.max(...candidates.map((candidate) => candidate.literals));
    const closest = candidates.filter((candidate) => candidate.literals === best);
    const hit = closest.find((candidate) => candidate.route.method === method);
    if (hit) return { handler: hit.route.handler, params: hit.params };
    const error = HttpError.of(405, 'Method not allowed', `${method} is not allowed on ${pathname}`);
    error.headers.allow = closest.map((candidate) => candidate.route.method).join(', ');
    throw error;
  }
}

const split = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const value = actual[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeSegment(value);
    else if (part !== value) return undefined;
  }
  return params;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw HttpError.of(400, 'Bad request', `Path segment '${value}' is not valid percent-encoding`);
  }
}
