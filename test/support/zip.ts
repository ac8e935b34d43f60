import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer | string;
  /** The uncompressed size the ZIP's headers claim (a lying bomb claims little); default the true size. */
  declaredSize?: number;
  /** The name the local header gives (a smuggler's ZIP says one thing in each); default `name`. */
  localName?: string;
}

/** A minimal ZIP written by hand (deflated parts, central directory), so its headers can lie about sizes. */
export function zipParts(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data: raw, declaredSize, localName } of parts) {
    const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const packed = deflateRawSync(data, { level: 9 });
    const nameBytes = Buffer.from(name);
    const localNameBytes = Buffer.from(localName ?? name);
    const size = declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localNameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, localNameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + localNameBytes.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A ZIP of these named parts, headers truthful: enough to be an .xlsx look-alike. */
export function zipOf(entries: Record<string, Buffer | string>): Buffer {
  return zipParts(Object.entries(entries).map(([name, data]) => ({ name, data })));
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The parts of a minimal workbook around one sheet, named through its relationships as Excel does;
 * `sheetTarget` is where the workbook's relationship points, `sheetPart` the name the ZIP stores.
 */
export function workbookParts(
  sheet: Buffer | string,
  opts: { sheetTarget?: string; sheetPart?: string; sheetDeclaredSize?: number; sharedStrings?: Buffer | string } = {},
): ZipPart[] {
  const target = opts.sheetTarget ?? 'worksheets/sheet1.xml';
  const strings =
    opts.sharedStrings === undefined
      ? ''
      : `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`;
  return [
    {
      name: '[Content_Types].xml',
      data: `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    },
    {
      name: '_rels/.rels',
      data: `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `${xmlHead}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="${target}"/>${strings}</Relationships>`,
    },
    ...(opts.sharedStrings === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: opts.sharedStrings }]),
    { name: opts.sheetPart ?? `xl/${target}`, data: sheet, declaredSize: opts.sheetDeclaredSize },
  ];
}

/** A sheet's XML around these rows (`<row>` elements). */
export function sheetXml(rows: string): string {
  return `${xmlHead}<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`;
}
