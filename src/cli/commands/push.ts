/**
 * `letterpress push YYYY-MM --to listmonk|buttondown`: one month's issue,
 * built with that service's merge tags, created there as a DRAFT campaign
 * to review and send from the service; `--dry-run` prints the request
 * instead (the key redacted). The address and key come from the
 * environment (see pipeline/push.ts); they are never printed.
 */
import type {Command} from 'commander'
import {plural} from '../../source/report.js'
import {newsletterCall, siteRoot, UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface PushCommandOptions extends OutputOptions {
  to: string
  root?: string
  timeout: string
  dryRun?: boolean
}

export function registerPush(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('push')
    .description('create one monthly issue as a draft campaign at an email service (Listmonk, Buttondown), to review and send there')
    .argument('<month>', 'the month, as YYYY-MM')
    .requiredOption('--to <service>', 'the service: listmonk (LISTMONK_URL, LISTMONK_USER, LISTMONK_TOKEN, LISTMONK_LISTS) or buttondown (BUTTONDOWN_API_KEY)')
    .option('--root <dir>', 'site root (default: working directory)')
    .option('--timeout <seconds>', 'give up when the service does not answer in time', '30')
    .option('--dry-run', 'print the request that would be sent, the key redacted; send nothing')
  outputOptions(command).action(async (month: string, options: PushCommandOptions) => exit(await runPush(month, options, new Output(io, options))))
}

async function runPush(month: string, options: PushCommandOptions, output: Output): Promise<number> {
  const {pushServices, pushServiceLabels, PushError} = await import('../../email/push.js')
  const service = pushServices.find((name) => name === options.to.toLowerCase())
  if (!service) throw new UsageError(`--to must be one of ${pushServices.join(', ')}, got ${options.to}`)
  const seconds = Number(options.timeout)
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a number of seconds, got ${options.timeout}`)
  const root = await siteRoot(options.root)
  const {push} = await import('../../pipeline/push.js')
  const onProgress = output.progress()
  let result
  try {
    result = await newsletterCall(() => push({month, root, to: service, dryRun: options.dryRun === true, timeoutMs: seconds * 1000, onProgress}))
  } catch (error) {
    output.stopProgress()
    if (!(error instanceof PushError)) throw error
    output.err.write(`letterpress: push ${month} to ${pushServiceLabels[service]} failed: ${error.message}  ${error.ruleId}\n`)
    return 1
  } finally {
    output.stopProgress()
  }
  output.messages(result.diagnostics)
  output.timings()
  if (result.errors > 0 || !result.issue) {
    output.err.write(`push ${month}: nothing sent: ${plural(result.errors, 'error')} in the issue\n`)
    return 1
  }
  if (result.request !== undefined) {
    output.out.write(result.request)
    output.err.write(`push ${month}: dry run, nothing sent to ${pushServiceLabels[service]}\n`)
    return 0
  }
  const draft = result.draft!
  output.err.write(
    `push ${month}: draft created at ${pushServiceLabels[service]}${draft.id ? ` (id ${draft.id})` : ''}` +
      `${draft.url ? `: ${draft.url}` : ''}; review and send it there\n`
  )
  return 0
}
