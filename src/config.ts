import { z } from 'zod';

/** Who may call the api: `name:role:token`, comma separated. */
const authTokens = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
    return entries.map((entry) => {
      const [name, role, ...rest] = entry.split(':');
      const token = rest.join(':');
      if (!name || (role !== 'admin' && role !== 'viewer') || token.length < 8) {
        ctx.addIssue({ code: 'custom', message: `AUTH_TOKENS entry "${name ?? ''}:…" must be name:admin|viewer:token (token of 8+ characters)` });
        return z.NEVER;
      }
      return { name, role: role as 'admin' | 'viewer', token };
    });
  });

const envSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/ferry'),
  /** Unset: `npm start` runs a Temporal dev server and points everything at it. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('ferry-imports'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AUTH_TOKENS: authTokens,
  /** 512 MiB: a few million Nana records. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where `npm start` keeps the dev server's state and the generated token. */
  FERRY_DATA_DIR: z.string().default('.data'),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  /** Activities a worker runs at once; keep at or below the pool size. */
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().positive().default(4),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
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

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
}
