import { open, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import yauzl from 'yauzl';
import { FileRejectedError } from '../../errors';
import { XLSX_LIMITS, xlsxRefusal as refuse, type XlsxLimits } from './xlsx-limits';

/**
 * The parts a workbook may hold, by exact pattern: anything else (`sheet1.xml.bak`, a folder climb,
 * a backslash, a name outside ASCII) is refused, so no reader downstream can be handed a part this
 * check never saw.
 */
const ALLOWED_PART = [
  /^\[Content_Types\]\.xml$/,
  /^_rels\/\.rels$/,
  /^docProps\/[A-Za-z0-9_-]+\.(xml|jpe?g|png|emf|wmf)$/,
  /^customXml\/(_rels\/)?[A-Za-z0-9_-]+\.xml(\.rels)?$/,
  /^xl\/([A-Za-z0-9_-]+\/)*(_rels\/)?[A-Za-z0-9_-]+\.(xml|bin|vml|png|jpe?g|gif|emf|wmf|tiff?)(\.rels)?$/,
];

/** An entry of the ZIP checked against its local header, before any byte of it is inflated. */
interface Part {
  entry: yauzl.Entry;
}

/** Inflated bytes of every part read so far: the total cap covers the whole workbook, not one part. */
interface Inflated {
  bytes: number;
}

/**
 * One workbook's ZIP: its central directory checked once (entry count, names, duplicates, declared
 * sizes and ratio, each local header against its central record), then parts opened by exact name as
 * streams whose inflated bytes are counted on the way to the parser that reads them.
 */
export class ZipParts {
  private readonly inflated: Inflated = { bytes: 0 };

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly parts: Map<string, Part>,
    private readonly fileName: string,
    private readonly limits: XlsxLimits,
  ) {}

  static async open(path: string, fileName: string, limits: XlsxLimits = XLSX_LIMITS): Promise<ZipParts> {
    const zip = await openZip(path, fileName);
    try {
      if (zip.entryCount > limits.maxEntries)
        throw refuse(
          fileName,
          'XLSX_TOO_MANY_ENTRIES',
          `the workbook has ${zip.entryCount} parts; at most ${limits.maxEntries} are read`,
        );
      const parts = await checkedParts(zip, path, fileName, limits);
      return new ZipParts(zip, parts, fileName, limits);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  has(name: string): boolean {
    return this.parts.has(name);
  }

  /** The part's inflated bytes, counted against the ratio and total caps as they are produced. */
  async stream(name: string): Promise<Readable> {
    const part = this.parts.get(name);
    if (!part)
      throw refuse(this.fileName, 'XLSX_PART_MISSING', `the workbook names the part ${name}, which it does not hold`);
    const raw = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(part.entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
    );
    const counter = new InflateCounter(name, part.entry.compressedSize, this.inflated, this.fileName, this.limits);
    raw.on('error', (err) => counter.destroy(asInflateError(err, this.fileName, name)));
    return raw.pipe(counter);
  }

  close(): void {
    this.zip.close();
  }
}

class InflateCounter extends Transform {
  private bytes = 0;

  constructor(
    private readonly name: string,
    private readonly compressed: number,
    private readonly total: Inflated,
    private readonly fileName: string,
    private readonly limits: XlsxLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.total.bytes += chunk.length;
    if (this.total.bytes > this.limits.maxInflatedBytes) {
      return done(
        refuse(
          this.fileName,
          'XLSX_TOO_LARGE',
          `the workbook inflates to more than ${this.limits.maxInflatedBytes} bytes`,
        ),
      );
    }
    if (this.bytes > Math.max(this.limits.ratioFloorBytes, this.compressed * this.limits.maxRatio)) {
      return done(
        refuse(
          this.fileName,
          'XLSX_TOO_LARGE',
          `the part ${this.name} inflates to more than ${this.limits.maxRatio} times its packed size`,
        ),
      );
    }
    done(null, chunk);
  }
}

async function checkedParts(
  zip: yauzl.ZipFile,
  path: string,
  fileName: string,
  limits: XlsxLimits,
): Promise<Map<string, Part>> {
  const parts = new Map<string, Part>();
  const lowerNames = new Set<string>();
  let declared = 0;
  const file = await open(path, 'r');
  try {
    for await (const entry of entries(zip, fileName)) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (lowerNames.has(name.toLowerCase()))
        throw refuse(fileName, 'XLSX_DUPLICATE_PART', `the workbook holds the part ${name} twice`);
      lowerNames.add(name.toLowerCase());
      if (entry.isEncrypted())
        throw refuse(fileName, 'XLSX_ENCRYPTED', 'the workbook is encrypted: remove the password and save it again');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
        throw refuse(fileName, 'INVALID_XLSX', `the part ${name} is packed in a way Excel does not write`);
      declared += entry.uncompressedSize;
      if (
        declared > limits.maxInflatedBytes ||
        entry.uncompressedSize > Math.max(limits.ratioFloorBytes, entry.compressedSize * limits.maxRatio)
      ) {
        throw refuse(
          fileName,
          'XLSX_TOO_LARGE',
          'the workbook expands to more than the allowed size (or compresses suspiciously well)',
        );
      }
      await assertLocalHeaderMatches(file, entry, fileName);
      parts.set(name, { entry });
    }
  } finally {
    await file.close();
  }
  if (!parts.has('[Content_Types].xml'))
    throw refuse(fileName, 'UNSUPPORTED_FILE_TYPE', 'this is a ZIP file but not an Excel workbook (.xlsx)');
  const unknown = [...parts.keys()].find((name) => !ALLOWED_PART.some((p) => p.test(name)));
  if (unknown !== undefined)
    throw refuse(
      fileName,
      'XLSX_UNKNOWN_PART',
      `the workbook holds a part Ferry does not read: ${JSON.stringify(unknown.slice(0, 120))}`,
    );
  return parts;
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR_FLAG = 0x8;

/**
 * The central directory and the local header are two names for the same bytes; a reader that walks
 * local headers (as unzipper does) would see another workbook than one that trusts the directory.
 */
async function assertLocalHeaderMatches(file: FileHandle, entry: yauzl.Entry, fileName: string): Promise<void> {
  const rawName = (entry as yauzl.Entry & { fileNameRaw: Buffer }).fileNameRaw;
  const head = Buffer.alloc(30 + rawName.length);
  const { bytesRead } = await file.read(head, 0, head.length, entry.relativeOffsetOfLocalHeader);
  const differs =
    bytesRead < head.length ||
    head.readUInt32LE(0) !== LOCAL_HEADER ||
    head.readUInt16LE(8) !== entry.compressionMethod ||
    head.readUInt16LE(26) !== rawName.length ||
    !head.subarray(30).equals(rawName) ||
    !rawName.equals(Buffer.from(entry.fileName, 'ascii')) ||
    ((head.readUInt16LE(6) & DATA_DESCRIPTOR_FLAG) === 0 && !sameSizes(head, entry));
  if (differs)
    throw refuse(
      fileName,
      'XLSX_PART_MISMATCH',
      `the part ${entry.fileName} is described differently by the ZIP's directory and by its local header`,
    );
}

function sameSizes(head: Buffer, entry: yauzl.Entry): boolean {
  const [crc, packed, size] = [head.readUInt32LE(14), head.readUInt32LE(18), head.readUInt32LE(22)];
  // 0xFFFFFFFF: the real sizes are in the ZIP64 extra field, which yauzl has already checked.
  const zip64 = packed === 0xffffffff || size === 0xffffffff;
  return crc === entry.crc32 && (zip64 || (packed === entry.compressedSize && size === entry.uncompressedSize));
}

function asInflateError(err: unknown, fileName: string, name: string): FileRejectedError {
  if (err instanceof FileRejectedError) return err;
  const message = err instanceof Error ? err.message : '';
  if (/too many bytes/.test(message))
    return refuse(fileName, 'XLSX_SIZE_MISMATCH', `the part ${name} inflates past the size its header declares`);
  return new FileRejectedError('INVALID_XLSX', `${fileName}: the part ${name} cannot be inflated`, 422, {
    cause: err instanceof Error ? err.name : 'unknown',
  });
}

function openZip(path: string, fileName: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true },
      (err, zip) =>
        err || !zip
          ? reject(
              refuse(
                fileName,
                'UNSUPPORTED_FILE_TYPE',
                'this is a ZIP file but not a readable Excel workbook (.xlsx); save the sheet as .xlsx or CSV UTF-8',
              ),
            )
          : resolve(zip),
    ),
  );
}

async function* entries(zip: yauzl.ZipFile, fileName: string): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      zip.once('entry', resolve);
      zip.once('end', () => resolve(null));
      zip.once('error', (err: Error) =>
        reject(refuse(fileName, 'INVALID_XLSX', `the ZIP's directory cannot be read (${err.message.slice(0, 80)})`)),
      );
      zip.readEntry();
    });
    zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
    if (!entry) return;
    yield entry;
  }
}
