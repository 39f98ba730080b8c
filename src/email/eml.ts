/**
 * The issue as one RFC 5322 message (`issue.eml`): multipart/alternative
 * with the plain-text part first and the HTML part second, composed by
 * nodemailer's MailComposer.
 *
 * Byte-identical across runs: the Date header is the issue's date, the
 * Message-ID a hash of the month, subject and domain, and the MIME
 * boundaries derive from that hash (MailComposer otherwise draws random
 * ones and stamps the wall clock).
 *
 * The copy `send` puts on the wire for one recipient (`EmlRecipient`) adds
 * a `To:` header, carries the time of sending as its Date, and a Message-ID
 * of its own: a hash of the issue's Message-ID and the address.
 */
import {createHash} from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'

/** What goes into the message. */
export interface EmlInput {
  /** `YYYY-MM` of the issue (part of the Message-ID). */
  month: string
  subject: string
  /** `Name <address>` or an address. */
  from: string
  replyTo?: string | undefined
  /** The issue's date (never the wall clock). */
  date: Date
  /** Domain for the Message-ID (the site's host). */
  domain: string
  text: string
  html: string
  /**
   * `List-Unsubscribe` targets, in order: the merge tag (left literal for the
   * sending service to fill) and, optionally, a `mailto:` URL.
   */
  unsubscribe: string[]
}

/** The deterministic Message-ID of an issue: `<hash@domain>`. */
export function issueMessageId(month: string, subject: string, domain: string): string {
  const hash = createHash('sha256').update(`${month}\n${subject}\n${domain}`).digest('hex').slice(0, 32)
  return `<${hash}@${domain}>`
}

/** The one recipient of a sent copy, and when it is sent. */
export interface EmlRecipient {
  /** The address of the `To:` header. */
  to: string
  /** The time of sending: the copy's Date. */
  date: Date
}

/** The Message-ID of the copy of an issue sent to `address`: `<hash@domain>`, the same for the same issue and address. */
export function recipientMessageId(issueId: string, address: string, domain: string): string {
  const hash = createHash('sha256').update(`${issueId}\n${address.toLowerCase()}`).digest('hex').slice(0, 32)
  return `<${hash}@${domain}>`
}

/** Compose the message (with `recipient`, the copy sent to that address). Same input, same bytes. */
export async function composeEml(input: EmlInput, recipient?: EmlRecipient): Promise<Uint8Array> {
  const issueId = issueMessageId(input.month, input.subject, input.domain)
  const messageId = recipient ? recipientMessageId(issueId, recipient.to, input.domain) : issueId
  const boundary = createHash('sha256').update(issueId).digest('hex').slice(0, 16)
  const headers: Record<string, string> = {}
  if (input.unsubscribe.length > 0) {
    headers['List-Unsubscribe'] = input.unsubscribe.map((target) => `<${target}>`).join(', ')
    // RFC 8058 one-click: the web endpoint (or the service behind the merge tag) must accept a POST.
    // A `mailto:` alone is no such endpoint.
    if (input.unsubscribe.some((target) => !/^mailto:/i.test(target))) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  }
  const composer = new MailComposer({
    from: input.from,
    ...(input.replyTo ? {replyTo: input.replyTo} : {}),
    ...(recipient ? {to: recipient.to} : {}),
    subject: input.subject,
    date: recipient ? recipient.date : input.date,
    messageId,
    text: input.text,
    html: input.html,
    textEncoding: 'quoted-printable',
    headers,
    baseBoundary: boundary
  } as ConstructorParameters<typeof MailComposer>[0] & {baseBoundary: string})
  const message = composer.compile()
  const buffer = await message.build()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
