import { getJson, postJsonValue } from './api.js';
import { confirmAction, h, toast } from './dom.js';
import { formatDate } from './format.js';

const POLL_MS = 1000;

/** The Duplicates screen: start a scan, review its groups side by side, merge one, see and undo merges. */
export async function renderDuplicates(main, params, { navigate, signal }) {
  const scanId = Number(params.get('scan')) || null;
  let scan, groups, merges;
  try {
    scan = scanId ? await getJson(`/api/dedupe/${scanId}`) : null;
    groups = scan?.status === 'completed' ? await getJson(`/api/dedupe/${scanId}/groups?pageSize=50`) : null;
    merges = await getJson('/api/merges?pageSize=20');
  } catch (err) {
    if (!signal.aborted) main.replaceChildren(h('p', { role: 'alert' }, `Cannot load the duplicates: ${err.message}`));
    return;
  }
  if (signal.aborted) return;
  main.replaceChildren(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Duplicate customers'),
      h('button', { type: 'button', class: 'primary', id: 'dedupe-start', onclick: start }, 'Find duplicates'),
    ),
    scanSummary(scan),
    groups ? groupList(groups) : null,
    h('h2', {}, 'Merge history'),
    mergeHistory(merges),
  );
  if (scan?.status === 'running') setTimeout(() => !signal.aborted && navigate(location.hash), POLL_MS);

  async function start() {
    const started = await postJsonValue('/api/dedupe', {}).catch((err) => toast(err.message));
    if (started) navigate(`#/duplicates?scan=${started.id}`);
  }

  function groupList(page) {
    if (page.items.length === 0) return h('p', { class: 'muted', id: 'no-groups' }, 'No duplicates found.');
    return h(
      'div',
      { class: 'dedupe-groups' },
      page.items.map(groupCard),
      h('p', { class: 'muted' }, `${page.items.length} of ${page.total} groups`),
    );
  }

  function groupCard(group) {
    const name = `survivor-${group.id}`;
    const merged = group.customers.some((c) => c.mergedInto !== null);
    return h(
      'section',
      { class: 'card dedupe-group', 'data-group-id': group.id },
      h('h3', {}, `Group ${group.id} · score ${group.score}`),
      h(
        'p',
        { class: 'muted reasons' },
        group.reasons.map((r) => `${r.field}: ${r.agreement} (+${r.weight})`).join(' · '),
      ),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Survivor', 'Id', 'Name', 'Birth date', 'Phones', 'E-mails', 'Sources'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          group.customers.map((c, i) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('input', {
                  type: 'radio',
                  name,
                  value: c.id,
                  checked: i === 0,
                  'aria-label': `Keep customer ${c.id}`,
                }),
              ),
              h('td', {}, String(c.id)),
              h('td', {}, `${c.firstName} ${c.lastName}`),
              h('td', {}, c.dateOfBirth ?? ''),
              h('td', {}, c.phones.join(', ')),
              h('td', {}, c.emails.join(', ')),
              h('td', {}, c.sources.join(', ')),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        merged
          ? h('span', { class: 'muted' }, 'Merged since the scan')
          : h('button', { type: 'button', class: 'primary merge-group', onclick: () => merge(group, name) }, 'Merge'),
      ),
    );
  }

  async function merge(group, name) {
    const survivorId = Number(main.querySelector(`input[name="${name}"]:checked`).value);
    const ok = await confirmAction({
      title: `Merge group ${group.id}?`,
      message: `Everything of the other customers moves to customer ${survivorId}; its empty fields are filled from them. The merge can be undone.`,
      confirmLabel: 'Merge',
    });
    if (!ok) return;
    const started = await postJsonValue('/api/merges', { groupId: group.id, survivorId }).catch((err) =>
      toast(err.message),
    );
    if (started) toast(`Merge ${started.id} started`);
    setTimeout(() => navigate(location.hash), POLL_MS);
  }

  function mergeHistory(page) {
    if (page.items.length === 0) return h('p', { class: 'muted', id: 'no-merges' }, 'No merges yet.');
    return h(
      'table',
      { class: 'merge-history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Merge', 'Status', 'Survivor', 'Merged', 'By', 'When', ''].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        page.items.map((m) =>
          h(
            'tr',
            { 'data-merge-id': m.id },
            h('td', {}, `#${m.id}`),
            h('td', { class: 'merge-status' }, m.status),
            h('td', {}, String(m.survivorId)),
            h('td', {}, m.mergedIds.join(', ')),
            h('td', {}, m.createdBy),
            h('td', {}, formatDate(m.createdAt)),
            h(
              'td',
              {},
              m.status === 'completed'
                ? h('button', { type: 'button', class: 'secondary undo-merge', onclick: () => undo(m) }, 'Undo')
                : null,
            ),
          ),
        ),
      ),
    );
  }

  async function undo(m) {
    const preview = await getJson(`/api/merges/${m.id}/undo-preview`);
    const kept = preview.keepsLaterWork ? ' Work done since the merge is kept.' : '';
    const ok = await confirmAction({
      title: `Undo merge ${m.id}?`,
      message: `The customers return to what they were before the merge.${kept}`,
      confirmLabel: 'Undo merge',
      danger: true,
    });
    if (!ok) return;
    await postJsonValue(`/api/merges/${m.id}/undo`, {}).catch((err) => toast(err.message));
    setTimeout(() => navigate(location.hash), POLL_MS);
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
