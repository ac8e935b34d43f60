import type { Command } from './args';
import type { CommandContext } from './commands';
import { EXIT, type ExitCode } from './exit-codes';
import type { GroupView, Page, ScanView } from './api-client';

type DedupeCommand = Extract<Command, { name: 'dedupe' | 'groups' | 'merge' | 'merge-all' | 'unmerge' }>;
type Print = <T>(ctx: CommandContext, body: T, text: (body: T) => string) => void;

/** ferry dedupe, groups, merge and unmerge: thin calls of the api's duplicate routes. */
export async function runDedupeCommand(ctx: CommandContext, cmd: DedupeCommand, print: Print): Promise<ExitCode> {
  const { client } = ctx;
  switch (cmd.name) {
    case 'dedupe': {
      const started = await client.startScan();
      if (!cmd.wait) {
        print(
          ctx,
          started,
          (s) => `scan ${s.id} started (workflow ${s.workflowId}); ferry groups ${s.id} once it is completed\n`,
        );
        return EXIT.OK;
      }
      const scan = await waitForScan(ctx, started.id, cmd.intervalMs);
      print(ctx, scan, formatScan);
      return scan.status === 'completed' ? EXIT.OK : EXIT.FAILED;
    }
    case 'groups':
      print(ctx, await client.groups(cmd.id, cmd.page, cmd.pageSize), formatGroups);
      return EXIT.OK;
    case 'merge':
      print(
        ctx,
        await client.merge(cmd.id),
        (m) => `merge ${String(m.id)} of group ${cmd.id} started (workflow ${String(m.workflowId)})\n`,
      );
      return EXIT.OK;
    case 'merge-all':
      print(
        ctx,
        await client.mergeAll(cmd.id, cmd.minScore),
        (b) =>
          `batch ${String(b.id)} of ${JSON.stringify(b.counts)} merges of scan ${cmd.id} started (workflow ${String(b.workflowId)})\n`,
      );
      return EXIT.OK;
    case 'unmerge':
      if (cmd.preview)
        print(
          ctx,
          await client.undoPreview(cmd.id),
          (p) => `undo of merge ${cmd.id} would:\n${JSON.stringify(p, null, 2)}\n`,
        );
      else
        print(
          ctx,
          await client.unmerge(cmd.id),
          (m) => `undo of merge ${cmd.id} started (workflow ${String(m.workflowId)})\n`,
        );
      return EXIT.OK;
  }
}

async function waitForScan(ctx: CommandContext, id: number, intervalMs: number): Promise<ScanView> {
  for (;;) {
    const scan = await ctx.client.getScan(id);
    if (scan.status !== 'running') return scan;
    ctx.stderr.write(`scan ${id}: ${scan.counts.customers} customers, ${scan.counts.pairs} pairs so far\n`);
    await ctx.sleep(intervalMs);
  }
}

function formatScan(scan: ScanView): string {
  const { customers, pairs, groups } = scan.counts;
  const failure = scan.failure ? ` (${scan.failure.code}: ${scan.failure.message})` : '';
  return `scan ${scan.id}: ${scan.status}${failure}; ${customers} customers, ${pairs} matching pairs, ${groups} groups\n`;
}

function formatGroups(page: Page<GroupView>): string {
  const lines = page.items.map((g) => {
    const reasons = g.reasons.map((r) => `${r.field} ${r.agreement} (+${r.weight})`).join(', ');
    const people = g.customers.map(
      (c) =>
        `    ${c.id}  ${c.firstName} ${c.lastName}  ${c.phones.join(' ')}  ${c.emails.join(' ')}  [${c.sources.join(', ')}]`,
    );
    return [`group ${g.id}  score ${g.score}  ${reasons}`, ...people].join('\n');
  });
  return `${lines.join('\n')}\n${page.items.length} of ${page.total} groups (page ${page.page})\n`;
}
