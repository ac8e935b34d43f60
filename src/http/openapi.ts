import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { problemSchema } from './schemas';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: `none` needs no token, `viewer` any valid token, `admin` an admin token. */
export type Access = 'none' | 'viewer' | 'admin';

export interface ResponseSpec {
  description: string;
  /** JSON body; omitted for downloads and empty answers. */
  schema?: z.ZodType;
  /** Other media types (CSV, xlsx, HTML), described by name only. */
  contentTypes?: string[];
  headers?: Record<string, string>;
}

export interface RouteSpec {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { contentType: 'multipart/form-data' | 'application/json'; schema: z.ZodType };
  /** Rate-limited routes document their 429. */
  rateLimited?: boolean;
  responses: Record<number, ResponseSpec>;
}

export interface RegisteredRoute extends RouteSpec {
  method: HttpMethod;
  /** The Express path, `:id` style. */
  path: string;
}

/**
 * Every route is declared here and mounted from the same call (see `documented`), so the OpenAPI
 * document is built from the zod schemas the handlers parse with and cannot drift from the routes.
 */
export class ApiRegistry {
  readonly routes: RegisteredRoute[] = [];

  add(route: RegisteredRoute): void {
    this.routes.push(route);
  }

  document(info: { title: string; version: string; description?: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const key = toOpenApiPath(route.path);
      paths[key] ??= {};
      paths[key][route.method] = operation(route);
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      tags: [...new Set(this.routes.map((r) => r.tag))].map((name) => ({ name })),
      paths,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A token from AUTH_TOKENS; role viewer reads, admin also writes.',
          },
        },
        schemas: { Problem: jsonSchema(problemSchema, 'output') },
      },
    };
  }
}

/** Mounts a route on the router and records it in the registry in one call. */
export function documented(router: Router, registry: ApiRegistry, mountPath: string) {
  const add =
    (method: HttpMethod) =>
    (path: string, spec: RouteSpec, ...handlers: RequestHandler[]) => {
      registry.add({ ...spec, method, path: joinPath(mountPath, path) });
      (router[method] as (p: string, ...h: RequestHandler[]) => unknown).call(router, path, ...handlers);
    };
  return { get: add('get'), post: add('post'), put: add('put'), patch: add('patch'), delete: add('delete') };
}

export function joinPath(mount: string, path: string): string {
  const joined = `${mount.replace(/\/$/, '')}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}

export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  delete out.$schema;
  return out;
}

function parameters(route: RegisteredRoute): unknown[] {
  const list: unknown[] = [];
  const from = (where: 'path' | 'query' | 'header', schema?: z.ZodObject) => {
    if (!schema) return;
    const json = jsonSchema(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = prop;
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  };
  from('path', route.params);
  from('query', route.query);
  from('header', route.headers);
  return list;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const problem = (description: string) => ({ description, content: { 'application/json': { schema: PROBLEM_REF } } });

function responses(route: RegisteredRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content: Record<string, unknown> = {};
    if (r.schema) content['application/json'] = { schema: jsonSchema(r.schema, 'output') };
    for (const type of r.contentTypes ?? [])
      content[type] = { schema: { type: 'string', ...(type.startsWith('text/') ? {} : { contentMediaType: type }) } };
    const headers = Object.fromEntries(
      Object.entries(r.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
    );
    out[status] = {
      description: r.description,
      ...(Object.keys(content).length ? { content } : {}),
      ...(r.headers ? { headers } : {}),
    };
  }
  if (route.params || route.query || route.body || route.headers)
    out['400'] ??= problem('The request does not match the schema (code INVALID_REQUEST, or the upload codes).');
  if (route.access !== 'none') out['401'] ??= problem('No bearer token, or an unknown one (code UNAUTHENTICATED).');
  if (route.access === 'admin') out['403'] ??= problem('The token is valid but not an admin token (code FORBIDDEN).');
  if (route.rateLimited)
    out['429'] ??= problem('Too many requests from this caller (code RATE_LIMITED); see the RateLimit headers.');
  out.default = problem('Any other error, in the same shape.');
  return out;
}

function operation(route: RegisteredRoute): Record<string, unknown> {
  return {
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: route.access === 'none' ? [] : [{ bearer: [] }],
    ...(route.access === 'admin'
      ? { 'x-required-role': 'admin' }
      : route.access === 'viewer'
        ? { 'x-required-role': 'viewer' }
        : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.body.contentType]: { schema: jsonSchema(route.body.schema, 'input') } },
          },
        }
      : {}),
    responses: responses(route),
  };
}
