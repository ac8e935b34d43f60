import { xlsxRows } from './xlsx-read.js';

// The checks the api makes again on upload, run in the browser first so a wrong file never leaves the machine.
// headerKey and mapHeader mirror src/domain/columns.ts; keep them in step.

const HEAD_BYTES = 64 * 1024;

export function headerKey(cell) {
  return cell
    .replace(/[\ufeff\u200b-\u200d\u2060]/g, '')
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function mapHeader(cells, columns) {
  const byKey = new Map();
  for (const c of columns) for (const alias of [c.name, ...c.aliases]) byKey.set(headerKey(alias), c.name);
  const seen = new Set();
  const unknown = [];
  const duplicates = [];
  cells.forEach((cell, i) => {
    const key = headerKey(cell);
    if (key === '' && cells.slice(i).every((c) => headerKey(c) === '')) return;
    const column = byKey.get(key);
    if (!column) unknown.push(cell.trim() === '' ? `(empty header in column ${i + 1})` : cell.trim());
    else if (seen.has(column)) duplicates.push(cell.trim());
    seen.add(column ?? '');
  });
  const missing = columns.filter((c) => c.required && !seen.has(c.name)).map((c) => c.name);
  return { missing, unknown, duplicates };
}

function detectDelimiter(line) {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)) best = d;
  return best;
}

function decoderFor(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** The first record with any value in it, split on the delimiter outside quotes. */
function firstRecord(text, delimiter) {
  let cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) (cells.push(cell), (cell = ''));
    else if (ch === '\n') {
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) return cells;
      ((cells = []), (cell = ''));
    } else cell += ch;
  }
  cells.push(cell);
  return cells.some((c) => c.trim() !== '') ? cells : null;
}

const DELIMITERS = { ',': ',', ';': ';', tab: '\t', '|': '|' };

/**
 * Size, type and header of the chosen file against the source's columns, read with the declared
 * encoding and delimiter when the admin chose them (`auto` or absent: detected as the api does).
 * Returns { ok: true, encoding, delimiter } or { ok: false, message }.
 */
export async function checkFile(file, source, maxBytes, declared = {}) {
  const name = file.name;
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xls')
    return {
      ok: false,
      message: `${name}: this is an old Excel (.xls) file; save it as an Excel workbook (.xlsx) or as "CSV UTF-8".`,
    };
  if (ext !== 'csv' && ext !== 'xlsx')
    return {
      ok: false,
      message: `${name}: choose a .csv or .xlsx file (this one is ${ext ? `.${ext}` : 'without an extension'}).`,
    };
  if (file.size === 0) return { ok: false, message: `${name}: the file is empty.` };
  if (file.size > maxBytes)
    return {
      ok: false,
      message: `${name}: the file is ${(file.size / 1024 ** 2).toFixed(1)} MiB; at most ${(maxBytes / 1024 ** 2).toFixed(0)} MiB can be imported.`,
    };
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const zipped = head[0] === 0x50 && head[1] === 0x4b;
  if (ext === 'xlsx') {
    if (!zipped)
      return { ok: false, message: `${name}: this is not an Excel workbook (.xlsx), whatever its name says.` };
    const header = await xlsxHeader(file);
    if (!header)
      return {
        ok: false,
        message: `${name}: could not be read as an Excel workbook, or its first sheet has no header row.`,
      };
    return headerVerdict(name, header, source, { kind: 'xlsx', header });
  }
  if (head[0] === 0x50 && head[1] === 0x4b)
    return { ok: false, message: `${name}: this is a ZIP/Excel file named .csv; save the sheet as "CSV UTF-8".` };
  const encoding =
    declared.encoding && declared.encoding !== 'auto'
      ? declared.encoding === 'tis-620'
        ? 'windows-874'
        : declared.encoding
      : decoderFor(head);
  if (!encoding.startsWith('utf-16') && head.includes(0))
    return { ok: false, message: `${name}: the file contains NUL bytes and is not a CSV text file.` };
  // Not strict here: the api checks every byte of the file against the declared encoding.
  const text = new TextDecoder(encoding).decode(head).replace(/\r\n?/g, '\n');
  const delimiter = DELIMITERS[declared.delimiter] ?? detectDelimiter(text.split('\n', 1)[0]);
  const header = firstRecord(text, delimiter);
  if (!header) return { ok: false, message: `${name}: no header row found in the first ${HEAD_BYTES / 1024} KiB.` };
  return headerVerdict(name, header, source, { kind: 'csv', encoding, delimiter, header });
}

async function xlsxHeader(file) {
  try {
    return (await xlsxRows(file, 1))[0] ?? null;
  } catch {
    return null;
  }
}

/** A mapped source takes any header (its mapping names the columns); the others, their own columns. */
function headerVerdict(name, header, source, found) {
  if (source.name === 'mapped') return { ok: true, ...found };
  const { missing, unknown, duplicates } = mapHeader(header, source.columns);
  const problems = [];
  if (missing.length) problems.push(`missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  if (duplicates.length)
    problems.push(`column${duplicates.length > 1 ? 's' : ''} given twice: ${duplicates.join(', ')}`);
  if (problems.length)
    return {
      ok: false,
      message: `${name}: the header row does not match the ${source.label} columns (${problems.join('; ')}).`,
    };
  return { ok: true, ...found };
}

/** Data records in the file (lines with no value at all do not count), read as a stream. */
export async function countRecords(file, { kind, encoding, delimiter }) {
  if (kind === 'xlsx') return (await xlsxRows(file, Infinity)).length - 1;
  const reader = file.stream().pipeThrough(new TextDecoderStream(encoding)).getReader();
  let records = 0;
  let quoted = false;
  let hasValue = false;
  const end = () => {
    if (hasValue) records++;
    hasValue = false;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const ch of value) {
      if (ch === '"') quoted = !quoted;
      else if (quoted) hasValue = true;
      else if (ch === '\n' || ch === '\r') end();
      else if (ch !== delimiter && ch.trim() !== '' && ch !== '\ufeff') hasValue = true;
    }
  }
  end();
  return Math.max(0, records - 1);
}
