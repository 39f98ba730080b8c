/**
 * `check`: the build's own stages (load, posts, issues, pages) on ROOT,
 * writing nothing, so it reports exactly what `build` would.
 */
import {withEnvironment} from './environment.js'
import {renderOutputs} from './build.js'
import {diskMemo} from './keys.js'
import type {RenderProgress} from './build-options.js'
import {loadConfig, type ConfigOverrides} from '../source/config.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from '../source/report.js'
import {countPosts, type PostCounts} from '../source/site.js'

/** Options for `check`: those of `build` (`outDir` changes nothing: `check` never touches OUT). */
export interface CheckOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
  /** Called as the build's stages go (posts read, issues, posts rendered, pages). */
  onProgress?: ((progress: RenderProgress) => void) | undefined
}

/** What `check` found, counted as `build` counts it. */
export interface CheckResult extends PostCounts {
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** HTML pages the build would write (0 when errors stop it before the site is rendered). */
  pages: number
}

/**
 * Validate ROOT as `build` would build it: every post loaded and checked
 * (drafts too, as the posts being written), then, without errors, every
 * monthly issue and every page of the site rendered in memory and let go.
 * So `check` reports what only rendering finds (unknown code languages,
 * invalid TeX, template errors, the email size budget) and stops where
 * `build` stops.
 *
 * OUT is never touched, so `check` needs no lock on it and may run beside a
 * build. It reads the memo under ROOT/.cache that builds keep, and reuses
 * what the last build worked out, but adds nothing to it: `check` writes
 * nothing at all, so it runs as well on a read-only checkout or in a commit
 * hook, and cannot prune or race the entries a build is using. What it works
 * out stays in memory for this run.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), withEnvironment(options))
  const rendered = await renderOutputs(config, configFile, {
    memo: diskMemo(config, {readOnly: true}),
    write: false,
    ...(options.onProgress ? {onProgress: options.onProgress} : {})
  })
  const diagnostics = collectDiagnostics(rendered.files, config.strict)
  return {diagnostics, ...countDiagnostics(diagnostics), ...countPosts(rendered.site), pages: rendered.pages}
}
