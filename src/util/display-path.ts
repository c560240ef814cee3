/** Paths as users should see them in messages and reports. */
import path from 'node:path';

/**
 * A path relative to the working directory, with forward slashes; an absolute path when it lies more
 * than two folders up (a relative path full of `..` is harder to read than the absolute one).
 */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === ''
    ? '.'
    : relative.startsWith('..') &&
        path.isAbsolute(absolute) &&
        relative.split(path.sep).filter((p) => p === '..').length > 2
      ? absolute
      : relative.split(path.sep).join('/');
}

/**
 * A path as reports and evidence packs record it: relative to `baseDir` (the catalogue's folder), with
 * forward slashes, `..` where the file lies beside or above that folder. So the bytes of a report do
 * not depend on the working directory, and no report holds a machine's absolute paths. Absolute only
 * when no relative path exists (another drive on Windows).
 */
export function recordedPath(absolute: string, baseDir: string): string {
  const relative = path.relative(baseDir, absolute);
  if (relative === '') return '.';
  return relative.split(path.sep).join('/');
}
