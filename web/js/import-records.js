import { ApiError, getJson } from './api.js';
import { h } from './dom.js';
import { formatInt } from './format.js';
import { showCustomer } from './customer-dialog.js';
import { paginationBar } from './pagination.js';

const OUTCOMES = ['created', 'linked', 'updated', 'skipped', 'rejected'];

function outcomeBadge(outcome) {
  const kind =
    { created: 'success', linked: 'success', updated: 'success', skipped: 'neutral', rejected: 'failed' }[outcome] ??
    'neutral';
  return h('span', { class: `badge badge-${kind}`, 'data-outcome': outcome }, outcome);
}

function reasonList(item) {
  return h(
    'ul',
    { class: 'reasons' },
    item.reasons.map((e) => h('li', {}, h('code', {}, e.code), ' ', e.message)),
  );
}

function resultCell(item) {
  if (item.outcome !== 'rejected') {
    if (item.customerId === null) return '—';
    const customer = h(
      'button',
      {
        type: 'button',
        class: 'link-button customer-id',
        'data-customer-id': item.customerId,
        onclick: (e) => showCustomer(item.customerId, e.currentTarget),
      },
      `Customer #${item.customerId}`,
    );
    // A skipped ledger line says which earlier transaction it matched.
    return item.reasons.length === 0 ? customer : [customer, reasonList(item)];
  }
  const reasons = reasonList(item);
  if (!item.fixedBy) return reasons;
  return [
    reasons,
    h(
      'p',
      { class: 'fixed-by' },
      'Fixed by ',
      h('a', { href: `#/imports/${item.fixedBy.importId}` }, `import #${item.fixedBy.importId}`),
      `, record ${item.fixedBy.rowNumber}`,
    ),
  ];
}

function recordsTable(items) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'records-table' },
      h('caption', { class: 'visually-hidden' }, 'Records and what became of them'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Row', 'Outcome', 'Customer or reasons'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            { 'data-row-number': item.rowNumber },
            h('td', { class: 'num', 'data-label': 'Row' }, String(item.rowNumber)),
            h('td', { 'data-label': 'Outcome' }, outcomeBadge(item.outcome)),
            h('td', { 'data-label': 'Customer or reasons' }, resultCell(item)),
          ),
        ),
      ),
    ),
  );
}

/**
 * What became of each record: filter buttons by outcome (with the import's counts), a search by row
 * number or legacy id, one page at a time. The section keeps its own state across the page's polls.
 */
export function recordsSection(imp) {
  const state = { outcome: '', q: '', page: 1, pageSize: 10 };
  const body = h('div', { id: 'records-body', 'aria-live': 'polite' });
  const filters = h('div', { class: 'outcome-filters', role: 'group', 'aria-label': 'Show records by outcome' });
  const search = h('input', {
    id: 'records-search',
    type: 'search',
    placeholder: 'Row number or legacy id',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    {
      class: 'records-search',
      role: 'search',
      onsubmit: (e) => (e.preventDefault(), (state.q = search.value), (state.page = 1), load()),
    },
    h('label', { for: 'records-search' }, 'Find a record'),
    search,
    h('button', { type: 'submit', class: 'secondary' }, 'Find'),
  );

  function drawFilters() {
    const choices = [
      ['', 'All', imp.counts.total],
      ...OUTCOMES.map((o) => [o, o[0].toUpperCase() + o.slice(1), imp.counts[o]]),
    ];
    filters.replaceChildren(
      ...choices.map(([value, label, n]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'filter',
            id: `records-filter-${value || 'all'}`,
            'aria-pressed': String(state.outcome === value),
            onclick: () => ((state.outcome = value), (state.page = 1), drawFilters(), load()),
          },
          `${label} (${formatInt(n)})`,
        ),
      ),
    );
  }

  async function load() {
    const query = new URLSearchParams({ page: String(state.page), pageSize: String(state.pageSize) });
    if (state.outcome) query.set('outcome', state.outcome);
    if (state.q.trim()) query.set('q', state.q.trim());
    try {
      const data = await getJson(`/api/imports/${imp.id}/records?${query}`);
      const bar = paginationBar({
        page: state.page,
        pageSize: state.pageSize,
        total: data.total,
        where: 'records',
        onChange: (next) => (Object.assign(state, next), load()),
      });
      body.replaceChildren(
        data.total === 0 ? h('p', { class: 'muted' }, 'No record matches.') : recordsTable(data.items),
        bar,
      );
    } catch (err) {
      body.replaceChildren(h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
    }
  }

  drawFilters();
  load();
  return h(
    'section',
    { class: 'card', id: 'records', 'aria-labelledby': 'records-title' },
    h('h2', { id: 'records-title' }, 'Records'),
    filters,
    form,
    body,
  );
}
