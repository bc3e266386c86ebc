/**
 * Reads a JSON document as it arrives and hands over the elements of one array in it (the SMC's
 * `data.results`), each parsed on its own as soon as it is complete: a large answer is never held
 * whole, neither as text nor as objects. Everything else (the envelope) is kept with each element
 * replaced by `0` and parsed at the end, so the document as a whole is checked as `JSON.parse`
 * would check it: an answer cut short or broken anywhere is refused, even after elements were
 * handed over.
 */
import { Buffer, isAscii } from 'node:buffer';

/** The document is not JSON (`empty`: there was nothing but whitespace). */
export class JsonSyntaxError extends Error {
  constructor(readonly empty: boolean) {
    super(empty ? 'empty document' : 'not JSON');
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** An open object or array of the envelope; `onPath`: reached by following the path's keys. */
interface Frame {
  array: boolean;
  onPath: boolean;
  target: boolean;
  /** Objects on the path: the key whose value comes next. */
  key?: string | undefined;
  expectKey: boolean;
}

/**
 * Streams `chunks` (UTF-8 JSON), calling `onElement` with each element of the array reached by
 * `path` (object keys from the root; `[]`: the root array), in order, and resolves with the
 * document minus those elements (each replaced by `0`) and how many there were. A value other than
 * an array at `path` stays in the envelope, for the caller's schema to judge.
 * @throws JsonSyntaxError when the document is not JSON; whatever `onElement` throws.
 */
export async function readJsonArray(
  chunks: AsyncIterable<Uint8Array>,
  path: readonly string[],
  onElement: (value: unknown, index: number) => void,
): Promise<{ envelope: unknown; elements: number }> {
  const scanner = new ArrayScanner(path, onElement);
  for await (const chunk of chunks) scanner.push(chunk);
  return scanner.end();
}

/**
 * The scan runs over the decoded text (every character JSON gives meaning to is ASCII). Text is
 * let go once scanned, except an element or a string still open at the end of a chunk.
 */
class ArrayScanner {
  private readonly decoder = new TextDecoder();
  /** Whether a chunk went through the decoder (from then on, every chunk does). */
  private decoding = false;
  private readonly stack: Frame[] = [];
  private readonly envelope: string[] = [];
  /**
   * Elements after the envelope's last piece that each followed a lone comma: `,0` that many times,
   * written out only when another piece comes (a burst's 100,000 elements are not 200,000 pieces).
   */
  private commaZeros = 0;
  private text = '';
  private pos = 0;
  /** Where the text not yet moved to the envelope (nor given to an element) starts. */
  private mark = 0;
  private stringStart = -1;
  /** The opening quote of an on-path key being read. */
  private keyStart = -1;
  private elementStart = -1;
  /** Brackets open inside the current element. */
  private nesting = 0;
  private count = 0;
  private sawValue = false;

  constructor(
    private readonly path: readonly string[],
    private readonly onElement: (value: unknown, index: number) => void,
  ) {}

  push(chunk: Uint8Array): void {
    // ASCII bytes are their own characters: such a chunk is copied into text directly, several times
    // faster than through the decoder. Only while the decoder holds nothing: once it has decoded a
    // chunk (which may end inside a character, or start with a byte-order mark), it decodes the rest.
    if (!this.decoding && isAscii(chunk)) {
      this.append(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
      return;
    }
    this.decoding = true;
    this.append(this.decoder.decode(chunk, { stream: true }));
  }

  end(): { envelope: unknown; elements: number } {
    this.append(this.decoder.decode());
    if (this.stringStart >= 0 || this.elementStart >= 0 || this.stack.length > 0 || !this.sawValue) {
      throw new JsonSyntaxError(!this.sawValue);
    }
    this.toEnvelope(this.text.slice(this.mark));
    let envelope: unknown;
    try {
      envelope = JSON.parse(this.envelope.join(''));
    } catch {
      throw new JsonSyntaxError(false);
    }
    return { envelope, elements: this.count };
  }

  private append(decoded: string): void {
    this.text += decoded;
    this.scan();
    // Keep only what is still open: an element, or a string (an escape may straddle chunks).
    const keep = this.elementStart >= 0 ? this.elementStart : this.stringStart >= 0 ? this.stringStart : this.pos;
    if (this.elementStart < 0) this.toEnvelope(this.text.slice(this.mark, keep));
    this.text = this.text.slice(keep);
    this.pos -= keep;
    this.mark = 0;
    if (this.elementStart >= 0) this.elementStart -= keep;
    if (this.stringStart >= 0) this.stringStart -= keep;
    if (this.keyStart >= 0) this.keyStart -= keep;
  }

  private scan(): void {
    const t = this.text;
    const n = t.length;
    let i = this.pos;
    while (i < n) {
      if (this.stringStart >= 0) {
        let q = t.indexOf('"', i);
        while (q !== -1 && escaped(t, q)) q = t.indexOf('"', q + 1);
        if (q === -1) {
          i = n;
          break;
        }
        i = q + 1;
        this.stringStart = -1;
        if (this.keyStart >= 0) this.setKey(t.slice(this.keyStart, i));
        continue;
      }
      if (this.elementStart >= 0) {
        i = this.scanElement(t, i);
        continue;
      }
      const c = t.charCodeAt(i);
      if (isSpace(c)) {
        i += 1;
        continue;
      }
      this.sawValue = true;
      const top = this.stack[this.stack.length - 1];
      if (top?.target && c !== COMMA && c !== CLOSE_ARRAY) {
        // An element starts: what came before it belongs to the envelope, a `0` stands in for it.
        const before = t.slice(this.mark, i);
        if (before === ',') this.commaZeros += 1;
        else this.toEnvelope(before, '0');
        this.elementStart = i;
        this.nesting = 0;
        continue; // its first character is read again, as part of the element
      }
      if (c === QUOTE) {
        this.stringStart = i;
        if (top && !top.array && top.expectKey && top.onPath) this.keyStart = i;
      } else {
        this.structural(c);
      }
      i += 1;
    }
    this.pos = i;
  }

  /**
   * Reads on inside the current element from `from`, to where it ends (it is handed over, and the
   * comma or bracket after it read as the envelope's), to a string still open at the end of `t`,
   * or to the end of `t`; returns where reading stopped. One tight loop over local state: this is
   * where a burst's answer spends its scan.
   */
  private scanElement(t: string, from: number): number {
    const n = t.length;
    let nesting = this.nesting;
    let i = from;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === QUOTE) {
        let q = t.indexOf('"', i + 1);
        while (q !== -1 && escaped(t, q)) q = t.indexOf('"', q + 1);
        if (q === -1) {
          this.stringStart = i;
          i = n;
          break;
        }
        i = q + 1;
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) nesting += 1;
      else if (nesting > 0) {
        if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) nesting -= 1;
      } else if (c === COMMA || c === CLOSE_ARRAY) {
        this.nesting = 0;
        this.emit(t.slice(this.elementStart, i));
        this.mark = i;
        this.structural(c);
        return i + 1;
      }
      i += 1;
    }
    this.nesting = nesting;
    return i;
  }

  private toEnvelope(...pieces: string[]): void {
    if (this.commaZeros > 0) this.envelope.push(',0'.repeat(this.commaZeros));
    this.commaZeros = 0;
    this.envelope.push(...pieces);
  }

  /** A bracket, comma or colon of the envelope. */
  private structural(c: number): void {
    const top = this.stack[this.stack.length - 1];
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const level = this.stack.length;
      const onPath = top === undefined || (top.onPath && !top.array && top.key === this.path[level - 1]);
      const array = c === OPEN_ARRAY;
      this.stack.push({ array, onPath, target: onPath && array && level === this.path.length, expectKey: !array });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (!top || top.array !== (c === CLOSE_ARRAY)) throw new JsonSyntaxError(false);
      this.stack.pop();
    } else if (c === COMMA && top && !top.array) {
      top.expectKey = true;
      top.key = undefined;
    }
  }

  private setKey(quoted: string): void {
    this.keyStart = -1;
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.expectKey = false;
    try {
      top.key = JSON.parse(quoted) as string;
    } catch {
      throw new JsonSyntaxError(false);
    }
  }

  private emit(text: string): void {
    this.elementStart = -1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JsonSyntaxError(false);
    }
    this.onElement(value, this.count);
    this.count += 1;
  }
}

/** Whether the quote at `q` is escaped: preceded by an odd run of backslashes (inside its string). */
function escaped(text: string, q: number): boolean {
  let k = q - 1;
  while (text.charCodeAt(k) === BACKSLASH) k -= 1;
  return (q - 1 - k) % 2 === 1;
}
