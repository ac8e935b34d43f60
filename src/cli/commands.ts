import { stat } from 'node:fs/promises';
import type { Command, Connection } from './args';
import { EXIT, exitCodeForStatus, type ExitCode } from './exit-codes';
import { formatErrors, formatImport, formatImportList, formatSources, formatUploadAccepted } from './format';
import { runDedupeCommand } from './dedupe-commands';
import { uploadWithRetries } from './upload-retry';
import { waitForImport, type WaitDeps } from './wait';

export interface CommandContext extends WaitDeps {
  connection: Connection;
  stdout: { write(text: string): void };
}

/** A local file the command needs cannot be read: nothing was sent to the api. */
export class LocalFileError extends Error {
  readonly code = 'LOCAL_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalFileError';
  }
}

/** Runs one parsed command; api errors propagate to the caller, which maps them to exit codes. */
export async function runCommand(ctx: CommandContext, cmd: Command): Promise<ExitCode> {
  const { client } = ctx;
  switch (cmd.name) {
    case 'import':
      return importFile(ctx, cmd);
    case 'status': {
      const imp = cmd.wait ? await waitForImport(ctx, cmd.id, cmd.intervalMs) : await client.getImport(cmd.id);
      print(ctx, imp, formatImport);
      return cmd.wait ? exitCodeForStatus(imp.status) : EXIT.OK;
    }
    case 'list':
      print(ctx, await client.listImports(cmd), formatImportList);
      return EXIT.OK;
    case 'errors':
      return errorsOf(ctx, cmd);
    case 'approve':
    case 'reject':
    case 'cancel':
      print(ctx, await client.act(cmd.id, cmd.name), (body) => `import ${cmd.id}: ${describeAction(cmd.name, body)}\n`);
      return EXIT.OK;
    case 'rollback':
      if (cmd.preview)
        print(
          ctx,
          await client.rollbackPreview(cmd.id, cmd.force),
          (body) => `rollback of import ${cmd.id} would:\n${JSON.stringify(body, null, 2)}\n`,
        );
      else
        print(
          ctx,
          await client.rollback(cmd.id, cmd.force),
          (body) =>
            `import ${cmd.id}: rollback started (workflow ${String(body.workflowId ?? `rollback-${cmd.id}`)})\n`,
        );
      return EXIT.OK;
    case 'sources':
      print(ctx, await client.sources(), (body) => formatSources(body.items));
      return EXIT.OK;
    case 'template':
      return template(ctx, cmd);
    case 'dedupe':
    case 'groups':
    case 'merge':
    case 'merge-all':
    case 'unmerge':
      return runDedupeCommand(ctx, cmd, print);
  }
}

async function importFile(ctx: CommandContext, cmd: Extract<Command, { name: 'import' }>): Promise<ExitCode> {
  await requireFile(cmd.file);
  const accepted = await uploadWithRetries(ctx, cmd);
  if (!cmd.wait) {
    print(ctx, accepted, formatUploadAccepted);
    return EXIT.OK;
  }
  ctx.stderr.write(`import ${accepted.id} accepted: ${accepted.total} records, workflow ${accepted.workflowId}\n`);
  const imp = await waitForImport(ctx, accepted.id, cmd.intervalMs);
  print(ctx, imp, formatImport);
  return exitCodeForStatus(imp.status);
}

async function errorsOf(ctx: CommandContext, cmd: Extract<Command, { name: 'errors' }>): Promise<ExitCode> {
  if (!cmd.output) {
    print(ctx, await ctx.client.listErrors(cmd.id, cmd.page, cmd.pageSize), (page) => formatErrors(cmd.id, page));
    return EXIT.OK;
  }
  await ctx.client.downloadErrorReport(cmd.id, cmd.output);
  report(ctx, { id: cmd.id, file: cmd.output }, `error report of import ${cmd.id} written to ${cmd.output}\n`);
  return EXIT.OK;
}

async function template(ctx: CommandContext, cmd: Extract<Command, { name: 'template' }>): Promise<ExitCode> {
  if (!cmd.output) {
    // The CSV is the output: --json would only wrap it in quotes.
    ctx.stdout.write(await ctx.client.template(cmd.source));
    return EXIT.OK;
  }
  await ctx.client.downloadTemplate(cmd.source, cmd.output);
  report(ctx, { source: cmd.source, file: cmd.output }, `template of ${cmd.source} written to ${cmd.output}\n`);
  return EXIT.OK;
}

async function requireFile(file: string): Promise<void> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new LocalFileError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, {
      cause: err,
    });
  });
  if (!info.isFile()) throw new LocalFileError(`${file} is not a file`);
}

function describeAction(action: 'approve' | 'reject' | 'cancel', body: Record<string, unknown>): string {
  const status = typeof body.status === 'string' ? body.status : undefined;
  const done = { approve: 'approved', reject: 'rejected', cancel: 'cancelling (everything it loaded is rolled back)' }[
    action
  ];
  return status ? `${done}, now ${status}` : done;
}

/** The api's JSON with --json, the text otherwise: the one place that chooses. */
export function print<T>(ctx: CommandContext, body: T, text: (body: T) => string): void {
  ctx.stdout.write(ctx.connection.json ? `${JSON.stringify(body, null, 2)}\n` : text(body));
}

/** A file was written: scripts get where, people get a sentence. */
function report(ctx: CommandContext, facts: Record<string, unknown>, sentence: string): void {
  if (ctx.connection.json) ctx.stdout.write(`${JSON.stringify(facts)}\n`);
  else ctx.stderr.write(sentence);
}
