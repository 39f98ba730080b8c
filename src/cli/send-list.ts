/**
 * `send YYYY-MM --list FILE`: the issue to every subscriber of a list (see
 * `sendList`), with a plain progress line on stderr about once a second,
 * the list's problems at their lines, the failed and the uncertain
 * addresses by name, and a summary line. Exit code: 0 when every address
 * of the list has its copy (or was skipped), 1 otherwise.
 */
import path from 'node:path'
import {formatText, plural} from '../source/report.js'
import type {PublishedReport, SendListOptions, SendProgress} from '../pipeline/newsletter.js'

/** Where the command writes. */
interface Output {
  stderr: (text: string) => void
}

/** Run a list send and report it; resolves to the exit code. Usage problems throw `NewsletterError`. */
export async function runSendList(options: SendListOptions, io: Output): Promise<number> {
  const {month} = options
  const {sendList} = await import('../pipeline/newsletter.js')
  const started = performance.now()
  let lastLine = started
  const onProgress = (progress: SendProgress) => {
    const now = performance.now()
    if (now - lastLine < 1000 || progress.done === progress.total) return
    lastLine = now
    io.stderr(`send ${month}: ${progressLine(progress)}\n`)
  }
  const {SendError} = await import('../email/index.js')
  let result
  try {
    result = await sendList({...options, onProgress})
  } catch (error) {
    // An issue that cannot be sent as configured: one line, as `send --to` says it.
    if (!(error instanceof SendError)) throw error
    io.stderr(`letterpress: send ${month} failed (${error.failure}): ${error.message}\n`)
    return 1
  }
  if (result.diagnostics.length > 0) io.stderr(formatText(result.diagnostics) + '\n')
  if (result.errors > 0) {
    io.stderr(`send ${month}: nothing sent: ${plural(result.errors, 'error')}\n`)
    return 1
  }
  if (result.published) {
    const stops = result.published.blocking && options.dryRun === undefined
    io.stderr(`send ${month}: ${publishedLine(result.published, stops)}\n`)
    if (stops) return 1
  }
  const shown = (file: string) => path.relative(process.cwd(), file) || '.'
  for (const entry of result.failed) {
    io.stderr(`send ${month}: failed for ${entry.email} (${entry.permanent ? 'permanent' : 'temporary'}): ${entry.response}\n`)
  }
  const earlier = result.uncertain.filter((entry) => entry.earlier)
  if (earlier.length > 0) {
    io.stderr(
      `send ${month}: not sent again, delivery unknown since an earlier run was cut off: ${earlier.map((entry) => entry.email).join(', ')}` +
        (options.dryRun === undefined ? '; pass --resend-uncertain to send to them anyway' : '') +
        '\n'
    )
  }
  const now = result.uncertain.filter((entry) => !entry.earlier)
  if (now.length > 0) {
    io.stderr(`send ${month}: delivery unknown (the server did not answer after the message): ${now.map((entry) => entry.email).join(', ')}\n`)
  }
  if (result.stopped !== undefined) {
    io.stderr(`send ${month}: stopped with ${result.untried} ${result.untried === 1 ? 'address' : 'addresses'} not tried; run it again later: ${result.stopped}\n`)
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const before = result.alreadySent > 0 ? ` (${result.alreadySent} sent by an earlier run)` : ''
  if (result.dryRun) {
    io.stderr(
      `send ${month}: dry run: ${plural(result.dryRun.files, 'message')} written to ${shown(result.dryRun.folder)}, nothing sent; ` +
        `${result.skipped} skipped, ${result.uncertain.length} uncertain${before} in ${seconds} s\n`
    )
    return 0
  }
  io.stderr(
    `send ${month}: ${result.sent.length} sent, ${result.skipped} skipped, ${result.failed.length} failed, ${result.uncertain.length} uncertain${before} ` +
      `in ${seconds} s; journal ${shown(result.journal ?? '')}\n`
  )
  return result.failed.length > 0 || result.uncertain.length > 0 || result.stopped !== undefined ? 1 : 0
}

/** `120/200, 45.2 a second, about 2 s left`. */
export function progressLine(progress: SendProgress): string {
  const left = progress.secondsLeft === undefined ? '' : `, about ${Math.ceil(progress.secondsLeft)} s left`
  return `${progress.done}/${progress.total}, ${progress.perSecond.toFixed(1)} a second${left}`
}

/**
 * The summary of the check of the issue's own files on the web: all there,
 * or how many are not (and, when that stopped the send, how to go on).
 */
export function publishedLine(report: PublishedReport, stopped: boolean): string {
  const {checked, missing, unreachable, baseUrl} = report
  if (!report.blocking) return `${checked === 1 ? 'the 1 file' : `all ${checked} files`} the issue points at under ${baseUrl} ${checked === 1 ? 'is' : 'are'} published`
  const parts = [
    ...(missing.length > 0 ? [`${missing.length} of the ${checked} files the issue points at under ${baseUrl} ${missing.length === 1 ? 'is' : 'are'} not published`] : []),
    ...(unreachable.length > 0 ? [`${unreachable.length} of ${checked} could not be checked`] : [])
  ]
  return stopped
    ? `nothing sent: ${parts.join('; ')}; deploy the site first, or pass --no-check-published to send anyway`
    : parts.join('; ')
}
