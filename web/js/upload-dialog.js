import { ApiError, download, postJson, webConfig } from './api.js';
import { h, toast } from './dom.js';
import { checkFile, countRecords } from './file-check.js';
import { formatBytes, formatInt } from './format.js';
import { mappingStep } from './mapping-screen.js';
import { localeFields } from './locale-fields.js';

/**
 * The "Import customer" window: source (mandatory), file checked before Confirm is enabled, dry run,
 * then a confirmation naming the file, the source and the record count. Resolves with the new import, or null.
 */
export function openUploadDialog(sources) {
  return new Promise((resolve) => {
    let checked = null; // { file, source, encoding, delimiter } once the file passed every check
    let created = null;
    let mapping = null; // the saved mapping of a mapped upload

    const sourceSelect = h(
      'select',
      { id: 'upload-source', name: 'source', required: true, onchange: recheck },
      h('option', { value: '' }, 'Choose a source…'),
      sources.map((s) => h('option', { value: s.name }, s.label)),
    );
    const fileInput = h('input', {
      id: 'upload-file',
      name: 'file',
      type: 'file',
      accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      required: true,
      onchange: recheck,
    });
    // A file dropped anywhere on the zone is the chosen file, checked like a picked one.
    const dropZone = h(
      'div',
      {
        class: 'drop-zone',
        id: 'upload-drop',
        ondragover: (e) => (e.preventDefault(), dropZone.classList.add('dragging')),
        ondragleave: () => dropZone.classList.remove('dragging'),
        ondrop: (e) => {
          e.preventDefault();
          dropZone.classList.remove('dragging');
          if (!e.dataTransfer?.files?.length) return;
          fileInput.files = e.dataTransfer.files;
          recheck();
        },
      },
      fileInput,
      h('p', { class: 'muted' }, 'or drop a CSV or Excel (.xlsx) file here'),
    );
    const templates = h('p', { class: 'templates', id: 'upload-templates', hidden: true });
    const duplicatesSelect = h(
      'select',
      { id: 'upload-duplicates', name: 'duplicates' },
      [
        ['reject', 'Reject it (listed in the error report)'],
        ['skip', 'Skip it'],
        ['update', 'Update the existing customer'],
        ['create', 'Create a new customer anyway'],
      ].map(([value, label]) => h('option', { value }, label)),
    );
    const duplicatesField = h(
      'div',
      { class: 'field', hidden: true },
      h('label', { for: 'upload-duplicates' }, 'A record that matches an existing customer'),
      duplicatesSelect,
    );
    const dryRun = h('input', { id: 'upload-dry-run', name: 'dryRun', type: 'checkbox' });
    const approval = h('input', { id: 'upload-approval', name: 'requireApproval', type: 'checkbox' });
    // Detected by default; declared for the files detection gets wrong (the api refuses a wrong declaration).
    const encodingSelect = h(
      'select',
      { id: 'upload-encoding', name: 'encoding', onchange: recheck },
      [
        ['auto', 'Detect'],
        ['utf-8', 'UTF-8'],
        ['windows-874', 'Windows-874 / TIS-620 (Thai Excel)'],
        ['utf-16le', 'UTF-16LE'],
        ['utf-16be', 'UTF-16BE'],
      ].map(([value, label]) => h('option', { value }, label)),
    );
    const delimiterSelect = h(
      'select',
      { id: 'upload-delimiter', name: 'delimiter', onchange: recheck },
      [
        ['auto', 'Detect'],
        [',', 'Comma ,'],
        [';', 'Semicolon ;'],
        ['tab', 'Tab'],
        ['|', 'Pipe |'],
      ].map(([value, label]) => h('option', { value }, label)),
    );
    const locale = localeFields();
    const message = h('p', { id: 'upload-message', class: 'form-message', role: 'alert' });
    const fileInfo = h('p', { id: 'upload-file-info', class: 'muted' });
    const confirmButton = h(
      'button',
      { type: 'submit', class: 'primary', id: 'upload-confirm', disabled: true },
      'Confirm import',
    );

    const choose = h(
      'form',
      {
        class: 'upload-choose',
        onsubmit: (e) => (e.preventDefault(), checked?.source.name === 'mapped' ? showMapping() : showConfirmation()),
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'upload-source' }, 'Source ', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
        sourceSelect,
        templates,
      ),
      h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'File (CSV or Excel .xlsx)'), dropZone, fileInfo),
      duplicatesField,
      h(
        'div',
        { class: 'field checkbox' },
        dryRun,
        h('label', { for: 'upload-dry-run' }, 'Dry run: check every record, write nothing'),
      ),
      h(
        'div',
        { class: 'field checkbox' },
        approval,
        h('label', { for: 'upload-approval' }, 'Wait for approval after the test batch'),
      ),
      h(
        'details',
        { class: 'csv-options' },
        h('summary', {}, 'CSV encoding and delimiter'),
        h('div', { class: 'field' }, h('label', { for: 'upload-encoding' }, 'Encoding'), encodingSelect),
        h('div', { class: 'field' }, h('label', { for: 'upload-delimiter' }, 'Delimiter'), delimiterSelect),
      ),
      locale.element,
      message,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
        confirmButton,
      ),
    );
    const confirmStep = h('div', { class: 'upload-confirm-step', hidden: true });

    const dialog = h(
      'dialog',
      { class: 'dialog upload-dialog', 'aria-labelledby': 'upload-title' },
      h(
        'header',
        { class: 'dialog-header' },
        h('h2', { id: 'upload-title' }, 'Import customer'),
        h(
          'button',
          { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => dialog.close() },
          '×',
        ),
      ),
      choose,
      confirmStep,
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(created);
    });

    function fail(text) {
      message.textContent = text;
      fileInput.value = '';
      fileInfo.textContent = '';
      checked = null;
      confirmButton.disabled = true;
    }

    /** The chosen source's sample files and, where it has one, its duplicate strategy. */
    function showSourceOptions(source) {
      templates.hidden = !source;
      duplicatesField.hidden = !source?.duplicateStrategies?.length;
      if (!source) return;
      const sample = (path, name, label) =>
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: () => download(path, name).catch((err) => toast(err.message)),
          },
          label,
        );
      templates.replaceChildren(
        'Sample file: ',
        sample(source.template, `${source.name}-template.csv`, 'CSV'),
        ' · ',
        sample(source.templateXlsx, `${source.name}-template.xlsx`, 'Excel'),
      );
    }

    async function recheck() {
      message.textContent = '';
      checked = null;
      confirmButton.disabled = true;
      const file = fileInput.files?.[0];
      const source = sources.find((s) => s.name === sourceSelect.value);
      showSourceOptions(source);
      fileInfo.textContent = file ? `${file.name} · ${formatBytes(file.size)}` : '';
      if (!file || !source) return;
      const { maxUploadBytes } = await webConfig();
      const declared = { encoding: encodingSelect.value, delimiter: delimiterSelect.value };
      const result = await checkFile(file, source, maxUploadBytes, declared);
      // The choice may have changed while the file was being read.
      if (
        fileInput.files?.[0] !== file ||
        sourceSelect.value !== source.name ||
        encodingSelect.value !== declared.encoding ||
        delimiterSelect.value !== declared.delimiter
      )
        return;
      if (!result.ok) return fail(result.message);
      checked = { file, source, ...result };
      confirmButton.disabled = false;
    }

    /** A mapped file goes through the mapping screen first: its columns become the CRM's fields there. */
    async function showMapping() {
      const { file, source } = checked;
      choose.hidden = true;
      confirmStep.hidden = false;
      dialog.classList.add('wide');
      const dialect = { kind: checked.kind, encoding: encodingSelect.value, delimiterOption: delimiterSelect.value };
      // Staged columns the mapping itself fills: not CRM fields an admin picks a column for.
      const setByMapping = ['date_format', 'attributes', 'rules'];
      const fields = source.columns.map((c) => c.name).filter((n) => !setByMapping.includes(n));
      try {
        await mappingStep(confirmStep, file, dialect, {
          fields,
          onDone: (saved) => ((mapping = saved), showConfirmation()),
          onBack: back,
        });
      } catch (err) {
        back();
        message.textContent = err instanceof ApiError ? err.message : String(err);
      }
    }

    async function showConfirmation() {
      if (!checked) return;
      const { file, source } = checked;
      dialog.classList.remove('wide');
      choose.hidden = true;
      confirmStep.hidden = false;
      confirmStep.replaceChildren(h('p', { class: 'muted' }, `Counting the records in ${file.name}…`));
      const records = await countRecords(file, checked).catch(() => null);
      const status = h('p', { class: 'form-message', role: 'alert' });
      const yes = h(
        'button',
        { type: 'button', class: 'primary', id: 'upload-start', onclick: () => start(yes, status) },
        dryRun.checked ? 'Yes, check it' : 'Yes, import',
      );
      confirmStep.replaceChildren(
        h('h3', {}, 'Confirm import'),
        h(
          'p',
          { id: 'upload-summary' },
          dryRun.checked ? 'Check ' : 'Import ',
          h('strong', {}, file.name),
          records === null ? '' : ` (${formatInt(records)} record${records === 1 ? '' : 's'})`,
          ' from source ',
          h('strong', {}, source.label),
          mapping ? [' with mapping ', h('strong', {}, mapping.name)] : '',
          dryRun.checked ? ' as a dry run: nothing will be written.' : ' into the customer profiles?',
        ),
        approval.checked && !dryRun.checked
          ? h('p', { class: 'muted' }, 'It will wait for an approval after the test batch.')
          : null,
        locale.summary() ? h('p', { class: 'muted', id: 'upload-locale-summary' }, locale.summary()) : null,
        status,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: back }, 'Back'), yes),
      );
      yes.focus();
    }

    function back() {
      dialog.classList.remove('wide');
      confirmStep.hidden = true;
      choose.hidden = false;
      confirmButton.focus();
    }

    async function start(button, status) {
      button.disabled = true;
      status.textContent = 'Uploading…';
      const form = new FormData();
      form.set('source', checked.source.name);
      form.set('dryRun', dryRun.checked ? 'true' : 'false');
      if (approval.checked) form.set('requireApproval', 'true');
      // A workbook has no encoding or delimiter: the api refuses them for one.
      if (checked.kind === 'csv' && encodingSelect.value !== 'auto') form.set('encoding', encodingSelect.value);
      if (checked.kind === 'csv' && delimiterSelect.value !== 'auto') form.set('delimiter', delimiterSelect.value);
      if (!duplicatesField.hidden) form.set('duplicates', duplicatesSelect.value);
      if (mapping) form.set('mappingId', String(mapping.id));
      locale.addTo(form);
      form.set('file', checked.file, checked.file.name);
      try {
        created = await postJson('/api/imports', form);
        dialog.close();
      } catch (err) {
        back();
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 403) fail(err.message);
        else message.textContent = err instanceof ApiError ? err.message : `The upload failed: ${err.message}`;
      }
    }

    document.body.append(dialog);
    dialog.showModal();
    sourceSelect.focus();
  });
}
