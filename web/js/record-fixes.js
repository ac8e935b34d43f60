import { ApiError, postJson } from './api.js';
import { h, toast } from './dom.js';

// The options a follow-up keeps from its parent, so its records meet the same rules.
const KEPT_OPTIONS = ['duplicates', 'mappingId', 'region', 'nationalIdScheme'];

function randomKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The corrections as the error report's shape: the record's columns, then the parent's row number. */
function correctionsCsv(corrections) {
  const columns = Object.keys(corrections.values().next().value);
  const lines = [
    [...columns, 'row_number'],
    ...[...corrections].map(([row, values]) => [...columns.map((c) => values[c] ?? ''), String(row)]),
  ];
  return lines.map((line) => line.map(quote).join(',')).join('\r\n') + '\r\n';
}

/**
 * Fix and resubmit: rejected records corrected in place, or a corrected error report, sent as one
 * follow-up import of the parent. One Idempotency-Key per set of corrections: a retried click loads nothing twice.
 */
export function fixesPanel(imp, { columns, onSubmitted }) {
  // The database keeps a record's fields in its own order: show them in the source's.
  const rank = (name) => (columns.includes(name) ? columns.indexOf(name) : columns.length);
  const inOrder = (record) => Object.entries(record).sort(([a], [b]) => rank(a) - rank(b));
  const corrections = new Map();
  let key = randomKey();
  const status = h('p', { class: 'form-message', role: 'alert', id: 'fixes-message' });
  const submitButton = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'submit-fixes',
      hidden: true,
      onclick: () =>
        send(
          new File([correctionsCsv(corrections)], `import-${imp.id}-corrections.csv`, { type: 'text/csv' }),
          submitButton,
        ),
    },
    '',
  );
  const reportInput = h('input', {
    id: 'fix-report-file',
    type: 'file',
    accept: '.csv,.xlsx,text/csv',
    onchange: () => reportInput.files?.[0] && send(reportInput.files[0], reportInput),
  });

  function changed() {
    key = randomKey();
    submitButton.hidden = corrections.size === 0;
    submitButton.textContent = `Submit ${corrections.size} corrected record${corrections.size === 1 ? '' : 's'}`;
  }

  async function send(file, control) {
    const form = new FormData();
    form.set('source', imp.source);
    form.set('parentImportId', String(imp.id));
    for (const option of KEPT_OPTIONS)
      if (imp.options?.[option] !== undefined && imp.options[option] !== null)
        form.set(option, String(imp.options[option]));
    form.set('file', file, file.name);
    control.disabled = true;
    status.textContent = '';
    try {
      const created = await postJson('/api/imports', form, {
        'idempotency-key': control === reportInput ? randomKey() : key,
      });
      toast(`Follow-up import #${created.id} started.`);
      onSubmitted(created);
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : `The upload failed: ${err.message}`;
      if (control === reportInput) reportInput.value = '';
    } finally {
      control.disabled = false;
    }
  }

  /** The Fix button of one rejected record: opens its values for editing below its row. */
  function fixButton(item, tr, colSpan) {
    let editor = null;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        'aria-expanded': 'false',
        'data-fix-row': item.rowNumber,
        onclick: () => (editor ? close() : open()),
      },
      'Fix',
    );
    const close = () => (
      editor.remove(),
      (editor = null),
      button.setAttribute('aria-expanded', 'false'),
      button.focus()
    );
    function open() {
      const values = corrections.get(item.rowNumber) ?? item.record;
      const inputs = inOrder(values).map(([name, value]) => {
        const id = `fix-${item.rowNumber}-${name}`;
        const bad = item.errors.some((e) => e.field === name);
        return h(
          'div',
          { class: 'field' },
          h('label', { for: id }, name, bad ? ' (rejected)' : ''),
          h('input', { id, name, value, 'aria-invalid': bad ? 'true' : null }),
        );
      });
      const form = h(
        'form',
        {
          class: 'fix-form',
          'aria-label': `Correct record ${item.rowNumber}`,
          onsubmit: (e) => {
            e.preventDefault();
            corrections.set(item.rowNumber, Object.fromEntries(new FormData(form)));
            tr.classList.add('corrected');
            changed();
            close();
          },
        },
        h('div', { class: 'fix-fields' }, inputs),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => (corrections.delete(item.rowNumber), tr.classList.remove('corrected'), changed(), close()),
            },
            'Discard',
          ),
          h('button', { type: 'submit', class: 'primary' }, 'Keep correction'),
        ),
      );
      editor = h('tr', { class: 'fix-row' }, h('td', { colspan: colSpan }, form));
      tr.after(editor);
      button.setAttribute('aria-expanded', 'true');
      (form.querySelector('[aria-invalid=true]') ?? form.querySelector('input'))?.focus();
    }
    return button;
  }

  const bar = h(
    'div',
    { class: 'fixes-bar' },
    h(
      'p',
      { class: 'muted' },
      'Correct records with Fix, then submit them; or upload the error report corrected in a spreadsheet. Only those records are imported, as a follow-up of this import.',
    ),
    h(
      'div',
      { class: 'actions fixes-actions' },
      submitButton,
      h('label', { for: 'fix-report-file', class: 'file-label' }, 'Upload a corrected report ', reportInput),
    ),
    status,
  );
  return { bar, fixButton };
}
