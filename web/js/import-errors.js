import { ApiError, download, getJson } from './api.js';
import { h, toast } from './dom.js';
import { formatInt } from './format.js';
import { fixesPanel } from './record-fixes.js';

const FIRST_ERRORS = 10;

/** A record's values, only once the admin asks for that row. */
function recordRow(record, colSpan) {
  return h(
    'tr',
    { class: 'record-row' },
    h(
      'td',
      { colspan: colSpan },
      h(
        'dl',
        { class: 'record' },
        Object.entries(record).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === '' ? '—' : v)]),
      ),
    ),
  );
}

function errorRow(item, fixes, fixedBy) {
  const fields = [...new Set(item.errors.map((e) => e.field))].join(', ');
  const reasons = h(
    'ul',
    { class: 'reasons' },
    item.errors.map((e) => h('li', {}, h('code', {}, e.code), ' ', e.message)),
  );
  const tr = h(
    'tr',
    { 'data-row-number': item.rowNumber },
    h('td', { 'data-label': 'Row', class: 'num' }, String(item.rowNumber)),
    h('td', { 'data-label': 'Line', class: 'num' }, String(item.lineNumber)),
    h('td', { 'data-label': 'Fields' }, fields),
    h('td', { 'data-label': 'Reasons' }, reasons),
    h('td', {}, null),
  );
  let shown = null;
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      'aria-expanded': 'false',
      onclick: () => {
        if (shown) (shown.remove(), (shown = null));
        else ((shown = recordRow(item.record, 5)), tr.after(shown));
        toggle.setAttribute('aria-expanded', String(Boolean(shown)));
        toggle.textContent = shown ? 'Hide record' : 'Show record';
      },
    },
    'Show record',
  );
  tr.lastChild.append(toggle);
  if (fixedBy)
    tr.lastChild.append(
      ' · Fixed by ',
      h('a', { href: `#/imports/${fixedBy.importId}` }, `import #${fixedBy.importId}`),
    );
  else if (fixes) tr.lastChild.append(' · ', fixes.fixButton(item, tr, 5));
  return tr;
}

/**
 * The first rejected records (row, fields, reasons; the values only on demand) and the full report's
 * download; on a completed import, each can be fixed and resubmitted (`onSubmitted` gets the follow-up).
 */
export async function errorsSection(imp, { columns = [], onSubmitted } = {}) {
  const section = h(
    'section',
    { class: 'card', id: 'errors', 'aria-labelledby': 'errors-title' },
    h('h2', { id: 'errors-title' }, 'Rejected records'),
  );
  let data;
  let fixed;
  try {
    [data, fixed] = await Promise.all([
      getJson(`/api/imports/${imp.id}/errors?page=1&pageSize=${FIRST_ERRORS}`),
      getJson(`/api/imports/${imp.id}/records?outcome=rejected&page=1&pageSize=${FIRST_ERRORS}`),
    ]);
  } catch (err) {
    section.append(h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
    return section;
  }
  if (data.total === 0) {
    section.append(h('p', { class: 'muted' }, 'No record was rejected.'));
    return section;
  }
  const downloadButton = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'download-errors',
      onclick: () => download(imp.links.errorsCsv, `import-${imp.id}-errors.csv`).catch((err) => toast(err.message)),
    },
    `Download the full report (${formatInt(data.total)} records, CSV)`,
  );
  const fixes = imp.status === 'completed' && onSubmitted ? fixesPanel(imp, { columns, onSubmitted }) : null;
  const fixedBy = new Map(fixed.items.map((r) => [r.rowNumber, r.fixedBy]));
  section.append(
    h(
      'p',
      {},
      `${formatInt(data.total)} record${data.total === 1 ? '' : 's'} rejected; the first ${Math.min(FIRST_ERRORS, data.total)} below.`,
    ),
    downloadButton,
    fixes?.bar,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'errors-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Row', 'Line', 'Fields', 'Reasons', ''].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          data.items.map((item) => errorRow(item, fixes, fixedBy.get(item.rowNumber))),
        ),
      ),
    ),
  );
  return section;
}
