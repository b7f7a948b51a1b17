/**
 * The one XML writer behind every Open311 answer. GeoReport v2 answers are small trees of
 * named values and lists, so the JSON value of an answer is written as XML by a fixed rule: an
 * object's members become child elements, a list's items become elements named for the list
 * (`services` → `service`), and empty values become empty elements.
 */

/** A value an answer is made of, in JSON and XML alike. */
export type XmlValue = string | number | boolean | null | undefined | readonly XmlValue[] | { readonly [name: string]: XmlValue };

/** What the items of each list are called in GeoReport v2's XML. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/**
 * Characters XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE
 * and U+FFFF) are dropped: a text must never make the whole answer unreadable.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A text as XML character data, safe inside an element or an attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const itemName = ITEM_NAMES[name];
    if (itemName === undefined) throw new Error(`no XML item name for the list ${name}`);
    return `<${name}>${value.map((item) => element(itemName, item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, XmlValue>).map(([member, inner]) => element(member, inner)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An XML document with `value` as its root element `root`, declared UTF-8 as the spec asks. */
export function toXmlDocument(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}\n`;
}
