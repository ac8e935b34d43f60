import { ApiError, download, getJson } from './api.js';
import { h, toast } from './dom.js';
import { formatDate, formatInt, sourceLabel, statusBadge, statusLabel, STATUSES, TERMINAL } from './format.js';
import { paginationBar, PAGE_SIZES } from './pagination.js';
import { openUploadDialog } from './upload-dialog.js';

const POLL_MS = 3000;

function listState(params) {
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = Number(params.get('pageSize'));
  return {
    page,
    pageSize: PAGE_SIZES.includes(size) ? size : 10,
    status: params.get('status') ?? '',
    source: params.get('source') ?? '',
    fileName: params.get('fileName') ?? '',
  };
}

/** The state as the hash and the api query both spell it; empty filters are left out. */
function listQuery(state) {
  return new URLSearchParams(
    Object.entries(state)
      .filter(([, v]) => v !== '' && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
}

/** Status, source and file name: a change starts again at page 1. */
function filtersForm(state, sources, onChange) {
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === state.status }, `${statusLabel(s)} (${s})`)),
  );
  const source = h(
    'select',
    { id: 'filter-source', name: 'source' },
    h('option', { value: '' }, 'Any source'),
    sources.map((s) => h('option', { value: s.name, selected: s.name === state.source }, s.label)),
  );
  const fileName = h('input', {
    id: 'filter-file-name',
    name: 'fileName',
    type: 'search',
    value: state.fileName,
    placeholder: 'Part of a file name',
    autocomplete: 'off',
  });
  const apply = () =>
    onChange({ ...state, page: 1, status: status.value, source: source.value, fileName: fileName.value.trim() });
  status.addEventListener('change', apply);
  source.addEventListener('change', apply);
  return h(
    'form',
    {
      class: 'list-filters',
      role: 'search',
      'aria-label': 'Filter the imports',
      onsubmit: (e) => (e.preventDefault(), apply()),
    },
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), status),
    h('div', { class: 'field' }, h('label', { for: 'filter-source' }, 'Source'), source),
    h('div', { class: 'field' }, h('label', { for: 'filter-file-name' }, 'File name'), fileName),
    h('button', { type: 'submit', class: 'secondary', id: 'filter-apply' }, 'Search'),
  );
}

/** Rows successfully written: created, linked to an existing customer, or updated. */
function importedRows(item) {
  const c = item.counts;
  return c.created + c.linked + c.updated;
}

function errorReportLink(item) {
  if (item.status !== 'failed' && item.counts.rejected === 0) return null;
  const label = item.counts.rejected > 0 ? `Error report (${formatInt(item.counts.rejected)})` : 'Error report';
  return h(
    'button',
    {
      type: 'button',
      class: 'link-button error-link',
      onclick: () => download(item.links.errorsCsv, `import-${item.id}-errors.csv`).catch((err) => toast(err.message)),
    },
    label,
  );
}

// One wrapper per cell, so on a phone each cell lays out as label + value.
const cell = (label, attrs, ...content) =>
  h('td', { 'data-label': label, ...attrs }, h('span', { class: 'cell' }, ...content));

function row(item, sources) {
  return h(
    'tr',
    { 'data-import-id': item.id },
    cell('Id', {}, h('a', { href: `#/imports/${item.id}` }, `#${item.id}`)),
    cell('Status', {}, statusBadge(item.status), ' ', errorReportLink(item)),
    cell('Import date', {}, formatDate(item.createdAt)),
    cell('Last update', {}, formatDate(item.finishedAt ?? item.updatedAt)),
    cell('File name', { class: 'file-name' }, h('a', { href: `#/imports/${item.id}` }, item.fileName)),
    cell('Imported by', {}, item.createdBy),
    cell('Source', {}, sourceLabel(sources, item.source)),
    cell(
      'Imported rows',
      { class: 'num' },
      formatInt(importedRows(item)),
      h('span', { class: 'muted' }, ` / ${formatInt(item.counts.total)}`),
    ),
  );
}

function table(items, sources) {
  if (items.length === 0) return h('p', { class: 'empty' }, 'No imports yet. Use "Import customer" to start one.');
  const heads = ['Id', 'Status', 'Import date', 'Last update', 'File name', 'Imported by', 'Source', 'Imported rows'];
  return h(
    'table',
    { class: 'imports-table' },
    h('caption', { class: 'visually-hidden' }, 'Imports, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.map((t) => h('th', { scope: 'col', class: t === 'Imported rows' ? 'num' : null }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((item) => row(item, sources)),
    ),
  );
}

/** The import log, polled while an import runs, until `signal` aborts (loading included: nothing is drawn after). */
export async function renderImportList(main, params, { sources, navigate, signal }) {
  const state = listState(params);
  const { page, pageSize } = state;
  const filtered = Boolean(state.status || state.source || state.fileName);
  let timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const onChange = (next) => navigate(`#/?${listQuery({ ...state, ...next })}`);
  const importButton = h(
    'button',
    { type: 'button', class: 'primary', id: 'import-customer', onclick: upload },
    'Import customer',
  );

  async function upload() {
    const created = await openUploadDialog(sources);
    if (created) navigate(`#/imports/${created.id}`);
    else importButton.focus();
  }

  async function load() {
    try {
      const data = await getJson(`/api/imports?${listQuery(state)}`);
      if (signal.aborted) return;
      const bar = (where) => paginationBar({ page, pageSize, total: data.total, where, onChange });
      const focused = document.activeElement?.id;
      main.replaceChildren(
        h('div', { class: 'page-head' }, h('h1', {}, 'Customer imports'), importButton),
        filtersForm(state, sources, onChange),
        bar('top'),
        h(
          'div',
          { class: 'table-wrap' },
          data.items.length === 0 && filtered
            ? h('p', { class: 'empty' }, 'No import matches these filters.')
            : table(data.items, sources),
        ),
        bar('bottom'),
      );
      if (focused) document.getElementById(focused)?.focus();
      if (data.items.some((i) => !TERMINAL.includes(i.status))) timer = setTimeout(load, POLL_MS);
    } catch (err) {
      if (signal.aborted) return;
      main.replaceChildren(
        h('h1', {}, 'Customer imports'),
        h('p', { class: 'form-message', role: 'alert' }, err instanceof ApiError ? err.message : String(err)),
      );
    }
  }

  await load();
}
