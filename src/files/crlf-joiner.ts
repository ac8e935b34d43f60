/**
 * Decoded text arriving in pieces, where a CR LF may be cut between two pieces: a CR that ends a
 * piece is held back and put in front of the next one, so the pair is never counted as two line ends.
 */
export class CrLfJoiner {
  private pending = false;

  /** The piece, with the CR held from the previous one in front and its own trailing CR held back. */
  next(text: string): string {
    const t = this.pending ? `\r${text}` : text;
    this.pending = t.endsWith('\r');
    return this.pending ? t.slice(0, -1) : t;
  }

  /** A CR is held: if nothing follows, it ended a line of its own. */
  get holdsCr(): boolean {
    return this.pending;
  }
}
