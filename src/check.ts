/**
 * `check`: every validation the build would make, writing nothing.
 */
import type {ConfigOverrides} from './config.js'
import {loadConfig} from './config.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from './report.js'
import {loadSite} from './site.js'

/** Options for `check`. */
export interface CheckOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
}

/** What `check` found. */
export interface CheckResult {
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  posts: number
}

/**
 * Load and validate everything under ROOT: encoding, frontmatter, slugs and
 * URLs, links and images. Drafts are checked like every other post: they
 * are the posts being written.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), options)
  const site = await loadSite(config)
  const diagnostics = collectDiagnostics([configFile, ...site.files], config.strict)
  return {diagnostics, ...countDiagnostics(diagnostics), posts: site.all.length}
}
