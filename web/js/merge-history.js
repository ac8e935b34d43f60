import { getJson, postJsonValue } from './api.js';
import { confirmAction, h, toast } from './dom.js';
import { formatDate } from './format.js';
import { MERGE_FIELDS, ruleLabel } from './merge-fields.js';

const COLUMNS = ['Merge', 'Status', 'Group', 'Batch', 'Survivor', 'Merged', 'Fields', 'By', 'When', ''];

/** Merges still changing the CRM: the screen keeps watching them. */
export function mergesBusy(page) {
  return page.items.some((m) => m.status === 'running' || m.status === 'undoing');
}

/** The merges, newest first, each completed one with Undo; `onUndone(mergeId)` runs once an undo has started. */
export function mergeHistory(page, { onUndone }) {
  if (page.items.length === 0) return h('p', { class: 'muted', id: 'no-merges' }, 'No merges yet.');
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Merge history', id: 'merge-history' },
    h(
      'table',
      { class: 'merge-history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          COLUMNS.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        page.items.map((m) =>
          h(
            'tr',
            { 'data-merge-id': m.id, 'data-group-id': m.groupId ?? '' },
            h('td', {}, `#${m.id}`),
            h('td', { class: 'merge-status' }, m.status),
            h('td', {}, m.groupId === null ? '' : String(m.groupId)),
            h('td', { class: 'merge-batch' }, m.batchId === null ? '' : `#${m.batchId}`),
            h('td', {}, String(m.survivorId)),
            h('td', {}, m.mergedIds.join(', ')),
            h('td', {}, fieldsNote(m)),
            h('td', {}, m.createdBy),
            h('td', {}, formatDate(m.createdAt)),
            h('td', {}, m.status === 'completed' ? undoButton(m, onUndone) : null),
          ),
        ),
      ),
    ),
  );
}

/** The rule, and each field the admin chose from a named customer. */
function fieldsNote(m) {
  const chosen = MERGE_FIELDS.filter((f) => m.choices[f.key] !== undefined).map(
    (f) => `${f.label.toLowerCase()} from ${m.choices[f.key]}`,
  );
  return [ruleLabel(m.rule), ...chosen].join('; ');
}

function undoButton(m, onUndone) {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary undo-merge',
      id: `undo-merge-${m.id}`,
      'aria-label': `Undo merge ${m.id}`,
      onclick: () => undo(m, onUndone),
    },
    'Undo',
  );
}

async function undo(m, onUndone) {
  const preview = await getJson(`/api/merges/${m.id}/undo-preview`).catch((err) => toast(err.message));
  if (!preview) return;
  const kept = preview.keepsLaterWork ? ' Work done since the merge is kept.' : '';
  const ok = await confirmAction({
    title: `Undo merge ${m.id}?`,
    message: `The customers return to what they were before the merge.${kept}`,
    confirmLabel: 'Undo merge',
    danger: true,
  });
  if (!ok) return;
  const started = await postJsonValue(`/api/merges/${m.id}/undo`, {}).catch((err) => toast(err.message));
  if (started) onUndone(m.id);
}
