/**
 * The dev server's view of the site: the last good render of ROOT (site and
 * issues, drafts on) kept in memory, the messages of the latest attempt, and
 * `rebuild(changedPaths)` to bring it up to date. A failed render keeps the
 * last good outputs, so the preview stays usable while a mistake is fixed.
 */
import {withEnvironment} from '../pipeline/environment.js'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {renderOutputs, type PostPreview} from '../pipeline/build.js'
import {createParser} from '../source/parse.js'
import {loadConfig, type ResolvedConfig} from '../source/config.js'
import {createDiskMemo} from '../pipeline/memo.js'
import {giveWay} from '../pipeline/instrument.js'
import {countPosts} from '../source/site.js'
import {createSourceCache} from '../pipeline/posts.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from '../source/report.js'
import type {OutputContent, Outputs} from '../pipeline/write.js'

/** Options for `createDevBuild`. */
export interface DevBuildOptions {
  /** Absolute ROOT. */
  root: string
  /**
   * The server's origin (`http://127.0.0.1:4321`). When the site has a
   * `baseUrl`, dev renders with this origin in its place (same path), so
   * absolute links, feeds and the email's images lead to the preview
   * rather than to the live site.
   */
  origin: string
  /** Show posts dated after now (`--future`). */
  future?: boolean
  /** A render that threw: a bug rather than a content problem (it still becomes an overlay message). */
  onCrash?: (error: Error) => void
}

/** What one render attempt found. */
export interface DevBuildStats {
  /** Posts rendered (drafts included, pages excluded). */
  posts: number
  /** HTML pages rendered. */
  pages: number
  /** Monthly issues rendered. */
  issues: number
  errors: number
  warnings: number
  /** Wall time of the attempt. */
  ms: number
}

/** The state the server serves from. */
export interface DevSnapshot {
  /** Counts the renders that produced outputs; 0 until the first good one. */
  generation: number
  /** The last good outputs, by path relative to OUT (`site/...`, `email/YYYY-MM/...`). */
  outputs: Outputs
  /** A short content hash of every output (for copies: path, size and mtime). */
  hashes: ReadonlyMap<string, string>
  /** Outputs added, changed or removed by the last good render. */
  changedOutputs: ReadonlySet<string>
  /** Messages of the latest attempt (good or not). */
  diagnostics: Diagnostic[]
  /** Whether the latest attempt failed (then `outputs` are older than `diagnostics`). */
  failed: boolean
  stats: DevBuildStats
  /** The path the site lives under (`/`, or the path of `baseUrl`). */
  basePath: string
  /** The base URL the outputs were rendered with (the dev origin), if the site has one. */
  renderedBaseUrl: string | undefined
  /** The site's own `baseUrl`, if any: what `build` would use. */
  siteBaseUrl: string | undefined
  /** The configuration of the latest attempt. */
  config: ResolvedConfig | undefined
}

/** A dev render of one ROOT. */
export interface DevBuild {
  /** The current state (an empty site until the first rebuild). */
  snapshot(): DevSnapshot
  /**
   * Render again after `changedPaths` (relative to ROOT) changed. Sources
   * are read again when named here or when their size or times changed;
   * what depends only on unchanged ones (a post's parse and render, an
   * issue, a page) comes from the memo of the renders before. Calls must
   * not overlap (the server queues them).
   */
  rebuild(changedPaths: readonly string[], options?: DevRebuildOptions): Promise<DevSnapshot>
  /**
   * A change to `changedPaths` has begun (the watcher's first event, before
   * its quiet time): when they are saved posts and no render is running,
   * their preview starts now. The `rebuild` that follows takes it only if
   * each source still holds the bytes it was rendered from.
   */
  anticipate(changedPaths: readonly string[]): void
}

/** Options for one `DevBuild.rebuild`. */
export interface DevRebuildOptions {
  /**
   * Called once the saved posts' own pages are rendered, before the rest of
   * the site and the issues, with a snapshot that is the last good one with
   * just those pages changed (only when the last render was good and every
   * changed path is a post). The whole render's snapshot follows, once a
   * promise it returns settles.
   */
  onFirstPages?: (snapshot: DevSnapshot) => void | Promise<void>
}

/** Saved posts' pages rendered for a preview (`undefined`: it cannot render them), and the sources as read. */
interface SavedPages {
  pages: Map<string, string> | undefined
  read: Map<string, Uint8Array>
}

/** Previews rendered to warm the code after the first render (`warmPreview`): by the fifth, one takes 20-50 ms at 1,000 posts. */
const warmingRenders = 5

/** Create the dev render of `options.root`; call `rebuild([])` for the first render. */
export function createDevBuild(options: DevBuildOptions): DevBuild {
  let current: DevSnapshot = {
    generation: 0,
    outputs: new Map(),
    hashes: new Map(),
    changedOutputs: new Set(),
    diagnostics: [],
    failed: false,
    stats: {posts: 0, pages: 0, issues: 0, errors: 0, warnings: 0, ms: 0},
    basePath: '/',
    renderedBaseUrl: undefined,
    siteBaseUrl: undefined,
    config: undefined
  }

  // Unchanged posts, renders, issues and pages are reused from the render before, and from the last dev session
  // at the next start (a memo of its own: dev renders drafts and its own origin, so its entries are not build's).
  const memo = createDiskMemo(path.join(options.root, '.cache', 'letterpress', 'dev'), {hold: true})
  // Sources whose size and times are unchanged are not read again; what the watcher saw change always is.
  const sources = createSourceCache()
  const parser = createParser()
  let preview: PostPreview | undefined
  // Which fields of its post views each page read when last rendered (see `RenderOptions.pageFields`).
  let pageFields: Map<string, string> | undefined
  const pause = giveWay
  /**
   * What each render readies for the next save's preview, in the
   * background: the site's index the preview resolves against (3-4 ms of
   * a save otherwise), and after the first render a few previews rendered
   * and thrown away, since that render may parse and render no post on this
   * thread (worker threads did, or the memo had them). The first save's
   * preview then runs on compiled code: at 1,000 posts 30-40 ms, against
   * about 100 ms after one such preview and more after none. A save stops
   * them: it waits for the one under way at most.
   */
  let warming: Promise<void> | undefined
  let saveArrived = false
  const warmPreview = async (from: PostPreview, sourcePath: string): Promise<void> => {
    for (let done = 0; done < warmingRenders && !saveArrived; done++) {
      await giveWay()
      try {
        await from.render(sourcePath, parser)
      } catch {
        // A post that cannot be previewed: the next render says why.
        return
      }
    }
  }

  /** The saved posts' pages, from their sources as read now; `undefined` when a preview cannot render them. */
  async function renderSaved(from: PostPreview, saved: readonly string[]): Promise<SavedPages> {
    const pages = new Map<string, string>()
    const read = new Map<string, Uint8Array>()
    for (const sourcePath of saved) {
      let own: Map<string, string> | undefined
      try {
        const bytes = await fs.promises.readFile(path.join(options.root, sourcePath))
        read.set(sourcePath, bytes)
        own = await from.render(sourcePath, parser, bytes)
      } catch {
        // Gone, or a template or render problem: the whole render reports it.
      }
      if (!own) return {pages: undefined, read}
      for (const [name, html] of own) pages.set(name, html)
    }
    return {pages, read}
  }

  /** A preview started by `anticipate`, for `saved` on `from`. */
  let ahead: {from: PostPreview; saved: string; result: Promise<SavedPages>} | undefined
  let rendering = false

  /** The anticipated pages of `saved`, if they were rendered on `from` from the sources as they are now. */
  async function takeAhead(from: PostPreview, saved: readonly string[]): Promise<SavedPages | undefined> {
    const taken = ahead
    ahead = undefined
    if (!taken || taken.from !== from || taken.saved !== saved.join('\n')) return undefined
    const result = await taken.result
    for (const sourcePath of saved) {
      const then = result.read.get(sourcePath)
      const now = await fs.promises.readFile(path.join(options.root, sourcePath)).catch(() => undefined)
      // Written again after it was read (an editor's save in steps): render it as it settled.
      if (!then || !now || !Buffer.from(then).equals(now)) return undefined
    }
    return result
  }

  /** The last good snapshot with the saved posts' pages rendered again, if they changed and a preview can render them. */
  async function previewPages(from: PostPreview, saved: readonly string[]): Promise<DevSnapshot | undefined> {
    const {pages} = (await takeAhead(from, saved)) ?? (await renderSaved(from, saved))
    if (!pages) return undefined
    const before = current
    const changed = [...pages].filter(([name, html]) => before.outputs.get(name) !== html)
    if (changed.length === 0) return undefined
    const outputs = new Map(before.outputs)
    const hashes = new Map(before.hashes)
    for (const [name, html] of changed) {
      outputs.set(name, html)
      hashes.set(name, hashOutput(html))
    }
    current = {...before, generation: before.generation + 1, outputs, hashes, changedOutputs: new Set(changed.map(([name]) => name))}
    return current
  }

  /** The changed paths that are posts, when nothing else changed and the last render can preview them. */
  const savedPosts = (changedPaths: readonly string[]): string[] | undefined => {
    const folder = current.config?.contentFolder ?? 'posts'
    const saved = changedPaths.filter((name) => name.startsWith(folder + '/') && name.toLowerCase().endsWith('.md'))
    return preview && saved.length > 0 && saved.length === changedPaths.length && !current.failed ? saved : undefined
  }

  return {
    snapshot: () => current,
    anticipate(changedPaths) {
      saveArrived = true
      const saved = savedPosts(changedPaths)
      const from = preview
      if (rendering || ahead || !saved || !from) return
      // After the warming (it renders on the same parser), and after the watcher's own events of this turn.
      // Never rejects: one that is not taken is dropped unawaited (a warming that failed leaves it nothing read).
      const result = Promise.resolve(warming)
        .then(giveWay)
        .then(
          () => renderSaved(from, saved),
          (): SavedPages => ({pages: undefined, read: new Map()})
        )
      ahead = {from, saved: saved.join('\n'), result}
    },
    async rebuild(changedPaths, rebuildOptions = {}) {
      if (current.generation > 0) saveArrived = true
      rendering = true
      try {
        return await rebuildNow(changedPaths, rebuildOptions)
      } finally {
        rendering = false
        // A change that began during this render was not anticipated; one anticipated but not rebuilt for is stale.
        ahead = undefined
      }
    }
  }

  async function rebuildNow(changedPaths: readonly string[], rebuildOptions: DevRebuildOptions): Promise<DevSnapshot> {
    await warming
    sources.forget(changedPaths)
    const started = performance.now()
    const {onFirstPages} = rebuildOptions
    // Saved posts only (nothing else changed): their pages first, from the render before, then the whole site.
    const saved = savedPosts(changedPaths)
    if (onFirstPages && preview && saved) {
      const early = await previewPages(preview, saved)
      if (early) {
        // The server tells the browser and may wait for it to load the page; the whole render then gives it a
        // turn now and then.
        await onFirstPages(early)
        await giveWay()
      }
    }
    const loaded = await loadConfig(options.root, withEnvironment({drafts: true, future: options.future ?? false}))
    const siteBaseUrl = loaded.config.baseUrl
    const basePath = siteBaseUrl ? new URL(siteBaseUrl).pathname : '/'
    const renderedBaseUrl = siteBaseUrl ? options.origin + basePath : undefined
    const config: ResolvedConfig = {...loaded.config, baseUrl: renderedBaseUrl}
    let diagnostics: Diagnostic[]
    let rendered: Awaited<ReturnType<typeof renderOutputs>> | undefined
    try {
      rendered = await renderOutputs(config, loaded.file, {memo, sources, parser, preview: true, pause, pageFields})
      diagnostics = collectDiagnostics(rendered.files, config.strict)
    } catch (error) {
      // A bug rather than a content problem; the server must stay up all the same.
      options.onCrash?.(error instanceof Error ? error : new Error(String(error)))
      diagnostics = [...collectDiagnostics([loaded.file]), internalError(error)]
    }
    const counts = countDiagnostics(diagnostics)
    const failed = rendered === undefined || rendered.failed
    const ms = Math.round(performance.now() - started)
    if (failed || !rendered) {
      current = {
        ...current,
        diagnostics,
        failed: true,
        stats: {...current.stats, ...counts, ms},
        config
      }
      return current
    }
    await memo.commit()
    const first = current.generation === 0
    preview = rendered.preview
    pageFields = rendered.pageFields
    const post = rendered.site.published.find((candidate) => !candidate.page)
    const ready = preview
    if (ready) warming = first && post ? warmPreview(ready, post.sourcePath) : giveWay().then(() => ready.prepare())
    const hashes = hashOutputs(rendered.outputs, current)
    const changedOutputs = new Set<string>()
    for (const [name, hash] of hashes) if (current.hashes.get(name) !== hash) changedOutputs.add(name)
    for (const name of current.hashes.keys()) if (!hashes.has(name)) changedOutputs.add(name)
    let issues = 0
    for (const name of rendered.outputs.keys()) if (/^email\/[^/]+\/issue\.json$/.test(name)) issues++
    current = {
      generation: current.generation + 1,
      outputs: rendered.outputs,
      hashes,
      changedOutputs,
      diagnostics,
      failed: false,
      stats: {
        posts: countPosts(rendered.site).posts,
        pages: rendered.pages,
        issues,
        ...counts,
        ms
      },
      basePath,
      renderedBaseUrl,
      siteBaseUrl,
      config
    }
    return current
  }
}

/** A short hash of some text or bytes. */
export function shortHash(content: string | Uint8Array): string {
  return createHash('sha1').update(content).digest('hex').slice(0, 12)
}

/** The hash of one output; a copied file by its path, size and modification time. */
export function hashOutput(content: OutputContent): string {
  if (typeof content === 'object' && 'copyFrom' in content) {
    try {
      const stat = fs.statSync(content.copyFrom)
      return shortHash(`${content.copyFrom}\0${stat.size}\0${stat.mtimeMs}`)
    } catch {
      return shortHash(`${content.copyFrom}\0missing`)
    }
  }
  return shortHash(content)
}

/** Every output's hash; text the last render had too (mostly the very same string, from the memo) keeps its hash. */
function hashOutputs(outputs: Outputs, before: DevSnapshot): Map<string, string> {
  const hashes = new Map<string, string>()
  for (const [name, content] of outputs) {
    const known = typeof content === 'string' && before.outputs.get(name) === content ? before.hashes.get(name) : undefined
    hashes.set(name, known ?? hashOutput(content))
  }
  return hashes
}

function internalError(error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error)
  return {
    file: 'letterpress',
    line: 1,
    column: 1,
    severity: 'error',
    rule: 'internal-error',
    message: `letterpress failed while rendering (a bug, not your content): ${message}`
  }
}
