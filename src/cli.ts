/**
 * The command line: the program and its commands (one module each under
 * cli/commands/). The only part of letterpress that writes to stdout and
 * stderr and decides exit codes: 0 ok, 1 content errors, 2 usage.
 *
 * Each command loads the part of letterpress it needs when it runs: a warm
 * build, `--help` or `new` must not pay for the Markdown, template and
 * email pipelines (about half a second).
 */
import {Command, CommanderError} from 'commander'
import {oneLine} from './source/report.js'
import {LockBusyError} from './pipeline/lock.js'
import {UsageError, version, type CommandContext} from './cli/common.js'
import {processIo, type CliIo} from './cli/io.js'
import {registerBuild} from './cli/commands/build.js'
import {registerCheck} from './cli/commands/check.js'
import {registerDev} from './cli/commands/dev.js'
import {registerInit} from './cli/commands/init.js'
import {registerIssue} from './cli/commands/issue.js'
import {registerNew} from './cli/commands/new.js'
import {registerPush} from './cli/commands/push.js'
import {registerRender} from './cli/commands/render.js'
import {registerSend} from './cli/commands/send.js'

export type {CliIo} from './cli/io.js'
/**
 * The render pool's worker loop, run by a worker thread started from the
 * start-up bundle (see pipeline/pool.ts). Imported when called: a run that
 * starts no worker (a warm build, most commands) does not load the
 * pipeline it needs.
 */
export async function serveRenderWorker(): Promise<void> {
  ;(await import('./pipeline/render-worker.js')).serveRenderWorker()
}

/**
 * Run the CLI with `argv` (without `node` and the script). Resolves to the
 * exit code; never calls `process.exit`.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0
  const program = new Command()
    .name('letterpress')
    .description('One Markdown parse, two publications: a static blog and a monthly newsletter email.')
    .version(await version(), '-v, --version')
    .exitOverride()
    .configureOutput({writeOut: io.stdout, writeErr: io.stderr})
    .showHelpAfterError('(run `letterpress --help` for usage)')
  const context: CommandContext = {io, exit: (code) => (exitCode = code)}
  for (const register of [registerRender, registerBuild, registerIssue, registerSend, registerPush, registerCheck, registerDev, registerNew, registerInit]) {
    register(program, context)
  }

  try {
    await program.parseAsync(argv, {from: 'user'})
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; anything else commander rejects is usage.
      return error.exitCode === 0 ? 0 : 2
    }
    if (error instanceof UsageError) {
      io.stderr(`letterpress: ${oneLine(error.message)}\n`)
      return 2
    }
    // Another build holds OUT: not a usage mistake, and this one did not run (so 1, as a failed build).
    if (error instanceof LockBusyError) {
      io.stderr(`letterpress: ${error.message}\n`)
      return 1
    }
    throw error
  }
}
