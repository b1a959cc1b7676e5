/**
 * Route patterns for filters and noise rules: `GET /shipments/*`, `/shipments/**`,
 * `POST /shipments/{id}/events`. The method is optional; `*` and `{name}` match one path segment,
 * `**` any number of segments.
 */
export interface RoutePattern {
  method?: string;
  segments: string[];
  source: string;
}

export function parseRoutePattern(source: string): RoutePattern {
  const trimmed = source.trim();
  const space = trimmed.indexOf(' ');
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : undefined;
  const path = space > 0 ? trimmed.slice(space + 1).trim() : trimmed;
  const pattern: RoutePattern = { segments: splitPath(path), source };
  if (method !== undefined) pattern.method = method;
  return pattern;
}

function splitPath(path: string): string[] {
  return path
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip++) if (matchSegments(rest, path.slice(skip))) return true;
    return false;
  }
  if (path.length === 0) return false;
  const isWildcard = head === '*' || /^\{[^}]+\}$/.test(head!) || /^:[^/]+$/.test(head!);
  return (isWildcard || head === path[0]) && matchSegments(rest, path.slice(1));
}

/** True when `method path` falls under the pattern. */
export function routeMatches(pattern: RoutePattern, method: string, path: string): boolean {
  if (pattern.method !== undefined && pattern.method !== '*' && pattern.method !== method.toUpperCase()) return false;
  return matchSegments(pattern.segments, splitPath(path));
}
