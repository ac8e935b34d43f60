// What a rollback preview (GET /api/imports/:id/rollback-preview) says, as lines for the admin.
// Pure: no DOM, so it is tested on its own (test/unit/rollback-plan-lines.test.ts).

const n = (v) => Number(v ?? 0).toLocaleString('en-US');
const plural = (v, one, many) => `${n(v)} ${v === 1 ? one : many}`;

/** Lines in the order the rollback works; parts with nothing to say are left out. */
export function rollbackPlanLines(preview) {
  const { remove = {}, restore = {}, keep = {}, laterWork = {} } = preview ?? {};
  const lines = [
    `Removes ${plural(remove.customers, 'customer', 'customers')}, ${plural(remove.phones, 'phone', 'phones')}, ${plural(remove.emails, 'email', 'emails')}, ` +
      `${plural(remove.companies, 'company', 'companies')} and ${plural(remove.relations, 'link', 'links')} this import created.`,
  ];
  if (restore.relations > 0) lines.push(`Restores ${plural(restore.relations, 'link', 'links')} this import moved.`);
  if (restore.updatedRows > 0)
    lines.push(`Puts back ${plural(restore.updatedRows, 'row', 'rows')} this import updated, as they were before it.`);
  const later = Object.entries(laterWork).filter(([, v]) => v > 0);
  if (later.length > 0)
    lines.push(
      `Also removes rows of later work on those customers: ${later.map(([table, v]) => `${table} ${n(v)}`).join(', ')}.`,
    );
  if (keep.customers > 0) {
    const ids = (keep.customerIds ?? [])
      .slice(0, 10)
      .map((id) => `#${id}`)
      .join(', ');
    const more = keep.customers > 10 ? ', …' : '';
    lines.push(
      `Keeps ${plural(keep.customers, 'customer', 'customers')} that later work uses (${ids}${more}); the API's rollback with force=true removes them too.`,
    );
  }
  if (keep.relationsNotRestored > 0)
    lines.push(
      `Leaves ${plural(keep.relationsNotRestored, 'moved link', 'moved links')} as they are: taken over since, by a later import or a kept customer.`,
    );
  return lines;
}
