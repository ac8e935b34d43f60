import { h } from './dom.js';

const TYPES = ['text', 'date', 'number', 'amount'];
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'];
const PREFIX = 'attributes.';

/**
 * The custom attributes of a mapping (`attributes.<key>`): one line per attribute with its key, the
 * column that fills it and its type, and the type's options shown only where they apply.
 */
export function attributesEditor(header) {
  let next = 0;
  const lines = [];
  const body = h('tbody', {});

  function addLine(key = '', spec = {}) {
    const n = next++;
    const id = (part) => `map-attr-${n}-${part}`;
    const keyInput = h('input', {
      id: id('key'),
      type: 'text',
      value: key,
      pattern: '[a-z0-9_]{1,63}',
      autocomplete: 'off',
      'aria-label': `Attribute ${n + 1}: key`,
    });
    const column = h(
      'select',
      { id: id('column'), 'aria-label': `Attribute ${n + 1}: column of the file` },
      h('option', { value: '' }, '— not imported —'),
      header.map((c) => h('option', { value: c, selected: c === spec.column }, c)),
    );
    const type = h(
      'select',
      { id: id('type'), 'aria-label': `Attribute ${n + 1}: type`, onchange: () => showOptions() },
      TYPES.map((t) => h('option', { value: t, selected: t === (spec.type ?? 'text') }, t)),
    );
    const format = h(
      'select',
      { id: id('format'), 'aria-label': `Attribute ${n + 1}: layout of the dates` },
      DATE_FORMATS.map((f) => h('option', { value: f, selected: f === spec.format }, f)),
    );
    const buddhistEra = h('input', { type: 'checkbox', id: id('buddhist-era'), checked: Boolean(spec.buddhistEra) });
    const currency = h('input', {
      id: id('currency'),
      type: 'text',
      size: 4,
      maxlength: 3,
      value: spec.currency ?? '',
      autocomplete: 'off',
      'aria-label': `Attribute ${n + 1}: currency (ISO 4217)`,
    });
    const dateOptions = h(
      'span',
      { class: 'date-options' },
      format,
      h('label', { class: 'inline' }, buddhistEra, ' Buddhist era years'),
    );
    const showOptions = () => (
      (dateOptions.hidden = type.value !== 'date'),
      (currency.hidden = type.value !== 'amount')
    );
    const row = h(
      'tr',
      { 'data-attribute': n },
      h('td', {}, keyInput),
      h('td', {}, column),
      h('td', {}, type, dateOptions, currency),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            id: id('remove'),
            onclick: () => (row.remove(), lines.splice(lines.indexOf(line), 1)),
          },
          `Remove attribute ${n + 1}`,
        ),
      ),
    );
    const line = { keyInput, column, type, format, buddhistEra, currency };
    showOptions();
    lines.push(line);
    body.append(row);
    return keyInput;
  }

  const element = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Custom attributes' },
    h(
      'table',
      { class: 'mapping-table', id: 'map-attribute-list' },
      h('caption', {}, 'Custom attributes, stored per customer under their key'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Key', 'Column of the file', 'Type · options', 'Remove'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      body,
    ),
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'map-add-attribute', onclick: () => addLine().focus() },
      'Add a custom attribute',
    ),
  );

  /** The attributes as mapping targets; a line without key or column is left out. */
  function fields() {
    const out = {};
    for (const l of lines) {
      const key = l.keyInput.value.trim();
      if (!key || !l.column.value) continue;
      const spec = { column: l.column.value, type: l.type.value };
      if (spec.type === 'date')
        Object.assign(spec, { format: l.format.value }, l.buddhistEra.checked ? { buddhistEra: true } : {});
      if (spec.type === 'amount' && l.currency.value.trim()) spec.currency = l.currency.value.trim().toUpperCase();
      out[PREFIX + key] = spec;
    }
    return out;
  }

  /** Shows a saved mapping's attributes in place of the current ones. */
  function apply(mappingFields) {
    lines.splice(0);
    body.replaceChildren();
    for (const [target, spec] of Object.entries(mappingFields))
      if (target.startsWith(PREFIX)) addLine(target.slice(PREFIX.length), spec);
  }

  return { element, fields, apply };
}
