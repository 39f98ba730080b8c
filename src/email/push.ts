/**
 * Handing a built issue to an email service as a DRAFT campaign, through
 * the service's documented HTTP API; a person reviews and sends it there.
 * Nothing here reads the environment: the caller gives the service's
 * address and key. A key or token never appears in what this module
 * returns or throws (`describePushRequest` redacts it, errors have it cut
 * out of the service's own words).
 *
 * - Listmonk: `POST {url}/api/campaigns`, header
 *   `Authorization: token api_user:token`, JSON `name`, `subject`, `lists`,
 *   `type: regular`, `content_type: html`, `body`, `altbody`; a new
 *   campaign is a draft. Answers `{data: {id, ...}}`, or `{message}` on an
 *   error (https://listmonk.app/docs/apis/campaigns/).
 * - Buttondown: `POST https://api.buttondown.com/v1/emails`, header
 *   `Authorization: Token KEY`, JSON `subject`, `body`, `status: draft`.
 *   `status: draft` keeps it from going out. Answers 201 with the email
 *   (`id`), or `{detail}` (or field errors) on an error (Buttondown's API
 *   reference, "Emails": docs.buttondown.com, source github.com/buttondown/docs,
 *   pages/api-reference/emails/index.mdx).
 */
import {issuePart, type IssueBuild} from './compose.js'

/** The services `push` can create a draft at. */
export const pushServices = ['listmonk', 'buttondown'] as const

export type PushService = (typeof pushServices)[number]

/** How to reach a Listmonk instance. */
export interface ListmonkAccess {
  /** The instance's root URL (`https://lists.example.org`). */
  url: string
  /** The API user and its token. */
  user: string
  token: string
  /** The lists the campaign goes to, by id. */
  lists: number[]
  /** The campaign template to wrap the issue in; `undefined`: the instance's default. */
  templateId?: number | undefined
}

/** How to reach Buttondown. */
export interface ButtondownAccess {
  apiKey: string
  /** The API's root (`https://api.buttondown.com`). */
  apiUrl: string
}

/** The one HTTP request that creates the draft. */
export interface PushRequest {
  service: PushService
  method: 'POST'
  url: string
  headers: Record<string, string>
  body: Record<string, unknown>
  /** What must never be shown: the key or token, and the header that carries it. */
  secrets: string[]
}

/** The draft the service made. */
export interface PushedDraft {
  service: PushService
  id: string
  /** Where a person opens it, when the service's answer says. */
  url: string | undefined
}

/** A push that failed: what went wrong, with the rule that names it (`push-http`, `push-network`, ...). */
export class PushError extends Error {
  constructor(
    readonly ruleId: string,
    message: string
  ) {
    super(message)
    this.name = 'PushError'
  }
}

/** The services' names as people write them. */
export const pushServiceLabels: Readonly<Record<PushService, string>> = {listmonk: 'Listmonk', buttondown: 'Buttondown'}

/** `url` without a trailing slash, and without user and password (never shown). */
function baseOf(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/+$/, '')
}

/** The request that makes `build` a draft campaign at Listmonk. */
export function listmonkRequest(build: IssueBuild, access: ListmonkAccess): PushRequest {
  const {summary, emlHeaders} = build
  const credentials = `${access.user}:${access.token}`
  return {
    service: 'listmonk',
    method: 'POST',
    url: `${baseOf(access.url)}/api/campaigns`,
    headers: {'content-type': 'application/json; charset=utf-8', accept: 'application/json', authorization: `token ${credentials}`},
    body: {
      name: `${summary.month}: ${summary.subject}`,
      subject: emlHeaders.subject,
      lists: access.lists,
      from_email: emlHeaders.from,
      type: 'regular',
      content_type: 'html',
      body: issuePart(build, 'issue.html'),
      altbody: issuePart(build, 'issue.txt'),
      messenger: 'email',
      tags: ['letterpress'],
      ...(access.templateId !== undefined ? {template_id: access.templateId} : {})
    },
    secrets: [access.token, credentials]
  }
}

/** The request that makes `build` a draft email at Buttondown. */
export function buttondownRequest(build: IssueBuild, access: ButtondownAccess): PushRequest {
  const {summary, emlHeaders} = build
  return {
    service: 'buttondown',
    method: 'POST',
    url: `${baseOf(access.apiUrl)}/v1/emails`,
    headers: {'content-type': 'application/json; charset=utf-8', accept: 'application/json', authorization: `Token ${access.apiKey}`},
    body: {
      subject: emlHeaders.subject,
      body: issuePart(build, 'issue.html'),
      description: summary.preheader,
      status: 'draft'
    },
    secrets: [access.apiKey]
  }
}

/** `text` with every secret of `request` replaced by `***`. */
function redact(text: string, secrets: readonly string[]): string {
  let redacted = text
  for (const secret of [...secrets].filter((each) => each !== '').sort((a, b) => b.length - a.length)) redacted = redacted.split(secret).join('***')
  return redacted
}

/**
 * The request as it would go out, for `push --dry-run`: method and URL,
 * the headers with the key shown as `***`, then the JSON body.
 */
export function describePushRequest(request: PushRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${redact(value, request.secrets)}`)
  return redact([`${request.method} ${request.url}`, ...headers, '', JSON.stringify(request.body, null, 2), ''].join('\n'), request.secrets)
}

/** The service's own words for an error answer: its `message` or `detail`, its field errors, or the text. */
function serviceMessage(text: string): string {
  try {
    const data = JSON.parse(text) as unknown
    if (data && typeof data === 'object') {
      const record = data as Record<string, unknown>
      for (const key of ['message', 'detail', 'error']) if (typeof record[key] === 'string' && record[key] !== '') return record[key]
      const fields = Object.entries(record).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : JSON.stringify(value)}`)
      if (fields.length > 0) return fields.join('; ')
    }
  } catch {
    // Not JSON: the text as it is.
  }
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine || '(no message)'
}

/** The draft's id and where to open it, from a service's answer. */
function draftOf(request: PushRequest, text: string): PushedDraft {
  let data: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>
  } catch {
    // An answer without JSON still means the draft was made.
  }
  if (request.service === 'listmonk') {
    const campaign = (data['data'] ?? {}) as Record<string, unknown>
    const id = campaign['id'] === undefined ? '' : String(campaign['id'])
    return {service: 'listmonk', id, url: id ? `${request.url.replace(/\/api\/campaigns$/, '')}/admin/campaigns/${id}` : undefined}
  }
  // Buttondown's answer names no page of its own: the draft is among the drafts in its app.
  const id = data['id'] === undefined ? '' : String(data['id'])
  return {service: 'buttondown', id, url: undefined}
}

/**
 * Send `request` (node's fetch) and return the draft the service made. An
 * error answer (4xx, 5xx) is a `push-http` error with the service's
 * message; no answer within `timeoutMs` or no connection, `push-network`.
 */
export async function sendPushRequest(request: PushRequest, options: {timeoutMs?: number} = {}): Promise<PushedDraft> {
  const label = pushServiceLabels[request.service]
  const timeoutMs = options.timeoutMs ?? 30_000
  let response: Response
  let text: string
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: JSON.stringify(request.body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs)
    })
    text = await response.text()
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as {code?: string; message?: string} | undefined) ?? error) : undefined
    const reason =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : (cause && 'code' in cause && cause.code) || cause?.message || String(error)
    throw new PushError('push-network', redact(`Could not reach ${label} at ${request.url}: ${reason}; no draft was made`, request.secrets))
  }
  if (!response.ok) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
    const hint = response.status === 401 || response.status === 403 ? ' (check the key and its permissions)' : ''
    throw new PushError('push-http', redact(`${label} refused the draft: ${status}${hint}: ${serviceMessage(text)}`, request.secrets))
  }
  return draftOf(request, text)
}
