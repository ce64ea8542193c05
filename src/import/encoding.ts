/**
 * Text decoding for imported files. Chinese government data still ships in
 * GBK (e.g. the CNEMC station list) while scrapes and newer exports are UTF-8,
 * and a planner cannot be expected to know which one they have.
 *
 * Rule: a UTF-8 byte-order mark, or bytes that decode as strict UTF-8, are
 * UTF-8; anything else is GBK. Strict UTF-8 comes first because GBK text
 * almost never forms valid UTF-8 sequences (its lead bytes 0x81–0xFE are
 * followed by bytes that rarely match UTF-8's continuation pattern), whereas
 * decoding UTF-8 as GBK never fails and silently yields mojibake.
 * `new TextDecoder('gbk')` is the WHATWG GBK decoder (a GB18030 superset),
 * present in browsers and in Node with full ICU (the default build).
 */

export type TextEncodingName = 'utf-8' | 'gbk';

export interface DecodedText {
  /** The text, without a byte-order mark. */
  text: string;
  encoding: TextEncodingName;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (!(bytes instanceof Uint8Array)) throw new Error('decodeText expects a Uint8Array');
  // UTF-16 files exist (Excel "Unicode text"); decoding them as GBK would produce garbage, so say so.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new Error('the file is UTF-16 encoded; save it as UTF-8 or GBK CSV and try again');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // ignoreBOM: false (the default) strips the mark; not fatal, so a stray bad byte after a BOM still decodes.
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  }
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not valid UTF-8: GBK.
  }
  let gbk: TextDecoder;
  try {
    gbk = new TextDecoder('gbk');
  } catch (err) {
    if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
    throw new Error('this runtime cannot decode GBK text (TextDecoder("gbk") is unavailable; Node needs full ICU)', { cause: err });
  }
  if (utf8 === null) return { text: gbk.decode(bytes), encoding: 'gbk' };
  // A short GBK text can happen to be valid UTF-8 (山水园 → "ɽˮ԰"): then the
  // UTF-8 reading is made of letters no Chinese data file uses (IPA, Armenian,
  // Latin Extended-B…) while the GBK reading is all hanzi. Only then is GBK
  // preferred; accented Latin (é, ü, ā) stays UTF-8.
  if (implausibleShare(utf8) >= 0.5) {
    const text = gbk.decode(bytes);
    if (hanziShare(text) >= 0.9) return { text, encoding: 'gbk' };
  }
  return { text: utf8, encoding: 'utf-8' };
}

/** Of the non-ASCII characters, the share in blocks a mis-decoded GBK text lands in: U+0180–U+036F and U+0500–U+07FF. */
function implausibleShare(text: string): number {
  let other = 0;
  let odd = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    other++;
    if ((c >= 0x180 && c <= 0x36f) || (c >= 0x500 && c <= 0x7ff)) odd++;
  }
  return other ? odd / other : 0;
}

/** Of the non-ASCII characters, the share that are CJK ideographs or CJK / full-width punctuation. */
function hanziShare(text: string): number {
  let other = 0;
  let han = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    other++;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3400 && c <= 0x4dbf)) han++;
  }
  return other ? han / other : 0;
}
