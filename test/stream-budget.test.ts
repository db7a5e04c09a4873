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
import { ascii85, onePagePdf, runLength, type Encryption } from './support/encrypted-pdf.js';

const LIMIT = 2 ** 20;
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

const chains: [string, Buffer, string][] = [
  ['FlateDecode', flate, '/FlateDecode'],
  ['[ASCIIHexDecode FlateDecode]', Buffer.from(`${flate.toString('hex')}>`), '[/ASCIIHexDecode /FlateDecode]'],
  ['[AHx Fl] (abbreviated)', Buffer.from(`${flate.toString('hex')}>`), '[/AHx /Fl]'],
  ['[ASCII85Decode FlateDecode]', ascii85(flate), '[/ASCII85Decode /FlateDecode]'],
  ['RunLengthDecode', runLength(content), '/RunLengthDecode'],
  ['[ASCII85Decode RunLengthDecode]', ascii85(runLength(content)), '[/ASCII85Decode /RunLengthDecode]'],
  ['[Crypt FlateDecode] (a filter pdf.js passes through first)', flate, '[/Crypt /FlateDecode]'],
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
