import path from 'node:path';

/** A path as a message shows it: from the working directory when inside it, whole otherwise. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
