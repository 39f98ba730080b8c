/**
 * `letterpress new TITLE`: a draft post dated today, in the folder layout
 * the posts already use; its path on stdout.
 */
import type {Command} from 'commander'
import path from 'node:path'
import {siteRoot, UsageError, type CommandContext} from '../common.js'
import {Output, outputOptions, type OutputOptions} from '../output.js'

interface NewCommandOptions extends OutputOptions {
  root?: string
}

export function registerNew(program: Command, {io, exit}: CommandContext): void {
  const command = program
    .command('new')
    .description('scaffold a draft post dated today, in the folder layout the posts already use')
    .argument('[title]', 'the title of the post')
    .option('--root <dir>', 'site root (default: working directory)')
  outputOptions(command).action(async (title: string | undefined, options: NewCommandOptions) =>
    exit(await runNew(title ?? '', options, new Output(io, options)))
  )
}

async function runNew(title: string, options: NewCommandOptions, output: Output): Promise<number> {
  const {newPost, NewPostError} = await import('../new.js')
  try {
    const result = await newPost({root: await siteRoot(options.root), title})
    output.out.write(path.relative(process.cwd(), result.file) + '\n')
    return 0
  } catch (error) {
    if (!(error instanceof NewPostError)) throw error
    if (error.kind === 'usage') throw new UsageError(error.message)
    output.err.write(`letterpress: ${error.message}\n`)
    return 1
  }
}
