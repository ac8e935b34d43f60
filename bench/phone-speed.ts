/**
 * `npx tsx bench/phone-speed.ts [--count 200000] [--seed 42]`: phones/s of normalizePhone (Thai fast
 * path) against normalizePhoneSlow (libphonenumber-js/max for every number), on the same seeded phones.
 */
import { parseArgs } from 'node:util';
import { normalizePhone, normalizePhoneSlow } from '../src/domain/phone';
import { mulberry32 } from '../test/support/generate-nana';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '5' },
  },
});

/** Phones as Nana files write them: mostly mobiles in four layouts, Bangkok and provincial landlines, a few oddities. */
function generatePhones(count: number, seed: number, oddityRate: number): string[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const mobile = () => {
    const local = `${pick(['6', '8', '9'])}${digits(8)}`;
    return pick([
      `0${local}`,
      `0${local.slice(0, 2)}-${local.slice(2, 5)}-${local.slice(5)}`,
      `+66${local}`,
      `+66 ${local.slice(0, 2)} ${local.slice(2, 5)} ${local.slice(5)}`,
    ]);
  };
  const landline = () =>
    rnd() < 0.6
      ? `02-${digits(3)}-${digits(4)}`
      : `0${pick(['32', '38', '42', '53', '74', '76'])}-${digits(3)}-${digits(3)}`;
  const oddity = () =>
    pick([
      `0066 ${digits(2).replace(/^./, '8')} ${digits(3)} ${digits(4)}`,
      `8${digits(8)}`,
      `๐๘${'๑๒๓๔๕๖๗๘'.slice(0, 8)}`,
      `08${digits(8)} ต่อ ${digits(2)}`,
      `+1 202 555 ${digits(4)}`,
      `1800${digits(6)}`,
      '12345',
      `01-${digits(3)}-${digits(4)}`,
    ]);
  return Array.from({ length: count }, () => {
    if (rnd() < oddityRate) return oddity();
    return rnd() < 0.75 ? mobile() : landline();
  });
}

function phonesPerSecond(normalize: (raw: string) => unknown, phones: string[]): number {
  const start = process.hrtime.bigint();
  for (const phone of phones) normalize(phone);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return phones.length / seconds;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, phones: string[]): void {
  const fast: number[] = [];
  const slow: number[] = [];
  // Warm both paths up once, then alternate so neither gets the JIT's or the machine's better moments.
  phonesPerSecond(normalizePhone, phones);
  phonesPerSecond(normalizePhoneSlow, phones);
  for (let run = 0; run < Number(args.runs); run++) {
    fast.push(phonesPerSecond(normalizePhone, phones));
    slow.push(phonesPerSecond(normalizePhoneSlow, phones));
  }
  const format = (n: number) => `${Math.round(n).toLocaleString('en-US')} phones/s`;
  console.log(`${label}: ${phones.length.toLocaleString('en-US')} generated phones, median of ${args.runs} runs`);
  console.log(`  fast path (normalizePhone):                ${format(median(fast))}`);
  console.log(`  libphonenumber only (normalizePhoneSlow): ${format(median(slow))}`);
  console.log(`  ratio: ${(median(fast) / median(slow)).toFixed(1)}x`);
}

const count = Number(args.count);
const seed = Number(args.seed);
measure('Nana mix (5% foreign, odd or invalid)', generatePhones(count, seed, 0.05));
measure('common Thai shapes only', generatePhones(count, seed, 0));
