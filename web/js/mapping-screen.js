import { ApiError, getJson, postJson } from './api.js';
import { h } from './dom.js';
import { attributesEditor, DATE_FORMATS } from './mapping-attributes.js';
import { LIKELY, SURE, suggestMapping } from './mapping-suggest.js';

const SHOWN_ROWS = 3;

function fileForm(file, dialect, fields) {
  const form = new FormData();
  if (dialect.kind === 'csv') {
    if (dialect.encoding && dialect.encoding !== 'auto') form.set('encoding', dialect.encoding);
    if (dialect.delimiterOption && dialect.delimiterOption !== 'auto') form.set('delimiter', dialect.delimiterOption);
  }
  if (fields) form.set('fields', JSON.stringify(fields));
  form.set('file', file, file.name);
  return form;
}

function sampleTable(header, rows) {
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'The file' },
    h(
      'table',
      { class: 'sample-table', id: 'map-sample' },
      h('caption', {}, `The file's header and first ${Math.min(rows.length, SHOWN_ROWS)} records`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          header.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.slice(0, SHOWN_ROWS).map((r) =>
          h(
            'tr',
            {},
            header.map((_, i) => h('td', {}, r[i] ?? '')),
          ),
        ),
      ),
    ),
  );
}

/**
 * The mapping screen of a `mapped` upload: each CRM field with the file column that feeds it (a sure
 * suggestion applied, a likely one only offered), joins, date layout, a preview of the first records
 * as the import would take them, and the mapping saved by name. Resolves with the saved mapping's id.
 */
export async function mappingStep(container, file, dialect, { fields, onDone, onBack }) {
  container.replaceChildren(h('p', { class: 'muted' }, `Reading the columns of ${file.name}…`));
  const { header, rows } = await postJson('/api/mappings/preview', fileForm(file, dialect));
  const saved = (await getJson('/api/mappings')).items;
  const suggestions = suggestMapping(fields, header, rows);
  const columnOptions = (chosen) => [
    h('option', { value: '' }, '— not imported —'),
    ...header.map((c) => h('option', { value: c, selected: c === chosen }, c)),
  ];
  const controls = {};
  const attributes = attributesEditor(header);

  const rowsOfFields = fields.map((field) => {
    const s = suggestions[field];
    const select = h(
      'select',
      { id: `map-${field}`, 'aria-describedby': `map-${field}-hint` },
      columnOptions(s && s.confidence >= SURE ? s.column : ''),
    );
    const join = h(
      'select',
      { id: `map-${field}-join`, 'aria-label': `${field}: join with another column` },
      columnOptions(''),
    );
    join.firstChild.textContent = '— nothing —';
    const hint = h('span', { id: `map-${field}-hint`, class: 'hint' });
    if (s && s.confidence >= SURE) hint.append(`Suggested from ${s.why} (${Math.round(s.confidence * 100)}% sure)`);
    else if (s && s.confidence >= LIKELY) {
      hint.append(
        `Maybe "${s.column}" (${Math.round(s.confidence * 100)}%, from ${s.why}) `,
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            id: `map-${field}-use`,
            onclick: () => ((select.value = s.column), select.focus()),
          },
          'Use it',
        ),
      );
    }
    controls[field] = { select, join };
    const extra = field === 'date_of_birth' ? dateControls() : null;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('label', { for: `map-${field}` }, field)),
      h('td', {}, select, hint),
      h('td', {}, join, extra),
    );
  });

  function dateControls() {
    controls.dateFormat = h(
      'select',
      { id: 'map-date-format', 'aria-label': 'Layout of the dates' },
      DATE_FORMATS.map((f) => h('option', { value: f }, f)),
    );
    controls.buddhistEra = h('input', { type: 'checkbox', id: 'map-buddhist-era' });
    return h(
      'div',
      { class: 'date-options' },
      controls.dateFormat,
      h('label', { class: 'inline' }, controls.buddhistEra, ' Buddhist era years'),
    );
  }

  function currentFields() {
    const out = {};
    for (const field of fields) {
      const { select, join } = controls[field];
      if (!select.value) continue;
      out[field] = join.value ? { join: [select.value, join.value] } : { column: select.value };
      if (field === 'date_of_birth')
        Object.assign(
          out[field],
          { format: controls.dateFormat.value },
          controls.buddhistEra.checked ? { buddhistEra: true } : {},
        );
    }
    return { ...out, ...attributes.fields() };
  }

  function apply(mappingFields) {
    for (const field of fields) {
      const spec = mappingFields[field];
      controls[field].select.value = spec?.column ?? spec?.join?.[0] ?? '';
      controls[field].join.value = spec?.join?.[1] ?? '';
      if (field === 'date_of_birth' && spec)
        ((controls.dateFormat.value = spec.format ?? 'YYYY-MM-DD'),
          (controls.buddhistEra.checked = Boolean(spec.buddhistEra)));
    }
    attributes.apply(mappingFields);
  }

  const message = h('p', { class: 'form-message', role: 'alert', id: 'map-message' });
  const previewBox = h('div', { id: 'map-preview-result', 'aria-live': 'polite' });
  const name = h('input', { id: 'map-name', type: 'text', required: true, autocomplete: 'off', value: '' });
  const savedSelect = h(
    'select',
    {
      id: 'map-saved',
      onchange: () => {
        const chosen = saved.find((m) => String(m.id) === savedSelect.value);
        if (chosen) (apply(chosen.fields), (name.value = chosen.name));
      },
    },
    h('option', { value: '' }, saved.length ? 'Choose a saved mapping…' : 'No saved mapping yet'),
    saved.map((m) => h('option', { value: m.id }, m.name)),
  );

  async function preview() {
    message.textContent = '';
    previewBox.replaceChildren(h('p', { class: 'muted' }, 'Reading the first records through this mapping…'));
    try {
      const { mapped } = await postJson('/api/mappings/preview', fileForm(file, dialect, currentFields()));
      previewBox.replaceChildren(
        h(
          'div',
          { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Preview' },
          h(
            'table',
            { class: 'preview-table' },
            h('caption', {}, 'The first records as they would be imported'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Row', ...mapped.columns, 'Check'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              mapped.records.map((r) =>
                h(
                  'tr',
                  { 'data-row-number': r.rowNumber, class: r.ok ? 'ok' : 'rejected' },
                  h('td', { class: 'num' }, String(r.rowNumber)),
                  mapped.columns.map((c) => h('td', {}, r.values[c] ?? '')),
                  h(
                    'td',
                    {},
                    r.ok
                      ? h('span', { class: 'badge badge-success' }, 'valid')
                      : h(
                          'ul',
                          { class: 'reasons' },
                          r.errors.map((e) => h('li', {}, h('code', {}, e.code), ' ', e.message)),
                        ),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      previewBox.replaceChildren();
      message.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }

  async function save(e) {
    e.preventDefault();
    message.textContent = '';
    try {
      const mapping = await postJson(
        '/api/mappings',
        JSON.stringify({ name: name.value.trim(), fields: currentFields() }),
        { 'content-type': 'application/json' },
      );
      onDone(mapping);
    } catch (err) {
      message.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }

  container.replaceChildren(
    h(
      'form',
      { class: 'mapping-screen', onsubmit: save },
      h('h3', { id: 'map-title' }, `Map the columns of ${file.name}`),
      sampleTable(header, rows),
      h('div', { class: 'field' }, h('label', { for: 'map-saved' }, 'Start from a saved mapping'), savedSelect),
      h(
        'div',
        { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Mapping' },
        h(
          'table',
          { class: 'mapping-table' },
          h('caption', {}, 'Each CRM field and the column that fills it; only mapped fields are imported'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['CRM field', 'Column of the file', 'Joined with · options'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h('tbody', {}, rowsOfFields),
        ),
      ),
      attributes.element,
      h(
        'p',
        { class: 'muted' },
        'A full name is split into first and last name; amounts may carry a currency symbol and thousands separators.',
      ),
      h(
        'div',
        { class: 'actions fixes-actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', id: 'map-preview', onclick: preview },
          'Preview the first records',
        ),
      ),
      previewBox,
      h('div', { class: 'field' }, h('label', { for: 'map-name' }, 'Save this mapping as'), name),
      message,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: onBack }, 'Back'),
        h('button', { type: 'submit', class: 'primary', id: 'map-save' }, 'Save mapping and continue'),
      ),
    ),
  );
  (controls[fields.find((f) => !controls[f].select.value)]?.select ?? savedSelect).focus();
}
