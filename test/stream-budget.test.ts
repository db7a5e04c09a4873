/**
 * The PDF stream budget (XXGK_MAX_PDF_STREAM_BYTES) counts what pdf.js will inflate: through filter
 * chains whose first layers only re-encode (ASCIIHex, ASCII85) or themselves expand (RunLength), and in
 * encrypted files, after decrypting with the empty user password pdf.js opens them with. Each file is
 * first opened by pdf.js under a generous limit, to prove it is one pdf.js would really inflate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { openPdf } from '../src/extract/pdf/load.js';
import { checkStreamSizes } from '../src/extract/pdf/stream-budget.js';
import { lzw as lzwDecode } from '../src/extract/pdf/stream-filters.js';
import { ascii85, assemblePdf, onePagePdf, runLength, type Encryption } from './support/encrypted-pdf.js';

const LIMIT = 2 ** 20;

/** LZW as PDF writers encode it (EarlyChange 1): a clear code first, the table cleared again when nearly full. */
function lzw(data: Uint8Array): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  let width = 9;
  let next = 258;
  let table = new Map<number, number>();
  const emit = (code: number) => {
    acc = (acc << width) | code;
    bits += width;
    while (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  };
  // The decoder adds its entry one code later than the encoder: it widens its codes one entry later too.
  const emitData = (code: number) => {
    if (next >= 1 << width && width < 12) width++;
    emit(code);
  };
  emit(256);
  let w = -1;
  for (const b of data) {
    if (w < 0) {
      w = b;
      continue;
    }
    const known = table.get(w * 256 + b);
    if (known !== undefined) {
      w = known;
      continue;
    }
    emitData(w);
    table.set(w * 256 + b, next++);
    w = b;
    if (next === 4000) {
      emitData(256);
      [table, next, width] = [new Map(), 258, 9];
    }
  }
  if (w >= 0) emitData(w);
  if (next + 1 >= 1 << width && width < 12) width++;
  emit(257);
  if (bits > 0) bytes.push((acc << (8 - bits)) & 255);
  return Buffer.from(bytes);
}
/** Text, then 4 MB of spaces: four times the limit. */
const content = Buffer.concat([Buffer.from('BT /F1 12 Tf 72 700 Td (hello budget) Tj ET\n'), Buffer.alloc(4 * LIMIT, 0x20)]);
const flate = deflateSync(content);

async function textOf(pdf: Buffer): Promise<string> {
  const opened = await openPdf(pdf, 64 * LIMIT);
  try {
    const tc = await (await opened.doc.getPage(1)).getTextContent();
    return tc.items.map((i) => ('str' in i ? i.str : '')).join('');
  } finally {
    await opened.close();
  }
}

function refused(pdf: Buffer, code = 'PDF_STREAM_TOO_LARGE') {
  assert.throws(() => checkStreamSizes(pdf, LIMIT), (e: { code?: string; status?: number }) => e.code === code);
}

test('LZW is decoded as written, through table clears and code widths of 9 to 12 bits', () => {
  const text = Buffer.from(Array.from({ length: 4000 }, (_, i) => `row ${i % 97} cell ${(i * 7919) % 1000};`).join('\n'));
  const encoded = lzw(text);
  assert.ok(encoded.length < text.length / 2, `${encoded.length} of ${text.length} B`);
  assert.deepEqual(Buffer.from(lzwDecode(encoded, 2 * text.length, 1)!), text);
  assert.equal(lzwDecode(encoded, text.length - 1, 1), null);
});

const chains: [string, Buffer, string][] = [
  ['FlateDecode', flate, '/FlateDecode'],
  ['[ASCIIHexDecode FlateDecode]', Buffer.from(`${flate.toString('hex')}>`), '[/ASCIIHexDecode /FlateDecode]'],
  ['[AHx Fl] (abbreviated)', Buffer.from(`${flate.toString('hex')}>`), '[/AHx /Fl]'],
  ['[ASCII85Decode FlateDecode]', ascii85(flate), '[/ASCII85Decode /FlateDecode]'],
  ['RunLengthDecode', runLength(content), '/RunLengthDecode'],
  ['[ASCII85Decode RunLengthDecode]', ascii85(runLength(content)), '[/ASCII85Decode /RunLengthDecode]'],
  ['[Crypt FlateDecode] (a filter pdf.js passes through first)', flate, '[/Crypt /FlateDecode]'],
  ['LZWDecode', lzw(content), '/LZWDecode'],
  ['[LZWDecode FlateDecode] (the layer after LZW)', lzw(flate), '[/LZWDecode /FlateDecode]'],
  ['/Flate#44ecode (a #-escaped name)', flate, '/Flate#44ecode'],
];

for (const [name, data, filter] of chains) {
  test(`a ${name} stream that decodes past the limit is refused`, async () => {
    const pdf = onePagePdf(data, filter);
    assert.ok(pdf.length < LIMIT / 2, `${pdf.length} B`);
    assert.equal(await textOf(pdf), 'hello budget');
    refused(pdf);
    checkStreamSizes(pdf, 8 * LIMIT); // under a limit it fits, the same file passes
  });
}

const named: [string, Buffer][] = [
  ['by /F (the abbreviation pdf.js reads first)', onePagePdf(flate, '/FlateDecode', undefined, '', '/F')],
  ['through an indirect /Filter', onePagePdf(flate, '6 0 R', undefined, '', '/Filter', '/FlateDecode')],
];
for (const [how, pdf] of named) {
  test(`a Flate stream named ${how} is refused`, async () => {
    assert.equal(await textOf(pdf), 'hello budget');
    refused(pdf);
  });
}

for (const kind of ['rc4-40', 'aes-128', 'aes-256'] as Encryption[]) {
  test(`an encrypted (${kind}, empty user password) Flate stream is counted decrypted`, async () => {
    const pdf = onePagePdf(flate, '/FlateDecode', kind);
    assert.equal(await textOf(pdf), 'hello budget');
    refused(pdf);
    checkStreamSizes(pdf, 8 * LIMIT);
  });
}

test('an encrypted ASCIIHex+Flate chain is counted decrypted and decoded', async () => {
  const pdf = onePagePdf(Buffer.from(`${flate.toString('hex')}>`), '[/ASCIIHexDecode /FlateDecode]', 'aes-128');
  assert.equal(await textOf(pdf), 'hello budget');
  refused(pdf);
});

test('a PDF that needs a user password is refused as encrypted (its streams cannot be counted, pdf.js cannot open it)', async () => {
  const pdf = onePagePdf(flate, '/FlateDecode', 'rc4-40', 'secret');
  await assert.rejects(textOf(pdf), (e: { code?: string }) => e.code === 'PDF_ENCRYPTED');
  refused(pdf, 'PDF_ENCRYPTED');
});

// pdf.js grows its buffer block by block and only fails where the data ends: it has spent the memory by then.
test('a truncated Flate layer is counted as far as it goes', () => {
  const outer = deflateSync(flate);
  refused(onePagePdf(outer.subarray(0, outer.length - 6), '[/FlateDecode /FlateDecode]'));
});

/** A page that draws one image XObject holding `data` under `filter`. */
function imagePdf(data: Buffer, filter: string, size: number): Buffer {
  return assemblePdf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>'),
    Buffer.from('<< /Length 30 >>\nstream\nq 500 0 0 500 40 40 cm /Im1 Do Q\nendstream'),
    Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${size} /Height ${size} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${data.length} /Filter ${filter} >>\nstream\n`),
      data, Buffer.from('\nendstream'),
    ]),
  ]);
}

test('an image XObject whose Flate layer decodes past the limit is refused', async () => {
  // 4 MB of grey pixels (2048 × 2048), Flate under the image's own pixels and under a DCT codec.
  const pixels = deflateSync(Buffer.alloc(4 * LIMIT, 0x80));
  for (const filter of ['/FlateDecode', '[/FlateDecode /DCTDecode]']) {
    const pdf = imagePdf(pixels, filter, 2048);
    assert.ok(pdf.length < LIMIT / 100, `${pdf.length} B`);
    refused(pdf);
    checkStreamSizes(pdf, 8 * LIMIT);
  }
  const opened = await openPdf(imagePdf(pixels, '/FlateDecode', 2048), 8 * LIMIT);
  await opened.close(); // pdf.js opens it: a real PDF with a real image
});

test('a Form XObject is counted by its own /Filter, not by a font named /F in its resources', async () => {
  const pdf = assemblePdf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 5 0 R >> >> /Contents 4 0 R >>'),
    Buffer.from('<< /Length 16 >>\nstream\nq /Fm1 Do Q    \nendstream'),
    Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F 6 0 R >> >> /Length ${flate.length} /Filter /FlateDecode >>\nstream\n`),
      flate, Buffer.from('\nendstream'),
    ]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
  ]);
  refused(pdf);
  checkStreamSizes(pdf, 8 * LIMIT);
  assert.match(await textOf(pdf), /hello budget/, 'pdf.js inflates the form whole: the budget must count it');
});
