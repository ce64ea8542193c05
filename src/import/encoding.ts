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
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: fall through to GBK.
  }
  let gbk: TextDecoder;
  try {
    gbk = new TextDecoder('gbk');
  } catch (err) {
    throw new Error('this runtime cannot decode GBK text (TextDecoder("gbk") is unavailable; Node needs full ICU)', { cause: err });
  }
  return { text: gbk.decode(bytes), encoding: 'gbk' };
}
