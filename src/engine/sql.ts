/**
 * SQL helpers. Identifiers that come from files or users (table names,
 * GeoJSON property names, CSV headers) go through {@link quoteIdent}; values
 * are always bound as parameters, never concatenated into SQL text.
 */

/** Quote an identifier for DuckDB: wrap in double quotes and double any inner double quote. */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error('SQL identifier must be a non-empty string');
  }
  if (name.includes('\u0000')) throw new Error('SQL identifier must not contain a NUL character');
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Prefix of the engine's own transient tables and files; user tables may not use it. */
export const INTERNAL_PREFIX = '__civic_engine_';

/** Validate a user-supplied table name (any text is allowed; it is always quoted). */
export function checkTableName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new Error('table name must be a non-empty string');
  }
  if (name.includes('\u0000')) throw new Error('table name must not contain a NUL character');
  if (name.toLowerCase().startsWith(INTERNAL_PREFIX)) {
    throw new Error(`table name must not start with "${INTERNAL_PREFIX}" (reserved for the engine)`);
  }
  return name;
}

/**
 * Normalise a value for DuckDB-WASM's prepared-statement binding, which goes
 * through JSON (numbers bind as DOUBLE, strings as VARCHAR, booleans, null).
 * Dates become ISO-8601 strings (cast in SQL: `?::TIMESTAMP`); BigInts become
 * numbers when exact. Anything else is rejected rather than silently mangled.
 */
export function bindValue(value: unknown, index: number): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Error(`parameter ${index + 1}: ${value} cannot be bound (only finite numbers)`);
      }
      return value;
    case 'bigint':
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new Error(`parameter ${index + 1}: BigInt ${value} is outside the exactly bindable range; pass it as a string and cast in SQL`);
      }
      return Number(value);
    default:
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new Error(`parameter ${index + 1}: invalid Date`);
        return value.toISOString();
      }
      throw new Error(`parameter ${index + 1}: unsupported type ${Object.prototype.toString.call(value)} (use string, number, boolean, null, bigint or Date)`);
  }
}

/**
 * DuckDB-WASM reports some errors (Arrow insert, catalog) as a JSON object in
 * the message. Turn those into "Catalog Error: …" style text.
 */
export function cleanErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const parsed = JSON.parse(trimmed) as { exception_type?: unknown; exception_message?: unknown };
      if (typeof parsed.exception_message === 'string') {
        const kind = typeof parsed.exception_type === 'string' ? parsed.exception_type : 'DuckDB';
        return `${kind} Error: ${parsed.exception_message}`;
      }
    } catch {
      // not JSON after all
    }
  }
  return raw;
}

/** Wrap an error with context, keeping the original as `cause`. */
export function engineError(context: string, err: unknown): Error {
  return new Error(context ? `${context}: ${cleanErrorMessage(err)}` : cleanErrorMessage(err), { cause: err });
}
