import { getJson, postJsonValue } from './api.js';
import { confirmAction, h, toast } from './dom.js';
import { groupCard, survivorOutcome } from './duplicate-group.js';
import { batchBar, batchStatus } from './merge-batch.js';
import { mergeHistory, mergesBusy } from './merge-history.js';
import { paginationBar } from './pagination.js';

const POLL_MS = 1000;
const GROUP_PAGE_SIZE = 10;
const MERGE_PAGE_SIZE = 20;

/**
 * The Duplicates screen: start a scan, review its groups side by side, merge one with chosen
 * fields or many in a batch, see and undo merges. Everything it shows is in the hash, so a reload
 * or the back button returns to the same page, batch and filter.
 */
export async function renderDuplicates(main, params, { navigate, signal }) {
  const scanId = Number(params.get('scan')) || null;
  const batchId = Number(params.get('batch')) || null;
  const groupPage = { page: Number(params.get('page')) || 1, pageSize: Number(params.get('size')) || GROUP_PAGE_SIZE };
  const mergePage = {
    page: Number(params.get('mpage')) || 1,
    pageSize: Number(params.get('msize')) || MERGE_PAGE_SIZE,
  };
  let scan, groups, merges, batch;
  try {
    scan = scanId ? await getJson(`/api/dedupe/${scanId}`) : null;
    groups =
      scan?.status === 'completed'
        ? await getJson(`/api/dedupe/${scanId}/groups?page=${groupPage.page}&pageSize=${groupPage.pageSize}`)
        : null;
    [merges, batch] = await loadLive();
  } catch (err) {
    if (!signal.aborted) main.replaceChildren(h('p', { role: 'alert' }, `Cannot load the duplicates: ${err.message}`));
    return;
  }
  if (signal.aborted) return;
  const list = groups ? groupList(groups) : null;
  // An undo's workflow marks the merge only once it runs: until then the screen waits for that change.
  const undoStarted = new Set();
  let watching = false;
  const batchSlot = h('div', { class: 'batch-slot' });
  const historySlot = h('div', { class: 'history-slot' });
  showLive(merges, batch);
  main.replaceChildren(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Duplicate customers'),
      h('button', { type: 'button', class: 'primary', id: 'dedupe-start', onclick: start }, 'Find duplicates'),
    ),
    scanSummary(scan),
    list && groups.items.length > 0 ? batchBar(scan, list, { onStarted: showBatch }) : null,
    list,
    batchSlot,
    h('h2', { id: 'history-title' }, batchId ? `Merge history · batch #${batchId}` : 'Merge history'),
    historySlot,
  );
  if (scan?.status === 'running') setTimeout(() => !signal.aborted && navigate(location.hash), POLL_MS);
  else if (busy(merges, batch)) void watch();

  function busy(mergeList, batchNow) {
    const waitsForUndo = mergeList.items.some((m) => undoStarted.has(m.id) && m.status === 'completed');
    return batchNow?.status === 'running' || mergesBusy(mergeList) || waitsForUndo;
  }

  function hashWith(changes) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes))
      if (value === null) next.delete(key);
      else next.set(key, String(value));
    return `#/duplicates?${next}`;
  }

  function loadLive() {
    const filter = batchId ? `&batchId=${batchId}` : '';
    return Promise.all([
      getJson(`/api/merges?page=${mergePage.page}&pageSize=${mergePage.pageSize}${filter}`),
      batchId ? getJson(`/api/merges/batches/${batchId}`) : null,
    ]);
  }

  function showLive(mergeList, batchNow) {
    batchSlot.replaceChildren(
      batchNow ? batchStatus(batchNow, { allMergesHref: hashWith({ batch: null, mpage: null }) }) : '',
    );
    historySlot.replaceChildren(
      mergeHistory(mergeList, {
        onUndone: (mergeId) => {
          undoStarted.add(mergeId);
          void watch();
        },
      }),
      mergeList.total > mergePage.pageSize
        ? paginationBar({
            ...mergePage,
            total: mergeList.total,
            where: 'merges',
            onChange: (p) => navigate(hashWith({ mpage: p.page, msize: p.pageSize })),
          })
        : '',
    );
  }

  /**
   * Refreshes the batch and the history in place while merges run, so that ticks, choices and
   * focus elsewhere on the screen stay; once all are done, the whole screen reloads to show
   * which groups were merged.
   */
  async function watch() {
    if (watching) return;
    watching = true;
    while (!signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (signal.aborted) return;
      const loaded = await loadLive().catch(() => null);
      if (!loaded || signal.aborted) continue;
      const focused = document.activeElement?.id;
      showLive(...loaded);
      if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
      if (!busy(...loaded)) return navigate(location.hash);
    }
  }

  async function start() {
    const started = await postJsonValue('/api/dedupe', {}).catch((err) => toast(err.message));
    if (started) navigate(`#/duplicates?scan=${started.id}`);
  }

  function showBatch(started) {
    toast(`Batch ${started.id} started`);
    navigate(hashWith({ batch: started.id, mpage: null }));
  }

  function groupList(page) {
    if (page.items.length === 0) return h('p', { class: 'muted', id: 'no-groups' }, 'No duplicates found.');
    return h(
      'div',
      { class: 'dedupe-groups' },
      page.items.map((g) => groupCard(g, { onMerge: merge })),
      paginationBar({
        ...groupPage,
        total: page.total,
        where: 'groups',
        onChange: (p) => navigate(hashWith({ page: p.page, size: p.pageSize })),
      }),
    );
  }

  async function merge(group, request) {
    const ok = await confirmAction({
      title: `Merge group ${group.id}?`,
      message: [
        `Everything of the other customers moves to customer ${request.survivorId}, which then holds:`,
        survivorOutcome(group, request),
        'The merge can be undone.',
      ],
      confirmLabel: 'Merge',
    });
    if (!ok) return;
    const started = await postJsonValue('/api/merges', { groupId: group.id, ...request }).catch((err) =>
      toast(err.message),
    );
    if (!started) return;
    toast(`Merge ${started.id} started`);
    navigate(hashWith({ batch: null, mpage: null }));
  }
}

function scanSummary(scan) {
  if (!scan)
    return h(
      'p',
      { class: 'muted' },
      'Find duplicates compares customers that share a phone, an e-mail, a national id or a birth date, and groups those a careful reviewer would merge.',
    );
  const { customers, pairs, groups } = scan.counts;
  return h(
    'p',
    { id: 'scan-status', 'data-status': scan.status },
    `Scan ${scan.id}: ${scan.status} · ${customers} customers · ${pairs} matching pairs · ${groups} groups`,
  );
}
