/**
 * `letterpress send YYYY-MM --to ADDRESS`: one month's issue, built in
 * memory and sent over SMTP to the test recipients named, and nobody else.
 */
import type {Command} from 'commander'
import {plural} from '../../source/report.js'
import {newsletterCall, siteRoot, UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface SendCommandOptions extends OutputOptions {
  to: string[]
  smtp?: string
  root?: string
  timeout: string
  insecureAuth?: boolean
}

export function registerSend(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('send')
    .description('send one monthly issue over SMTP to explicit test recipients only')
    .argument('<month>', 'the month, as YYYY-MM')
    .requiredOption('--to <address...>', 'recipient addresses (the message goes to these only)')
    .option('--smtp <url>', 'SMTP URL, e.g. smtp://user:pass@host:587 (default: $LETTERPRESS_SMTP_URL)')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--timeout <seconds>', 'give up when the server does not answer in time', '20')
    .option('--insecure-auth', 'send the SMTP password even without TLS to a host that is not loopback (a network you trust only)')
  outputOptions(command).action(async (month: string, options: SendCommandOptions) =>
    exit(await runSend(month, options, new Output(io, options)))
  )
}

async function runSend(month: string, options: SendCommandOptions, output: Output): Promise<number> {
  const root = await siteRoot(options.root)
  const smtp = options.smtp ?? process.env.LETTERPRESS_SMTP_URL
  if (!smtp) throw new UsageError('no SMTP server: pass --smtp URL or set LETTERPRESS_SMTP_URL')
  const email = await import('../../email/index.js')
  const smtpProblem = email.smtpUrlProblem(smtp)
  if (smtpProblem) throw new UsageError(smtpProblem)
  const recipients = options.to.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)
  const bad = recipients.find((address) => !/^[^\s@<>]+@[^\s@<>]+$/.test(address))
  if (bad !== undefined) throw new UsageError(`not an email address: ${bad}`)
  const seconds = Number(options.timeout)
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a number of seconds, got ${options.timeout}`)
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
