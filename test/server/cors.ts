/**
 * Laravel's CORS (`config/cors.php`, applied by the HandleCors middleware through fruitcake/php-cors)
 * for the stand-in, so a browser on another origin meets what it meets with a real Laravel app: no
 * headers on paths outside `paths`, the origin echoed only when allowed, `*` refused by browsers
 * for credentialed requests unless `supports_credentials` makes the origin explicit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The parts of `config/cors.php` the stand-in honours. */
export interface CorsConfig {
  /**
   * `paths`: where CORS applies, `*` as a wildcard, no leading slash. Laravel's default is
   * `['api/*', 'sanctum/csrf-cookie']`, which leaves out `broadcasting/auth`. Default here: `['*']`.
   */
  paths?: string[];
  /** `allowed_origins`: exact origins (`https://app.example.com`) or `*`. Default `['*']`. */
  allowedOrigins?: string[];
  /** `supports_credentials`: cookies on cross-origin requests. Default false. */
  supportsCredentials?: boolean;
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/**
 * Adds the CORS headers Laravel would to `res`. Returns true when the request was a preflight and
 * has been answered (204), as HandleCors does for any preflight on a CORS path.
 */
export function applyCors(config: CorsConfig, req: IncomingMessage, res: ServerResponse): boolean {
  const paths = config.paths ?? ['*'];
  const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\//, '');
  if (!paths.some((p) => wildcard(p.replace(/^\//, '')).test(path))) return false;
  const origins = config.allowedOrigins ?? ['*'];
  const credentials = config.supportsCredentials ?? false;
  const origin = req.headers.origin;
  const anyOrigin = origins.includes('*');
  // php-cors: `*` without credentials; the one allowed origin always; else the request's origin if allowed.
  if (anyOrigin && !credentials) res.setHeader('access-control-allow-origin', '*');
  else if (!anyOrigin && origins.length === 1) res.setHeader('access-control-allow-origin', origins[0]);
  else if (origin && (anyOrigin || origins.includes(origin))) res.setHeader('access-control-allow-origin', origin);
  if (!(anyOrigin && !credentials)) res.setHeader('vary', 'Origin');
  if (credentials) res.setHeader('access-control-allow-credentials', 'true');
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  // allowed_methods / allowed_headers ['*'] (Laravel's default): echo what the browser asks for.
  res.setHeader('access-control-allow-methods', String(req.headers['access-control-request-method']));
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('access-control-allow-headers', String(asked));
  res.writeHead(204).end();
  return true;
}
