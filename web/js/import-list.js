import { ApiError, download, getJson } from './api.js';
import { h, toast } from './dom.js';
import { formatDate, formatInt, sourceLabel, statusBadge, TERMINAL } from './format.js';
import { paginationBar, PAGE_SIZES } from './pagination.js';
import { openUploadDialog } from './upload-dialog.js';

const POLL_MS = 3000;

function listState(params) {
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = Number(params.get('pageSize'));
  return { page, pageSize: PAGE_SIZES.includes(size) ? size : 10 };
}

/** Rows successfully written: created, linked to an existing customer, or updated. */
function importedRows(item) {
  const c = item.counts;
  return c.created + c.linked + c.updated;
}

function errorReportLink(item) {
  if (item.status !== 'failed' && item.counts.rejected === 0) return null;
  const label = item.counts.rejected > 0 ? `Error report (${formatInt(item.counts.rejected)})` : 'Error report';
  return h('button', {
    type: 'button',
    class: 'link-button error-link',
    onclick: () => download(item.links.errorsCsv, `import-${item.id}-errors.csv`).catch((err) => toast(err.message)),
  }, label);
}

// One wrapper per cell, so on a phone each cell lays out as label + value.
const cell = (label, attrs, ...content) => h('td', { 'data-label': label, ...attrs }, h('span', { class: 'cell' }, ...content));

function row(item, sources) {
  return h('tr', { 'data-import-id': item.id },
    cell('Id', {}, h('a', { href: `#/imports/${item.id}` }, `#${item.id}`)),
    cell('Status', {}, statusBadge(item.status), ' ', errorReportLink(item)),
    cell('Import date', {}, formatDate(item.createdAt)),
    cell('Last update', {}, formatDate(item.finishedAt ?? item.updatedAt)),
    cell('File name', { class: 'file-name' }, h('a', { href: `#/imports/${item.id}` }, item.fileName)),
    cell('Imported by', {}, item.createdBy),
    cell('Source', {}, sourceLabel(sources, item.source)),
    cell('Imported rows', { class: 'num' }, formatInt(importedRows(item)), h('span', { class: 'muted' }, ` / ${formatInt(item.counts.total)}`)),
  );
}

function table(items, sources) {
  if (items.length === 0) return h('p', { class: 'empty' }, 'No imports yet. Use "Import customer" to start one.');
  const heads = ['Id', 'Status', 'Import date', 'Last update', 'File name', 'Imported by', 'Source', 'Imported rows'];
  return h('table', { class: 'imports-table' },
    h('caption', { class: 'visually-hidden' }, 'Imports, newest first'),
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col', class: t === 'Imported rows' ? 'num' : null }, t)))),
    h('tbody', {}, items.map((item) => row(item, sources))),
  );
}

/** The import log, polled while an import runs, until `signal` aborts (loading included: nothing is drawn after). */
export async function renderImportList(main, params, { sources, navigate, signal }) {
  const { page, pageSize } = listState(params);
  let timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const onChange = (next) => navigate(`#/?page=${next.page}&pageSize=${next.pageSize}`);
  const importButton = h('button', { type: 'button', class: 'primary', id: 'import-customer', onclick: upload }, 'Import customer');

  async function upload() {
    const created = await openUploadDialog(sources);
    if (created) navigate(`#/imports/${created.id}`);
    else importButton.focus();
  }

  async function load() {
    try {
      const data = await getJson(`/api/imports?page=${page}&pageSize=${pageSize}`);
      if (signal.aborted) return;
      const bar = (where) => paginationBar({ page, pageSize, total: data.total, where, onChange });
      const focused = document.activeElement?.id;
      main.replaceChildren(
        h('div', { class: 'page-head' }, h('h1', {}, 'Customer imports'), importButton),
        bar('top'),
        h('div', { class: 'table-wrap' }, table(data.items, sources)),
        bar('bottom'),
      );
      if (focused) document.getElementById(focused)?.focus();
      if (data.items.some((i) => !TERMINAL.includes(i.status))) timer = setTimeout(load, POLL_MS);
    } catch (err) {
      if (signal.aborted) return;
      main.replaceChildren(h('h1', {}, 'Customer imports'), h('p', { class: 'form-message', role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
    }
  }

  await load();
}
