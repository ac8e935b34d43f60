import { getJson, session } from './api.js';
import { h } from './dom.js';
import { renderImportList } from './import-list.js';
import { renderImportPage } from './import-page.js';
import { renderDuplicates } from './duplicates.js';

const main = document.getElementById('main');
const signOutButton = document.getElementById('sign-out');
// Ends the view on screen, and one still loading: a route aborts the one before it as it begins.
let dispose = () => {};
let sources = null;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function signInForm(problem) {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
  });
  const message = h('p', { class: 'form-message', role: 'alert', id: 'sign-in-message' }, problem ?? '');
  const form = h(
    'form',
    { class: 'card sign-in', onsubmit: submit },
    h('h1', {}, 'Sign in'),
    h(
      'p',
      { class: 'muted' },
      'Paste your Ferry token. It stays in this tab only and is forgotten when the tab closes. Signing in also lets the Temporal UI on this host show decoded payloads for 8 hours, or until you sign out.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Token'), input),
    message,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in')),
  );
  async function submit(e) {
    e.preventDefault();
    const token = input.value.trim();
    // Checked here, not through the api client, whose 401 handling would replace this form.
    const res = await fetch('/api/imports?page=1&pageSize=1', { headers: { authorization: `Bearer ${token}` } }).catch(
      (err) => err,
    );
    if (res instanceof Response && res.ok) {
      await session.signIn(token);
      return route();
    }
    message.textContent =
      res instanceof Response && res.status === 401
        ? 'That token is not valid.'
        : `Cannot sign in: ${res.message ?? res.status}`;
    input.select();
  }
  main.replaceChildren(form);
  input.focus();
}

async function route() {
  dispose();
  const view = new AbortController();
  const { signal } = view;
  dispose = () => view.abort();
  document.getElementById('toast').classList.remove('visible');
  signOutButton.hidden = !session.token();
  if (!session.token()) return signInForm();
  try {
    sources ??= (await getJson('/api/sources')).items;
  } catch (err) {
    if (signal.aborted || !session.token()) return;
    main.replaceChildren(h('p', { role: 'alert' }, `Cannot load the sources: ${err.message}`));
    return;
  }
  // Signed out, or navigated elsewhere, while the sources loaded: the newer route owns the screen.
  if (signal.aborted) return;
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const detail = /^\/imports\/(\d+)$/.exec(path);
  if (detail) await renderImportPage(main, Number(detail[1]), { sources, signal });
  else if (path === '/duplicates') await renderDuplicates(main, new URLSearchParams(query), { navigate, signal });
  else await renderImportList(main, new URLSearchParams(query), { sources, navigate, signal });
  if (!signal.aborted) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
window.addEventListener('ferry:unauthenticated', () => {
  session.signOut();
  dispose();
  signInForm('Your token was not accepted: sign in again.');
  signOutButton.hidden = true;
});
signOutButton.addEventListener('click', () => {
  session.signOut();
  sources = null;
  navigate('#/');
});
session.renewCodecSession();
route();
