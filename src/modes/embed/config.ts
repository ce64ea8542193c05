/**
 * Which host origins the embed API talks to. Two sources:
 *  - the deployment: VITE_EMBED_ORIGINS at build time (comma-separated exact
 *    origins, or '*');
 *  - the embed URL: `?origins=` (comma-separated exact origins), written by
 *    the host into its own iframe.
 *
 * Default, with neither set: '*'. Every v1 command is view state the iframe
 * URL can already express, and whoever embeds the map writes that URL, so
 * accepting commands from any framing page grants nothing new; the bridge
 * still takes commands only from its parent window (never from sibling
 * frames), answers only the origin that sent the command, and sends nothing
 * but `ready` before a host has spoken. A deployment that pins origins gets
 * an exact list, which the URL may narrow but never widen, so a page cannot
 * allow itself. A list that was given but has no valid entry allows nothing:
 * a typo must fail closed, not open. docs/embed-api.md has the long form.
 */

export type AllowedOrigins = string[] | '*';
type Warn = (message: string) => void;

export const MAX_ORIGINS = 16;
/** Longer than any sane list; bounds the work on a hostile URL. */
const MAX_LIST_CHARS = 4096;
const defaultWarn: Warn = (m) => console.warn(`[civic-atlas] ${m}`);

export function deployedEmbedOrigins(): string | undefined {
  const v: unknown = import.meta.env.VITE_EMBED_ORIGINS;
  return typeof v === 'string' ? v : undefined;
}

export function readAllowedOrigins(
  search: string,
  deployDefault: string | undefined = deployedEmbedOrigins(),
  warn: Warn = defaultWarn,
): AllowedOrigins {
  const deployedRaw = (deployDefault ?? '').trim();
  // Only the deployment may say '*' explicitly; in the URL it would mean nothing beyond the default.
  const deployed = deployedRaw === '*' ? undefined : parseList(deployedRaw, 'VITE_EMBED_ORIGINS', warn);
  const param = new URLSearchParams(search).get('origins');
  const fromUrl = param === null ? undefined : parseList(param, 'origins parameter', warn);
  if (deployed) {
    if (!fromUrl) return deployed;
    const narrowed = fromUrl.filter((o) => deployed.includes(o));
    if (narrowed.length < fromUrl.length)
      warn(`ignored ${fromUrl.length - narrowed.length} origin(s) in the origins parameter not allowed by this deployment`);
    return narrowed;
  }
  return fromUrl ?? '*';
}

/** undefined: nothing given. Otherwise the exact origins, possibly none. */
function parseList(raw: string, name: string, warn: Warn): string[] | undefined {
  if (raw.trim() === '') return undefined;
  if (raw.length > MAX_LIST_CHARS) {
    warn(`ignored the ${name}: longer than ${MAX_LIST_CHARS} characters; no origin is allowed`);
    return [];
  }
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = [...new Set(entries.filter(isExactOrigin))];
  if (valid.length < entries.length)
    warn(`ignored ${entries.length - valid.length} invalid entr(ies) in the ${name} (use exact origins like https://news.example.cn)`);
  if (valid.length > MAX_ORIGINS) warn(`the ${name} lists more than ${MAX_ORIGINS} origins; only the first ${MAX_ORIGINS} are used`);
  if (valid.length === 0) warn(`the ${name} has no valid origin; the embed API will accept and send nothing`);
  return valid.slice(0, MAX_ORIGINS);
}

/**
 * 'null' (opaque origins: sandboxed frames without allow-same-origin, file:)
 * only when spelled out. Otherwise an http(s) origin exactly as the browser
 * serialises it, so the comparison with MessageEvent.origin is plain equality.
 */
export function isExactOrigin(o: string): boolean {
  if (o === 'null') return true;
  try {
    const u = new URL(o);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
  } catch {
    return false;
  }
}
