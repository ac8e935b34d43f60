import { FileRejectedError } from '../../errors';

/** The bounds an uploaded workbook is read within; docs/security.md lists each with its reason. */
export interface XlsxLimits {
  /** Parts in the ZIP's central directory. */
  maxEntries: number;
  /** Inflated bytes of the whole workbook, declared and then counted while parsing. */
  maxInflatedBytes: number;
  /** Inflated bytes per packed byte of one part, above `ratioFloorBytes` (small parts compress well). */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Sheets listed by the workbook. */
  maxSheets: number;
  /** Shared strings: how many, and their UTF-8 bytes together (they are held while the sheet is read). */
  maxSharedStrings: number;
  maxSharedStringBytes: number;
  /** Cell styles (`cellXfs`) and number formats read from styles.xml. */
  maxStyles: number;
  /** Bytes of one text run or one tag between markup characters: the most the XML parser buffers. */
  maxMarkupRunBytes: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  maxEntries: 2_000,
  maxInflatedBytes: 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 ** 2,
  maxSheets: 100,
  maxSharedStrings: 4_000_000,
  maxSharedStringBytes: 48 * 1024 ** 2,
  maxStyles: 65_536,
  maxMarkupRunBytes: 1024 ** 2,
};

/** A workbook refused, with the file's name first as every file-level refusal has it. */
export function xlsxRefusal(fileName: string, code: string, message: string): FileRejectedError {
  return new FileRejectedError(code, `${fileName}: ${message}`);
}
