/**
 * Secrets out of the logs. Two layers:
 * - by place: the request serializer drops the values of credential headers (Authorization, Cookie,
 *   X-Api-Key, …) and of query parameters named like a credential (key, api_key, token, secret,
 *   signature, …), also inside a URL passed as a parameter (`callbackUrl=https://h/hook?token=…`);
 * - by value: the service's own logger replaces every configured secret (the API keys, the webhook
 *   secret, the database password) wherever it appears in a line, whatever put it there.
 */
import type { ServiceConfig } from './config.js';

export const REDACTED = '[REDACTED]';

/** Headers that carry credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|signature|password|session/i;
/** Query parameter names that carry credentials: key, apikey, api_key, access_token, token, secret, sig, … */
const SECRET_PARAM = /key|token|secret|passw|signature|^sig$|^auth|credential|session/i;

function scrubValue(value: string): string {
  // A URL given as a parameter (a callback) may carry its own credentials.
  return /^[a-z][a-z0-9+.-]*:\/\/|[?&]/i.test(value) && value.includes('=') ? scrubUrl(value) : value;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** The URL with the values of credential parameters replaced; everything else kept byte for byte. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (eq < 0) return pair;
    if (SECRET_PARAM.test(name)) return `${pair.slice(0, eq)}=${REDACTED}`;
    const value = decode(pair.slice(eq + 1));
    const clean = scrubValue(value);
    return clean === value ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(clean)}`;
  });
  return `${url.slice(0, q + 1)}${parts.join('&')}${hash < 0 ? '' : url.slice(hash)}`;
}

/** A parsed query (express's `req.query`) with the values of credential parameters replaced. */
export function scrubQuery(query: unknown): unknown {
  if (typeof query === 'string') return scrubValue(query);
  if (Array.isArray(query)) return query.map(scrubQuery);
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, SECRET_PARAM.test(k) ? REDACTED : scrubQuery(v)]));
}

export function scrubHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers) return headers;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADER.test(k) ? REDACTED : v]));
}

interface SerializedRequest {
  url?: string;
  query?: unknown;
  headers?: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * pino-http's request serializer, wrapped: a copy of pino's serialized request (whose `headers` is the
 * live request's own object, never to be changed) without the credentials.
 */
export function redactRequest(req: SerializedRequest): SerializedRequest {
  const copy: SerializedRequest = { ...req };
  if (typeof req.url === 'string') copy.url = scrubUrl(req.url);
  if ('query' in req) copy.query = scrubQuery(req.query);
  if ('headers' in req) copy.headers = scrubHeaders(req.headers);
  return copy;
}

/** The password in XXGK_DATABASE_URL, if it has one. */
function databasePassword(url: string | null | undefined): string[] {
  if (!url) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

/**
 * Replaces each configured secret in a serialized log line, JSON-escaped or URL-encoded.
 * Secrets under 6 characters are left to the serializers: replacing "k" everywhere would destroy the logs.
 */
export function secretScrubber(config: Pick<ServiceConfig, 'apiKeys' | 'callbackSecret'> & Partial<Pick<ServiceConfig, 'databaseUrl'>>): ((line: string) => string) | undefined {
  const secrets = [...config.apiKeys.map((k) => k.key), ...(config.callbackSecret ? [config.callbackSecret] : []), ...databasePassword(config.databaseUrl)]
    .filter((s) => s.length >= 6);
  // As JSON escapes it (the same as written for plain keys) and URL-encoded; a raw form with a quote
  // or backslash never appears in a JSON line, and replacing it could break one.
  const forms = [...new Set(secrets.flatMap((s) => [JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))]
    .sort((a, b) => b.length - a.length);
  if (!forms.length) return undefined;
  return (line) => {
    let out = line;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  };
}
