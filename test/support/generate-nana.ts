/**
 * Seeded, realistic Nana files: several ids and phones per record in every format of the rules,
 * Thai and Latin names, quoted company lists, some invalid records, duplicate phones (some
 * forced) and repeated Nana ids. The same seed always gives the same bytes.
 */
export interface NanaFileSpec {
  records: number;
  seed?: number;
  /** Share of records with an invalid value (default 2%). */
  invalidRate?: number;
  /** Share of records reusing an earlier record's phone (default 5%); a third of them forced. */
  duplicatePhoneRate?: number;
  /** Customer ids that exist in the database, for careos_cus_id links (3% of records). */
  existingCustomerIds?: number[];
  /** Phones already in the database, as national numbers (`0…`): 2% of records reuse one. */
  existingPhone?: (k: number) => string;
  existingPhoneCount?: number;
}

export const NANA_COLUMNS = [
  'careos_cus_id',
  'nana_cus_id',
  'gender',
  'firstname',
  'lastname',
  'email',
  'date_of_birth',
  'phone',
  'company_name',
  'force_create',
];

const THAI_FIRST = ['สมศรี', 'สมชาย', 'มาลี', 'อนันต์', 'กัญญา', 'ประสิทธิ์', 'วิภา', 'ธนา', 'ศิริพร', 'ชัยวัฒน์'];
const THAI_LAST = ['ใจดี', 'สุขสันต์', 'บุญมี', 'ศรีสุข', 'วงศ์ใหญ่', 'แก้วมณี', 'ทองดี', 'รุ่งเรือง'];
const LATIN_FIRST = [
  'Somsri',
  'Somchai',
  'Malee',
  'Anan',
  'Kanya',
  'Prasit',
  'Wipa',
  'Thana',
  'Siriporn',
  'Chaiwat',
  'John',
  'Mary',
];
const LATIN_LAST = ['Jaidee', 'Suksan', 'Boonmee', 'Srisuk', 'Wongyai', 'Kaewmanee', 'Thongdee', 'Rungruang', 'Smith'];
const COMPANIES = [
  'Rabbit Care Co., Ltd.',
  'Rabbit Internet Co., Ltd.',
  'ADB Co., Ltd.',
  'Siam Trading Co., Ltd.',
  'Bangkok Logistics',
  'My Company Co., Ltd.',
];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quote(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Yields the file line by line (header first), so a million records never sit in memory. */
export function* nanaLines(spec: NanaFileSpec): Generator<string> {
  const rnd = mulberry32(spec.seed ?? 42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const invalidRate = spec.invalidRate ?? 0.02;
  const dupRate = spec.duplicatePhoneRate ?? 0.05;
  const recentPhones: string[] = [];
  yield NANA_COLUMNS.join(',');
  for (let i = 1; i <= spec.records; i++) {
    const thai = rnd() < 0.5;
    const mobile = () => {
      const local = `${pick(['6', '8', '9'])}${digits(8)}`;
      return pick([
        `0${local}`,
        `0${local.slice(0, 2)}-${local.slice(2, 5)}-${local.slice(5)}`,
        `+66${local}`,
        `+66 ${local.slice(0, 2)} ${local.slice(2, 5)} ${local.slice(5)}`,
      ]);
    };
    const phones = [mobile()];
    if (rnd() < 0.4) phones.push(rnd() < 0.5 ? mobile() : `02-${digits(3)}-${digits(4)}`);
    let force = '';
    if (recentPhones.length > 0 && rnd() < dupRate) {
      phones[0] = pick(recentPhones);
      if (rnd() < 0.33) force = 'Y';
    }
    if (spec.existingPhone && spec.existingPhoneCount && rnd() < 0.02)
      phones.push(spec.existingPhone(1 + Math.floor(rnd() * spec.existingPhoneCount)));
    recentPhones.push(phones[0]);
    if (recentPhones.length > 1000) recentPhones.shift();
    const ids = [`NB${i}`];
    if (rnd() < 0.2) ids.push(`NB${i}x`);
    if (i > 10 && rnd() < 0.02) ids[0] = `NB${i - 1 - Math.floor(rnd() * 10)}`;
    const first = thai ? pick(THAI_FIRST) : pick(LATIN_FIRST);
    const last = thai ? pick(THAI_LAST) : pick(LATIN_LAST);
    const row: Record<string, string> = {
      careos_cus_id: spec.existingCustomerIds?.length && rnd() < 0.03 ? String(pick(spec.existingCustomerIds)) : '',
      nana_cus_id: ids.join(','),
      gender: pick(['F', 'M', '']),
      firstname: first,
      lastname: last,
      email: rnd() < 0.6 ? `user${i}@example.com` : '',
      date_of_birth:
        rnd() < 0.7
          ? `19${50 + Math.floor(rnd() * 50)}-0${1 + Math.floor(rnd() * 9)}-${10 + Math.floor(rnd() * 18)}`
          : '',
      phone: phones.join(', '),
      company_name:
        rnd() < 0.3 ? Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => `"${pick(COMPANIES)}"`).join(', ') : '',
      force_create: force,
    };
    if (rnd() < invalidRate) {
      const field = pick(['gender', 'date_of_birth', 'phone', 'email']);
      row[field] = { gender: 'X', date_of_birth: '2023-02-30', phone: '12345', email: 'not-an-email' }[field]!;
    }
    yield NANA_COLUMNS.map((c) => quote(row[c])).join(',');
  }
}

export function nanaFile(spec: NanaFileSpec): string {
  return [...nanaLines(spec)].join('\n') + '\n';
}
