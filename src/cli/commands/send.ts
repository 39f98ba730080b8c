/**
 * `letterpress send YYYY-MM --to ADDRESS`: one month's issue, built in
 * memory and sent over SMTP to the test recipients named, and nobody else;
 * or `--list FILE`: to every subscriber of a list, once each, through
 * crashes (see `cli/send-list.ts`).
 */
import type {Command} from 'commander'
import {plural} from '../../source/report.js'
import {newsletterCall, siteRoot, UsageError, type CommandContext} from '../common.js'
import type {CliIo} from '../io.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface SendCommandOptions extends OutputOptions {
  to?: string[]
  list?: string
  smtp?: string
  root?: string
  timeout: string
  insecureAuth?: boolean
  rate?: string
  dryRun?: string | true
  resendUncertain?: boolean
  checkPublished: boolean
}

export function registerSend(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('send')
    .description('send one monthly issue over SMTP to explicit test recipients, or to every subscriber of a list')
    .argument('<month>', 'the month, as YYYY-MM')
    .option('--to <address...>', 'recipient addresses (the message goes to these only)')
    .option('--list <file>', 'subscribers: CSV with an email column, or one address a line; a rerun sends only to those not yet sent to')
    .option('--smtp <url>', 'SMTP URL, e.g. smtp://user:pass@host:587 (default: $LETTERPRESS_SMTP_URL)')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--timeout <seconds>', 'give up when the server does not answer in time', '20')
    .option('--insecure-auth', 'send the SMTP password even without TLS to a host that is not loopback (a network you trust only)')
    .option('--rate <n>', 'with --list: at most N messages a second (0.5: one every two seconds)')
    .option('--dry-run [dir]', 'with --list: write each copy as .eml into DIR (default: ROOT/.letterpress/dry-run/YYYY-MM), send nothing')
    .option('--resend-uncertain', 'with --list: send again to addresses whose delivery is unknown after a crash')
    .option('--no-check-published', 'send even when pages or images the issue points at under baseUrl are not on the web (or cannot be checked)')
  outputOptions(command).action(async (month: string, options: SendCommandOptions) =>
    exit(await runSend(month, options, new Output(io, options), io))
  )
}

async function runSend(month: string, options: SendCommandOptions, output: Output, io: CliIo): Promise<number> {
  const root = await siteRoot(options.root)
  const smtp = options.smtp ?? process.env.LETTERPRESS_SMTP_URL
  if (options.list !== undefined && options.to !== undefined) throw new UsageError('give --to or --list, not both')
  if (options.list === undefined && options.to === undefined) throw new UsageError('give --to ADDRESS... or --list FILE')
  if (!smtp && (options.list === undefined || options.dryRun === undefined)) throw new UsageError('no SMTP server: pass --smtp URL or set LETTERPRESS_SMTP_URL')
  const email = await import('../../email/index.js')
  const smtpProblem = smtp ? email.smtpUrlProblem(smtp) : undefined
  if (smtpProblem) throw new UsageError(smtpProblem)
  const seconds = Number(options.timeout)
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a number of seconds, got ${options.timeout}`)
  if (options.rate !== undefined && !(Number(options.rate) > 0)) throw new UsageError(`--rate must be a number of messages a second above 0, got ${options.rate}`)
  if (options.list !== undefined) {
    const {runSendList} = await import('../send-list.js')
    const list = {
      month,
      root,
      list: options.list,
      smtp,
      timeoutMs: seconds * 1000,
      insecureAuth: options.insecureAuth,
      dryRun: options.dryRun,
      checkPublished: options.checkPublished
    }
    const rate = options.rate === undefined ? {} : {rate: Number(options.rate)}
    return newsletterCall(() => runSendList({...list, ...rate, resendUncertain: options.resendUncertain}, io))
  }
  if (!smtp) throw new UsageError('no SMTP server: pass --smtp URL or set LETTERPRESS_SMTP_URL')
  const recipients = options.to!.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)
  const bad = recipients.find((address) => !/^[^\s@<>]+@[^\s@<>]+$/.test(address))
  if (bad !== undefined) throw new UsageError(`not an email address: ${bad}`)
  const {send} = await import('../../pipeline/newsletter.js')
  const onProgress = output.progress()
  let result
  try {
    result = await newsletterCall(() =>
      send({
        month,
        to: recipients,
        smtp,
        timeoutMs: seconds * 1000,
        ...(options.insecureAuth ? {insecureAuth: true} : {}),
        checkPublished: options.checkPublished,
        root,
        onProgress
      })
    )
  } catch (error) {
    output.stopProgress()
    if (!(error instanceof email.SendError)) throw error
    output.err.write(`letterpress: send ${month} failed (${error.failure}): ${error.message}\n`)
    return 1
  } finally {
    output.stopProgress()
  }
  output.messages(result.diagnostics)
  output.timings()
  if (result.published) {
    const {publishedLine} = await import('../send-list.js')
    output.err.write(`send ${month}: ${publishedLine(result.published, result.published.blocking)}\n`)
    if (result.published.blocking) return 1
  }
  if (!result.sent) {
    output.err.write(`send ${month}: not sent: ${plural(result.errors, 'error')} in the issue\n`)
    return 1
  }
  output.err.write(
    `send ${month}: sent to ${result.sent.accepted.join(', ')}` +
      (result.sent.rejected.length > 0 ? `; refused for ${result.sent.rejected.join(', ')}` : '') +
      '\n'
  )
  return result.sent.rejected.length > 0 ? 1 : 0
}
