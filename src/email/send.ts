/**
 * `send`: one issue to explicit test recipients over SMTP (nodemailer)
 * (`sendIssue`), and the session a list send uses to hand over one copy at
 * a time (`openSmtpSession`).
 *
 * Only ever to the addresses given, one message and one SMTP transaction
 * per address: each envelope names exactly one of `to`, so no header of
 * the message can widen it.
 * Connection, greeting and socket timeouts are all bounded, and so is the
 * whole exchange; when it is over, for better or worse, the connection is
 * gone too, so a command line that sent (or failed to) exits at once.
 * Every failure is a `SendError` saying whether the server refused (with
 * its reply code: 4xx for now, 5xx for good), could not be reached,
 * dropped the connection once it was open, or did not answer in time, and
 * whether the message may have been delivered all the same (`uncertain`).
 *
 * The password never goes over an unencrypted connection to another
 * machine (`authNeedsTls`): with credentials, `smtp://` to a host that is
 * not loopback must upgrade with STARTTLS before AUTH, unless the caller
 * says otherwise (`insecureAuth`). Without credentials, STARTTLS is used
 * when the server offers it and the message goes in clear otherwise, as
 * SMTP relays and local mail catchers expect.
 */
import net from 'node:net'
import addressparser from 'nodemailer/lib/addressparser/index.js'
import nodemailer from 'nodemailer'
import {parseConnectionUrl} from 'nodemailer/lib/shared/index.js'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'

/** Why a send failed. */
export type SendFailure = 'refused' | 'unreachable' | 'dropped' | 'timeout' | 'insecure' | 'invalid'

/** A send that failed; `failure` says how, `message` says it for people. */
export class SendError extends Error {
  override name = 'SendError'
  /**
   * `refused` (the server said no), `unreachable` (no connection was made),
   * `dropped` (the connection was lost once open), `timeout`, `insecure`
   * (the server offers no TLS to send the password over), or `invalid` (bad options).
   */
  readonly failure: SendFailure
  /** nodemailer's error code (`ECONNECTION`, `EENVELOPE`, ...), when there is one. */
  readonly code: string | undefined
  /** The server's last response line, when it gave one. */
  readonly response: string | undefined
  /** The server's reply code (`450`, `550`), when it refused with one: 4xx is temporary, 5xx permanent. */
  readonly responseCode: number | undefined
  /**
   * Whether the message may have been delivered all the same: the
   * connection was lost, or the server fell silent, after the message went
   * and before the server's answer.
   */
  readonly uncertain: boolean

  /** Build from the parts. */
  constructor(
    failure: SendFailure,
    message: string,
    details: {code?: string | undefined; response?: string | undefined; responseCode?: number | undefined; uncertain?: boolean; cause?: unknown} = {}
  ) {
    super(message, {cause: details.cause})
    this.failure = failure
    this.code = details.code
    this.response = details.response
    this.responseCode = details.responseCode
    this.uncertain = details.uncertain ?? false
  }
}

/** A message to compose, when no ready .eml is given. */
export interface SendMessage {
  from: string
  subject: string
  text?: string
  html?: string
  headers?: Record<string, string>
}

/** Options for `sendIssue`. */
export interface SendIssueOptions {
  /**
   * The ready message (issue.eml bytes or text), or what makes the copy for
   * one recipient (`IssueBuild.emlFor`). Either this or `message`.
   */
  eml?: string | Uint8Array | ((recipient: string) => Promise<string | Uint8Array>) | undefined
  /** A message to compose instead of `eml`. */
  message?: SendMessage | undefined
  /** The recipients: the envelope is exactly these. */
  to: string[]
  /** `smtp://user:pass@host:port` or `smtps://...` (port 465, TLS from the start). */
  smtp: string
  /** Limit for connecting, for the greeting, for each reply, and for the whole send (default 20000). */
  timeoutMs?: number | undefined
  /** Envelope sender; default: the message's From address. */
  from?: string | undefined
  /** Send the password even over an unencrypted connection to another machine (default false). */
  insecureAuth?: boolean | undefined
}

/** What the server accepted. */
export interface SendResult {
  accepted: string[]
  rejected: string[]
  /** The server's final response (`250 OK ...`). */
  response: string
}

const simpleAddress = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/

/** The From address of a raw message (its header block). */
function fromHeader(eml: string): string | undefined {
  const head = eml.split(/\r?\n\r?\n/, 1)[0] ?? ''
  // Unfold continuation lines before looking for the header.
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((candidate) => /^from:/i.test(candidate))
  if (!line) return undefined
  return addressparser(line.slice(5), {flatten: true})[0]?.address || undefined
}

const loopback = new net.BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

/**
 * Whether `host` (as written in the URL) names this machine: `localhost`,
 * 127.0.0.0/8 or ::1. Decided on the name, not on what it resolves to.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
  if (name === 'localhost') return true
  const family = net.isIP(name)
  if (family === 4) return loopback.check(name, 'ipv4')
  // An IPv4-mapped address (`::ffff:127.0.0.1`) is loopback when its IPv4 part is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1]
  if (family === 6 && mapped) return loopback.check(mapped, 'ipv4')
  return family === 6 && loopback.check(name, 'ipv6')
}

/**
 * Whether a send to `smtp` must upgrade to TLS (STARTTLS) before it may
 * authenticate: it has credentials, does not speak TLS from the start
 * (`smtps://`), goes to a host that is not loopback, and `insecureAuth` is
 * not set.
 */
export function authNeedsTls(smtp: URL, insecureAuth = false): boolean {
  const credentials = smtp.username !== '' || smtp.password !== ''
  return credentials && smtp.protocol !== 'smtps:' && !insecureAuth && !isLoopbackHost(smtp.hostname)
}

/**
 * Why `smtp` is not an SMTP URL letterpress can use, or `undefined` when it
 * is. The reason names the bad part but never shows the credentials.
 */
export function smtpUrlProblem(smtp: string): string | undefined {
  let url: URL
  try {
    url = new URL(smtp)
  } catch {
    return `not an SMTP URL: \`${smtp.replace(/\/\/[^@/]*@/, '//')}\`; write smtp://host:port`
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return `the SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`
  if (url.hostname === '') return 'the SMTP URL has no host: write smtp://host:port'
  // nodemailer decodes the user name and password with decodeURIComponent, which throws on a stray `%`.
  for (const [part, value] of [['user name', url.username], ['password', url.password]] as const) {
    try {
      decodeURIComponent(value)
    } catch {
      return `the ${part} in the SMTP URL has a broken %-escape: write a % in it as %25`
    }
  }
  return undefined
}

/** Host and port for messages, never the credentials. */
function describeServer(url: URL): string {
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587')
  return `${url.hostname}:${port}`
}

/**
 * Send the message to each of `to` over SMTP, one transaction per
 * recipient. Resolves when the server accepted every copy; rejects with a
 * `SendError` otherwise (refused recipients are named once the others got
 * theirs).
 */
export async function sendIssue(options: SendIssueOptions): Promise<SendResult> {
  const timeoutMs = options.timeoutMs ?? 20_000
  const problem = smtpUrlProblem(options.smtp)
  if (problem) throw new SendError('invalid', problem.charAt(0).toUpperCase() + problem.slice(1))
  const url = new URL(options.smtp)
  const recipients = options.to.map((address) => address.trim()).filter(Boolean)
  if (recipients.length === 0) throw new SendError('invalid', 'No recipients: give at least one --to address')
  const bad = recipients.filter((address) => !simpleAddress.test(address))
  if (bad.length > 0) throw new SendError('invalid', `Not an email address: ${bad.join(', ')}`)
  if (!options.eml && !options.message) throw new SendError('invalid', 'Nothing to send: give an eml or a message')

  const raw = options.eml === undefined ? undefined : emlText(typeof options.eml === 'function' ? await options.eml(recipients[0]!) : options.eml)
  const from = options.from ?? (raw !== undefined ? fromHeader(raw) : addressparser(options.message!.from, {flatten: true})[0]?.address)
  if (!from) throw new SendError('invalid', 'No sender address: the message has no From header; give one')

  const session = openSmtpSession({smtp: options.smtp, timeoutMs, insecureAuth: options.insecureAuth})
  const accepted: string[] = []
  const refused: Array<{address: string; response: string}> = []
  let last = ''
  try {
    // One message per recipient, each in its own transaction: every copy has
    // its own `To:` and no envelope ever names two people.
    for (const address of recipients) {
      const mail =
        raw !== undefined
          ? {raw: typeof options.eml === 'function' ? emlText(await options.eml(address)) : raw}
          : {...options.message!, to: address}
      try {
        const info = await session.send(from, address, mail)
        if (info.rejected.length > 0) refused.push({address, response: info.response})
        else accepted.push(address)
        last = info.response
      } catch (error) {
        const failure = error as SendError
        // A recipient the server refuses does not stop the copies to the others.
        if (failure.failure === 'refused' && failure.code === 'EENVELOPE') refused.push({address, response: failure.response ?? failure.message})
        else {
          // The copies sent before the failure went out: say to whom.
          if (accepted.length > 0) failure.message += `; already sent to ${accepted.join(', ')}`
          throw failure
        }
      }
    }
  } finally {
    session.close()
  }
  if (refused.length > 0) {
    const responses = [...new Set(refused.map((entry) => entry.response))].join('; ')
    throw new SendError(
      'refused',
      `The SMTP server at ${describeServer(url)} refused ${refused.map((entry) => entry.address).join(', ')} (accepted: ${accepted.join(', ') || 'none'}): ${responses}`,
      {code: 'EENVELOPE', response: refused.at(-1)!.response}
    )
  }
  return {accepted, rejected: [], response: last}
}

/** Options for `openSmtpSession`. */
export interface SmtpSessionOptions {
  /** `smtp://user:pass@host:port` or `smtps://...`; checked with `smtpUrlProblem` first. */
  smtp: string
  /** Limit for connecting, for the greeting, for each reply (default 20000); a message's whole exchange gets twice as long. */
  timeoutMs?: number | undefined
  /** Send the password even over an unencrypted connection to another machine (default false). */
  insecureAuth?: boolean | undefined
}

/** An open way to an SMTP server, one message at a time. */
export interface SmtpSession {
  /**
   * Send one message to `address` alone (envelope sender `from`), in one
   * transaction. Resolves with the server's answer; rejects with a
   * `SendError` that says how it failed (`responseCode`, `uncertain`).
   */
  send(from: string, address: string, mail: {raw: string} | SendMessage): Promise<SendResult>
  /** Close the connection, for better or worse. */
  close(): void
}

/**
 * Open a session with the SMTP server of `options.smtp`. Each `send` makes
 * a connection of its own: nodemailer's pool, which would keep one open,
 * puts a message whose connection closed under it back in its queue and
 * sends it again, which a send that must happen at most once cannot allow.
 */
export function openSmtpSession(options: SmtpSessionOptions): SmtpSession {
  const timeoutMs = options.timeoutMs ?? 20_000
  const url = new URL(options.smtp)
  const server = describeServer(url)
  const sockets = new Set<net.Socket>()
  const requireTls = authNeedsTls(url, options.insecureAuth)
  // What the failure means depends on how far the exchange got: whether a
  // connection was made, and the last command the client sent.
  const progress: Progress = {connected: false, command: undefined}
  // nodemailer ignores every other option when given `url`, timeouts
  // included: parse the URL the way it would (host, port, auth and
  // `?tls.rejectUnauthorized=false` style settings), then add ours.
  const transportOptions: SMTPTransport.Options = {
    ...parseConnectionUrl(options.smtp),
    ...(requireTls ? {requireTLS: true, ignoreTLS: false} : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // nodemailer logs each command it sends (credentials masked, never the message) with
    // `transactionLog`; the verb is all that is kept.
    transactionLog: true,
    logger: progressLogger(progress),
    // Our own socket, so that it can be destroyed when the send is over:
    // nodemailer only half-closes it, which keeps a process alive for as
    // long as a server that stopped answering keeps it open.
    getSocket(_options, callback) {
      const socket = net.connect({host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587)})
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      let settled = false
      const settle = (error: Error | null) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        socket.off('error', settle)
        callback(error, error ? undefined : {connection: socket})
      }
      const timer = setTimeout(() => {
        socket.destroy()
        settle(Object.assign(new Error(`Connection timeout after ${timeoutMs} ms`), {code: 'ETIMEDOUT'}))
      }, timeoutMs)
      socket.once('connect', () => {
        progress.connected = true
        settle(null)
      })
      socket.once('error', settle)
    }
  }
  const transport = nodemailer.createTransport(transportOptions)
  return {
    async send(from, address, mail) {
      progress.connected = false
      progress.command = undefined
      try {
        return await sendOne(transport, {...mail, envelope: {from, to: [address]}}, server, timeoutMs, progress)
      } catch (error) {
        for (const socket of sockets) socket.destroy()
        throw toSendError(error, server, timeoutMs, progress, requireTls)
      }
    },
    close() {
      transport.close()
    }
  }
}

/** Bytes or text of a message as text. */
function emlText(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
}

/** One message, one transaction, bounded by twice the timeout as a whole. */
async function sendOne(
  transport: nodemailer.Transporter<SMTPTransport.SentMessageInfo>,
  mail: nodemailer.SendMailOptions,
  server: string,
  timeoutMs: number,
  progress: Progress
): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const during = progress.command === 'DATA' ? ' while receiving the message; it may or may not have been delivered' : ''
      reject(
        new SendError('timeout', `The SMTP server at ${server} did not finish the exchange within ${timeoutMs * 2} ms${during}`, {
          code: 'ETIMEDOUT',
          uncertain: progress.command === 'DATA'
        })
      )
    }, timeoutMs * 2)
  })
  try {
    const info = (await Promise.race([transport.sendMail(mail), deadline])) as {
      accepted?: Array<string | {address: string}>
      rejected?: Array<string | {address: string}>
      response?: string
    }
    const list = (values: Array<string | {address: string}> | undefined) =>
      (values ?? []).map((value) => (typeof value === 'string' ? value : value.address))
    return {accepted: list(info.accepted), rejected: list(info.rejected), response: info.response ?? ''}
  } finally {
    clearTimeout(timer)
  }
}

/** How far a send got: whether a connection was made, and the verb of the last command the client sent. */
interface Progress {
  connected: boolean
  command: string | undefined
}

/** A logger for nodemailer that only notes the verb of each command the client sends into `progress`. */
function progressLogger(progress: Progress): SMTPTransport.Options['logger'] {
  const ignore = () => {}
  return {
    level: ignore,
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    debug(entry: {tnx?: string} | undefined, message: unknown) {
      if (entry?.tnx === 'client') progress.command = /^\S+/.exec(String(message))?.[0]?.toUpperCase()
    }
  }
}

function toSendError(error: unknown, server: string, timeoutMs: number, progress: Progress, requireTls: boolean): SendError {
  if (error instanceof SendError) return error
  const details = error as {code?: string; response?: string; responseCode?: number; message?: string}
  const code = details.code
  const response = details.response
  const reason = details.message ?? String(error)
  // Once DATA was accepted, the server may have queued the message before the connection went.
  const inData = progress.command === 'DATA'
  const maybeDelivered = 'it may or may not have been delivered'
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(reason)) {
    return new SendError(
      'timeout',
      `The SMTP server at ${server} did not answer within ${timeoutMs} ms${inData ? ` while receiving the message; ${maybeDelivered}` : ''} (${reason})`,
      {code, uncertain: inData, cause: error}
    )
  }
  if (requireTls && code === 'ETLS' && progress.command === 'STARTTLS' && typeof details.responseCode === 'number') {
    return new SendError(
      'insecure',
      `The SMTP server at ${server} does not offer STARTTLS, so the password would cross the network unencrypted: nothing was sent. ` +
        'Use smtps://, a server that offers STARTTLS, or --insecure-auth on a network you trust' +
        (response ? ` (${response})` : ''),
      {code, ...(response ? {response} : {}), cause: error}
    )
  }
  const refused =
    (typeof details.responseCode === 'number' && details.responseCode >= 400) ||
    code === 'EENVELOPE' ||
    code === 'EAUTH' ||
    code === 'EMESSAGE' ||
    code === 'EPROTOCOL'
  if (refused) {
    return new SendError('refused', `The SMTP server at ${server} refused the message: ${response ?? reason}`, {
      ...(code ? {code} : {}),
      ...(response ? {response} : {}),
      responseCode: typeof details.responseCode === 'number' ? details.responseCode : undefined,
      cause: error
    })
  }
  // A connection that was open and went away (not a TLS or protocol failure on the way).
  const lost = code === 'ECONNECTION' || /\b(?:ECONNRESET|EPIPE)\b|closed unexpectedly|unexpected socket close|socket hang up/i.test(reason)
  if (progress.connected && lost) {
    const when = inData
      ? `while receiving the message; ${maybeDelivered}`
      : `before the message was sent${progress.command ? ` (after ${progress.command})` : ''}; it was not delivered`
    return new SendError('dropped', `The SMTP server at ${server} closed the connection ${when} (${reason})`, {
      ...(code ? {code} : {}),
      uncertain: inData,
      cause: error
    })
  }
  return new SendError('unreachable', `Could not reach the SMTP server at ${server}: ${reason}`, {
    ...(code ? {code} : {}),
    // Whatever broke, once the message went its fate is unknown.
    uncertain: inData,
    cause: error
  })
}
