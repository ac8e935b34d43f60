import path from 'node:path';

/** A file name safe to show and store: no path, no control or bidi-override characters, capped length. */
export function displayName(original: string | undefined): string {
  const base = path.basename((original ?? '').replace(/\\/g, '/'));
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (clean === '' || /^\.+$/.test(clean) ? 'upload.csv' : clean).slice(0, 200);
}
