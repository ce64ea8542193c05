/**
 * What kind of file a planner dropped, decided from its bytes (the name's
 * extension only breaks ties), before anything parses it: GeoJSON, Parquet or
 * CSV, or a clear reason it is none of them (empty, truncated Parquet, an
 * Excel workbook, a zip or shapefile part, UTF-16 text, a binary). No DOM and
 * no engine here; ./userImport.ts loads what this accepts.
 */

export type UserFormat = 'geojson' | 'parquet' | 'csv';

export interface Sniffed {
  format: UserFormat | null;
  /** Why the file cannot be read, in both languages; null when `format` is set. */
  problem: { zh: string; en: string } | null;
}

const PAR1 = [0x50, 0x41, 0x52, 0x31];
const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const extOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

const no = (zh: string, en: string): Sniffed => ({ format: null, problem: { zh, en } });

/** The first non-blank character of the text, past a UTF-8 byte-order mark. */
function firstChar(b: Uint8Array): string {
  let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i < b.length ? String.fromCharCode(b[i]!) : '';
}

/** Share of NUL and other control bytes in the first 4 KB: text files have (almost) none. */
function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0 || (c < 0x09 && c !== 0x1b) || (c > 0x0d && c < 0x20 && c !== 0x1b)) bad++;
  }
  return n > 0 && bad / n > 0.01;
}

export function sniffFile(name: string, bytes: Uint8Array): Sniffed {
  const ext = extOf(name);
  if (bytes.length === 0) return no('文件是空的（0 字节）。', 'The file is empty (0 bytes).');
  if (startsWith(bytes, PAR1)) {
    if (bytes.length < 12 || !startsWith(bytes, PAR1, bytes.length - 4))
      return no('Parquet 文件不完整（文件尾缺失，可能下载或复制时被截断）。请重新导出或重新下载。', 'The Parquet file is incomplete (its footer is missing: it was probably cut short while downloading or copying). Export or download it again.');
    return { format: 'parquet', problem: null };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    if (ext === 'xlsx' || ext === 'xls')
      return no('这是 Excel 工作簿。请在 Excel 中“另存为 CSV（UTF-8）”后再导入。', 'This is an Excel workbook. Save it as “CSV UTF-8” in Excel, then import that.');
    return no(
      '这是 zip 压缩包。请先解压，再导入其中的 GeoJSON、Parquet 或 CSV 文件；若是城市环境图谱的数据包，请在“数据包”中载入；若是 Shapefile，请先转换为 GeoJSON（例如用 QGIS 或 mapshaper）。',
      'This is a zip archive. Unzip it and import the GeoJSON, Parquet or CSV file inside; if it is a Civic Atlas data pack, load it under “Packs”; if it is a shapefile, convert it to GeoJSON first (QGIS or mapshaper, for example).',
    );
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    return no('这是旧版 Excel（.xls）文件。请另存为 CSV（UTF-8）后再导入。', 'This is an old Excel (.xls) file. Save it as “CSV UTF-8”, then import that.');
  if (['shp', 'shx', 'dbf', 'prj'].includes(ext))
    return no('这是 Shapefile 的一部分。请先转换为 GeoJSON（WGS-84 或注明坐标系）再导入。', 'This is part of a shapefile. Convert it to GeoJSON first (in WGS-84, or say which system it uses).');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return no('文件是 UTF-16 编码（Excel 的“Unicode 文本”）。请另存为 UTF-8 或 GBK 编码的 CSV。', 'The file is UTF-16 encoded (Excel’s “Unicode text”). Save it as a UTF-8 or GBK CSV.');
  if (looksBinary(bytes)) return no('这不是文本文件，也不是 Parquet，无法识别。可导入 GeoJSON、Parquet 或 CSV。', 'This is neither a text file nor Parquet, so it cannot be read. GeoJSON, Parquet and CSV can be imported.');
  const c = firstChar(bytes);
  if (c === '{' || c === '[' || ext === 'geojson' || ext === 'json') return { format: 'geojson', problem: null };
  if (c === '') return no('文件只有空白字符。', 'The file holds only blank space.');
  return { format: 'csv', problem: null };
}
