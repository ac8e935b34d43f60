import { h } from './dom.js';
import { formatInt } from './format.js';

export const PAGE_SIZES = [10, 25, 50, 100];

/** Page numbers as the screen shows them: 1 2 3 … 38 39 40, always with the current page and its neighbours. */
function pageNumbers(page, pages) {
  const keep = new Set(
    [1, 2, 3, pages - 2, pages - 1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages),
  );
  const sorted = [...keep].sort((a, b) => a - b);
  const out = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1] > 1) out.push(null);
    out.push(p);
  });
  return out;
}

/** One pagination bar; the list shows it above and below the table. `where` keeps ids apart. */
export function paginationBar({ page, pageSize, total, where, onChange }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const go = (p) => () => onChange({ page: p, pageSize });
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const sizeId = `page-size-${where}`;
  return h(
    'nav',
    { class: 'pagination', 'aria-label': `Pages (${where})` },
    h(
      'button',
      { type: 'button', class: 'page', disabled: page <= 1, onclick: go(page - 1), 'aria-label': 'Previous page' },
      '‹',
    ),
    pageNumbers(page, pages).map((p) =>
      p === null
        ? h('span', { class: 'gap', 'aria-hidden': 'true' }, '…')
        : h(
            'button',
            {
              type: 'button',
              class: 'page',
              'aria-current': p === page ? 'page' : null,
              'aria-label': `Page ${p}`,
              onclick: go(p),
            },
            String(p),
          ),
    ),
    h(
      'button',
      { type: 'button', class: 'page', disabled: page >= pages, onclick: go(page + 1), 'aria-label': 'Next page' },
      '›',
    ),
    h('span', { class: 'range' }, `${formatInt(first)}–${formatInt(last)} of ${formatInt(total)}`),
    h(
      'label',
      { for: sizeId, class: 'page-size' },
      'Show ',
      h(
        'select',
        { id: sizeId, onchange: (e) => onChange({ page: 1, pageSize: Number(e.target.value) }) },
        PAGE_SIZES.map((n) => h('option', { value: n, selected: n === pageSize }, String(n))),
      ),
      ' entries',
    ),
  );
}
