/**
 * Merge fields: the copy of an issue one subscriber of a list gets.
 *
 * A merge tag is `{{ field }}` (spaces inside the braces optional), where
 * `field` is `email`, `name`, `unsubscribe_url` or a column of the list
 * (`fieldName`). Tags are filled in the subject, the HTML part (values
 * HTML-escaped) and the text part; any other `{{ … }}` left in the message
 * (`unknownMergeTags`) means the message is not ready to send.
 *
 * The unsubscribe URL of a recipient comes from `newsletter.unsubscribe`:
 * an `https://`, `http://` or `mailto:` URL is a template whose tags are
 * filled percent-encoded (`https://example.org/leave?email={{email}}`);
 * anything else (the default `{{unsubscribe_url}}`, an email service's
 * merge tag) means there is no web endpoint, and the unsubscribe link is a
 * `mailto:` to the newsletter's reply-to or sender address with the subject
 * `Unsubscribe ADDRESS`.
 */
import addressparser from 'nodemailer/lib/addressparser/index.js'
import {composeEml, type EmlInput} from './eml.js'
import {issuePart, type IssueBuild} from './issue.js'

/** Values of the merge fields for one recipient, by name. */
export type MergeFields = Readonly<Record<string, string>>

/** Any `{{ … }}` on one line. */
const anyTag = /\{\{([^{}\n]*)\}\}/g

/** Fill every tag of `text` whose field is in `fields` (through `encode`); leave the others as they are. */
export function fillMergeTags(text: string, fields: MergeFields, encode: (value: string) => string = (value) => value): string {
  return text.replace(anyTag, (tag, inner: string) => {
    const name = inner.trim()
    return Object.hasOwn(fields, name) ? encode(fields[name]!) : tag
  })
}

/** The distinct `{{ … }}` of `text` that name none of `fieldNames`, as written. */
export function unknownMergeTags(text: string, fieldNames: readonly string[]): string[] {
  const known = new Set(fieldNames)
  const found = new Set<string>()
  for (const match of text.matchAll(anyTag)) if (!known.has(match[1]!.trim())) found.add(match[0])
  return [...found]
}

/** Whether `newsletter.unsubscribe` is a URL (a template for each recipient's own) rather than a service's merge tag. */
export function isUnsubscribeEndpoint(template: string): boolean {
  return /^(?:https?:\/\/[^/{}\s]|mailto:)/i.test(template.trim())
}

/**
 * The unsubscribe URL of the recipient whose fields are `fields`: the
 * template filled, percent-encoded, or without a web endpoint a `mailto:`
 * to `contact` (the reply-to or sender, `Name <address>` or an address).
 */
export function unsubscribeUrlFor(template: string, fields: MergeFields, contact: string): string {
  if (isUnsubscribeEndpoint(template)) return fillMergeTags(template.trim(), fields, encodeURIComponent)
  const address = addressparser(contact, {flatten: true})[0]?.address ?? contact
  return `mailto:${address}?subject=${encodeURIComponent(`Unsubscribe ${fields['email'] ?? ''}`.trim())}`
}

const htmlEscapes: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEscapes[char]!)
}

/** One recipient's copy of an issue: the parts with the merge fields filled. */
export interface MergedIssue {
  subject: string
  html: string
  text: string
  /** The recipient's unsubscribe URL (`List-Unsubscribe` and the `unsubscribe_url` field). */
  unsubscribeUrl: string
}

/**
 * The parts of `build` with `fields` filled for one recipient. The
 * configured unsubscribe value (`unsubscribeTemplate`) stands in the
 * footer as written: each place it stands is the recipient's own URL.
 */
export function mergeIssue(build: IssueBuild, fields: MergeFields, unsubscribeTemplate: string): MergedIssue {
  const unsubscribeUrl = unsubscribeUrlFor(unsubscribeTemplate, fields, build.emlHeaders.replyTo ?? build.emlHeaders.from)
  const all = {...fields, unsubscribe_url: unsubscribeUrl}
  const template = unsubscribeTemplate.trim()
  const swap = (text: string, written: string, url: string) => (template === '' ? text : text.split(written).join(url))
  let html = swap(issuePart(build, 'issue.html'), escapeHtml(template), escapeHtml(unsubscribeUrl))
  html = swap(html, template, escapeHtml(unsubscribeUrl))
  return {
    subject: fillMergeTags(build.emlHeaders.subject, all),
    html: fillMergeTags(html, all, escapeHtml),
    text: fillMergeTags(swap(issuePart(build, 'issue.txt'), template, unsubscribeUrl), all),
    unsubscribeUrl
  }
}

/**
 * The merge tags `mergeIssue` would leave in `build`'s message for a list
 * whose fields are `fieldNames`, each with where it stands (`subject`,
 * `issue.html`, `issue.txt`): none, or the message is not ready to send.
 */
export function unfilledMergeTags(build: IssueBuild, fieldNames: readonly string[], unsubscribeTemplate: string): Array<{tag: string; where: string}> {
  const names = [...fieldNames, 'unsubscribe_url']
  const probe = Object.fromEntries(names.map((name) => [name, name === 'email' ? 'probe@example.org' : 'x']))
  const merged = mergeIssue(build, probe, unsubscribeTemplate)
  const found: Array<{tag: string; where: string}> = []
  for (const [where, text] of [['subject', merged.subject], ['issue.html', merged.html], ['issue.txt', merged.text], ['newsletter.unsubscribe', merged.unsubscribeUrl]] as const) {
    for (const tag of unknownMergeTags(text, names)) found.push({tag, where})
  }
  return found
}

/** The recipient of a merged copy, and when it is sent. */
export interface MergedRecipient {
  to: string
  date: Date
}

/** The .eml of one recipient's copy: `To:`, the time of sending as Date, its own Message-ID and `List-Unsubscribe`. */
export function mergedEml(build: IssueBuild, merged: MergedIssue, recipient: MergedRecipient): Promise<Uint8Array> {
  const input: EmlInput = {
    ...build.emlHeaders,
    subject: merged.subject,
    text: merged.text,
    html: merged.html,
    unsubscribe: [merged.unsubscribeUrl]
  }
  return composeEml(input, recipient)
}

/** The envelope sender of an issue's copies: the address of its From. */
export function envelopeSender(build: IssueBuild): string {
  return addressparser(build.emlHeaders.from, {flatten: true})[0]?.address ?? build.emlHeaders.from
}

/** The Message-ID header of a composed message, when it has one. */
export function messageIdOf(eml: Uint8Array): string | undefined {
  const text = Buffer.from(eml.buffer, eml.byteOffset, Math.min(eml.byteLength, 8192)).toString('utf8')
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? ''
  return /^message-id:\s*(<[^>\r\n]*>)/im.exec(head)?.[1]
}
