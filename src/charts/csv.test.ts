import { describe, expect, it } from 'vitest';
import { csvBlob, toCsv } from './csv';

describe('toCsv', () => {
  it('ends every record with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 2], [3, 4]])).toBe('a,b\r\n1,2\r\n3,4\r\n');
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });

  it('quotes fields with a comma, quote, CR or LF and doubles quotes', () => {
    expect(toCsv(['x'], [['a,b'], ['say "hi"'], ['two\nlines'], ['cr\rhere'], ['plain']])).toBe(
      'x\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\nplain\r\n',
    );
  });

  it('writes null, undefined and non-finite numbers as empty fields', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[null, undefined, NaN, Infinity]])).toBe('a,b,c,d\r\n,,,\r\n');
  });

  it('writes numbers in full precision without grouping', () => {
    expect(toCsv(['n'], [[12345.6], [1234567], [0.1 + 0.2], [-5], [0]])).toBe('n\r\n12345.6\r\n1234567\r\n0.30000000000000004\r\n-5\r\n0\r\n');
  });

  it('defuses strings that a spreadsheet would run as a formula', () => {
    const rows = [['=SUM(A1:A2)'], ['+1+1'], ['-2+3'], ['@cmd'], ['\tx'], ['=HYPERLINK("http://x","y")']];
    expect(toCsv(['f'], rows).split('\r\n').slice(1, -1)).toEqual([
      "'=SUM(A1:A2)",
      "'+1+1",
      "'-2+3",
      "'@cmd",
      "'\tx",
      `"'=HYPERLINK(""http://x"",""y"")"`,
    ]);
    // A leading CR is defused and, being a CR, quoted.
    expect(toCsv(['f'], [['\rx']])).toBe(`f\r\n"'\rx"\r\n`);
  });

  it('leaves numbers given as strings alone', () => {
    expect(toCsv(['v'], [['-12.5'], ['+3'], ['-1e5'], ['-.5']])).toBe('v\r\n-12.5\r\n+3\r\n-1e5\r\n-.5\r\n');
    expect(toCsv(['v'], [['-12.5abc'], ['- 3']])).toBe("v\r\n'-12.5abc\r\n'- 3\r\n");
  });

  it('guards the header as well', () => {
    expect(toCsv(['=cmd', 'ok'], [])).toBe("'=cmd,ok\r\n");
  });

  it('keeps Chinese text as it is (a full-width comma is not a separator)', () => {
    expect(toCsv(['区', '公园面积（公顷）'], [['福田区', 1234.5], ['南山区，西丽', 2], ['“引号”', 3]])).toBe(
      '区,公园面积（公顷）\r\n福田区,1234.5\r\n南山区，西丽,2\r\n“引号”,3\r\n',
    );
  });
});

describe('csvBlob', () => {
  it('is UTF-8 with a BOM and a CSV type', async () => {
    const blob = csvBlob('区\r\n福田\r\n');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('区\r\n福田\r\n');
    // TextDecoder drops a BOM by default: the raw bytes above prove it is there.
    expect(bytes.length).toBe(3 + new TextEncoder().encode('区\r\n福田\r\n').length);
  });
});
