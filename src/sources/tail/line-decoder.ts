/**
 * Turns a line's bytes into text in the file's encoding. Invalid bytes never
 * throw: they become U+FFFD and are reported, so a binary file or a broken
 * UTF-8 sequence is counted, not fatal.
 */
import { TextDecoder } from 'node:util';
import { SignetError } from '../../errors.js';
import { newlineShapeOf, type NewlineShape } from './line-splitter.js';

export class TailEncodingError extends SignetError {}

export interface DecodedLine {
  readonly text: string;
  readonly invalid: boolean;
}

export class LineDecoder {
  /** The WHATWG name of the encoding (e.g. "iso-8859-1" is windows-1252). */
  readonly encoding: string;
  readonly newline: NewlineShape;
  private readonly lenient: TextDecoder;
  private strict: TextDecoder | undefined;
  private readonly utf8: boolean;

  constructor(label = 'utf-8') {
    try {
      // ignoreBOM: a U+FEFF inside the file is text; only the file's first bytes are a BOM.
      this.lenient = new TextDecoder(label, { ignoreBOM: true });
    } catch (cause) {
      throw new TailEncodingError(`encoding "${label}" is not one this runtime can decode`, {
        hint: 'use a WHATWG encoding label such as utf-8, utf-16le, iso-8859-1, windows-1252 or shift_jis',
        cause,
      });
    }
    this.encoding = this.lenient.encoding;
    this.newline = newlineShapeOf(this.encoding);
    this.utf8 = this.encoding === 'utf-8';
  }

  decode(bytes: Buffer, atFileStart: boolean): DecodedLine {
    // Buffer's UTF-8 decoder replaces invalid sequences as TextDecoder does, and is faster.
    let text = this.utf8 ? bytes.toString('utf8') : this.lenient.decode(bytes);
    if (atFileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    let invalid = false;
    if (text.includes('\ufffd')) {
      // U+FFFD may be in the file itself; only a strict decode tells a real error.
      this.strict ??= new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true });
      try {
        this.strict.decode(bytes);
      } catch {
        invalid = true;
      }
    }
    return { text, invalid };
  }

  /** Cuts a line cut at the byte limit back to a whole character (UTF-8 only; UTF-16 cuts are even). */
  trimCut(bytes: Buffer): Buffer {
    if (!this.utf8 || bytes.length === 0) return bytes;
    let i = bytes.length - 1;
    // Walk back over continuation bytes (10xxxxxx) to the lead byte of the last character.
    while (i > 0 && i > bytes.length - 4 && ((bytes[i] as number) & 0xc0) === 0x80) i--;
    const lead = bytes[i] as number;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    return bytes.length - i < need ? bytes.subarray(0, i) : bytes;
  }
}
