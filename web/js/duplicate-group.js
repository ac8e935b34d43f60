import { h } from './dom.js';
import { DEFAULT_RULE, MERGE_FIELDS, MERGE_RULES, ruleLabel, ruleSource, shownValue } from './merge-fields.js';

const COLUMNS = ['Survivor', 'Id', 'Name', 'Gender', 'Birth date', 'Phones', 'E-mails', 'Sources'];

/**
 * One group of a scan: its customers side by side, who survives, where each of the survivor's
 * fields comes from, and Merge. `onMerge(group, { survivorId, rule, choices })` sends it.
 */
export function groupCard(group, { onMerge }) {
  const id = group.id;
  const merged = group.customers.some((c) => c.mergedInto !== null);
  const survivorName = `survivor-${id}`;
  const rule = h(
    'select',
    { id: `rule-${id}`, class: 'merge-rule', 'aria-describedby': `rule-help-${id}`, onchange: refresh },
    MERGE_RULES.map((r) =>
      h(
        'option',
        { value: r.value, selected: r.value === DEFAULT_RULE },
        r.value === DEFAULT_RULE ? `${r.label} (default)` : r.label,
      ),
    ),
  );
  const ruleHelp = h('p', { class: 'muted rule-help', id: `rule-help-${id}` });
  const choices = MERGE_FIELDS.map((f) =>
    h('select', { id: `choice-${id}-${f.key}`, class: 'field-choice', 'data-field': f.key }),
  );
  const card = h(
    'section',
    { class: 'card dedupe-group', 'data-group-id': id, 'aria-labelledby': `group-title-${id}` },
    h(
      'div',
      { class: 'group-head' },
      h('h3', { id: `group-title-${id}` }, `Group ${id} · score ${shownScore(group.score)}`),
      h(
        'span',
        { class: 'field checkbox' },
        h('input', { type: 'checkbox', id: `select-group-${id}`, class: 'select-group', value: id, disabled: merged }),
        h('label', { for: `select-group-${id}` }, `Select group ${id}`),
      ),
    ),
    h(
      'p',
      { class: 'muted reasons' },
      group.reasons.map((r) => `${r.field}: ${r.agreement} (+${Math.round(r.weight * 10) / 10})`).join(' · '),
    ),
    h(
      'div',
      { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `Customers of group ${id}` },
      h(
        'table',
        { class: 'group-customers' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            COLUMNS.map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          group.customers.map((c, i) => customerRow(c, survivorName, i === 0)),
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'survivor-fields', disabled: merged },
      h('legend', {}, "The survivor's fields"),
      h('div', { class: 'field' }, h('label', { for: rule.id }, 'Rule'), rule, ruleHelp),
      h(
        'div',
        { class: 'choice-grid' },
        MERGE_FIELDS.map((f, i) =>
          h('div', { class: 'field' }, h('label', { for: choices[i].id }, f.label), choices[i]),
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      merged
        ? h('span', { class: 'muted' }, 'Merged since the scan')
        : h(
            'button',
            { type: 'button', class: 'primary merge-group', onclick: () => onMerge(group, request()) },
            `Merge group ${id}`,
          ),
    ),
  );
  card.addEventListener('change', (e) => {
    if (e.target.name === survivorName) refresh();
  });
  refresh();
  return card;

  function survivorId() {
    return Number(card.querySelector(`input[name="${survivorName}"]:checked`).value);
  }

  /** Each field's first option says what the rule gives, for the survivor and rule chosen now. */
  function refresh() {
    const survivor = group.customers.find((c) => c.id === survivorId());
    const others = group.customers.filter((c) => c !== survivor);
    ruleHelp.textContent = MERGE_RULES.find((r) => r.value === rule.value).help;
    MERGE_FIELDS.forEach((f, i) => {
      const kept = choices[i].value;
      const from = ruleSource(f.key, survivor, others, rule.value);
      choices[i].replaceChildren(
        h('option', { value: '' }, `By the rule: ${shownValue(from[f.key])} (customer ${from.id})`),
        ...group.customers.map((c) =>
          h('option', { value: c.id, selected: String(c.id) === kept }, `${shownValue(c[f.key])} (customer ${c.id})`),
        ),
      );
    });
  }

  function request() {
    const chosen = {};
    MERGE_FIELDS.forEach((f, i) => {
      if (choices[i].value !== '') chosen[f.key] = Number(choices[i].value);
    });
    return { survivorId: survivorId(), rule: rule.value, choices: chosen };
  }
}

/** The survivor's fields after the merge, each with the customer it comes from and why. */
export function survivorOutcome(group, { survivorId, rule, choices }) {
  const survivor = group.customers.find((c) => c.id === survivorId);
  const others = group.customers.filter((c) => c !== survivor);
  return h(
    'ul',
    { class: 'survivor-outcome', 'aria-label': `Customer ${survivorId} after the merge` },
    MERGE_FIELDS.map((f) => {
      const chosen = choices[f.key];
      const from =
        chosen === undefined ? ruleSource(f.key, survivor, others, rule) : group.customers.find((c) => c.id === chosen);
      const why = chosen === undefined ? ruleLabel(rule).toLowerCase() : 'chosen';
      return h('li', {}, `${f.label}: ${shownValue(from[f.key])} (customer ${from.id}, ${why})`);
    }),
  );
}

/** Rounded down, so that "merge every group with score at least" the number shown includes this group. */
function shownScore(score) {
  return Math.floor(score * 10) / 10;
}

function customerRow(c, survivorName, first) {
  return h(
    'tr',
    {},
    h(
      'td',
      {},
      h('input', {
        type: 'radio',
        name: survivorName,
        value: c.id,
        checked: first,
        'aria-label': `Keep customer ${c.id}`,
      }),
    ),
    h('td', {}, String(c.id)),
    h('td', {}, `${c.firstName} ${c.lastName}`),
    h('td', {}, c.gender ?? ''),
    h('td', {}, c.dateOfBirth ?? ''),
    h('td', {}, c.phones.join(', ')),
    h('td', {}, c.emails.join(', ')),
    h('td', {}, c.sources.join(', ')),
  );
}
