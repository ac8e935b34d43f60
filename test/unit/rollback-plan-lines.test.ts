import { describe, expect, it } from 'vitest';

// A plain ES module of the admin page (web/js): imported by path so that tsc does not type it.
const modulePath = '../../web/js/rollback-plan.js';
const { rollbackPlanLines } = (await import(modulePath)) as { rollbackPlanLines: (preview: unknown) => string[] };

const preview = (over: Record<string, unknown> = {}) => ({
  id: 7,
  remove: { customers: 4, phones: 5, emails: 3, companies: 1, relations: 5 },
  restore: { relations: 0 },
  keep: { customers: 0, customerIds: [], relationsNotRestored: 0 },
  laterWork: {},
  force: false,
  ...over,
});

describe('the rollback plan as the admin page words it', () => {
  it('names what is removed, and nothing else when nothing else happens', () => {
    expect(rollbackPlanLines(preview())).toEqual([
      'Removes 4 customers, 5 phones, 3 emails, 1 company and 5 links this import created.',
    ]);
  });

  it('names what is restored, kept, left and removed with it, in the order the rollback works', () => {
    const ids = Array.from({ length: 12 }, (_, i) => 100 + i);
    const lines = rollbackPlanLines(
      preview({
        restore: { relations: 1, updatedRows: 2500 },
        keep: { customers: 12, customerIds: ids, relationsNotRestored: 3 },
        laterWork: { sync_history: 2, points_transactions: 0 },
      }),
    );
    expect(lines).toEqual([
      'Removes 4 customers, 5 phones, 3 emails, 1 company and 5 links this import created.',
      'Restores 1 link this import moved.',
      'Puts back 2,500 rows this import updated, as they were before it.',
      'Also removes rows of later work on those customers: sync_history 2.',
      "Keeps 12 customers that later work uses (#100, #101, #102, #103, #104, #105, #106, #107, #108, #109, …); the API's rollback with force=true removes them too.",
      'Leaves 3 moved links as they are: taken over since, by a later import or a kept customer.',
    ]);
  });

  it('reads a preview from an older api without the parts it lacks', () => {
    expect(
      rollbackPlanLines({
        id: 1,
        remove: { customers: 1, phones: 0, emails: 0, companies: 0, relations: 1 },
        restore: { relations: 0 },
        keep: { customers: 0 },
      }),
    ).toEqual(['Removes 1 customer, 0 phones, 0 emails, 0 companies and 1 link this import created.']);
  });
});
