/**
 * Text for the XML the build writes (RSS, Atom, the sitemap): escaped for
 * the place it goes, with the characters XML 1.0 forbids left out, so any
 * title, tag or name stays well-formed XML and reads back as written.
 *
 * The feeds are made by `feed`, which serializes with xml-js; its escaping
 * is partial, so the `feed*` functions prepare each value for the place
 * xml-js puts it (xml-js takes options for its own escaping, but `feed`
 * passes none through, so the input is where this can be fixed):
 *
 * - text: xml-js turns `&amp;` back into `&` and then escapes `&`, `<` and
 *   `>`, so a literal `&amp;` would read back as `&`; escaping `&` first
 *   makes its two steps cancel out (`feedText`);
 * - attribute values: xml-js escapes only `"` (`feedAttribute`);
 * - CDATA: xml-js splits only the first `]]>` (`feedHtml`).
 */

/** Characters XML 1.0 does not allow even as references: C0 controls but tab, LF and CR; U+FFFE; U+FFFF. */
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g
/** A surrogate without its other half: not a character, written as U+FFFD. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** `value` without the characters XML 1.0 forbids (lone surrogates become U+FFFD). */
export function xmlChars(value: string): string {
  return value.replace(forbidden, '').replace(loneSurrogate, '\ufffd')
}

/** `value` escaped for XML text or a quoted attribute value (and for HTML, which reads the same escapes). */
export function escapeXml(value: string): string {
  return xmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A value `feed` writes as element text (a feed's title, an author's name, an RSS category). */
export function feedText(value: string): string {
  return xmlChars(value).replace(/&/g, '&amp;')
}

/** A value `feed` writes as an attribute value (an Atom category's `term` and `label`). */
export function feedAttribute(value: string): string {
  return xmlChars(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** HTML that `feed` writes in a CDATA section (content, HTML-typed titles and summaries). */
export function feedHtml(html: string): string {
  return xmlChars(html).replaceAll(']]>', ']]&gt;')
}
