import { parseArgs } from 'node:util';
import { DATE_ORDERS } from '../domain/import-locale';
import { NATIONAL_ID_SCHEMES } from '../domain/national-id/scheme';
import { DELIMITER_OPTIONS, ENCODING_OPTIONS } from '../vocabulary';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** A command line that cannot be run; the message says what to change. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command =
  | {
      name: 'import';
      file: string;
      source: string;
      dryRun: boolean;
      requireApproval: boolean;
      wait: boolean;
      intervalMs: number;
      encoding?: string;
      delimiter?: string;
      region?: string;
      nationalIdScheme?: string;
      dateOrder?: string;
    }
  | { name: 'list'; status?: string; source?: string; page: number; pageSize: number }
  | { name: 'status'; id: number; wait: boolean; intervalMs: number }
  | { name: 'errors'; id: number; output?: string; page: number; pageSize: number }
  | { name: 'approve' | 'reject' | 'cancel'; id: number }
  | { name: 'rollback'; id: number; preview: boolean; force: boolean }
  | { name: 'sources' }
  | { name: 'template'; source: string; output?: string }
  | { name: 'dedupe'; wait: boolean; intervalMs: number }
  | { name: 'groups'; id: number; page: number; pageSize: number }
  | { name: 'merge'; id: number }
  | { name: 'merge-all'; id: number; minScore: number }
  | { name: 'unmerge'; id: number; preview: boolean };

export type CommandName = Command['name'];

export interface Connection {
  url: string;
  token: string;
  json: boolean;
}

export type Invocation =
  { kind: 'help'; topic?: CommandName } | { kind: 'run'; command: Command; connection: Connection };

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  source: { type: 'string' },
  'dry-run': { type: 'boolean' },
  approve: { type: 'boolean' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  region: { type: 'string' },
  'national-id-scheme': { type: 'string' },
  'date-order': { type: 'string' },
  wait: { type: 'boolean' },
  interval: { type: 'string' },
  status: { type: 'string' },
  page: { type: 'string' },
  'page-size': { type: 'string' },
  output: { type: 'string', short: 'o' },
  preview: { type: 'boolean' },
  force: { type: 'boolean' },
  'min-score': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: OptionName[] = ['url', 'token', 'json', 'help'];

/** Each command: its positional arguments and the options it accepts besides the global ones. */
export const COMMANDS: Record<CommandName, { args: string[]; options: OptionName[] }> = {
  import: {
    args: ['file'],
    options: [
      'source',
      'dry-run',
      'approve',
      'encoding',
      'delimiter',
      'region',
      'national-id-scheme',
      'date-order',
      'wait',
      'interval',
    ],
  },
  list: { args: [], options: ['status', 'source', 'page', 'page-size'] },
  status: { args: ['id'], options: ['wait', 'interval'] },
  errors: { args: ['id'], options: ['output', 'page', 'page-size'] },
  approve: { args: ['id'], options: [] },
  reject: { args: ['id'], options: [] },
  cancel: { args: ['id'], options: [] },
  rollback: { args: ['id'], options: ['preview', 'force'] },
  sources: { args: [], options: [] },
  template: { args: ['source'], options: ['output'] },
  dedupe: { args: [], options: ['wait', 'interval'] },
  groups: { args: ['id'], options: ['page', 'page-size'] },
  merge: { args: ['id'], options: [] },
  'merge-all': { args: ['id'], options: ['min-score'] },
  unmerge: { args: ['id'], options: ['preview'] },
};

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** Parses argv (without node and the script) and the environment's FERRY_URL / FERRY_TOKEN. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): Invocation {
  const { values, positionals, tokens } = parseOrExplain(argv);
  const [name, ...rest] = positionals;
  if (name === 'help') return { kind: 'help', topic: isCommandName(rest[0]) ? rest[0] : undefined };
  if (name === undefined) {
    if (values.help) return { kind: 'help' };
    throw new UsageError('no command given; run ferry --help');
  }
  if (!isCommandName(name)) throw new UsageError(`unknown command "${name}"; run ferry --help`);
  if (values.help) return { kind: 'help', topic: name };

  const spec = COMMANDS[name];
  for (const t of tokens) {
    if (t.kind === 'option' && !GLOBAL.includes(t.name as OptionName) && !spec.options.includes(t.name as OptionName)) {
      throw new UsageError(`${t.rawName} is not an option of ${name}; run ferry ${name} --help`);
    }
  }
  if (rest.length < spec.args.length)
    throw new UsageError(`${name} needs <${spec.args[rest.length]}>; run ferry ${name} --help`);
  if (rest.length > spec.args.length)
    throw new UsageError(`unexpected argument "${rest[spec.args.length]}" after ferry ${name}`);

  const token = values.token ?? env.FERRY_TOKEN;
  if (!token) throw new UsageError('no api token: set FERRY_TOKEN or pass --token');
  const url = (values.url ?? env.FERRY_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`the api url must start with http:// or https://, not "${url}"`);

  return {
    kind: 'run',
    command: buildCommand(name, rest, values),
    connection: { url, token, json: values.json ?? false },
  };
}

type Values = ReturnType<typeof parseOrExplain>['values'];

function parseOrExplain(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    // parseArgs explains unknown options and missing values well; keep its words, drop its codes.
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

function buildCommand(name: CommandName, args: string[], v: Values): Command {
  switch (name) {
    case 'import': {
      if (!v.source) throw new UsageError('import needs --source <source> (ferry sources lists them)');
      const intervalMs = seconds(v.interval, '--interval', 1) * 1000;
      const dialect = { encoding: encoding(v.encoding), delimiter: delimiter(v.delimiter) };
      return {
        name,
        file: args[0],
        source: v.source,
        dryRun: v['dry-run'] ?? false,
        requireApproval: v.approve ?? false,
        wait: v.wait ?? false,
        intervalMs,
        ...dialect,
        ...localeOptions(v),
      };
    }
    case 'list':
      return {
        name,
        status: v.status,
        source: v.source,
        page: count(v.page, '--page', 1),
        pageSize: count(v['page-size'], '--page-size', 20),
      };
    case 'status':
      return {
        name,
        id: importId(args[0]),
        wait: v.wait ?? false,
        intervalMs: seconds(v.interval, '--interval', 1) * 1000,
      };
    case 'errors':
      return {
        name,
        id: importId(args[0]),
        output: v.output,
        page: count(v.page, '--page', 1),
        pageSize: count(v['page-size'], '--page-size', 50),
      };
    case 'approve':
    case 'reject':
    case 'cancel':
      return { name, id: importId(args[0]) };
    case 'rollback':
      return { name, id: importId(args[0]), preview: v.preview ?? false, force: v.force ?? false };
    case 'sources':
      return { name };
    case 'template':
      return { name, source: args[0], output: v.output };
    case 'dedupe':
      return { name, wait: v.wait ?? false, intervalMs: seconds(v.interval, '--interval', 1) * 1000 };
    case 'groups':
      return {
        name,
        id: importId(args[0], 'scan'),
        page: count(v.page, '--page', 1),
        pageSize: count(v['page-size'], '--page-size', 20),
      };
    case 'merge':
      return { name, id: importId(args[0], 'group') };
    case 'merge-all':
      return { name, id: importId(args[0], 'scan'), minScore: score(v['min-score']) };
    case 'unmerge':
      return { name, id: importId(args[0], 'merge'), preview: v.preview ?? false };
  }
}

/** Checked here as well as by the api: a typo is a usage error before a large file is sent. */
function encoding(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if (!(ENCODING_OPTIONS as readonly string[]).includes(value))
    throw new UsageError(`--encoding must be one of ${ENCODING_OPTIONS.join(', ')}, not "${raw}"`);
  return value;
}

function delimiter(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // A TAB typed as $'\t' or as the word.
  const value = raw === '\t' ? 'tab' : raw.trim().toLowerCase();
  if (!(DELIMITER_OPTIONS as readonly string[]).includes(value))
    throw new UsageError(
      `--delimiter must be one of ${DELIMITER_OPTIONS.map((d) => `"${d}"`).join(', ')}, not "${raw}"`,
    );
  return value;
}

/** The import's locale options, checked for shape here; the api checks that the region has phone numbering. */
function localeOptions(v: Values): { region?: string; nationalIdScheme?: string; dateOrder?: string } {
  const region = v.region?.trim().toUpperCase();
  if (region !== undefined && !/^[A-Z]{2}$/.test(region))
    throw new UsageError(`--region must be an ISO 3166-1 alpha-2 country code (TH, SG, MY, …), not "${v.region}"`);
  const scheme = v['national-id-scheme']?.trim().toLowerCase();
  if (scheme !== undefined && !(NATIONAL_ID_SCHEMES as readonly string[]).includes(scheme))
    throw new UsageError(
      `--national-id-scheme must be one of ${NATIONAL_ID_SCHEMES.join(', ')}, not "${v['national-id-scheme']}"`,
    );
  const order = v['date-order']?.trim().toUpperCase();
  if (order !== undefined && !(DATE_ORDERS as readonly string[]).includes(order))
    throw new UsageError(`--date-order must be one of ${DATE_ORDERS.join(', ')}, not "${v['date-order']}"`);
  return { ...(region && { region }), ...(scheme && { nationalIdScheme: scheme }), ...(order && { dateOrder: order }) };
}

function importId(raw: string, what = 'import'): number {
  if (!/^[1-9]\d{0,15}$/.test(raw))
    throw new UsageError(`"${raw}" is not ${what === 'import' ? 'an' : 'a'} ${what} id (a positive whole number)`);
  return Number(raw);
}

function count(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
  return Number(raw);
}

function score(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--min-score must be a number, not "${raw}"`);
  return n;
}

function seconds(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0.05 || n > 3600)
    throw new UsageError(`${flag} must be a number of seconds between 0.05 and 3600, not "${raw}"`);
  return n;
}
