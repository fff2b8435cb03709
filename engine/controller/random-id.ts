// Random ids as Kafka prints its Uuids: 16 random bytes in URL-safe base64 without padding (22 characters),
// drawn from the node's seeded stream so that a run is reproducible. Used for topic ids and for a broker's
// incarnation id.

import type { RandomSource } from './replica-placer.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomUuid(random: RandomSource): string {
  for (;;) {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    const text = base64Url(bytes);
    // Kafka never issues an id that starts with '-' (it would read as a command-line flag), nor the zero id.
    if (!text.startsWith('-') && bytes.some((byte) => byte !== 0)) return text;
  }
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    text += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
    if (i + 1 < bytes.length) text += ALPHABET[((b1 & 15) << 2) | (b2 >> 6)];
    if (i + 2 < bytes.length) text += ALPHABET[b2 & 63];
  }
  return text;
}
