/**
 * `push`: one month's issue, built in memory with the merge tags of the
 * service it goes to, created there as a draft campaign through the
 * service's HTTP API (email/push.ts). The address and key of the service
 * come from the environment, read here and nowhere else:
 *
 * - Listmonk: LISTMONK_URL, LISTMONK_USER, LISTMONK_TOKEN, LISTMONK_LISTS
 *   (list ids, comma-separated), LISTMONK_TEMPLATE_ID (optional);
 * - Buttondown: BUTTONDOWN_API_KEY, BUTTONDOWN_API_URL (optional; default
 *   https://api.buttondown.com).
 */
import {missingSendSettings} from '../source/config.js'
import {
  buttondownRequest,
  describePushRequest,
  listmonkRequest,
  PushError,
  pushServiceLabels,
  sendPushRequest,
  type PushedDraft,
  type PushRequest,
  type PushService
} from '../email/push.js'
import type {IssueBuild} from '../email/compose.js'
import {prepare, type IssueOptions, type IssueResult} from './newsletter.js'

/** Options for `push`. */
export interface PushOptions extends IssueOptions {
  /** The service to create the draft at. */
  to: PushService
  /** Only say what would be sent (the key redacted); send nothing. */
  dryRun?: boolean | undefined
  /** Where the service's address and key are read (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Time limit for the service to answer, in milliseconds (default 30 s). */
  timeoutMs?: number | undefined
}

/** What `push` did. */
export interface PushResult extends IssueResult {
  /** On a dry run: the request as it would go out, the key redacted. */
  request?: string
  /** The draft the service made. */
  draft?: PushedDraft
}

/** The Buttondown API's root unless BUTTONDOWN_API_URL says otherwise. */
const buttondownApi = 'https://api.buttondown.com'

/**
 * Build the month's issue for `options.to` (its merge tags, whatever
 * `newsletter.provider` says) and create it there as a draft; or, with
 * `dryRun`, describe the request. Content errors stop it (nothing is
 * sent); missing access settings, a config that cannot be sent, an error
 * answer and no answer are `PushError`s naming their rule.
 */
export async function push(options: PushOptions): Promise<PushResult> {
  const env = options.env ?? process.env
  const access = accessFor(options.to, env)
  const prepared = await prepare({...options, provider: options.to})
  const {config, issue: built, diagnostics, errors, warnings} = prepared
  if (!built || errors > 0) return {diagnostics, errors, warnings}
  const missing = missingSendSettings(config)
  if (missing.length > 0) {
    throw new PushError('push-not-sendable', `No draft was made: the issue cannot be sent as it is; add ${missing.join(' and ')} to ${config.configFile}`)
  }
  const request = access(built)
  if (options.dryRun) return {diagnostics, errors, warnings, issue: built, request: describePushRequest(request)}
  const draft = await sendPushRequest(request, options.timeoutMs ? {timeoutMs: options.timeoutMs} : {})
  return {diagnostics, errors, warnings, issue: built, draft}
}

/** The request maker for `service` from the environment, or a `push-key-missing` error naming what is not set. */
function accessFor(service: PushService, env: Readonly<Record<string, string | undefined>>): (build: IssueBuild) => PushRequest {
  const value = (name: string) => env[name]?.trim() || undefined
  const missingError = (names: string[], what: string) =>
    new PushError('push-key-missing', `No ${pushServiceLabels[service]} access: set ${names.join(', ')} (${what}); nothing was sent`)
  if (service === 'buttondown') {
    const apiKey = value('BUTTONDOWN_API_KEY')
    if (!apiKey) throw missingError(['BUTTONDOWN_API_KEY'], 'the API key from Buttondown\'s settings')
    const apiUrl = value('BUTTONDOWN_API_URL') ?? buttondownApi
    checkUrl(apiUrl, 'BUTTONDOWN_API_URL')
    return (build) => buttondownRequest(build, {apiKey, apiUrl})
  }
  const names = ['LISTMONK_URL', 'LISTMONK_USER', 'LISTMONK_TOKEN', 'LISTMONK_LISTS']
  const missing = names.filter((name) => !value(name))
  if (missing.length > 0) throw missingError(missing, 'the instance, an API user and its token, and the ids of the lists to send to')
  const url = value('LISTMONK_URL')!
  checkUrl(url, 'LISTMONK_URL')
  const listsText = value('LISTMONK_LISTS')!
  const lists = listsText.split(',').map((each) => each.trim())
  if (lists.some((each) => !/^\d+$/.test(each))) {
    throw new PushError('push-key-missing', `LISTMONK_LISTS must be list ids separated by commas (\`3\` or \`3,7\`), got ${JSON.stringify(listsText)}`)
  }
  const template = value('LISTMONK_TEMPLATE_ID')
  if (template !== undefined && !/^\d+$/.test(template)) throw new PushError('push-key-missing', `LISTMONK_TEMPLATE_ID must be a template id, got ${JSON.stringify(template)}`)
  const user = value('LISTMONK_USER')!
  const token = value('LISTMONK_TOKEN')!
  return (build) => listmonkRequest(build, {url, user, token, lists: lists.map(Number), templateId: template === undefined ? undefined : Number(template)})
}

/** An http(s) URL setting, else a `push-key-missing` error (without the value: it may hold a password). */
function checkUrl(url: string, name: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new PushError('push-key-missing', `${name} must be an http(s) URL such as https://lists.example.org`)
}
