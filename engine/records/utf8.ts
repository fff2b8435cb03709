// UTF-8 for record header keys (Kafka writes them as varint-length UTF-8 strings).
//
// Header keys are short and almost always ASCII: a byte loop beats TextEncoder / TextDecoder there by avoiding
// their per-call overhead; anything else takes the standard path. Malformed UTF-8 decodes with U+FFFD
// replacement, as Kafka's own reader does; the batch CRC has already vouched for the bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** UTF-8 byte length of `text` (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      length += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else {
      length += 2;
    }
  }
  return length;
}

/** Writes `text` at `position` as UTF-8 of exactly `byteLength` bytes (from utf8Length); returns the end. */
export function writeUtf8(bytes: Uint8Array, position: number, text: string, byteLength: number): number {
  if (byteLength === text.length) {
    for (let i = 0; i < byteLength; i++) bytes[position + i] = text.charCodeAt(i);
    return position + byteLength;
  }
  encoder.encodeInto(text, bytes.subarray(position, position + byteLength));
  return position + byteLength;
}

/** Decodes bytes[start, end) as UTF-8. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let text = '';
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      if (byte >= 0x80) return decoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(byte);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}
