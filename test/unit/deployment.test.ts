import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/search-attributes';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test: string | string[] };
  restart?: string;
  stop_grace_period?: string;
  init?: boolean;
  container_name?: string;
  ports?: unknown[];
}

const doc = parseDocument(read('docker-compose.yml'));
const compose = doc.toJS({ maxAliasCount: 100 }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = read('Dockerfile');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/** What a deployer puts in the environment for the `${VAR:?…}` the file requires. */
const DEPLOYER_ENV: Record<string, string> = {
  AUTH_TOKENS: 'ops:admin:q3Vb7Kx1LmP9sT2wYz8RfN4cJ6hD0aGe5uQiXoW',
  FERRY_DB_PASSWORD: 'secret',
  TEMPORAL_DB_PASSWORD: 'secret',
  NATIONAL_ID_HASH_KEY: 'a-deployer-key-of-at-least-32-characters',
  FERRY_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

/** Compose interpolation, enough for this file: ${V}, ${V:-default}, ${V-default}, ${V:?err}, ${V?err}, $$. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g,
    (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (all === '$$') return '$';
      const v = env[name!];
      if (v !== undefined && !(op?.startsWith(':') && v === '')) return v;
      if (op?.endsWith('-')) return arg ?? '';
      throw new Error(`\${${name}} is required: ${arg}`);
    },
  );
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string])
    : Object.entries(env);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(String(v), DEPLOYER_ENV)]));
}

const commandText = (s: Service) => [s.entrypoint, s.command].flat().filter(Boolean).join(' ');

/** Compose durations: 45s, 1m30s, 1m, 500ms. */
function seconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  expect(parts.map((p) => p[0]).join(''), `duration ${duration}`).toBe(duration);
  return parts.reduce(
    (sum, [, n, unit]) => sum + Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'],
    0,
  );
}

const ONE_SHOT = ['temporal-admin-tools', 'temporal-namespace', 'migrate'];

describe('docker-compose.yml', () => {
  it('parses as YAML without errors or warnings', () => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('has every service Ferry needs', () => {
    for (const name of [
      'postgres',
      'temporal-db',
      'temporal-admin-tools',
      'temporal',
      'temporal-namespace',
      'temporal-ui',
      'migrate',
      'api',
      'worker',
    ]) {
      expect(services, name).toHaveProperty(name);
    }
  });

  it('runs the Temporal server on PostgreSQL persistence, never the deprecated auto-setup image', () => {
    const temporal = services.temporal;
    expect(temporal.image).toMatch(/^temporalio\/server:/);
    const env = environmentOf(temporal);
    expect(env.DB).toBe('postgres12');
    expect(services[env.POSTGRES_SEEDS]?.image).toMatch(/^postgres:/);
    expect(Object.values(services).map((s) => s.image ?? '')).not.toContainEqual(expect.stringContaining('auto-setup'));
  });

  it('creates the Temporal schemas with temporal-sql-tool before the server starts', () => {
    const job = services['temporal-admin-tools'];
    expect(job.image).toMatch(/^temporalio\/admin-tools:/);
    const script = commandText(job);
    for (const db of ['temporal', 'temporal_visibility']) {
      expect(script).toContain(`--db ${db} setup-schema`);
      expect(script).toContain(
        `--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${db === 'temporal' ? 'temporal' : 'visibility'}/versioned`,
      );
    }
    expect(script).toContain('temporal-sql-tool --plugin postgres12');
    expect(services.temporal.depends_on).toMatchObject({
      'temporal-admin-tools': { condition: 'service_completed_successfully' },
    });
  });

  it("creates the namespace and Ferry's search attributes as Keyword once the server is healthy", () => {
    const job = services['temporal-namespace'];
    expect(job.image).toBe(services['temporal-admin-tools'].image);
    expect(job.depends_on).toMatchObject({ temporal: { condition: 'service_healthy' } });
    const script = commandText(job);
    expect(script).toMatch(/namespace create -n default/);
    expect(script).toMatch(/search-attribute create -n default --name "\$\$attr" --type Keyword/);
    const loop = script
      .match(/for attr in ([^;]+);/)?.[1]
      .trim()
      .split(/\s+/);
    expect(loop).toEqual([...SEARCH_ATTRIBUTE_NAMES]);
    const env = environmentOf(services.api);
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
  });

  it('pins every image to a version tag', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) continue;
      expect(s.image, name).toBeDefined();
      const [, tag] = s.image!.split(/:(?=[^/]*$)/);
      expect(tag, `${name}: ${s.image}`).toBeDefined();
      expect(tag, `${name}: ${s.image}`).not.toMatch(/latest|\$\{/);
      expect(tag, `${name}: ${s.image}`).toMatch(/^\d+\.\d+/);
    }
  });

  it('gives the api a health check on GET /healthz at its port', () => {
    const check = [services.api.healthcheck?.test].flat().join(' ');
    const port = environmentOf(services.api).PORT;
    expect(check).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(services.api.ports).toContain(`127.0.0.1:${port}:${port}`);
  });

  it('publishes no Temporal frontend, and the UI and the api on 127.0.0.1 only', () => {
    expect(services.temporal.ports, 'the frontend on the compose network only').toBeUndefined();
    for (const name of ['temporal-ui', 'api']) {
      for (const p of services[name].ports ?? []) expect(String(p), name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('requires codec keys, so the UI never shows payloads in clear', () => {
    const env = { ...DEPLOYER_ENV };
    delete (env as Record<string, string | undefined>).FERRY_CODEC_KEYS;
    expect(() => interpolate(String((doc.toJS() as any)['x-ferry-env'].FERRY_CODEC_KEYS), env)).toThrow(
      /FERRY_CODEC_KEYS/,
    );
  });

  it('starts the api and the worker only after healthy services and finished setup jobs', () => {
    for (const name of ['api', 'worker']) {
      const deps = services[name].depends_on;
      expect(Array.isArray(deps), `${name}: depends_on needs conditions`).toBe(false);
      const conditions = deps as Record<string, { condition?: string }>;
      expect(Object.keys(conditions).sort()).toEqual(['migrate', 'postgres', 'temporal', 'temporal-namespace']);
      for (const [dep, { condition }] of Object.entries(conditions)) {
        expect(condition, `${name} -> ${dep}`).toBe(
          ONE_SHOT.includes(dep) ? 'service_completed_successfully' : 'service_healthy',
        );
        if (condition === 'service_healthy')
          expect(services[dep].healthcheck, `${dep} has a health check`).toBeDefined();
      }
    }
  });

  it('restarts long-running services and retries one-shot jobs only on failure', () => {
    for (const [name, s] of Object.entries(services)) {
      if (ONE_SHOT.includes(name)) expect(s.restart, name).toMatch(/^on-failure(:\d+)?$/);
      else expect(s.restart, name).toBe('unless-stopped');
    }
  });

  it("stops a worker more slowly than the worker's shutdownGraceTime, so a batch can commit", () => {
    const worker = read('src/temporal/worker.ts');
    const grace = worker.match(/shutdownGraceTime:\s*'(\d+) seconds'/);
    expect(grace, 'shutdownGraceTime in src/temporal/worker.ts').not.toBeNull();
    expect(seconds(services.worker.stop_grace_period ?? '10s')).toBeGreaterThan(Number(grace![1]));
    expect(services.worker.init).toBe(true);
  });

  it('stops the api more slowly than its SHUTDOWN_GRACE_SECONDS, so an upload in flight is answered', () => {
    const grace = read('src/config.ts').match(
      /SHUTDOWN_GRACE_SECONDS: z\.coerce\.number\(\)\.int\(\)\.min\(0\)\.default\((\d+)\)/,
    );
    expect(grace, 'SHUTDOWN_GRACE_SECONDS in src/config.ts').not.toBeNull();
    expect(seconds(services.api.stop_grace_period ?? '10s')).toBeGreaterThan(Number(grace![1]));
    expect(services.api.init).toBe(true);
  });

  it('lets the worker scale: no fixed container name, no host ports', () => {
    expect(services.worker.container_name).toBeUndefined();
    expect(services.worker.ports).toBeUndefined();
  });

  it('gives Ferry processes only variables that src/config.ts knows, with values it accepts', () => {
    for (const name of ['migrate', 'api', 'worker']) {
      const env = environmentOf(services[name]);
      const parsed = loadConfig(env) as Record<string, unknown>;
      const unknown = Object.keys(env).filter((k) => !(k in parsed));
      expect(unknown, `${name}: variables src/config.ts ignores`).toEqual([]);
      expect(parsed.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(parsed.DATABASE_URL).toMatch(/@postgres:5432\/ferry$/);
    }
  });

  it('takes the secrets from the environment, never from the file', () => {
    const raw = doc.toJS({ maxAliasCount: 100 }) as { services: Record<string, Service> };
    const api = raw.services.api.environment as Record<string, string>;
    expect(api.AUTH_TOKENS).toMatch(/^\$\{AUTH_TOKENS:\?/);
    expect(api.DATABASE_URL).toContain('${FERRY_DB_PASSWORD:?');
    expect((raw.services.worker.environment as Record<string, string>).NATIONAL_ID_HASH_KEY).toMatch(
      /^\$\{NATIONAL_ID_HASH_KEY:\?/,
    );
    expect((raw.services.postgres.environment as Record<string, string>).POSTGRES_PASSWORD).toMatch(
      /^\$\{FERRY_DB_PASSWORD:\?/,
    );
    expect((raw.services.temporal.environment as Record<string, string>).POSTGRES_PWD).toMatch(
      /^\$\{TEMPORAL_DB_PASSWORD:\?/,
    );
    expect(() => interpolate('${NOPE:?set NOPE}', {})).toThrow(/NOPE/);
  });

  it('runs Ferry processes through npm scripts that exist in package.json', () => {
    for (const name of ['migrate', 'api', 'worker']) {
      const s = services[name];
      expect(s.build, name).toBe('.');
      const [npm, run, script] = s.command as string[];
      expect([npm, run], name).toEqual(['npm', 'run']);
      expect(scripts, `${name}: npm run ${script}`).toHaveProperty(script);
    }
  });
});

describe('Dockerfile', () => {
  const from = dockerfile.match(/^FROM\s+(\S+)/m)?.[1] ?? '';

  it('builds on a pinned Debian Node 20 image: the Temporal native module needs glibc', () => {
    expect(from).toMatch(/^node:20\.\d+\.\d+-(bookworm|bullseye|trixie)(-slim)?$/);
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.filter((b) => /alpine/i.test(b))).toEqual([]);
  });

  it('installs from the lock file and runs an npm script that exists', () => {
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    const cmd = JSON.parse(dockerfile.match(/^CMD\s+(\[.*\])\s*$/m)?.[1] ?? '[]') as string[];
    expect(cmd.slice(0, 2)).toEqual(['npm', 'run']);
    expect(scripts).toHaveProperty(cmd[2]);
  });

  it('copies in every file the entry points of those scripts load', () => {
    const copied = [...dockerfile.matchAll(/^COPY\s+(.+)\s+\S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    // `tsx src/….ts` (migrations), or the api and worker bundles that `npm run build` makes from src/ first.
    expect(scripts['db:migrate']).toMatch(/^tsx src\/\S+\.ts$/);
    expect(scripts.build).toMatch(/^tsx src\/\S+\.ts$/);
    for (const s of ['api', 'worker'])
      expect(scripts[s], s).toMatch(
        new RegExp(`^npm run build && ([A-Z_]+=\\S+ )*exec node( --[\\w-]+(=\\S+)?)* dist/${s}\\.js$`),
      );
    for (const line of ['db:migrate', 'build'].map((s) => scripts[s])) {
      const entry = line.split(/\s+/).at(-1)!;
      expect(
        copied.some((c) => entry.startsWith(`${c}/`)),
        `${entry} is copied`,
      ).toBe(true);
    }
    // The image builds the bundles before it drops root, and leaves dist/ to the user who rebuilds it at start.
    expect(dockerfile).toMatch(/^RUN npm run build && chown -R node:node dist$/m);
    expect(dockerfile.indexOf('npm run build')).toBeLessThan(dockerfile.indexOf('USER node'));
    // What those entry points reach at run time: workflow code, activities, migrations, the admin page, the tsconfig tsx reads.
    for (const needed of [
      'src',
      'workflows',
      'activities',
      'drizzle',
      'web',
      'tsconfig.json',
      'package.json',
      'package-lock.json',
    ])
      expect(copied, needed).toContain(needed);
    for (const dep of ['tsx', 'esbuild']) expect(JSON.parse(read('package.json')).dependencies).toHaveProperty(dep);
  });

  it('runs as an unprivileged user', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
