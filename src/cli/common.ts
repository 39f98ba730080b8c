/**
 * What the commands share: the usage error, the site's ROOT, the version,
 * and the context each command's module is given.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {OutDirError} from '../pipeline/write.js'
import {plural} from '../source/report.js'
import type {PostCounts} from '../source/site.js'
import type {CliIo} from './io.js'

/** A failure of the tool's use (not of content): one line, exit code 2, no stack. */
export class UsageError extends Error {}

/** What a command's module is given: where to write, and where its exit code goes. */
export interface CommandContext {
  io: CliIo
  exit(code: number): void
}

/**
 * ROOT as an absolute path (`--root`, else the working directory). One that
 * does not exist, or is not a folder, is a usage error before anything is
 * read or created: a mistyped `--root` must not build an empty site there.
 */
export async function siteRoot(option: string | undefined): Promise<string> {
  const root = path.resolve(option ?? process.cwd())
  let folder = false
  try {
    folder = (await fs.stat(root)).isDirectory()
  } catch {
    throw new UsageError(`no such folder: ${root} (the site's ROOT, from --root or the working directory)`)
  }
  if (!folder) throw new UsageError(`not a folder: ${root} (the site's ROOT, from --root or the working directory)`)
  return root
}

/** `--base-url` as an override of the config's, refused unless it is an absolute http(s) URL. */
export function baseUrlOverride(value: string | undefined): {baseUrl?: string} {
  if (value !== undefined && !/^https?:\/\/[^/]/.test(value)) throw new UsageError(`--base-url must be an absolute http(s) URL, got ${value}`)
  return value ? {baseUrl: value} : {}
}

/**
 * The posts a build publishes and those it leaves out, in the words `build`
 * and `check` both use: `9 posts published, 1 draft and 2 scheduled posts
 * not published` (pages are not posts).
 */
export function postsSummary({posts, unpublished}: PostCounts): string {
  const left = [
    ...(unpublished.drafts > 0 ? [plural(unpublished.drafts, 'draft')] : []),
    ...(unpublished.scheduled > 0 ? [plural(unpublished.scheduled, 'scheduled post')] : [])
  ]
  return `${plural(posts, 'post')} published${left.length > 0 ? `, ${left.join(' and ')} not published` : ''}`
}

/** Months without an issue, malformed months and an unusable OUT are usage errors. */
export async function newsletterCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const {NewsletterError} = await import('../pipeline/newsletter.js')
    if (error instanceof NewsletterError || error instanceof OutDirError) throw new UsageError(error.message)
    throw error
  }
}

/** Seconds since `started` (a `performance.now()`), two decimals. */
export function elapsed(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(2)
}

/** `path` relative to the working directory (`.` for the directory itself). */
export function shownPath(target: string): string {
  return path.relative(process.cwd(), target) || '.'
}

/** letterpress's version, from its package.json. */
export async function version(): Promise<string> {
  const url = new URL('../../package.json', import.meta.url)
  const pkg = JSON.parse(await fs.readFile(url, 'utf8')) as {version: string}
  return pkg.version
}
