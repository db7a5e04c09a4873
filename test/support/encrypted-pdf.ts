/**
 * One-page PDFs whose content stream is stored as given, optionally encrypted by the standard security
 * handler with an empty user password (RC4 40-bit R2, AES-128 R4, AES-256 R6): what pdf.js opens without
 * asking. Written here from the specification, so pdf.js reading the text back checks them independently.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export type Encryption = 'rc4-40' | 'aes-128' | 'aes-256';

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...b: Buffer[]) => createHash('md5').update(Buffer.concat(b)).digest();

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

function aesCbc(key: Buffer, data: Buffer): Buffer {
  const iv = randomBytes(16);
  const c = createCipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, iv);
  return Buffer.concat([iv, c.update(data), c.final()]);
}

/** ISO 32000-2 algorithm 2.B for the empty password. */
function hash2B(salt: Buffer, udata = Buffer.alloc(0)): Buffer {
  let k = createHash('sha256').update(salt).update(udata).digest();
  let e = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1] > round - 32; round++) {
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([k, udata])));
    e = Buffer.concat([c.update(k1), c.final()]);
    const mod = e.subarray(0, 16).reduce((a, b) => a + b, 0) % 3;
    k = createHash(['sha256', 'sha384', 'sha512'][mod]).update(e).digest();
  }
  return k.subarray(0, 32);
}

const hex = (b: Buffer) => `<${b.toString('hex')}>`;

/** The /Encrypt dictionary and the function encrypting object `num`'s stream data. */
function security(kind: Encryption, id: Buffer, userPassword: string): { dict: string; encrypt: (num: number, data: Buffer) => Buffer } {
  const P = -4;
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(P);
  const pw = Buffer.concat([Buffer.from(userPassword, 'latin1'), PAD]).subarray(0, 32);
  if (kind === 'aes-256') {
    if (userPassword) throw new Error('only the empty password for AES-256');
    const key = randomBytes(32);
    const [vSalt, kSalt] = [randomBytes(8), randomBytes(8)];
    const U = Buffer.concat([hash2B(vSalt), vSalt, kSalt]);
    const wrap = createCipheriv('aes-256-cbc', hash2B(kSalt), Buffer.alloc(16)).setAutoPadding(false);
    const UE = Buffer.concat([wrap.update(key), wrap.final()]);
    const O = randomBytes(48); // no owner password opens it: pdf.js falls back to the user password
    const dict = `<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF /O ${hex(O)} /U ${hex(U)} /OE ${hex(randomBytes(32))} /UE ${hex(UE)} /Perms ${hex(randomBytes(16))} /P ${P} >>`;
    return { dict, encrypt: (_num, data) => aesCbc(key, data) };
  }
  const aes = kind === 'aes-128';
  const n = aes ? 16 : 5;
  const O = rc4(md5(PAD).subarray(0, n), PAD); // owner password empty as well (R2 form; pdf.js checks /U)
  let key = md5(pw, O, pBytes, id).subarray(0, n);
  if (aes) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, n);
  let U: Buffer;
  if (aes) {
    let check = md5(PAD, id);
    for (let i = 0; i < 20; i++) check = rc4(Buffer.from(key.map((b) => b ^ i)), check);
    U = Buffer.concat([check, Buffer.alloc(16)]);
  } else U = rc4(key, PAD);
  const dict = aes
    ? `<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF /O ${hex(O)} /U ${hex(U)} /P ${P} >>`
    : `<< /Filter /Standard /V 1 /R 2 /O ${hex(O)} /U ${hex(U)} /P ${P} >>`;
  const encrypt = (num: number, data: Buffer) => {
    const objKey = md5(key, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0]), Buffer.from(aes ? 'sAlT' : '')).subarray(0, Math.min(n + 5, 16));
    return aes ? aesCbc(objKey, data) : rc4(objKey, data);
  };
  return { dict, encrypt };
}

/**
 * A one-page PDF (Helvetica as /F1) whose content stream holds `data` under `filter` (given as the value
 * of `filterKey`), encrypted when `kind` is given (with `userPassword`, empty unless said). `extra` is
 * stored as object 6 (for an indirect filter value).
 */
export function onePagePdf(data: Buffer, filter: string, kind?: Encryption, userPassword = '', filterKey = '/Filter', extra?: string): Buffer {
  const id = randomBytes(16);
  const sec = kind ? security(kind, id, userPassword) : null;
  const stream = sec ? sec.encrypt(4, data) : data;
  const objs = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} ${filterKey} ${filter} >>\nstream\n`), stream, Buffer.from('\nendstream')]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    ...(extra ? [Buffer.from(extra)] : []),
    ...(sec ? [Buffer.from(sec.dict)] : []),
  ];
  const encrypt = sec ? ` /Encrypt ${objs.length} 0 R` : '';
  return assemblePdf(objs, `${encrypt} /ID [${hex(id)} ${hex(id)}]`);
}

/**
 * A PDF file of `objs` (object i + 1 is objs[i], the first the catalog), with its cross-reference table
 * and a trailer holding `trailer` besides /Size and /Root.
 */
export function assemblePdf(objs: Buffer[], trailer = ''): Buffer {
  const parts = [Buffer.from('%PDF-1.7\n')];
  let length = parts[0].length;
  const offsets = objs.map((o, i) => {
    const at = length;
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(b);
    length += b.length;
    return at;
  });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${trailer} >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** ASCII85 of `data`, with its `~>` end marker. */
export function ascii85(data: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, i + 4);
    let v = chunk.readUInt32BE(0);
    const take = Math.min(4, data.length - i);
    if (v === 0 && take === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (v % 85)));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, take + 1).join('');
  }
  return Buffer.from(`${out}~>`);
}

/** RunLength encoding of `data`: runs of up to 128 equal bytes as one pair, the rest as literals. */
export function runLength(data: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; ) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run > 1) {
      out.push(257 - run, data[i]);
      i += run;
    } else {
      out.push(0, data[i]);
      i++;
    }
  }
  out.push(128);
  return Buffer.from(out);
}
