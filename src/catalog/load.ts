import { validateCatalog, type ValidatedCatalog } from './validate';

/** Fetches and validates the catalog; network and JSON errors become problems, never throws. */
export async function loadCatalog(url: string, fetchImpl: typeof fetch = fetch): Promise<ValidatedCatalog> {
  let text: string;
  try {
    const res = await fetchImpl(url);
    if (!res.ok) return { catalog: null, problems: [{ path: url, message: `HTTP ${res.status} while loading the catalog` }] };
    text = await res.text();
  } catch (e) {
    return { catalog: null, problems: [{ path: url, message: `could not load the catalog: ${(e as Error).message}` }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { catalog: null, problems: [{ path: url, message: `the catalog is not valid JSON: ${(e as Error).message}` }] };
  }
  return validateCatalog(raw);
}

/** URL of a catalog file relative to the app's base, so sub-path deployments work. */
export function dataUrl(path: string): string {
  return new URL(`data/${path}`, document.baseURI).toString();
}
