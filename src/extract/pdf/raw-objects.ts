/**
 * Reading a few objects straight from a PDF's bytes, before pdf.js parses it: the stream budget needs the
 * encryption dictionary and a stream's filters, found by their keywords (as the streams are), so a damaged
 * cross-reference table hides none of them.
 */

/** Where the body of indirect object `n g` starts, in its last definition (the newest revision), or -1. */
function objectStart(buf: Buffer, n: string | number, g: string | number): number {
  const head = `${n} ${g} obj`;
  for (let at = buf.lastIndexOf(head); at >= 0; at = at > 0 ? buf.lastIndexOf(head, at - 1) : -1) {
    if (at > 0 && buf[at - 1] >= 0x30 && buf[at - 1] <= 0x39) continue;
    return at + head.length;
  }
  return -1;
}

/** The first `max` characters of indirect object `n g`'s body, or null when the file has no such object. */
export function objectText(buf: Buffer, n: string | number, g: string | number, max = 256): string | null {
  const at = objectStart(buf, n, g);
  return at < 0 ? null : buf.toString('latin1', at, Math.min(buf.length, at + max)).trimStart();
}

/** The dictionary of indirect object `n g`. */
export function objectDict(buf: Buffer, n: string, g: string): string | null {
  const at = objectStart(buf, n, g);
  const open = at < 0 ? -1 : buf.indexOf('<<', at);
  return open >= 0 ? dictAt(buf, open) : null;
}

/** The `<< … >>` text starting at `open`, nested dictionaries and strings skipped over. */
export function dictAt(buf: Buffer, open: number): string | null {
  const text = buf.toString('latin1', open, Math.min(buf.length, open + 16384));
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      const end = literalEnd(text, i);
      if (end < 0) return null;
      i = end;
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      depth--;
      i++;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return null;
}

/**
 * `text` (a dictionary's source) with what is not at its top level blanked out: nested dictionaries and
 * strings become spaces, so a key found in it is the dictionary's own, at the same index.
 */
export function topLevelOnly(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      const end = literalEnd(text, i);
      const to = end < 0 ? text.length - 1 : end;
      out += ' '.repeat(to - i + 1);
      i = to;
    } else if (c === '<' && text[i + 1] === '<') {
      out += depth++ >= 1 ? '  ' : '<<';
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      out += --depth >= 1 ? '  ' : '>>';
      i++;
    } else out += depth > 1 ? ' ' : c;
  }
  return out;
}

/** Index of the `)` closing the literal string opened at `from`. */
function literalEnd(text: string, from: number): number {
  let nest = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '(') nest++;
    else if (text[i] === ')' && --nest === 0) return i;
  }
  return -1;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };

/** The bytes of the PDF string (literal or hex) at the start of `text`. */
export function readString(text: string): Buffer | null {
  if (text[0] === '<') {
    const end = text.indexOf('>');
    if (end < 0) return null;
    const hex = text.slice(1, end).replace(/[^0-9a-fA-F]/g, '');
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  }
  if (text[0] !== '(') return null;
  const end = literalEnd(text, 0);
  if (end < 0) return null;
  const out: number[] = [];
  for (let i = 1; i < end; i++) {
    const c = text[i];
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const e = text[++i];
    if (e >= '0' && e <= '7') {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i, i + 3))![0];
      out.push(parseInt(oct, 8) & 255);
      i += oct.length - 1;
    } else if (e === '\r') {
      if (text[i + 1] === '\n') i++;
    } else if (e !== '\n') out.push(ESCAPES[e] ?? e.charCodeAt(0));
  }
  return Buffer.from(out);
}
