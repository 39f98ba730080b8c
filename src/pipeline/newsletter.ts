/**
 * `issue` and `send`: one month's issue built into OUT/email/YYYY-MM, or
 * built in memory and sent to explicit test recipients or to a list
 * (`sendList`), exactly once per address through crashes (a journal, see
 * journal.ts).
 */
import {withEnvironment} from './environment.js'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {
  configPosition,
  loadConfig,
  missingSendSettings,
  monthPattern,
  reportUnsendableIssues,
  type ConfigOverrides,
  type ResolvedConfig
} from '../source/config.js'
import {emailServices} from '../source/email-services.js'
import {buildIssue, createIssueContext, IssueError, issueEmlFor, SendError, sendIssue, type IssueBuild, type SendResult} from '../email/index.js'
import {issuePart} from '../email/issue.js'
import {isUncertain, readJournal, type JournalMark} from '../email/journal.js'
import {envelopeSender, mergedEml, mergeIssue, messageIdOf, unfilledMergeTags} from '../email/merge.js'
import {parseRecipientList, type Recipient} from '../email/recipients.js'
import {openSmtpSession} from '../email/send.js'
import {reportSubjectTemplate} from '../email/subject.js'
import {checkPublished, publishedUrls, type PublishedCheck} from '../email/published.js'
import {journalPath, openJournal, type Journal} from './journal.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from '../source/report.js'
import {TemplateError} from '../web/templates.js'
import {guardOutDir, markOutDir, templateErrorFile} from './build.js'
import {diskMemo} from './keys.js'
import {loadMemoizedSite} from './posts.js'
import type {RenderProgress} from './build-options.js'
import {memoizedMjml} from './issues.js'
import {lockOutDir, writeTree, type Outputs} from './write.js'

/** Options for `issue` and `send`. */
export interface IssueOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
  /** `YYYY-MM`. */
  month: string
  /** Called as each post is read, and as the issue is built and sent. */
  onProgress?: ((progress: RenderProgress) => void) | undefined
}

/** What `issue` did. */
export interface IssueResult {
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** The issue, when it could be built. */
  issue?: IssueBuild
  /** Where it was written, when it was. */
  written?: string
  /** What did not stop the write but a person should know (see `BuildResult.notes`). */
  notes?: string[]
}

/** A month that has no issue, or a malformed month: a usage problem. */
export class NewsletterError extends Error {}

/**
 * Load ROOT and build one month's issue in memory (`issue`, `send`,
 * `push`), with the diagnostics of everything read. `forSending`: a config
 * that cannot be sent (`missingSendSettings`), or an issue made for an
 * email service (`newsletter.provider`), is a `SendError` instead of a
 * warning.
 */
export async function prepare(options: IssueOptions, forSending = false) {
  if (!monthPattern.test(options.month)) {
    throw new NewsletterError(`expected a month as YYYY-MM, got ${options.month}`)
  }
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), withEnvironment(options))
  reportSubjectTemplate(config, configFile)
  const missing = missingSendSettings(config)
  if (forSending && missing.length > 0 && !configFile.messages.some((message) => message.fatal)) {
    throw new SendError('invalid', `Nothing was sent: the issue cannot be sent as it is; add ${missing.join(' and ')} to ${config.configFile}`)
  }
  const service = emailServices[config.newsletter.provider]
  if (forSending && config.newsletter.provider !== 'generic') {
    // The service's merge tags stand in the issue, and only that service fills them.
    throw new SendError(
      'invalid',
      `Nothing was sent: the issue is made for ${service.label} (\`newsletter.provider: ${config.newsletter.provider}\` in ${config.configFile}), ` +
        `whose merge tags only ${service.label} fills; send it from ${service.label}, or remove the setting to send it with letterpress`
    )
  }
  if (!forSending) reportUnsendableIssues(config, configFile)
  const start = config.newsletter.start
  if (start !== undefined && options.month < start) {
    // Like a month without posts, whatever the month holds: no issue to build.
    throw new NewsletterError(
      `No issue for ${options.month}: issues start at ${start} (\`newsletter.start\` in ${config.configFile}); ` +
        'set an earlier `newsletter.start` to build it'
    )
  }
  const memo = diskMemo(config)
  const {onProgress} = options
  const site = await loadMemoizedSite(config, {memo, onPost: onProgress && ((done, total) => onProgress({step: 'load', done, total}))})
  onProgress?.({step: 'email', done: 0, total: 1})
  const context = await createIssueContext(site, {mjmlCache: memoizedMjml(memo)})
  const files = [configFile, ...site.files, ...context.files]
  let issue: IssueBuild | undefined
  if (countDiagnostics(collectDiagnostics(files, config.strict)).errors === 0) {
    try {
      issue = await buildIssue(site, options.month, context)
      onProgress?.({step: 'email', done: 1, total: 1})
    } catch (error) {
      if (error instanceof IssueError) throw new NewsletterError(error.message)
      if (error instanceof TemplateError) files.push(templateErrorFile(error, config))
      else throw error
    }
  }
  const diagnostics = collectDiagnostics(files, config.strict)
  // Keep the posts parsed here for the next build; other months' entries stay as they are.
  if (issue) await memo.commit({prune: false})
  return {config, configFile, issue, diagnostics, ...countDiagnostics(diagnostics)}
}

/**
 * Build one month's issue into OUT/email/YYYY-MM (that folder is replaced
 * whole; the rest of OUT is left alone). Nothing is written on errors.
 */
export async function issue(options: IssueOptions): Promise<IssueResult> {
  const {config, issue: built, diagnostics, errors, warnings} = await prepare(options)
  if (!built || errors > 0) return {diagnostics, errors, warnings, ...(built ? {issue: built} : {})}
  const target = path.join(config.outDir, 'email', options.month)
  const lock = lockOutDir(config)
  const notes = new Set<string>()
  try {
    for (const note of guardOutDir(config)) notes.add(note)
    const outputs: Outputs = new Map(built.files)
    for (const note of await writeTree(target, outputs)) notes.add(note)
    await markOutDir(config)
  } finally {
    lock.release()
  }
  return {diagnostics, errors, warnings, issue: built, written: target, notes: [...notes]}
}

/** Options for `send`. */
export interface SendOptions extends IssueOptions {
  /** Recipients: the message goes to these and nobody else. */
  to: string[]
  /** SMTP URL (`smtp://user:pass@host:587`, `smtps://...`). */
  smtp: string
  /** Time limit for the server to answer each step, in milliseconds. */
  timeoutMs?: number
  /** Send the SMTP password even without TLS to a host that is not loopback (`--insecure-auth`). */
  insecureAuth?: boolean
  /**
   * Ask the web for the site's files the issue points at before sending,
   * and send nothing when one is missing or cannot be asked for (default
   * true; `--no-check-published` turns it off).
   */
  checkPublished?: boolean
}

/** What the check of the issue's own files on the web found (`checkIssuePublished`). */
export interface PublishedReport extends PublishedCheck {
  /** The `baseUrl` they were looked for under. */
  baseUrl: string
  /** Whether it stopped the send: something is missing or could not be asked for. */
  blocking: boolean
}

/**
 * Build one month's issue in memory and send it to each of `to` only, one
 * message per recipient. Content errors stop the send (nothing goes out);
 * so does a config without a real sender or `baseUrl` (`SendError`
 * `invalid`), and a site file the issue points at that is not on the web
 * (`checkIssuePublished`, unless `checkPublished` is false: the result's
 * `published` says what was found); SMTP failures throw `SendError`.
 */
export async function send(options: SendOptions): Promise<IssueResult & {sent?: SendResult; published?: PublishedReport}> {
  const prepared = await prepare(options, true)
  const {issue: built, diagnostics, errors} = prepared
  let {warnings} = prepared
  if (!built || errors > 0) return {diagnostics, errors, warnings}
  let published: PublishedReport | undefined
  if (options.checkPublished !== false) {
    const checked = await checkIssuePublished(prepared.config, prepared.configFile, built, options.timeoutMs)
    published = checked.report
    diagnostics.push(...checked.diagnostics)
    warnings += checked.diagnostics.length
    if (published.blocking) return {diagnostics, errors, warnings, issue: built, published}
  }
  options.onProgress?.({step: 'send', done: 0, total: options.to.length})
  const sent = await sendIssue({
    // Each recipient's copy carries its own To, Message-ID and the time of sending as its Date.
    eml: (to) => issueEmlFor(built, {to, date: new Date()}),
    to: options.to,
    smtp: options.smtp,
    ...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
    ...(options.insecureAuth ? {insecureAuth: true} : {})
  })
  options.onProgress?.({step: 'send', done: options.to.length, total: options.to.length})
  return {diagnostics, errors, warnings, issue: built, sent, ...(published ? {published} : {})}
}

/**
 * Ask the web for each file under `baseUrl` that the issue's HTML links to
 * or shows (`publishedUrls`, `checkPublished`): one `send-not-published`
 * warning per file the server does not have, with its URL and status, and
 * one `send-publish-unchecked` warning per reason some could not be asked
 * for at all; both at the `baseUrl` of the config file.
 */
export async function checkIssuePublished(
  config: ResolvedConfig,
  configFile: VFile,
  built: IssueBuild,
  timeoutMs: number | undefined
): Promise<{report: PublishedReport; diagnostics: Diagnostic[]}> {
  const baseUrl = config.baseUrl ?? ''
  const urls = publishedUrls(issuePart(built, 'issue.html'), baseUrl)
  const check = await checkPublished(urls, {timeoutMs: Math.min(timeoutMs ?? 10_000, 10_000)})
  const key = config.configFile === 'mkdocs.yml' ? 'site_url' : 'baseUrl'
  const file = new VFile({path: configFile.path})
  const place = configPosition(String(configFile.value ?? ''), [key]) ?? {line: 1, column: 1}
  for (const missing of check.missing) {
    file.message(
      `\`${missing.url}\` is not published: the server answers HTTP ${missing.status}, and the issue links to it or shows it; ` +
        'deploy the site before sending',
      {place, ruleId: 'send-not-published', source: 'letterpress'}
    )
  }
  const reasons = new Map<string, string[]>()
  for (const entry of check.unreachable) reasons.set(entry.error!, [...(reasons.get(entry.error!) ?? []), entry.url])
  for (const [reason, failed] of reasons) {
    file.message(
      `Could not ask whether ${failed.length === 1 ? `\`${failed[0]}\` is` : `${failed.length} files under \`${baseUrl}\` are (the first: \`${failed[0]}\`)`} ` +
        `published: ${reason}`,
      {place, ruleId: 'send-publish-unchecked', source: 'letterpress'}
    )
  }
  const blocking = check.missing.length > 0 || check.unreachable.length > 0
  return {report: {...check, baseUrl, blocking}, diagnostics: collectDiagnostics([file])}
}

/** Options for `sendList`. */
export interface SendListOptions extends Omit<IssueOptions, 'onProgress'> {
  /** The list file (CSV with an `email` column, or one address a line). */
  list: string
  /** SMTP URL; needed unless `dryRun`. */
  smtp?: string | undefined
  /** At most this many messages a second (0.5: one every two seconds); default: as fast as the server takes them. */
  rate?: number | undefined
  /**
   * Write each copy as .eml into this folder (replaced whole) instead of
   * sending; `true`: ROOT/.letterpress/dry-run/YYYY-MM.
   */
  dryRun?: string | true | undefined
  /** Send again to the addresses whose delivery is unknown (their last mark is `sending` or `uncertain`). */
  resendUncertain?: boolean | undefined
  /** Time limit for the server to answer each step, in milliseconds. */
  timeoutMs?: number | undefined
  /** See `SendOptions.insecureAuth`. */
  insecureAuth?: boolean | undefined
  /** See `SendOptions.checkPublished`; on a dry run the check is reported but stops nothing. */
  checkPublished?: boolean | undefined
  /** Waits before each new try of a copy the server refused for now (4xx), in milliseconds (default 2 s, 10 s, 30 s). */
  retryDelaysMs?: readonly number[] | undefined
  /** Called after each copy with how far the send is. */
  onProgress?: ((progress: SendProgress) => void) | undefined
}

/** How far a list send is. */
export interface SendProgress {
  /** Copies dealt with (sent, failed or uncertain) of `total` to deal with in this run. */
  done: number
  total: number
  /** Copies dealt with a second so far. */
  perSecond: number
  /** Seconds until the rest is dealt with at that pace; `undefined` before there is a pace. */
  secondsLeft: number | undefined
}

/** A copy whose delivery is unknown. */
export interface UncertainCopy {
  email: string
  /** When its last mark was written. */
  at: string
  /** Left so by an earlier run (else by this one). */
  earlier: boolean
}

/** What `sendList` did. */
export interface SendListResult {
  /** The issue's diagnostics, then the list's (each at its line, with its rule). */
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** The journal (absent on a dry run or when nothing could start). */
  journal?: string
  /** Accepted by the server in this run, in list order. */
  sent: string[]
  /** Accepted in an earlier run, so not sent again. */
  alreadySent: number
  /** Entries of the list left out: not an address, a repeat, or suppressed. */
  skipped: number
  /** Refused in this run (a 5xx, or a 4xx through every retry), or not handed over. */
  failed: Array<{email: string; response: string; permanent: boolean}>
  /** Sent (now or before) with no answer from the server: not sent again unless `resendUncertain`. */
  uncertain: UncertainCopy[]
  /** On a dry run: where the copies were written, and how many. */
  dryRun?: {folder: string; files: number}
  /** Why the run stopped before the end of the list (the server cannot be reached, refuses the login). */
  stopped?: string
  /** Addresses this run did not get to because it stopped. */
  untried: number
  /** What the check of the issue's own files on the web found, when it ran. */
  published?: PublishedReport
}

/**
 * Send one month's issue to each recipient of a list, each their own copy
 * (its own `To:`, Message-ID, Date and merge fields), at most once per
 * address through any crash: the journal (ROOT/.letterpress/sends/YYYY-MM.jsonl)
 * marks each copy before and after its transaction, and a run sends only
 * to addresses not yet accepted and not left uncertain. Entries that are
 * not addresses, repeats and suppressed addresses are reported and skipped;
 * content errors, a list that cannot be read, merge tags no field fills
 * and (unless `checkPublished` is false) site files the issue points at
 * that are not on the web (`checkIssuePublished`) stop it before anything
 * is sent.
 */
export async function sendList(options: SendListOptions): Promise<SendListResult> {
  const result: SendListResult = {diagnostics: [], errors: 0, warnings: 0, sent: [], alreadySent: 0, skipped: 0, failed: [], uncertain: [], untried: 0}
  if (options.rate !== undefined && !(options.rate > 0)) throw new NewsletterError(`--rate must be a number of messages a second above 0, got ${options.rate}`)
  if (!monthPattern.test(options.month)) throw new NewsletterError(`expected a month as YYYY-MM, got ${options.month}`)
  if (options.dryRun === undefined && !options.smtp) throw new NewsletterError('no SMTP server: pass --smtp URL or set LETTERPRESS_SMTP_URL')
  const listPath = path.resolve(options.list)
  let listText: string
  try {
    listText = await fs.readFile(listPath, 'utf8')
  } catch (error) {
    throw new NewsletterError(`cannot read the list ${options.list}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const {onProgress: _sendProgress, ...issueOptions} = options
  const prepared = await prepare(issueOptions, options.dryRun === undefined)
  const {config, issue: built} = prepared
  const listed = await readListAndSuppressions(config, prepared.configFile, listPath, listText)
  if (built && !listed.fatal) {
    for (const {tag, where} of unfilledMergeTags(built, listed.fieldNames, config.newsletter.unsubscribe)) {
      listed.file.message(
        `the issue has \`${tag}\` (in ${where}), which no field of this list fills: give the list that column, or take the tag out; nothing was sent`,
        {place: {line: 1, column: 1}, ruleId: 'send-merge-tag-unknown', source: 'letterpress'}
      ).fatal = true
    }
  }
  result.diagnostics = [...prepared.diagnostics, ...collectDiagnostics(listed.files)]
  Object.assign(result, countDiagnostics(result.diagnostics))
  result.skipped = listed.skipped
  if (!built || result.errors > 0) return result
  // Without a baseUrl there is nothing to look under (and `newsletter-not-sendable` says so).
  if (options.checkPublished !== false && config.baseUrl) {
    const checked = await checkIssuePublished(config, prepared.configFile, built, options.timeoutMs)
    result.published = checked.report
    result.diagnostics.push(...checked.diagnostics)
    result.warnings += checked.diagnostics.length
    if (checked.report.blocking && options.dryRun === undefined) return result
  }

  const journalFile = journalPath(config.root, options.month)
  const journal = options.dryRun === undefined ? openJournal(journalFile) : undefined
  try {
    const reading = journal?.reading ?? readJournal(await fs.readFile(journalFile, 'utf8').catch(() => ''))
    const queue: Recipient[] = []
    for (const recipient of listed.recipients) {
      const last = reading.last.get(recipient.key)
      if (last?.state === 'accepted') result.alreadySent++
      else if (isUncertain(last) && !options.resendUncertain) result.uncertain.push({email: recipient.address, at: last!.at, earlier: true})
      else queue.push(recipient)
    }
    const unsubscribe = config.newsletter.unsubscribe
    const copyFor = async (recipient: Recipient) =>
      mergedEml(built, mergeIssue(built, recipient.fields, unsubscribe), {to: recipient.address, date: new Date()})
    if (options.dryRun !== undefined) {
      const outputs: Outputs = new Map()
      for (const [index, recipient] of queue.entries()) {
        outputs.set(`${String(index + 1).padStart(4, '0')}-${recipient.key.replace(/[^a-z0-9@._+-]/g, '_')}.eml`, await copyFor(recipient))
      }
      const folder = options.dryRun === true ? path.join(config.root, '.letterpress', 'dry-run', options.month) : path.resolve(options.dryRun)
      await writeTree(folder, outputs)
      result.dryRun = {folder, files: outputs.size}
      return result
    }
    result.journal = journalFile
    await deliver(queue, {...options, smtp: options.smtp!}, journal!, envelopeSender(built), copyFor, result)
    return result
  } finally {
    journal?.close()
  }
}

/** The list and the suppression list, read, with their problems on their files. */
async function readListAndSuppressions(config: ResolvedConfig, configFile: VFile, listPath: string, listText: string) {
  const shown = (file: string) => (file.startsWith(config.root + path.sep) ? path.relative(config.root, file).split(path.sep).join('/') : file)
  const file = new VFile({path: shown(listPath)})
  const files = [file]
  const list = parseRecipientList(listText)
  let skipped = list.problems.filter((problem) => !problem.fatal).length
  for (const problem of list.problems) {
    file.message(problem.message, {place: {line: problem.line, column: problem.column}, ruleId: problem.rule, source: 'letterpress'}).fatal = problem.fatal || undefined
  }
  let fatal = list.problems.some((problem) => problem.fatal)
  let recipients = list.recipients
  const suppress = config.newsletter.suppress
  if (suppress !== undefined) {
    const suppressPath = path.resolve(config.root, suppress)
    const suppressFile = new VFile({path: shown(suppressPath)})
    let text: string | undefined
    try {
      text = await fs.readFile(suppressPath, 'utf8')
    } catch (error) {
      const place = configPosition(String(configFile.value ?? ''), ['newsletter', 'suppress']) ?? {line: 1, column: 1}
      const where = new VFile({path: configFile.path})
      where.message(
        `\`newsletter.suppress\` names ${suppress}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
          'nothing is sent without the addresses it must skip; create it (empty is fine) or remove the setting',
        {place, ruleId: 'send-suppress-missing', source: 'letterpress'}
      ).fatal = true
      files.push(where)
      fatal = true
    }
    if (text !== undefined) {
      const suppressed = parseRecipientList(text)
      // A suppression list that cannot be read as a list must not be half applied.
      for (const problem of suppressed.problems.filter((entry) => entry.fatal)) {
        suppressFile.message(problem.message, {place: {line: problem.line, column: problem.column}, ruleId: problem.rule, source: 'letterpress'}).fatal = true
        fatal = true
      }
      files.push(suppressFile)
      const lines = new Map(suppressed.recipients.map((entry) => [entry.key, entry.line]))
      recipients = recipients.filter((recipient) => {
        const line = lines.get(recipient.key)
        if (line === undefined) return true
        skipped++
        file.message(`\`${recipient.address}\` is on the suppression list (${shown(suppressPath)}:${line}); skipped`, {
          place: {line: recipient.line, column: 1},
          ruleId: 'list-address-suppressed',
          source: 'letterpress'
        })
        return false
      })
    }
  }
  return {file, files, recipients, fieldNames: list.fieldNames, skipped, fatal}
}

const defaultRetryDelaysMs = [2_000, 10_000, 30_000]

/** Send each copy of `queue` in turn, journalled, paced and retried; fills `result`. */
async function deliver(
  queue: readonly Recipient[],
  options: SendListOptions & {smtp: string},
  journal: Journal,
  from: string,
  copyFor: (recipient: Recipient) => Promise<Uint8Array>,
  result: SendListResult
): Promise<void> {
  const session = openSmtpSession({smtp: options.smtp, timeoutMs: options.timeoutMs, insecureAuth: options.insecureAuth})
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs
  const started = performance.now()
  let attempts = 0
  const mark = (mark: Omit<JournalMark, 'at'>) => journal.append({...mark, at: new Date().toISOString()} as JournalMark)
  try {
    for (const [index, recipient] of queue.entries()) {
      const email = recipient.address
      for (let retry = 0; ; retry++) {
        // The pace: the n-th try starts no sooner than n / rate seconds in.
        if (options.rate !== undefined) await sleep(started + (attempts / options.rate) * 1000 - performance.now())
        attempts++
        const eml = await copyFor(recipient)
        const messageId = messageIdOf(eml)
        mark({email, state: 'sending', ...(messageId ? {messageId} : {})})
        try {
          const info = await session.send(from, email, {raw: Buffer.from(eml.buffer, eml.byteOffset, eml.byteLength).toString('utf8')})
          mark({email, state: 'accepted', response: info.response})
          result.sent.push(email)
          break
        } catch (error) {
          if (!(error instanceof SendError)) throw error
          const response = error.response ?? error.message
          if (error.uncertain) {
            mark({email, state: 'uncertain', response})
            result.uncertain.push({email, at: new Date().toISOString(), earlier: false})
            break
          }
          const refused = error.failure === 'refused'
          // A 4xx, or a connection that failed before the message went: worth another try.
          const temporary = refused ? error.responseCode !== undefined && error.responseCode < 500 : error.failure !== 'insecure' && error.failure !== 'invalid'
          mark({email, state: 'failed', response, permanent: !temporary})
          if (temporary && retry < delays.length) {
            await sleep(delays[retry]!)
            continue
          }
          result.failed.push({email, response, permanent: !temporary})
          // No later copy can fare better: the server is gone, or will not let this sender in.
          if (!refused || error.code === 'EAUTH') result.stopped = error.message
          break
        }
      }
      const seconds = (performance.now() - started) / 1000
      const perSecond = seconds > 0 ? (index + 1) / seconds : 0
      options.onProgress?.({
        done: index + 1,
        total: queue.length,
        perSecond,
        secondsLeft: perSecond > 0 ? (queue.length - index - 1) / perSecond : undefined
      })
      if (result.stopped !== undefined) {
        result.untried = queue.length - index - 1
        break
      }
    }
  } finally {
    session.close()
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}
