/** The OpenAPI document as one plain HTML page: no script, nothing loaded from elsewhere. */

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The OpenAPI document is walked as the untyped JSON it is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function schemaSummary(schema: Json | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return String(schema.$ref).split('/').pop() ?? '';
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(schema.type)
    ? schema.type.join(' | ')
    : (schema.type ?? (schema.anyOf ? 'one of several' : 'any'));
  const bounds = [
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && schema.maximum < 1e15 && `≤ ${schema.maximum}`,
    schema.maxLength !== undefined && `max ${schema.maxLength} chars`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${type}${bounds ? ` (${bounds})` : ''}${schema.default !== undefined ? `, default ${JSON.stringify(schema.default)}` : ''}`;
}

function fieldRows(
  rows: { name: string; where: string; required: boolean; schema?: Json; description?: string }[],
): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (r) =>
        `<tr><td><code>${escape(r.name)}</code></td><td>${escape(r.where)}</td><td>${r.required ? 'yes' : ''}</td><td>${escape(schemaSummary(r.schema))}</td><td>${escape(r.description ?? r.schema?.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>name</th><th>in</th><th>required</th><th>type</th><th>what</th></tr></thead><tbody>${body}</tbody></table>`;
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []).map((p: Json) => ({
    name: p.name,
    where: p.in,
    required: p.required,
    schema: p.schema,
    description: p.description,
  }));
  for (const [type, media] of Object.entries<Json>(op.requestBody?.content ?? {})) {
    const required: string[] = media.schema?.required ?? [];
    for (const [name, schema] of Object.entries<Json>(media.schema?.properties ?? {}))
      params.push({ name, where: type, required: required.includes(name), schema });
  }
  const responses = Object.entries<Json>(op.responses ?? {})
    .map(
      ([status, r]) =>
        `<li><strong>${escape(status)}</strong> ${escape(r.description)}${r.content ? ` <small>(${escape(Object.keys(r.content).join(', '))})</small>` : ''}</li>`,
    )
    .join('');
  const role = op['x-required-role'] ? `needs a ${escape(op['x-required-role'])} token` : 'no token needed';
  return `<section id="${escape(op.operationId)}"><h3><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary)} <small>(${role})</small></p>${op.description ? `<p>${escape(op.description)}</p>` : ''}${fieldRows(params)}<ul>${responses}</ul></section>`;
}

export function renderDocsPage(doc: Json): string {
  const sections: string[] = [];
  const toc: string[] = [];
  for (const [path, ops] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(ops)) {
      sections.push(operationHtml(path, method, op));
      toc.push(`<li><a href="#${escape(op.operationId)}">${escape(method.toUpperCase())} ${escape(path)}</a></li>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info?.title)} API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}code{font-size:.95em}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}section{border-top:1px solid #ddd;padding-top:.5rem}.m{font-family:monospace;padding:0 .3rem;border-radius:3px;background:#e8eef8}.post{background:#e6f4ea}</style>
</head><body><h1>${escape(doc.info?.title)} API <small>${escape(doc.info?.version)}</small></h1><p>${escape(doc.info?.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escape(doc.openapi)}).</p><ul>${toc.join('')}</ul>${sections.join('\n')}</body></html>`;
}
