import { getJson, postJsonValue } from './api.js';
import { confirmAction, h, toast } from './dom.js';
import { formatInt } from './format.js';
import { DEFAULT_RULE, MERGE_RULES, ruleLabel } from './merge-fields.js';

const plural = (n, one, many) => `${formatInt(n)} ${n === 1 ? one : many}`;

/**
 * Many groups in one batch: the groups ticked on this page, or every group of the scan from a
 * score up. `list` holds the group cards; `onStarted(batch)` runs once the api has started it.
 */
export function batchBar(scan, list, { onStarted }) {
  const boxes = () => [...list.querySelectorAll('input.select-group:not(:disabled)')];
  const ticked = () => boxes().filter((b) => b.checked);
  const selectAll = h('input', { type: 'checkbox', id: 'select-all-groups', onchange: toggleAll });
  const count = h('span', { class: 'muted', id: 'selected-count', 'aria-live': 'polite' });
  const mergeSelected = h(
    'button',
    { type: 'button', class: 'primary', id: 'merge-selected', onclick: startSelected },
    'Merge selected groups',
  );
  const minScore = h('input', {
    type: 'number',
    id: 'batch-min-score',
    step: 'any',
    min: -100,
    max: 100,
    value: '0',
    required: true,
  });
  const rule = h(
    'select',
    { id: 'batch-rule' },
    MERGE_RULES.map((r) => h('option', { value: r.value, selected: r.value === DEFAULT_RULE }, r.label)),
  );
  list.addEventListener('change', (e) => {
    if (e.target.matches('input.select-group')) update();
  });
  const bar = h(
    'section',
    { class: 'card batch-bar', 'aria-labelledby': 'batch-bar-title' },
    h('h2', { id: 'batch-bar-title' }, 'Merge many groups'),
    h(
      'p',
      { class: 'muted' },
      "A batch merges each group into its lowest customer id, with the fields by the rule chosen here; per-field choices are for one group's Merge. Each merge can be undone on its own.",
    ),
    h('div', { class: 'field' }, h('label', { for: 'batch-rule' }, 'Rule for the fields'), rule),
    h(
      'div',
      { class: 'batch-row' },
      h(
        'span',
        { class: 'field checkbox' },
        selectAll,
        h('label', { for: 'select-all-groups' }, 'Select all on this page'),
      ),
      count,
      mergeSelected,
    ),
    h(
      'form',
      { class: 'batch-row', onsubmit: startByScore },
      h('label', { for: 'batch-min-score' }, `Every group of scan ${scan.id} with score at least`),
      minScore,
      h('button', { type: 'submit', class: 'secondary', id: 'merge-by-score' }, 'Merge by score'),
    ),
  );
  update();
  return bar;

  function toggleAll() {
    for (const b of boxes()) b.checked = selectAll.checked;
    update();
  }

  function update() {
    const n = ticked().length;
    const all = boxes().length;
    selectAll.checked = n > 0 && n === all;
    selectAll.indeterminate = n > 0 && n < all;
    selectAll.disabled = all === 0;
    mergeSelected.disabled = n === 0;
    count.textContent = `${plural(n, 'group', 'groups')} selected`;
  }

  async function startSelected() {
    const groupIds = ticked().map((b) => Number(b.value));
    if (groupIds.length === 0) return;
    await start(groupIds.length, `groups ${groupIds.join(', ')}`, { groupIds, rule: rule.value });
  }

  async function startByScore(e) {
    e.preventDefault();
    const score = Number(minScore.value);
    const found = await getJson(`/api/dedupe/${scan.id}/groups?minScore=${score}&pageSize=1`).catch((err) =>
      toast(err.message),
    );
    if (!found) return;
    if (found.total === 0) return toast(`No group of scan ${scan.id} scores at least ${score}.`);
    await start(found.total, `every group of scan ${scan.id} with score at least ${score}`, {
      scanId: scan.id,
      minScore: score,
      rule: rule.value,
    });
  }

  async function start(n, which, body) {
    const ok = await confirmAction({
      title: `Merge ${plural(n, 'group', 'groups')}?`,
      message: [
        `One batch merges ${which}: each into its lowest customer id, fields by "${ruleLabel(body.rule)}".`,
        'A group with a customer merged since the scan is refused and the batch goes on. Each merge can be undone on its own.',
      ],
      confirmLabel: `Merge ${plural(n, 'group', 'groups')}`,
    });
    if (!ok) return;
    const batch = await postJsonValue('/api/merges', body).catch((err) => toast(err.message));
    if (batch) onStarted(batch);
  }
}

/** Where a batch stands; its merges are in the history below, filtered to it. */
export function batchStatus(batch, { allMergesHref }) {
  const { merges, completed, refused } = batch.counts;
  return h(
    'section',
    { class: 'card batch-status', id: 'batch-status', 'data-status': batch.status, 'aria-labelledby': 'batch-title' },
    h('h2', { id: 'batch-title' }, `Batch #${batch.id}`),
    h(
      'p',
      { role: 'status', id: 'batch-progress' },
      `${batch.status} · ${plural(merges, 'group', 'groups')} · ${formatInt(completed)} merged · ${formatInt(refused)} refused`,
    ),
    batch.failure ? h('p', { class: 'failure' }, `${batch.failure.code}: ${batch.failure.message}`) : null,
    h(
      'p',
      { class: 'muted' },
      "The history below lists this batch's merges; each can be undone on its own. ",
      h('a', { href: allMergesHref }, 'Show all merges'),
    ),
  );
}
