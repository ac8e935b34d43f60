// The api client: every call carries the signed-in token; problems become ApiError with the api's code.
const TOKEN_KEY = 'ferry.token';

/**
 * Signing in also asks the api for the codec session cookie (HttpOnly, SameSite=Strict, path /codec),
 * which lets the Temporal UI on this host decode payloads; signing out clears it. No codec key on
 * the api (404) or no answer: the admin page works the same without it.
 */
function codecSession(method, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  return fetch('/codec/session', { method, headers, cache: 'no-store' }).then(
    () => undefined,
    () => undefined,
  );
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    return codecSession('POST', token);
  },
  /** Opening the page while signed in renews the cookie's 8 hours. */
  renewCodecSession: () => (session.token() ? codecSession('POST', session.token()) : Promise.resolve()),
  signOut: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    return codecSession('DELETE');
  },
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function send(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { ...init, headers });
  if (res.ok) return res;
  let problem = {};
  try {
    problem = (await res.json()).error ?? {};
  } catch {
    // Not JSON (a proxy's page, say): the status line says enough.
  }
  if (res.status === 401) window.dispatchEvent(new CustomEvent('ferry:unauthenticated'));
  throw new ApiError(
    res.status,
    problem.code ?? `HTTP_${res.status}`,
    problem.message ?? res.statusText,
    problem.details,
  );
}

export async function getJson(path) {
  return (await send(path)).json();
}

export async function postJson(path, body, headers = {}) {
  const res = await send(path, { method: 'POST', body, headers });
  return res.status === 204 ? null : res.json();
}

/** POST of a JSON value (the duplicate routes take JSON bodies). */
export async function postJsonValue(path, value) {
  return (
    await send(path, { method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } })
  ).json();
}

/** Downloads with the token (a plain link cannot send it) under the name the api gives. */
export async function download(path, fallbackName) {
  const res = await send(path, { headers: { accept: 'text/csv' } });
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

let config;
/** The api's upload limit and the Temporal UI address, read once. */
export async function webConfig() {
  config ??= await (await fetch('/web-config.json')).json();
  return config;
}
