import { describe, expect, test } from 'vitest';
import { bindValue, checkTableName, cleanErrorMessage, quoteIdent } from '../../src/engine/sql.ts';

describe('quoteIdent', () => {
  test('wraps in double quotes and doubles inner ones', () => {
    expect(quoteIdent('parks')).toBe('"parks"');
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(quoteIdent('""')).toBe('""""""');
    expect(quoteIdent('公园 name')).toBe('"公园 name"');
  });
  test('rejects empty names and NUL', () => {
    expect(() => quoteIdent('')).toThrow(/non-empty/);
    expect(() => quoteIdent('a\u0000b')).toThrow(/NUL/);
  });
});

describe('checkTableName', () => {
  test('accepts any text but the reserved prefix', () => {
    expect(checkTableName('a"; DROP TABLE x; --')).toBe('a"; DROP TABLE x; --');
    expect(() => checkTableName('  ')).toThrow(/non-empty/);
    expect(() => checkTableName('__CIVIC_ENGINE_load')).toThrow(/reserved/);
    expect(() => checkTableName(42 as unknown as string)).toThrow(/non-empty string/);
  });
});

describe('bindValue', () => {
  test('normalises what DuckDB-WASM can bind', () => {
    expect(bindValue('x', 0)).toBe('x');
    expect(bindValue(1.5, 0)).toBe(1.5);
    expect(bindValue(true, 0)).toBe(true);
    expect(bindValue(undefined, 0)).toBeNull();
    expect(bindValue(12n, 0)).toBe(12);
    expect(bindValue(new Date(0), 0)).toBe('1970-01-01T00:00:00.000Z');
  });
  test('rejects what it would mangle', () => {
    expect(() => bindValue(NaN, 1)).toThrow(/parameter 2/);
    expect(() => bindValue(2n ** 60n, 0)).toThrow(/BigInt/);
    expect(() => bindValue({}, 0)).toThrow(/unsupported type/);
    expect(() => bindValue([1], 0)).toThrow(/unsupported type/);
    expect(() => bindValue(new Date(NaN), 0)).toThrow(/invalid Date/);
  });
});

describe('cleanErrorMessage', () => {
  test('unwraps DuckDB-WASM JSON errors', () => {
    expect(cleanErrorMessage(new Error('{"exception_type":"Catalog","exception_message":"Table with name x does not exist!"}'))).toBe(
      'Catalog Error: Table with name x does not exist!',
    );
    expect(cleanErrorMessage(new Error('plain'))).toBe('plain');
    expect(cleanErrorMessage('{not json}')).toBe('{not json}');
  });
});
