import type { TextEncoding } from './text-encoding';

/**
 * Node's Windows-874 decoder maps the bytes the encoding leaves undefined (0xDB–0xDE, 0xFC–0xFF)
 * to private-use characters U+F8C1–U+F8C8 instead of failing; they are no Thai letter a file means.
 */
const UNDEFINED_IN_874 = /[\uf8c1-\uf8c8]/;

/** A fatal TextDecoder that also fails on Windows-874's undefined bytes: nothing decodes to a character the file never held. */
export class StrictDecoder {
  private readonly decoder: TextDecoder;

  constructor(private readonly encoding: TextEncoding) {
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  decode(bytes?: Uint8Array, options?: { stream?: boolean }): string {
    const text = this.decoder.decode(bytes, options);
    if (this.encoding === 'windows-874' && UNDEFINED_IN_874.test(text))
      throw new TypeError('The encoded data was not valid for encoding windows-874');
    return text;
  }
}
