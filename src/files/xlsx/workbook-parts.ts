import { posix } from 'node:path';
import { parseXmlPart } from './xml-part';
import { xlsxRefusal, type XlsxLimits } from './xlsx-limits';
import type { ZipParts } from './zip-parts';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
const STRICT_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships/';

/** The parts Ferry reads, each named by a relationship of the package or of the workbook. */
export interface WorkbookParts {
  sheets: { name: string; part: string }[];
  sharedStrings?: string;
  styles?: string;
  /** Dates count from 1904 (old Mac workbooks), not 1900. */
  date1904: boolean;
}

interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

/** Follows `_rels/.rels` to the workbook and the workbook's relationships to its sheets, strings and styles. */
export async function findWorkbookParts(zip: ZipParts, fileName: string, limits: XlsxLimits): Promise<WorkbookParts> {
  if (!zip.has('[Content_Types].xml') || !zip.has('_rels/.rels')) throw notAWorkbook(fileName);
  const root = await readRelationships(zip, '_rels/.rels', '', fileName, limits);
  const workbook = single(root, 'officeDocument', fileName);
  if (!workbook || !zip.has(workbook)) throw notAWorkbook(fileName);
  const dir = posix.dirname(workbook);
  const rels = await readRelationships(
    zip,
    posix.join(dir, '_rels', `${posix.basename(workbook)}.rels`),
    dir,
    fileName,
    limits,
  );
  const { sheets: listed, date1904 } = await readSheetList(zip, workbook, fileName, limits);
  const seen = new Set<string>();
  const sheets: WorkbookParts['sheets'] = [];
  for (const { name, relId } of listed) {
    const rel = rels.get(relId);
    if (!rel)
      throw xlsxRefusal(
        fileName,
        'XLSX_PART_MISSING',
        `sheet "${name.slice(0, 60)}" names a relationship the workbook does not have`,
      );
    if (typeOf(rel) !== 'worksheet') continue;
    if (seen.has(rel.target))
      throw xlsxRefusal(fileName, 'XLSX_DUPLICATE_PART', `two sheets are read from the same part ${rel.target}`);
    seen.add(rel.target);
    sheets.push({ name, part: partOf(zip, rel, fileName) });
  }
  const strings = single(rels, 'sharedStrings', fileName);
  const styles = single(rels, 'styles', fileName);
  return {
    sheets,
    sharedStrings: strings && partOf(zip, rels.get(strings)!, fileName),
    styles: styles && partOf(zip, rels.get(styles)!, fileName),
    date1904,
  };
}

function typeOf(rel: Relationship): string | undefined {
  for (const prefix of [REL, STRICT_REL]) if (rel.type.startsWith(prefix)) return rel.type.slice(prefix.length);
  return undefined;
}

/** The id of the one relationship of this type; two are refused (which would the reader take?). */
function single(rels: Map<string, Relationship>, type: string, fileName: string): string | undefined {
  const ids = [...rels].filter(([, rel]) => typeOf(rel) === type).map(([id]) => id);
  if (ids.length > 1)
    throw xlsxRefusal(
      fileName,
      'XLSX_DUPLICATE_PART',
      `the workbook has ${ids.length} ${type} relationships; one is read`,
    );
  if (type === 'officeDocument') return ids.length === 1 ? rels.get(ids[0])!.target : undefined;
  return ids[0];
}

function partOf(zip: ZipParts, rel: Relationship, fileName: string): string {
  if (rel.external || !zip.has(rel.target))
    throw xlsxRefusal(
      fileName,
      'XLSX_PART_MISSING',
      `the workbook names the part ${JSON.stringify(rel.target.slice(0, 120))}, which it does not hold`,
    );
  return rel.target;
}

async function readRelationships(
  zip: ZipParts,
  part: string,
  baseDir: string,
  fileName: string,
  limits: XlsxLimits,
): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  if (!zip.has(part)) return rels;
  const handlers = {
    open(name: string, a: Record<string, string>) {
      if (name !== 'Relationship') return;
      if (rels.size >= limits.maxEntries)
        throw xlsxRefusal(
          fileName,
          'XLSX_TOO_MANY_ENTRIES',
          `the part ${part} has more than ${limits.maxEntries} relationships`,
        );
      if (rels.has(a.Id))
        throw xlsxRefusal(fileName, 'XLSX_DUPLICATE_PART', `the part ${part} names relationship ${a.Id} twice`);
      const external = a.TargetMode === 'External';
      rels.set(a.Id, {
        type: a.Type ?? '',
        external,
        target: external ? a.Target : resolveTarget(baseDir, a.Target ?? ''),
      });
    },
    close() {},
  };
  for await (const _ of parseXmlPart(await zip.stream(part), fileName, part, limits, handlers)) void _;
  return rels;
}

/** Targets are relative to the source part's folder, or absolute from the package root. */
function resolveTarget(baseDir: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(baseDir, target);
  return posix.normalize(joined);
}

async function readSheetList(zip: ZipParts, part: string, fileName: string, limits: XlsxLimits) {
  const sheets: { name: string; relId: string }[] = [];
  let date1904 = false;
  const handlers = {
    open(name: string, a: Record<string, string>) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name !== 'sheet') return;
      if (sheets.length >= limits.maxSheets) {
        throw xlsxRefusal(
          fileName,
          'XLSX_TOO_MANY_SHEETS',
          `the workbook has more than ${limits.maxSheets} sheets: keep the data sheet alone in its own workbook`,
        );
      }
      sheets.push({ name: a.name ?? '', relId: Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? '' });
    },
    close() {},
  };
  for await (const _ of parseXmlPart(await zip.stream(part), fileName, part, limits, handlers)) void _;
  return { sheets, date1904 };
}

function notAWorkbook(fileName: string) {
  return xlsxRefusal(fileName, 'UNSUPPORTED_FILE_TYPE', 'this is a ZIP file but not an Excel workbook (.xlsx)');
}
