import { ApiError, getJson } from './api.js';
import { h } from './dom.js';

const list = (values) => (values.length ? values.join(', ') : '—');

/** What the CRM holds for a customer, in a window; focus returns to `opener` when it closes. */
export async function showCustomer(id, opener) {
  let body;
  try {
    const c = await getJson(`/api/customers/${id}`);
    const rows = [
      ['Name', `${c.firstName} ${c.lastName}`.trim()],
      ['Gender', c.gender ?? '—'],
      ['Date of birth', c.dateOfBirth ?? '—'],
      ['Phones', list(c.phones)],
      ['Emails', list(c.emails)],
      ['Companies', list(c.companies)],
      ['Legacy ids', list(c.relations.map((r) => `${r.source} ${r.originalId}${r.active ? '' : ' (inactive)'}`))],
      [
        'Created by',
        c.importId ? h('a', { href: `#/imports/${c.importId}` }, `import #${c.importId}`) : 'before Ferry',
      ],
    ];
    body = h(
      'dl',
      { class: 'details', id: 'customer-details' },
      rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    );
  } catch (err) {
    body = h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err));
  }
  const dialog = h(
    'dialog',
    { class: 'dialog customer-dialog', 'aria-labelledby': 'customer-title' },
    h(
      'header',
      { class: 'dialog-header' },
      h('h2', { id: 'customer-title' }, `Customer #${id}`),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => dialog.close() }, '×'),
    ),
    h('div', { class: 'dialog-body' }, body),
  );
  dialog.addEventListener('close', () => (dialog.remove(), opener?.focus()));
  // A link inside leaves the page: the window goes with it.
  dialog.addEventListener('click', (e) => e.target instanceof HTMLAnchorElement && dialog.close());
  document.body.append(dialog);
  dialog.showModal();
}
