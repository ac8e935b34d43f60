import { h } from './dom.js';

const SCHEMES = [
  ['', "The region's"],
  ['th', 'Thai national id (th)'],
  ['sg', 'Singapore NRIC/FIN (sg)'],
  ['my', 'Malaysian MyKad (my)'],
  ['any', 'Any, kept as written (any)'],
];
const ORDERS = [
  ['', 'ISO only (yyyy-mm-dd)'],
  ['DD/MM/YYYY', 'DD/MM/YYYY'],
  ['MM/DD/YYYY', 'MM/DD/YYYY'],
];

/**
 * The upload's region, national-id scheme and date order. Empty means "not declared": the api then
 * takes the saved mapping's, else the deployment's DEFAULT_REGION, so the form never guesses a default.
 */
export function localeFields() {
  const region = h('input', {
    id: 'upload-region',
    name: 'region',
    type: 'text',
    maxlength: 2,
    size: 3,
    pattern: '[A-Za-z]{2}',
    placeholder: 'TH',
    autocomplete: 'off',
    'aria-describedby': 'upload-region-help',
  });
  const scheme = h(
    'select',
    { id: 'upload-national-id-scheme', name: 'nationalIdScheme' },
    SCHEMES.map(([value, label]) => h('option', { value }, label)),
  );
  const order = h(
    'select',
    { id: 'upload-date-order', name: 'dateOrder' },
    ORDERS.map(([value, label]) => h('option', { value }, label)),
  );
  const element = h(
    'details',
    { class: 'locale-options' },
    h('summary', {}, 'Region, national ids and dates'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'upload-region' }, 'Region (country code)'),
      region,
      h(
        'p',
        { id: 'upload-region-help', class: 'muted' },
        "Phones without a country code are read in this region. Empty: the mapping's, else the deployment's default.",
      ),
    ),
    h('div', { class: 'field' }, h('label', { for: 'upload-national-id-scheme' }, 'National id scheme'), scheme),
    h('div', { class: 'field' }, h('label', { for: 'upload-date-order' }, 'Order of slash dates'), order),
  );
  return {
    element,
    /** What the confirmation repeats: the declared choices only, or null when none was made. */
    summary() {
      const parts = [
        region.value.trim() && `region ${region.value.trim().toUpperCase()}`,
        scheme.value && `national ids ${scheme.value}`,
        order.value && `dates ${order.value}`,
      ].filter(Boolean);
      return parts.length === 0 ? null : `Read with ${parts.join(', ')}.`;
    },
    /** Adds the declared choices to the upload form; undeclared ones stay out. */
    addTo(form) {
      const code = region.value.trim().toUpperCase();
      if (code) form.set('region', code);
      if (scheme.value) form.set('nationalIdScheme', scheme.value);
      if (order.value) form.set('dateOrder', order.value);
    },
  };
}
