/** IMDS's answers: plain text, and errors as the small XHTML pages the real service sends. */
import type { LocalResponse } from '../../service.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

export function text(body: string, headers: Record<string, string> = {}): LocalResponse {
  return { status: 200, headers: { 'content-type': 'text/plain', ...headers }, body };
}

export function imdsError(status: number): LocalResponse {
  const title = `${status} - ${REASONS[status] ?? 'Error'}`;
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body:
      '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
      '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
      '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
      ` <head>\n  <title>${title}</title>\n </head>\n` +
      ` <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`,
  };
}

/** A header's value; node:http gives repeated headers as arrays, of which the first counts. */
export function header(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
