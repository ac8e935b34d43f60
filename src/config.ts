import { z } from 'zod';
import { parseCodecKeys } from './codec-keys';
import { DEVELOPMENT_NATIONAL_ID_KEY } from './domain/national-id-hash';
import { FALLBACK_REGION, regionSchema } from './domain/region';
import { DEFAULT_MAX_RECORDS, DEFAULT_PARSER_HEAP_MB, type FileLimits } from './files/file-limits';
import { XLSX_LIMITS } from './files/xlsx/xlsx-limits';
import { DEFAULT_STAGE_CHUNK_RECORDS, DEFAULT_STAGING_BEAT_GRACE_SECONDS } from './imports/staging-defaults';
import { MAKE_A_TOKEN, MIN_TOKEN_BITS, tokenBits } from './token-strength';

/** Who may call the api: `name:role:token`, comma separated. */
const authTokens = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const entries = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return entries.map((entry) => {
      const [name, role, ...rest] = entry.split(':');
      const token = rest.join(':');
      if (!name || (role !== 'admin' && role !== 'viewer')) {
        ctx.addIssue({
          code: 'custom',
          message: `AUTH_TOKENS entry "${name ?? ''}:…" must be name:admin|viewer:token`,
        });
        return z.NEVER;
      }
      if (tokenBits(token) < MIN_TOKEN_BITS) {
        ctx.addIssue({
          code: 'custom',
          message: `AUTH_TOKENS entry "${name}:${role}:…": the token has under ${MIN_TOKEN_BITS} bits of randomness; make one with: ${MAKE_A_TOKEN}`,
        });
        return z.NEVER;
      }
      return { name, role: role as 'admin' | 'viewer', token };
    });
  });

/**
 * Who gets the "import ended" e-mail, by the uploader's token name: `name:address` entries, comma
 * separated; an entry without a name is the address for everyone else. Unset: no e-mail.
 */
const notifyEmailTo = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const byUser: Record<string, string> = {};
    let fallback: string | undefined;
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const at = entry.lastIndexOf(':');
      const [name, address] = at === -1 ? [null, entry] : [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
      if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
        ctx.addIssue({
          code: 'custom',
          message: `NOTIFY_EMAIL_TO entry "${entry}" must be an address or name:address`,
        });
        return z.NEVER;
      }
      if (name === null) fallback = address;
      else byUser[name] = address;
    }
    return { byUser, fallback };
  });

export type FaultPointSpec = { action: 'kill' | 'block'; nth: number };

/** Fault injection for the fault tests (src/faults.ts): `point:kill|block[@n]`, comma separated; n = the process's n-th pass (default 1). */
const faultPoints = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const armed = new Map<string, FaultPointSpec>();
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^([a-z-]+):(kill|block)(?:@([1-9][0-9]*))?$/.exec(entry);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `FERRY_FAULT_POINTS entry "${entry}" must be point:kill|block[@n]` });
        return z.NEVER;
      }
      armed.set(m[1], { action: m[2] as 'kill' | 'block', nth: Number(m[3] ?? 1) });
    }
    return armed;
  });

/** The usual local PostgreSQL with trust auth: the default of DATABASE_URL. */
const SYSTEM_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ferry';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

const envSchema = z
  .object({
    DATABASE_URL: z.string().default(SYSTEM_DATABASE_URL),
    /** `embedded`: `npm start` and the tests run the embedded PostgreSQL even when a system one answers. */
    FERRY_DB: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['embedded']).optional()),
    /** The server `npm start` and the tests look for when DATABASE_URL is unset, before starting an embedded one. */
    FERRY_SYSTEM_DATABASE_URL: z.string().default(SYSTEM_DATABASE_URL),
    /** When Ferry runs as root, the account the embedded PostgreSQL runs as (created if missing; PostgreSQL refuses root). */
    FERRY_DB_OS_USER: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]*$/, 'FERRY_DB_OS_USER must be a user name')
      .default('ferry-postgres'),
    /** Unset: `npm start` runs a Temporal dev server and points everything at it. */
    TEMPORAL_ADDRESS: z.string().optional(),
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_TASK_QUEUE: z.string().default('ferry-imports'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    AUTH_TOKENS: authTokens,
    /** 512 MiB: a few million Nana records. */
    /** ISO 3166-1 alpha-2: phones without a country code and the default national-id scheme of uploads that name no region. */
    DEFAULT_REGION: z.preprocess((v) => (v === '' ? undefined : v), regionSchema.default(FALLBACK_REGION)),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(512 * 1024 * 1024),
    /**
     * How long one request may take to arrive whole. One hour: the largest upload at about 150 kB/s.
     * Node's own default, 300 s, cut off a 512 MiB upload slower than 1.8 MB/s with a 408.
     */
    UPLOAD_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(3600),
    /** On SIGTERM the api stops accepting and lets requests in flight (an upload being staged) finish for this long. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: short coloured lines for a person when the output is a terminal, JSON lines otherwise. */
    LOG_FORMAT: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['pretty', 'json']).optional()),
    /** Where `npm start` keeps the dev server's state and the generated token. */
    FERRY_DATA_DIR: z.string().default('.data'),
    /** The port of the Temporal dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
    TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
    TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
    /** Origins of the Temporal UI allowed to call the codec endpoint from a browser; unset: the dev server's UI on TEMPORAL_UI_PORT. */
    TEMPORAL_UI_ORIGINS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((o) => o.trim())
              .filter(Boolean)
          : undefined,
      )
      .pipe(z.array(z.string().url()).optional()),
    /** Activities a worker runs at once; keep at or below the pool size. */
    WORKER_MAX_ACTIVITIES: z.coerce.number().int().positive().default(4),
    DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
    /** Uploads one caller may start per minute (429 RATE_LIMITED beyond). */
    RATE_LIMIT_UPLOADS_PER_MINUTE: z.coerce.number().int().positive().default(120),
    /** Approve, reject, cancel and rollback requests one caller may make per minute. */
    RATE_LIMIT_ACTIONS_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Data records one import may hold (413 TOO_MANY_RECORDS beyond). */
    MAX_RECORDS: z.coerce.number().int().positive().default(DEFAULT_MAX_RECORDS),
    /**
     * Records staged before an import's run starts; a larger file's run starts then and its batches
     * follow the rest of the file as each further chunk of this many records commits.
     */
    STAGE_CHUNK_RECORDS: z.coerce.number().int().positive().default(DEFAULT_STAGE_CHUNK_RECORDS),
    /**
     * Committed rows an import checks at once while its later batches write (unset: the workflow's
     * default, 50,000; 0: none, everything is verified at the end).
     */
    RANGE_CHECK_ROWS: z.coerce.number().int().min(0).optional(),
    /**
     * Worker: how long a run waits for more of its file without a sign of the api staging it (an api
     * that died mid-upload) before the import fails and rolls back.
     */
    STAGING_BEAT_GRACE_SECONDS: z.coerce.number().positive().default(DEFAULT_STAGING_BEAT_GRACE_SECONDS),
    /** Heap of the thread each upload is read in, MB (413 FILE_TOO_COMPLEX when a file needs more). */
    PARSER_HEAP_MB: z.coerce.number().int().min(8).default(DEFAULT_PARSER_HEAP_MB),
    /** Bytes an .xlsx may inflate to, all parts together (422 XLSX_TOO_LARGE beyond). */
    XLSX_MAX_INFLATED_BYTES: z.coerce.number().int().positive().default(XLSX_LIMITS.maxInflatedBytes),
    /** Shared strings of an .xlsx: how many, and their UTF-8 bytes together (422 XLSX_TOO_MANY_STRINGS beyond). */
    XLSX_MAX_SHARED_STRINGS: z.coerce.number().int().positive().default(XLSX_LIMITS.maxSharedStrings),
    XLSX_MAX_SHARED_STRING_BYTES: z.coerce.number().int().positive().default(XLSX_LIMITS.maxSharedStringBytes),
    /** Where browsers reach the api (https://ferry.example.com): an https URL makes the codec session cookie Secure. */
    PUBLIC_URL: optionalUrl,
    /**
     * Express's `trust proxy` for a TLS proxy in front of the api (`loopback`, a hop count, or addresses):
     * client addresses (the auth throttle) and https then come from X-Forwarded-For and -Proto. Unset: none.
     */
    TRUST_PROXY: z.string().optional(),
    /** Failed authentications one client address may make per minute; beyond, 429 AUTH_THROTTLED with Retry-After. */
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
    /** GET requests one caller may make per minute (429 RATE_LIMITED beyond). */
    RATE_LIMIT_READS_PER_MINUTE: z.coerce.number().int().positive().default(1200),
    /** Uploads received and staged at once, all callers together (429 UPLOADS_BUSY beyond); keep under DB_POOL_SIZE. */
    MAX_CONCURRENT_UPLOADS: z.coerce.number().int().positive().default(4),
    /** Bearer token /metrics asks for (128+ bits); unset, /metrics answers callers on the api's host only. */
    METRICS_TOKEN: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .refine(
          (t) => tokenBits(t) >= MIN_TOKEN_BITS,
          `METRICS_TOKEN has under ${MIN_TOKEN_BITS} bits of randomness; make one with: ${MAKE_A_TOKEN}`,
        )
        .optional(),
    ),
    /** Under which folder the api makes its private upload folder (mkdtemp, 0700; files 0600). Unset: the system temp dir. */
    UPLOAD_DIR: z.string().optional(),
    /** `keyId:base64key,…` (32-byte AES keys): encrypts Temporal payloads; the first encrypts, all decrypt. Empty: no codec. */
    FERRY_CODEC_KEYS: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        try {
          return parseCodecKeys(raw);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    /** Worker only: Prometheus metrics of Ferry's activities on this port (unset: off). */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Worker only: the Temporal SDK's own Prometheus exporter, `host:port` (unset: off). */
    TEMPORAL_METRICS_ADDRESS: z.string().optional(),
    /** `smtp://user:pass@host:587` or `smtps://…`; unset: no e-mail when an import ends. */
    SMTP_URL: optionalUrl,
    NOTIFY_EMAIL_FROM: z.string().default('Ferry <ferry@localhost>'),
    NOTIFY_EMAIL_TO: notifyEmailTo,
    /** Unset: no webhook. The body is signed with WEBHOOK_SECRET (required with it). */
    WEBHOOK_URL: optionalUrl,
    WEBHOOK_SECRET: z.string().optional(),
    /** Staged and original records of finished imports are purged after this many days. */
    RETENTION_DAYS: z.coerce.number().int().positive().default(90),
    /** Worker: HMAC key of national id digests (32+ characters). Unset: the development key, refused when NODE_ENV=production. */
    NATIONAL_ID_HASH_KEY: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().min(32, 'NATIONAL_ID_HASH_KEY must be 32+ characters: openssl rand -base64 32').optional(),
    ),
    /**
     * Worker: `auto` writes the rows of a batch's own new customers without per-row foreign-key checks
     * when the role may set session_replication_role and no other trigger would be skipped (README,
     * "Foreign-key checks of new customers"); `always` checks every row.
     */
    NEW_CUSTOMER_FK_CHECKS: z.enum(['auto', 'always']).default('auto'),
    NODE_ENV: z.string().optional(),
    /** Tests only: unset in every deployment. */
    FERRY_FAULT_POINTS: faultPoints,
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL && (env.WEBHOOK_SECRET ?? '').length < 16) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message: 'WEBHOOK_URL needs WEBHOOK_SECRET of 16+ characters (the body is signed with it)',
      });
    }
  });

export type Config = z.infer<typeof envSchema>;
export type AuthToken = Config['AUTH_TOKENS'][number];

/** Parses the environment once; the only place that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The national id key the worker hashes with. Unset, development and tests use the key in the code
 * (a warning says so); in production that would make every stored digest reversible by brute force.
 */
export function nationalIdHashKey(config: Config, warn: (message: string) => void): string {
  if (config.NATIONAL_ID_HASH_KEY) return config.NATIONAL_ID_HASH_KEY;
  if (config.NODE_ENV === 'production') {
    throw new Error(
      'Invalid configuration:\n  NATIONAL_ID_HASH_KEY: required when NODE_ENV=production (32+ characters: openssl rand -base64 32)',
    );
  }
  warn(
    'NATIONAL_ID_HASH_KEY is unset: national ids are hashed with the development key from the code; set it before importing real data',
  );
  return DEVELOPMENT_NATIONAL_ID_KEY;
}

/** The bounds an upload is read within. */
export function fileLimits(config: Config): FileLimits {
  return {
    maxRecords: config.MAX_RECORDS,
    parserHeapMb: config.PARSER_HEAP_MB,
    xlsx: {
      ...XLSX_LIMITS,
      maxInflatedBytes: config.XLSX_MAX_INFLATED_BYTES,
      maxSharedStrings: config.XLSX_MAX_SHARED_STRINGS,
      maxSharedStringBytes: config.XLSX_MAX_SHARED_STRING_BYTES,
    },
  };
}

/** The armed fault points alone: src/faults.ts runs deep inside use cases that are handed no config. */
export function loadFaultPoints(env: NodeJS.ProcessEnv = process.env): Map<string, FaultPointSpec> {
  return faultPoints.parse(env.FERRY_FAULT_POINTS);
}

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
}

/** DATABASE_URL as the operator set it (undefined when unset or empty): `npm start` then finds or starts a server. */
export function givenDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DATABASE_URL || undefined;
}
