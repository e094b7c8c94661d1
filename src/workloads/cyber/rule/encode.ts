/**
 * The encoding modifiers: value text to bytes (utf16le/utf16be/utf16/wide) and bytes to Base64, including the
 * three shifted forms `base64offset` uses to find a value anywhere inside a longer Base64 text.
 * Byte strings travel as latin1 strings (one char per byte) so they can be matched like any other text.
 */

export type Encoding = "utf8" | "utf16le" | "utf16be" | "utf16";

export function toBytes(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case "utf8": return Buffer.from(text, "utf8");
    case "utf16le": return Buffer.from(text, "utf16le");
    case "utf16be": return Buffer.from(text, "utf16le").swap16();
    case "utf16": return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  }
}

export const base64 = (bytes: Buffer): string => bytes.toString("base64");

/**
 * The value Base64-encoded at each of the three byte offsets it can sit at inside a longer text, trimmed to the
 * characters that do not depend on its neighbours (the construction pySigma's base64offset modifier uses).
 */
export function base64Offsets(bytes: Buffer): string[] {
  const startTrim = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString("base64");
    const end = endTrim[(bytes.length + shift) % 3]!;
    out.push(encoded.slice(startTrim[shift]!, end === 0 ? undefined : -end));
  }
  return out;
}
