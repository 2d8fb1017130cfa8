/** Writing S3's response XML and reading its request XML. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { malformedXml } from './errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Markup already built, which `element` inserts as is (text is escaped). */
export interface Markup {
  readonly xml: string;
}

export type Child = Markup | string | number | boolean | undefined;

// Keys may hold any character: carriage returns and control characters are
// written as references so parsers neither normalize nor choke on them.
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
  return text.replace(/[&<>"'\u0000-\u0008\u000b-\u001f]/g, (c) => {
    return ESCAPES[c] ?? `&#x${c.charCodeAt(0).toString(16)};`;
  });
}

/** `<name>children</name>`; undefined children are left out. */
export function element(name: string, ...children: readonly Child[]): Markup {
  let inner = '';
  for (const child of children) {
    if (child === undefined) continue;
    inner += typeof child === 'object' ? child.xml : escapeXml(String(child));
  }
  return { xml: `<${name}>${inner}</${name}>` };
}

/** An element only when its value is defined: for S3's optional fields. */
export function optional(name: string, value: string | number | undefined): Markup | undefined {
  return value === undefined ? undefined : element(name, value);
}

/** A whole response document, its root in S3's namespace. */
export function xmlDocument(root: string, ...children: readonly Child[]): string {
  const body = element(root, ...children).xml.slice(root.length + 2);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${body}`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Values stay strings: a part number or ETag must not be turned into a number.
  parseTagValue: false,
  // Character references (`&#34;`, `&#x22;`) are XML, and S3 reads ETags quoted that way.
  htmlEntities: true,
  isArray: (name) => name === 'Part',
});

/** A request body parsed to plain objects; not well-formed XML is MalformedXML. */
export function parseXml(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (XMLValidator.validate(text) !== true) throw malformedXml();
  try {
    return parser.parse(text) as unknown;
  } catch {
    throw malformedXml();
  }
}
