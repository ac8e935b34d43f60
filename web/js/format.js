import { h } from './dom.js';

// The screen's three words (In progress, Success, Failed) plus the states Ferry has beyond them.
const STATUS = {
  staging: ['In progress', 'progress'],
  queued: ['Queued', 'progress'],
  waiting: ['Waiting for another import', 'attention'],
  running: ['In progress', 'progress'],
  rolling_back: ['Rolling back', 'progress'],
  awaiting_approval: ['Awaiting approval', 'attention'],
  completed: ['Success', 'success'],
  validated: ['Validated (dry run)', 'success'],
  rolled_back: ['Rolled back', 'neutral'],
  failed: ['Failed', 'failed'],
  expired: ['Expired', 'neutral'],
};

export const TERMINAL = ['completed', 'validated', 'rolled_back', 'failed', 'expired'];

/** Every status the api reports, in the order an import meets them: the import log's filter offers these. */
export const STATUSES = Object.keys(STATUS);

export function statusLabel(status) {
  return STATUS[status]?.[0] ?? status;
}

export function statusBadge(status) {
  const [label, kind] = STATUS[status] ?? [status, 'neutral'];
  return h('span', { class: `badge badge-${kind}`, 'data-status': status }, label);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

export function formatInt(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '—';
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function sourceLabel(sources, name) {
  return sources.find((s) => s.name === name)?.label ?? name;
}
