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

/**
 * LZWDecode as pdf.js decodes it (9–12 bit codes, 256 clears, 257 ends, a code past the table repeats the
 * last sequence plus its first byte, `earlyChange` as /EarlyChange), or null as soon as the output passes
 * `limit` bytes: its output feeds the next filter of the chain, which must be counted too.
 */
export function lzw(data: Uint8Array, limit: number, earlyChange: number): Uint8Array | null {
  const values = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  const prevs = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    values[i] = i;
    lengths[i] = 1;
  }
  const seq = new Uint8Array(4096);
  let seqLength = 0;
  let next = 258;
  let width = 9;
  let prev = 0;
  let out = new Uint8Array(Math.min(limit + 1, Math.max(4096, 4 * data.length)));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; ; ) {
    while (bits < width && i < data.length) {
      acc = (acc << 8) | data[i++];
      bits += 8;
    }
    if (bits < width) break;
    bits -= width;
    const code = (acc >>> bits) & ((1 << width) - 1);
    const hasPrev = seqLength > 0;
    if (code === 256) {
      width = 9;
      next = 258;
      seqLength = 0;
      continue;
    }
    if (code === 257) break;
    if (code < 256) {
      seq[0] = code;
      seqLength = 1;
    } else if (code < next) {
      seqLength = lengths[code];
      for (let j = seqLength - 1, q = code; j >= 0; j--) {
        seq[j] = values[q];
        q = prevs[q];
      }
    } else {
      seq[seqLength++] = seq[0];
    }
    if (hasPrev) {
      prevs[next] = prev;
      lengths[next] = lengths[prev] + 1;
      values[next] = seq[0];
      next++;
      // pdf.js's own expression for the width, so that both switch at the same code.
      if (!((next + earlyChange) & (next + earlyChange - 1))) width = Math.min(Math.log(next + earlyChange) / 0.6931471805599453 + 1, 12) | 0;
    }
    prev = code;
    if (n + seqLength > limit) return null;
    if (n + seqLength > out.length) {
      const grown = new Uint8Array(Math.min(limit + 1, Math.max(2 * out.length, n + seqLength)));
      grown.set(out.subarray(0, n));
      out = grown;
    }
    // A sequence longer than the table (only in damaged data) is written as zeros past 4096, as by pdf.js.
    out.set(seq.subarray(0, Math.min(seqLength, seq.length)), n);
    n += seqLength;
  }
  return out.subarray(0, n);
}
