/**
 * Bytes of a log to text. UTF-8 unless the input opens with a UTF-16 byte-order mark (PowerShell's `>` and
 * Out-File write UTF-16LE with one; Windows tools export either); the mark itself is dropped. A UTF-8 mark is
 * left to the reader, whose trim removes it.
 */
import { StringDecoder } from "node:string_decoder";

export class LogTextDecoder {
  private decoder: StringDecoder | undefined;
  private bigEndian = false;
  /** Bytes held back: before the encoding is known (fewer than two seen), or an odd byte of big-endian UTF-16. */
  private held: Buffer | undefined;

  write(chunk: Buffer): string {
    let bytes = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = undefined;
    if (!this.decoder) {
      if (bytes.length < 2) {
        this.held = bytes;
        return "";
      }
      bytes = this.choose(bytes);
    }
    return this.decoder!.write(this.bigEndian ? this.swapped(bytes) : bytes);
  }

  end(): string {
    const rest = this.held;
    this.held = undefined;
    if (!this.decoder) return rest ? rest.toString("utf8") : "";
    // An odd byte left at the end of big-endian UTF-16 is a cut character: the decoder's end reports it as U+FFFD.
    return (rest ? this.decoder.write(Buffer.from([0, rest[0]!])) : "") + this.decoder.end();
  }

  /** Picks the encoding from the first bytes; returns them without the UTF-16 mark. */
  private choose(bytes: Buffer): Buffer {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      this.decoder = new StringDecoder("utf16le");
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      this.decoder = new StringDecoder("utf16le");
      this.bigEndian = true;
      return bytes.subarray(2);
    }
    this.decoder = new StringDecoder("utf8");
    return bytes;
  }

  /** Big-endian pairs swapped to little-endian; an odd last byte waits for its pair in the next chunk. */
  private swapped(bytes: Buffer): Buffer {
    const even = bytes.length & ~1;
    if (even < bytes.length) this.held = Buffer.from(bytes.subarray(even));
    const out = Buffer.from(bytes.subarray(0, even));
    out.swap16();
    return out;
  }
}
