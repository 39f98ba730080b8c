/**
 * `issue` and `send`: one month's issue built into OUT/email/YYYY-MM, or
 * built in memory and sent to explicit test recipients.
 */
import path from 'node:path'
import {loadConfig, missingSendSettings, monthPattern, reportUnsendableIssues, type ConfigOverrides} from '../source/config.js'
import {buildIssue, createIssueContext, IssueError, issueEmlFor, SendError, sendIssue, type IssueBuild, type SendResult} from '../email/index.js'
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

async function prepare(options: IssueOptions, forSending = false) {
  if (!monthPattern.test(options.month)) {
    throw new NewsletterError(`expected a month as YYYY-MM, got ${options.month}`)
  }
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), options)
  const missing = missingSendSettings(config)
  if (forSending && missing.length > 0 && !configFile.messages.some((message) => message.fatal)) {
    throw new SendError('invalid', `Nothing was sent: the issue cannot be sent as it is; add ${missing.join(' and ')} to ${config.configFile}`)
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
  return {config, issue, diagnostics, ...countDiagnostics(diagnostics)}
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
}

/**
 * Build one month's issue in memory and send it to each of `to` only, one
 * message per recipient. Content errors stop the send (nothing goes out);
 * so does a config without a real sender or `baseUrl` (`SendError`
 * `invalid`); SMTP failures throw `SendError`.
 */
export async function send(options: SendOptions): Promise<IssueResult & {sent?: SendResult}> {
  const prepared = await prepare(options, true)
  const {issue: built, diagnostics, errors, warnings} = prepared
  if (!built || errors > 0) return {diagnostics, errors, warnings}
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
  return {diagnostics, errors, warnings, issue: built, sent}
}
