/**
 * The standard security handler with the empty user password, as pdf.js applies it when it opens an
 * encrypted PDF without asking: the stream budget must count what pdf.js will inflate, which is the
 * decrypted data, not the ciphertext (that never inflates). RC4 (V1/V2/V4), AES-128 (V4 AESV2) and
 * AES-256 (V5, R5/R6), the key checked against /U as pdf.js does.
 */
import { createDecipheriv, createCipheriv, createHash } from 'node:crypto';
import { ConvertError } from '../../intake/errors.js';
import { dictAt, objectDict, readString } from './raw-objects.js';

/** One stream's data as pdf.js reads it, given its object number, generation and dictionary text. */
export type StreamDecrypter = (data: Uint8Array, num: number, gen: number, dict: string) => Uint8Array;

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

const needsPassword = () =>
  new ConvertError(
    'PDF_ENCRYPTED', 422,
    'The PDF is encrypted and needs a password to open. Send a copy without a password (print it to a new PDF, or save it without security).',
  );

/**
 * The decrypter of the file's /Encrypt dictionary, or null when the file is not encrypted. A file whose
 * encryption the empty password does not open (or that this handler cannot read) is refused here: pdf.js
 * would refuse it too, and its streams could not be counted.
 */
export function streamDecrypter(buf: Buffer): StreamDecrypter | null {
  const ref = lastMatch(buf, '/Encrypt', /^\/Encrypt\s*(?:(\d+)\s+(\d+)\s+R|<<)/);
  if (!ref) return null;
  const dict = ref[1] ? objectDict(buf, ref[1], ref[2]) : dictAt(buf, ref.index + ref[0].length - 2);
  if (!dict || name(dict, 'Filter') !== 'Standard') throw needsPassword();
  const v = num(dict, 'V') ?? 0;
  const r = num(dict, 'R') ?? 0;
  const o = str(dict, 'O');
  const u = str(dict, 'U');
  if (!o || !u) throw needsPassword();
  const cipher = cipherOf(dict, v);
  if (cipher === 'none') return null;
  // pdf.js reads these two in the clear: the cross-reference stream, and the metadata when /EncryptMetadata is false.
  const encryptMetadata = !(v >= 4 && /\/EncryptMetadata\s+false/.test(dict));
  const clear = (streamDict: string) =>
    /\/Type\s*\/XRef\b/.test(streamDict) || (!encryptMetadata && /\/Type\s*\/Metadata\b/.test(streamDict));
  if (v === 5) {
    const key = aes256FileKey(dict, r, u);
    return (data, _num, _gen, streamDict) => (clear(streamDict) ? data : aesCbc(key, data));
  }
  const idMatch = lastMatch(buf, '/ID', /^\/ID\s*\[\s*/);
  const idAt = idMatch ? idMatch.index + idMatch[0].length : -1;
  const id = (idAt >= 0 && readString(buf.toString('latin1', idAt, idAt + 600))) || Buffer.alloc(0);
  const lengthBits = v === 1 ? 40 : (num(dict, 'Length') ?? (v >= 4 ? 128 : 40));
  const n = lengthBits % 8 === 0 && lengthBits >= 40 && lengthBits <= 128 ? lengthBits / 8 : 5;
  const key = rc4FileKey(r, n, o, u, num(dict, 'P') ?? 0, id, encryptMetadata);
  return (data, objNum, gen, streamDict) => {
    if (clear(streamDict)) return data;
    const salt = cipher === 'aes' ? Buffer.from('sAlT') : Buffer.alloc(0);
    const objKey = createHash('md5')
      .update(key)
      .update(Buffer.from([objNum & 255, (objNum >> 8) & 255, (objNum >> 16) & 255, gen & 255, (gen >> 8) & 255]))
      .update(salt)
      .digest()
      .subarray(0, Math.min(n + 5, 16));
    return cipher === 'aes' ? aesCbc(objKey, data) : rc4(objKey, data);
  };
}

/** How streams are encrypted: V4/V5 name it in the crypt filter that /StmF points at. */
function cipherOf(dict: string, v: number): 'rc4' | 'aes' | 'none' {
  if (v < 4) return 'rc4';
  const stmF = name(dict, 'StmF') ?? 'Identity';
  if (stmF === 'Identity') return 'none';
  const at = dict.indexOf(`/${stmF}`, dict.indexOf('/CF'));
  const cfm = at >= 0 ? /\/CFM\s*\/(\w+)/.exec(dict.slice(at))?.[1] : undefined;
  if (cfm === 'None') return 'none';
  if (cfm === 'V2') return 'rc4';
  return 'aes';
}

/** Algorithms 2 and 6 (R2–R4): the file key from the empty password, checked against /U. */
function rc4FileKey(r: number, n: number, o: Buffer, u: Buffer, p: number, id: Buffer, encryptMetadata: boolean): Buffer {
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p | 0);
  const h = createHash('md5').update(PAD).update(o.subarray(0, 32)).update(pBytes).update(id);
  if (r >= 4 && !encryptMetadata) h.update(Buffer.from([255, 255, 255, 255]));
  let key = h.digest();
  if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, n)).digest();
  key = key.subarray(0, n);
  let ok: boolean;
  if (r === 2) ok = rc4(key, PAD).equals(u.subarray(0, 32));
  else {
    let check: Buffer = createHash('md5').update(PAD).update(id).digest();
    for (let i = 0; i < 20; i++) check = rc4(Buffer.from(key.map((b) => b ^ i)), check);
    ok = check.equals(u.subarray(0, 16));
  }
  if (!ok) throw needsPassword();
  return key;
}

/** Algorithms 2.A/2.B (R5/R6): the empty password checked against /U, the file key unwrapped from /UE. */
function aes256FileKey(dict: string, r: number, u: Buffer): Buffer {
  const ue = str(dict, 'UE');
  if (!ue || ue.length < 32 || u.length < 48) throw needsPassword();
  const hash = (salt: Buffer) => (r >= 6 ? hash2B(salt) : createHash('sha256').update(salt).digest());
  if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32))) throw needsPassword();
  const d = createDecipheriv('aes-256-cbc', hash(u.subarray(40, 48)), Buffer.alloc(16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(ue.subarray(0, 32)), d.final()]);
}

/** Algorithm 2.B with the empty password and no /U data (the user password's hash). */
function hash2B(salt: Buffer): Buffer {
  let k = createHash('sha256').update(salt).digest();
  let e = Buffer.alloc(0);
  for (let i = 0; i < 64 || e[e.length - 1] > i - 32; i++) {
    const k1 = Buffer.concat(Array(64).fill(k));
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    c.setAutoPadding(false);
    e = Buffer.concat([c.update(k1), c.final()]);
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j];
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]).update(e).digest();
  }
  return k.subarray(0, 32);
}

/** AES-CBC with the IV in the first 16 bytes; damage (a short or unpadded tail) is kept, as pdf.js does. */
function aesCbc(key: Buffer, data: Uint8Array): Uint8Array {
  if (data.length < 32) return new Uint8Array(0);
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  const d = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  d.setAutoPadding(false);
  const out = Buffer.concat([d.update(body), d.final()]);
  const pad = out[out.length - 1];
  return pad >= 1 && pad <= 16 ? out.subarray(0, out.length - pad) : out;
}

/** RC4 (OpenSSL 3 no longer offers it by default). */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256).map((_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    const t = s[i];
    s[i] = s[j];
    s[j] = t;
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

/** The last place in the file where `re` (anchored, starting with `key`) matches: the newest revision's. */
function lastMatch(buf: Buffer, key: string, re: RegExp): RegExpExecArray | null {
  for (let at = buf.lastIndexOf(key); at >= 0; at = at > 0 ? buf.lastIndexOf(key, at - 1) : -1) {
    const m = re.exec(buf.toString('latin1', at, at + 64));
    if (m) {
      m.index = at;
      return m;
    }
  }
  return null;
}

const num = (dict: string, key: string) => {
  const m = new RegExp(`/${key}\\s+(-?\\d+)`).exec(dict);
  return m ? Number(m[1]) : undefined;
};
const name = (dict: string, key: string) => new RegExp(`/${key}\\s*/(\\w+)`).exec(dict)?.[1];
const str = (dict: string, key: string) => {
  const m = new RegExp(`/${key}\\s*(?=[(<][^<])`).exec(dict);
  return m ? readString(dict.slice(m.index + m[0].length)) : null;
};
