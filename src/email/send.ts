/**
 * `send`: one issue to explicit test recipients over SMTP (nodemailer)
 * (`sendIssue`), and the session a list send uses to hand over one copy at
 * a time (`openSmtpSession`).
 *
 * Only ever to the addresses given, one message and one SMTP transaction
 * per address: each envelope names exactly one of `to`, so no header of
 * the message can widen it. The transactions follow one another over one
 * connection, kept open from one message to the next.
 * Connection, greeting and socket timeouts are all bounded, and so is
 * each message's exchange; when the session is over, for better or worse,
 * the connection is let go too, so a command line that sent (or failed
 * to) exits at once.
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
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import {parseConnectionUrl} from 'nodemailer/lib/shared/index.js'
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'

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
   * transaction. Resolves with the server's answer to that message;
   * rejects with a `SendError` that says how it failed (`responseCode`,
   * `uncertain`).
   */
  send(from: string, address: string, mail: {raw: string} | SendMessage): Promise<SendResult>
  /** Say QUIT and let the connection go, for better or worse. */
  close(): void
}

/** Messages sent over one connection before it is closed and a new one opened: many servers limit them. */
export const messagesPerConnection = 100

/** One connection to the server, logged in, and what became of it. */
interface OpenConnection {
  connection: SMTPConnection
  socket: net.Socket
  /** Messages the server accepted or refused over it. */
  messages: number
  /** Set once the connection failed or ended: it takes no more messages. */
  gone: boolean
  /** How to fail the exchange under way, when the connection fails or ends during it. */
  fail: ((error: Error) => void) | undefined
}

/**
 * Open a session with the SMTP server of `options.smtp`. It keeps one
 * connection open from one message to the next (a new one after
 * `messagesPerConnection`, or when the server closed it), one message at a
 * time: each `send` resolves with the server's reply to that message
 * alone. A message whose connection fails while the server receives it is
 * never sent again by the session (that is the caller's to decide, since
 * it may have been delivered): only a message that the server had not yet
 * begun to receive, on a connection that had already carried one, is
 * tried once more at once on a new connection.
 */
export function openSmtpSession(options: SmtpSessionOptions): SmtpSession {
  const timeoutMs = options.timeoutMs ?? 20_000
  const url = new URL(options.smtp)
  const server = describeServer(url)
  const requireTls = authNeedsTls(url, options.insecureAuth)
  // What the failure means depends on how far the exchange got: whether a
  // connection was made, and the last command the client sent.
  const progress: Progress = {connected: false, command: undefined}
  // Host, port, TLS and auth as nodemailer reads them from the URL
  // (`?tls.rejectUnauthorized=false` style settings too), then ours.
  const {auth, ...urlOptions} = parseConnectionUrl(options.smtp) as SMTPConnection.Options & {auth?: {user?: string; pass?: string}}
  const connectionOptions: SMTPConnection.Options = {
    ...urlOptions,
    ...(requireTls ? {requireTLS: true, ignoreTLS: false} : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // nodemailer logs each command it sends (credentials masked, never the message) with
    // `transactionLog`; the verb is all that is kept.
    transactionLog: true,
    logger: progressLogger(progress) as SMTPConnection.Options['logger']
  }
  let open: OpenConnection | undefined

  /** Our own socket, so that it can be destroyed when a send fails or the session is over. */
  const connectSocket = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587)})
      // Each command and the end of each message go out at once: with Nagle's algorithm a small write waits
      // for the server to acknowledge the one before, which it delays, and that wait came on every message.
      socket.setNoDelay(true)
      const timer = setTimeout(() => {
        socket.destroy()
        reject(Object.assign(new Error(`Connection timeout after ${timeoutMs} ms`), {code: 'ETIMEDOUT'}))
      }, timeoutMs)
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        progress.connected = true
        resolve(socket)
      })
    })

  /** Run one step of the exchange on `state`, failing it when the connection fails or ends meanwhile. */
  const step = <T>(state: OpenConnection, start: (done: (error: Error | null, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      if (state.gone) return reject(Object.assign(new Error('Connection closed unexpectedly'), {code: 'ECONNECTION'}))
      state.fail = reject
      start((error, value) => {
        state.fail = undefined
        if (error) reject(error)
        else resolve(value as T)
      })
    })

  const connect = async (): Promise<OpenConnection> => {
    const socket = await connectSocket()
    const connection = new SMTPConnection({...connectionOptions, connection: socket})
    const state: OpenConnection = {connection, socket, messages: 0, gone: false, fail: undefined}
    const lose = (error: Error) => {
      state.gone = true
      const fail = state.fail
      state.fail = undefined
      fail?.(error)
    }
    connection.on('error', lose)
    connection.on('end', () => lose(Object.assign(new Error('Connection closed unexpectedly'), {code: 'ECONNECTION'})))
    open = state
    await step<void>(state, (done) => connection.connect(() => done(null)))
    // As nodemailer does: log in when there are credentials and the server offers AUTH.
    if (auth?.user !== undefined && (connection as unknown as {allowsAuth: boolean}).allowsAuth) {
      await step<void>(state, (done) => connection.login({credentials: {user: auth.user!, pass: auth.pass ?? ''}}, (error) => done(error ?? null)))
    }
    return state
  }

  const drop = (state: OpenConnection | undefined) => {
    if (!state) return
    state.gone = true
    state.socket.destroy()
    if (open === state) open = undefined
  }

  const attempt = async (from: string, address: string, message: string | Buffer): Promise<SendResult> => {
    progress.command = undefined
    if (open && (open.gone || open.messages >= messagesPerConnection)) {
      const spent = open
      open = undefined
      if (!spent.gone) spent.connection.quit()
      setTimeout(() => spent.socket.destroy(), 1000).unref()
    }
    progress.connected = open !== undefined
    const state = open ?? (await connect())
    const info = await step<SMTPConnection.SentMessageInfo>(state, (done) => state.connection.send({from, to: [address]}, message, done))
    state.messages++
    return {accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response ?? ''}
  }

  return {
    async send(from, address, mail) {
      const message = 'raw' in mail ? mail.raw : await composeMessage(mail, address)
      for (let fresh = false; ; fresh = true) {
        const reused = open !== undefined && !open.gone && open.messages > 0
        try {
          return await withDeadline(attempt(from, address, message), server, timeoutMs, progress)
        } catch (error) {
          drop(open)
          const failure = toSendError(error, server, timeoutMs, progress, requireTls)
          // A connection kept open from the message before may have been closed by the server
          // meanwhile: before it began to receive this message, a new connection may try it again.
          if (reused && !fresh && failure.failure === 'dropped' && !failure.uncertain) continue
          throw failure
        }
      }
    },
    close() {
      const state = open
      open = undefined
      if (!state) return
      if (!state.gone) state.connection.quit()
      // QUIT is a courtesy: a server that does not close the connection does not keep the process alive.
      state.socket.unref()
      setTimeout(() => state.socket.destroy(), 1000).unref()
    }
  }
}

/** A message composed from its parts, for `address`, as nodemailer would (Date and Message-ID added). */
function composeMessage(mail: SendMessage, address: string): Promise<Buffer> {
  return new MailComposer({...mail, to: address}).compile().build()
}

/** Bytes or text of a message as text. */
function emlText(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
}

/** `exchange`, bounded by twice the timeout as a whole. */
async function withDeadline(exchange: Promise<SendResult>, server: string, timeoutMs: number, progress: Progress): Promise<SendResult> {
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
  // The exchange may still fail after the deadline: that is already reported.
  exchange.catch(() => {})
  try {
    return await Promise.race([exchange, deadline])
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
function progressLogger(progress: Progress): SMTPConnection.Options['logger'] {
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
