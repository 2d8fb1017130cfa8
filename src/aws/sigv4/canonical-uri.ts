import { uriEncodePath, uriEncodePathOnce } from './uri-encode.js';

const NEEDS_NORMALIZING = /\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * Removes `.` and `..` segments and repeated slashes, keeping a leading and a
 * trailing slash: `/a/./b/../c//` → `/a/c/`, `/example/..` → `/`.
 */
export function normalizePath(path: string): string {
  if (!NEEDS_NORMALIZING.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return leading + segments.join('/') + trailing;
}

/**
 * The canonical URI of a wire path. Every service but S3 normalizes the path
 * and encodes it once more (so `%3A` becomes `%253A`); S3 keeps it as sent and
 * only encodes what the client left unencoded.
 */
export function canonicalUri(path: string, normalize: boolean, doubleEncode: boolean): string {
  let uri = path === '' ? '/' : path;
  if (normalize) uri = normalizePath(uri) || '/';
  return doubleEncode ? uriEncodePath(uri) : uriEncodePathOnce(uri);
}
