/**
 * What `build` is asked to do and what it reports, shared by the build and
 * the warm-build check that may answer for it.
 */
import type {ConfigOverrides} from '../source/config.js'
import type {Diagnostic} from '../source/report.js'
import type {PostCounts} from '../source/site.js'

/** Options for `build`. */
export interface BuildOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
  /** Called as each stage starts (see `renderOutputs`). */
  onProgress?: ((progress: RenderProgress) => void) | undefined
}

/** What a build did. */
export interface BuildResult extends PostCounts {
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** HTML pages written. */
  pages: number
  /** Whether OUT was written (not when there were errors). */
  written: boolean
  /** Whether OUT was already what this build would write, so nothing was rendered (a warm build). */
  unchanged?: boolean
  outDir: string
  /**
   * What did not stop the build but a person should know about OUT's
   * surroundings: a folder left by an earlier build, or the replaced
   * output, that could not be removed.
   */
  notes?: string[]
}

/**
 * Where a build is, for a progress line: the stage, and within it how many
 * items are done of how many (`total` unknown for pages until the end).
 */
export interface RenderProgress {
  /**
   * Reading and checking the posts (`load`; `parse` while worker threads
   * parse them), the issues (`email`), the posts' web render (`web`), both
   * at once on worker threads (`workers`, counting posts and issues), the
   * pages (`pages`), writing OUT (`write`); and for `send`, sending (`send`).
   */
  step: 'load' | 'parse' | 'email' | 'web' | 'workers' | 'pages' | 'write' | 'send'
  done?: number
  total?: number
  /** Of those done, how many came from the memo or OUT instead of being made again. */
  reused?: number
}

