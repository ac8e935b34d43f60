import { ApiError, getJson, postJson } from './api.js';
import { confirmAction, h, toast } from './dom.js';
import { rollbackPlanLines } from './rollback-plan.js';

/** What the rollback would do, from its preview; the general rule when the api has no preview route. */
async function rollbackPreview(imp) {
  const general = h(
    'p',
    {},
    `Every customer, phone, email, company and link that ${imp.fileName} created is removed, and moved links are restored.`,
  );
  try {
    const preview = await getJson(`/api/imports/${imp.id}/rollback-preview`);
    return [
      h('p', {}, `Rolling back ${imp.fileName}:`),
      h(
        'ul',
        { class: 'preview', id: 'rollback-plan' },
        rollbackPlanLines(preview).map((line) => h('li', {}, line)),
      ),
    ];
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return [general];
    return [general, h('p', { class: 'muted' }, `No preview: ${err.message}`)];
  }
}

const ACTIONS = [
  {
    name: 'approve',
    label: 'Approve',
    when: (s) => s === 'awaiting_approval',
    danger: false,
    question: (imp) => ({
      title: `Approve import #${imp.id}?`,
      message: `The records of ${imp.fileName} will be written to the customer profiles.`,
    }),
  },
  {
    name: 'reject',
    label: 'Reject',
    when: (s) => s === 'awaiting_approval',
    danger: true,
    question: (imp) => ({
      title: `Reject import #${imp.id}?`,
      message: `Nothing of ${imp.fileName} will be imported.`,
    }),
  },
  {
    // A validated dry run goes on as a new run of the same file: approve starts it.
    name: 'import-for-real',
    route: 'approve',
    label: 'Import for real',
    when: (s) => s === 'validated',
    danger: false,
    question: (imp) => ({
      title: `Import ${imp.fileName} for real?`,
      message: `The dry run found ${imp.counts.valid ?? 0} valid and ${imp.counts.rejected} rejected records; the valid ones will be written to the customer profiles.`,
    }),
  },
  {
    name: 'cancel',
    label: 'Cancel import',
    when: (s) => ['staging', 'queued', 'waiting', 'running'].includes(s),
    danger: true,
    question: (imp) => ({
      title: `Cancel import #${imp.id}?`,
      message: 'The import stops and everything it wrote so far is rolled back.',
    }),
  },
  {
    name: 'rollback',
    label: 'Roll back',
    when: (s) => ['completed', 'failed'].includes(s),
    danger: true,
    question: async (imp) => ({
      title: `Roll back import #${imp.id}?`,
      message: await rollbackPreview(imp),
    }),
  },
];

/** The buttons the import's status allows, each asking first. `after` refreshes the page. */
export function actionsBar(imp, after) {
  const buttons = ACTIONS.filter((a) => a.when(imp.status)).map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: action.danger ? 'danger' : 'primary',
        id: `action-${action.name}`,
        onclick: async (e) => {
          const button = e.currentTarget;
          const ok = await confirmAction({
            ...(await action.question(imp)),
            confirmLabel: action.label,
            danger: action.danger,
          });
          if (!ok) return button.focus();
          button.disabled = true;
          try {
            await postJson(`/api/imports/${imp.id}/${action.route ?? action.name}`);
            toast(`${action.label}: requested for import #${imp.id}.`);
          } catch (err) {
            // Approve and reject arrive in a later release: an api without them answers 404 "route … not found".
            const missing = err instanceof ApiError && err.status === 404 && err.message.startsWith('route ');
            toast(missing ? `${action.label} is not available on this server yet.` : err.message);
          }
          after();
        },
      },
      action.label,
    ),
  );
  if (buttons.length === 0) return null;
  return h('div', { class: 'actions page-actions', role: 'group', 'aria-label': 'Actions' }, buttons);
}
