// Reads the first sheet of an .xlsx in the browser (a ZIP of XML parts), so the dialog checks its
// header and the mapping screen shows its first rows before anything is uploaded.

const decoder = new TextDecoder();

/** name → { method, offset, size } from the ZIP's central directory. */
function zipEntries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a ZIP file');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      method: view.getUint16(at + 10, true),
      size: view.getUint32(at + 20, true),
      local: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extra;
  }
  return { entries, view };
}

async function entryText(bytes, zip, name) {
  const entry = zip.entries.get(name);
  if (!entry) return null;
  const start =
    entry.local + 30 + zip.view.getUint16(entry.local + 26, true) + zip.view.getUint16(entry.local + 28, true);
  const data = bytes.subarray(start, start + entry.size);
  if (entry.method === 0) return decoder.decode(data);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const xml = (text) => new DOMParser().parseFromString(text, 'application/xml');
const byTag = (node, tag) => [...node.getElementsByTagNameNS('*', tag)];

/** The path of the workbook's first sheet, through the workbook's relationships. */
async function firstSheetPath(bytes, zip) {
  const workbook = xml(await entryText(bytes, zip, 'xl/workbook.xml'));
  const id = byTag(workbook, 'sheet')[0]?.getAttributeNS(
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'id',
  );
  const rels = xml((await entryText(bytes, zip, 'xl/_rels/workbook.xml.rels')) ?? '<r/>');
  const target = byTag(rels, 'Relationship')
    .find((r) => r.getAttribute('Id') === id)
    ?.getAttribute('Target');
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

function columnIndex(ref) {
  let n = 0;
  for (const ch of /^[A-Z]+/.exec(ref ?? '')?.[0] ?? '') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Up to `limit` rows of the first sheet as arrays of cell text; rows with no value are left out. */
export async function xlsxRows(file, limit) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const zip = zipEntries(bytes);
  const shared = byTag(xml((await entryText(bytes, zip, 'xl/sharedStrings.xml')) ?? '<sst/>'), 'si').map((si) =>
    byTag(si, 't')
      .map((t) => t.textContent)
      .join(''),
  );
  const sheet = xml(await entryText(bytes, zip, await firstSheetPath(bytes, zip)));
  const rows = [];
  for (const row of byTag(sheet, 'row')) {
    const cells = [];
    byTag(row, 'c').forEach((c, i) => {
      const ref = c.getAttribute('r');
      const at = ref ? columnIndex(ref) : i;
      const type = c.getAttribute('t');
      const value = byTag(c, 'v')[0]?.textContent ?? '';
      cells[at] =
        type === 's'
          ? (shared[Number(value)] ?? '')
          : type === 'inlineStr'
            ? byTag(c, 't')
                .map((t) => t.textContent)
                .join('')
            : value;
    });
    const filled = Array.from(cells, (v) => v ?? '');
    if (filled.some((v) => v.trim() !== '')) rows.push(filled);
    if (rows.length >= limit) break;
  }
  return rows;
}
