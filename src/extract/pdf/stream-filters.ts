/**
 * The PDF filters that sit in a chain before or between the expanding ones, decoded as pdf.js decodes
 * them (lenient: stray characters skipped, decoding ends at the end marker or the data's end), so that
 * the stream budget sees the bytes pdf.js will inflate.
 */

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** ASCIIHexDecode: pairs of hex digits up to `>`; an odd last digit counts as followed by 0. */
export function asciiHex(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (d < 0) continue;
    if (high < 0) high = d;
    else {
      out[n++] = (high << 4) | d;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

/** ASCII85Decode: groups of five base-85 digits (or `z`) up to `~>`; a short last group is padded with `u`. */
export function ascii85(data: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const c of data) if (c === 0x7a) zeros++;
  const out = new Uint8Array(Math.ceil(((data.length - zeros) * 4) / 5) + 4 * zeros + 4);
  let n = 0;
  let group = 0;
  let count = 0;
  for (const c of data) {
    if (c === 0x7e) break;
    if (isSpace(c)) continue;
    if (c === 0x7a && count === 0) {
      n += 4; // four zero bytes (the array starts zeroed)
      continue;
    }
    if (c < 0x21 || c > 0x75) continue;
    group = group * 85 + (c - 0x21);
    if (++count === 5) {
      for (let k = 3; k >= 0; k--) out[n + 3 - k] = (group >>> (8 * k)) & 255;
      n += 4;
      group = 0;
      count = 0;
    }
  }
  if (count > 1) {
    for (let k = count; k < 5; k++) group = group * 85 + 84;
    for (let k = 0; k < count - 1; k++) out[n++] = (group >>> (8 * (3 - k))) & 255;
  }
  return out.subarray(0, n);
}

/** RunLengthDecode, or null as soon as the output passes `limit` bytes (a run of 2 bytes makes 128). */
export function runLength(data: Uint8Array, limit: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < data.length; ) {
    const len = data[i++];
    if (len === 128) break;
    let part: Uint8Array;
    if (len < 128) {
      part = data.subarray(i, i + len + 1);
      i += len + 1;
    } else {
      if (i >= data.length) break;
      part = new Uint8Array(257 - len).fill(data[i++]);
    }
    total += part.length;
    if (total > limit) return null;
    parts.push(part);
  }
  return Buffer.concat(parts);
}
