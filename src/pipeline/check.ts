/**
 * `check`: every validation the build would make, writing nothing.
 */
import type {VFile} from 'vfile'
import {templateErrorFile} from './build.js'
import {loadConfig, reportMissingBaseUrl, reportUnsendableIssues, type ConfigOverrides} from '../source/config.js'
import {buildIssues, createIssueContext} from '../email/index.js'
import {reportIssueCoverage} from '../email/coverage.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from '../source/report.js'
import {loadSite} from '../source/site.js'
import {diskMemo, memoVersions, type RenderProgress} from './build.js'
import {TemplateError} from '../web/templates.js'

/** Options for `check`. */
export interface CheckOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
  /** Called as each post is read and each issue built. */
  onProgress?: ((progress: RenderProgress) => void) | undefined
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
 * URLs, links and images, posts in no issue or in a future month's
 * (`reportIssueCoverage`), and each monthly issue (built in memory) against
 * the email size budget. Drafts are checked like every other post: they
 * are the posts being written.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), options)
  // Read-only: check writes nothing, but what the last build worked out spares it the work.
  const memo = diskMemo(config, {readOnly: true})
  const versions = memoVersions(config)
  const {onProgress} = options
  const site = await loadSite(config, {memo, onPost: onProgress && ((done, total) => onProgress({step: 'load', done, total}))})
  // Before the error gate below: a post in no issue is worth knowing about regardless.
  reportIssueCoverage(site, configFile)
  reportMissingBaseUrl(config, configFile)
  // A config fact, whichever posts are published yet (drafts included): said once, by build and check alike.
  if (site.all.length > 0) reportUnsendableIssues(config, configFile)
  const files: VFile[] = [configFile, ...site.files]
  if (countDiagnostics(collectDiagnostics(files)).errors === 0) {
    try {
      const context = await createIssueContext(site)
      files.push(...context.files)
      await buildIssues(site, context, {memo, version: versions.email, assetKey: versions.assetKey}, (done, total, reused) =>
        onProgress?.({step: 'email', done, total, reused})
      )
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      files.push(templateErrorFile(error, config))
    }
  }
  const diagnostics = collectDiagnostics(files, config.strict)
  return {diagnostics, ...countDiagnostics(diagnostics), posts: site.all.length}
}
