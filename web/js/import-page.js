import { ApiError, getJson, webConfig } from './api.js';
import { h } from './dom.js';
import { actionsBar } from './import-actions.js';
import { errorsSection } from './import-errors.js';
import { recordsSection } from './import-records.js';
import { formatDate, formatDuration, formatInt, sourceLabel, statusBadge, statusLabel, TERMINAL } from './format.js';

const POLL_MS = 1000;
const OUTCOMES = ['total', 'valid', 'created', 'linked', 'updated', 'skipped', 'rejected'];

/** Rows per second between the first poll and now, and the time the rest will take at that rate. */
function pace(samples, imp) {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0 || last.rows <= first.rows) return { rate: null, left: null };
  const rate = (last.rows - first.rows) / seconds;
  return { rate, left: (imp.progress.total - imp.progress.rowsProcessed) / rate };
}

function progressSection(imp, samples) {
  const { rowsProcessed, total, percent } = imp.progress;
  const running = !TERMINAL.includes(imp.status);
  const { rate, left } = running ? pace(samples, imp) : { rate: null, left: null };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'progress-title' },
    h('h2', { id: 'progress-title' }, 'Progress'),
    h('p', {}, 'Phase: ', h('strong', { id: 'phase' }, imp.phase ?? '—')),
    h('progress', { id: 'progress-bar', max: 100, value: percent, 'aria-label': 'Records processed' }, `${percent}%`),
    h(
      'p',
      { id: 'progress-text', 'aria-live': 'polite' },
      `${formatInt(rowsProcessed)} of ${formatInt(total)} records processed (${percent}%)`,
      rate ? ` · ${formatInt(Math.round(rate))} records/s · about ${formatDuration(left)} left` : '',
    ),
    h(
      'dl',
      { class: 'counts', id: 'counts' },
      OUTCOMES.flatMap((k) => [h('dt', {}, k), h('dd', { 'data-count': k }, formatInt(imp.counts[k]))]),
    ),
  );
}

function detailsSection(imp, sources, temporalUiUrl) {
  const rows = [
    ['Source', sourceLabel(sources, imp.source)],
    ['Imported by', imp.createdBy],
    ['Import date', formatDate(imp.createdAt)],
    ['Last update', formatDate(imp.updatedAt)],
    ['Finished', formatDate(imp.finishedAt)],
    ['Dry run', imp.options?.dryRun ? 'yes' : 'no'],
    [
      'Corrects',
      imp.parentImportId
        ? h(
            'a',
            { href: `#/imports/${imp.parentImportId}`, id: 'parent-link' },
            `rejected records of import #${imp.parentImportId}`,
          )
        : '—',
    ],
  ];
  const workflow = imp.workflowId
    ? h(
        'a',
        {
          id: 'temporal-link',
          href: `${temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent(imp.workflowId)}`,
          target: '_blank',
          rel: 'noopener noreferrer',
        },
        `${imp.workflowId} in the Temporal UI`,
      )
    : '—';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'details-title' },
    h('h2', { id: 'details-title' }, 'Details'),
    h(
      'dl',
      { class: 'details' },
      rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      h('dt', {}, 'Workflow'),
      h('dd', {}, workflow),
    ),
  );
}

function verificationSection(imp) {
  const v = imp.verification;
  const body = !v
    ? [
        h(
          'p',
          { class: 'muted' },
          TERMINAL.includes(imp.status) ? 'This import was not verified.' : 'Verification runs after the last batch.',
        ),
      ]
    : [
        h(
          'p',
          { id: 'verification-result' },
          v.ok ? '✔ Every check passed' : '✘ A check failed',
          ` · ${formatDate(v.checkedAt)} · sample of ${formatInt(v.sampleSize)} records`,
          v.rowsCheckedWhileImporting > 0
            ? ` · ${formatInt(v.rowsCheckedWhileImporting)} records checked as their batches committed`
            : '',
        ),
        h(
          'table',
          { class: 'checks' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Check', 'Expected', 'Actual', ''].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            (v.checks ?? []).map((c) =>
              h(
                'tr',
                {},
                h('td', {}, c.name),
                h('td', { class: 'num' }, formatInt(c.expected)),
                h('td', { class: 'num' }, formatInt(c.actual)),
                h('td', {}, c.ok ? 'ok' : 'FAILED'),
              ),
            ),
          ),
        ),
        v.mismatches?.length
          ? h('p', {}, `Mismatches (row: field): ${v.mismatches.map((m) => `${m.rowNumber}: ${m.field}`).join(', ')}`)
          : null,
      ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'verification-title' },
    h('h2', { id: 'verification-title' }, 'Verification'),
    ...body,
  );
}

/** How many rejected records follow-up imports fixed later, and which. */
function fixesNote(imp) {
  const followUps = imp.fixes?.followUps ?? [];
  if (followUps.length === 0) return null;
  return h(
    'p',
    { class: 'fixes-note', id: 'fixes-note' },
    `${formatInt(imp.fixes.fixed)} of ${formatInt(imp.counts.rejected)} rejected records fixed later · follow-ups: `,
    followUps.flatMap((f, i) => [
      i ? ', ' : '',
      h('a', { href: `#/imports/${f.id}` }, `#${f.id}`),
      ` (${statusLabel(f.status)}, ${formatInt(f.fixed)} of ${formatInt(f.records)} fixed)`,
    ]),
  );
}

function failureNote(imp) {
  if (!imp.failure) return null;
  return h('p', { class: 'failure', role: 'alert' }, h('strong', {}, imp.failure.code), ': ', imp.failure.message);
}

/** One import, polled while it runs, until `signal` aborts (loading included: nothing is drawn after). */
export async function renderImportPage(main, id, { sources, signal }) {
  const { temporalUiUrl } = await webConfig();
  const samples = [];
  let timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  let errors = null;
  let records = null;
  let errorsFor = null;
  const onSubmitted = (created) => (location.hash = `#/imports/${created.id}`);
  const columnsOf = (imp) => (sources.find((s) => s.name === imp.source)?.columns ?? []).map((c) => c.name);
  // After an action the status moves only once the workflow acts: keep polling until it does.
  let awaitChange = null;

  async function load() {
    clearTimeout(timer);
    let imp;
    try {
      imp = await getJson(`/api/imports/${id}`);
    } catch (err) {
      if (!signal.aborted)
        main.replaceChildren(
          h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err)),
          h('a', { href: '#/' }, 'Back to the imports'),
        );
      return;
    }
    if (signal.aborted) return;
    samples.push({ at: Date.now(), rows: imp.progress.rowsProcessed });
    if (samples.length > 20) samples.shift();
    // Rejected records appear while validating; the list is fetched again only when the count moves.
    const errorsKey = `${imp.status}:${imp.counts.rejected}`;
    if (errorsFor !== errorsKey)
      ((errors = await errorsSection(imp, { columns: columnsOf(imp), onSubmitted })),
        (records = recordsSection(imp)),
        (errorsFor = errorsKey));
    if (signal.aborted) return;
    const focused = document.activeElement?.id;
    const parts = [
      h('p', {}, h('a', { href: '#/' }, '‹ All imports')),
      h(
        'div',
        { class: 'page-head' },
        h('h1', {}, `Import #${imp.id} · `, h('span', { class: 'file-name' }, imp.fileName)),
        statusBadge(imp.status),
      ),
      h('p', { class: 'visually-hidden', 'aria-live': 'polite' }, `Status: ${statusLabel(imp.status)}`),
      failureNote(imp),
      fixesNote(imp),
      actionsBar(imp, () => ((awaitChange = { from: imp.status, until: Date.now() + 60_000 }), load())),
      h('div', { class: 'grid' }, progressSection(imp, samples), detailsSection(imp, sources, temporalUiUrl)),
      verificationSection(imp),
      records,
      errors,
    ];
    main.replaceChildren(...parts.filter(Boolean));
    if (focused) document.getElementById(focused)?.focus();
    if (awaitChange && (imp.status !== awaitChange.from || Date.now() > awaitChange.until)) awaitChange = null;
    if (!TERMINAL.includes(imp.status) || awaitChange) timer = setTimeout(load, POLL_MS);
  }

  await load();
}
