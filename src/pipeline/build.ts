/**
 * `build`: the whole site (and, with the email renderer, every month's issue)
 * rendered in memory from one parse of each post, then written at once.
 */
import slugify from '@sindresorhus/slugify'
import type {Element, Root as HastRoot} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import type {Paragraph, Root} from 'mdast'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {visit} from 'unist-util-visit'
import {Feed} from 'feed'
import {VFile} from 'vfile'
import {
  folderHash,
  outputHashes,
  pipelineVersion,
  readOutputRecord,
  spareFolder,
  unchangedOutputs,
  warmBuild,
  writeWarmRecord,
  type WarmBuild
} from './warm.js'
import {createDiskMemo, memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from './memo.js'
import {reportMissingBaseUrl, reportUnsendableIssues, type ConfigOverrides, type ResolvedConfig} from '../source/config.js'
import {buildIssues, createIssueContext, type IssueBuild} from '../email/index.js'
import {collectIssues, issueKey, partKeys, siteUrlsKey, type IssueContext, type IssueMemo} from '../email/issue.js'
import {openRenderPool, poolThreshold, type IssueJob, type LoadJob, type RenderJob, type RenderPool} from './pool.js'
import {excerptNodes, type Post} from '../source/post.js'
import {collectDiagnostics, countDiagnostics, type Diagnostic} from '../source/report.js'
import {createWebRenderer, type WebRenderer} from '../web/render.js'
import {reportIssueCoverage} from '../email/coverage.js'
import {isScheduled, nextRelease, publishNow} from '../source/schedule.js'
import type {Parser} from '../source/parse.js'
import {loadSite, reloadPost, type LoadedPost, type PostFacts, type Site, type SourceCache} from '../source/site.js'
import {builtInWebTemplatesDir, createTemplates, findTemplateFile, TemplateError, type Templates} from '../web/templates.js'
import {shorten} from '../render/excerpt.js'
import {readImageSize} from '../render/media.js'
import {escapeXml, feedAttribute, feedHtml, feedText, xmlChars} from '../web/xml.js'
import type {
  ArchiveYearView,
  ImageView,
  IssueListView,
  LinkView,
  PageContext,
  PaginationView,
  PostPageView,
  PostView,
  SiteView,
  TermView
} from '../web/views.js'
import {
  guardOutDir,
  isPlainRelativePath,
  markOutDir,
  openStaging,
  outMarker,
  outMarkerText,
  writeTree,
  type Outputs,
  type StagedOutput,
  type WriteContent
} from './write.js'

export {guardOutDir, markOutDir}

/** Options for `build`. */
export interface BuildOptions extends ConfigOverrides {
  /** ROOT (default: the working directory). */
  root?: string
  /** Called as each stage starts (see `renderOutputs`). */
  onProgress?: RenderOptions['onProgress']
}

/** What a build did. */
export interface BuildResult {
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** Published posts (pages excluded). */
  posts: number
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

/** Why a build could not run at all (not a content problem): OUT cannot be used. */
export {OutDirError as BuildError} from './write.js'

/** A stage of `renderOutputs`, for a progress line on a terminal. */
export interface RenderProgress {
  /** Reading and checking the posts, then rendering the issues, then the site. */
  step: 'load' | 'email' | 'web'
  /** Posts being rendered (from `email` on). */
  posts?: number
}

/** Options for `renderOutputs`. */
export interface RenderOptions {
  /** Called as each stage starts. */
  onProgress?: (progress: RenderProgress) => void
  /**
   * Reuse what an earlier render of unchanged inputs worked out (posts,
   * renders, issues, pages) and keep what this one works out; `commit` it
   * once the outputs are safely written.
   */
  memo?: Memo | undefined
  /**
   * Write each page and issue file as soon as it is rendered (`build`, see
   * `openStaging`), keeping only its hash in `RenderedSite.staged`, instead
   * of holding every output in memory until the end.
   */
  stage?: ((relative: string, content: string | Uint8Array, key?: string) => StagedOutput) | undefined
  /**
   * With `stage`: an output OUT already holds byte for byte, made from the
   * memo key `key` (the last build's record says so), to link instead of
   * rendering or even reading it; `undefined` otherwise.
   */
  fromOut?: ((relative: string, key: string) => StagedOutput | undefined) | undefined
  /**
   * With `memo`: which fields of its post views each page read when it was
   * last rendered, by path relative to OUT (`RenderedSite.pageFields` of
   * the last render); a page not named is keyed by its views whole.
   */
  pageFields?: ReadonlyMap<string, string> | undefined
  /** Read sources through this cache (the dev server; see `SourceCache`). */
  sources?: SourceCache | undefined
  /** Parse with this parser (one kept across renders). */
  parser?: Parser | undefined
  /** Keep what it takes to render one post's page again at once (`RenderedSite.preview`). */
  preview?: boolean | undefined
  /**
   * Called now and then while rendering, to give the event loop a turn:
   * the dev server answers the browser while it renders.
   */
  pause?: (() => Promise<void>) | undefined
}

/**
 * One saved post's page, rendered at once against the rest of the site as
 * the last render left it (`RenderOptions.preview`): what the dev server
 * shows while the whole site renders again. Its body and fields are the
 * post's as saved; what other posts say of it (lists, related posts, its
 * neighbours) is the last render's until the whole render is done.
 */
export interface PostPreview {
  /** The post's pages by path relative to OUT (`site/...`); `undefined` when only a whole render will do. */
  render(sourcePath: string, parser: Parser): Promise<Map<string, string> | undefined>
}

/** Everything a build renders, before anything is written. */
export interface RenderedSite {
  config: ResolvedConfig
  site: Site
  /** Every file with messages (config, posts, notes, templates). */
  files: VFile[]
  /** Output files by path relative to OUT (`site/...`, `email/YYYY-MM/...`); empty after errors. */
  outputs: Outputs
  /** With `RenderOptions.stage`: the outputs already written to the staging folder, by path relative to OUT. */
  staged: Map<string, StagedOutput>
  /** HTML pages rendered. */
  pages: number
  /** Whether rendering stopped on errors. */
  failed: boolean
  /** With `RenderOptions.preview`, after a good render. */
  preview?: PostPreview | undefined
  /** With `RenderOptions.memo`: which fields of its post views each page read (`*`: all), for the next render's `pageFields`. */
  pageFields?: Map<string, string> | undefined
}

/**
 * Render ROOT in memory: the site and every month's issue. Content and
 * template problems become messages on `files`; nothing touches the disk
 * but reading. The dev server serves this; `build` writes it.
 */
export async function renderOutputs(
  config: ResolvedConfig,
  configFile: VFile,
  options: RenderOptions = {}
): Promise<RenderedSite> {
  const pool = new PoolHolder(config, options.memo?.folder)
  try {
    return await renderWith(config, configFile, options, pool)
  } finally {
    await pool.close()
  }
}

/**
 * The worker threads of one render, started only when there are enough
 * posts to parse to pay for them. A pool that fails is closed and
 * forgotten: the main thread renders whatever the pool did not.
 */
class PoolHolder {
  private pool: RenderPool | undefined
  private opened = false
  constructor(
    private readonly config: ResolvedConfig,
    private readonly memoFolder: string | undefined
  ) {}

  /** Run `task` on the pool (opening it when `open`), or give `undefined` without one. */
  async run<T>(task: (pool: RenderPool) => Promise<T>, open = false, big = false): Promise<T | undefined> {
    if (!this.pool && open && !this.opened) {
      this.opened = true
      // Workers of a big site's build keep nothing (memo on disk) and a modest heap: they collect before garbage
      // piles up, at some cost in time (about a fifth of a cold build), which only pays at that size.
      const heapLimitMb = big && this.memoFolder ? 256 : undefined
      this.pool = await openRenderPool(this.config, undefined, this.memoFolder, heapLimitMb).catch(() => undefined)
      if (this.pool && process.env['LETTERPRESS_TIMINGS'] === '1') process.stderr.write(`[timing] pool: ${this.pool.size} workers\n`)
    }
    if (!this.pool) return undefined
    try {
      return await task(this.pool)
    } catch {
      await this.close()
      return undefined
    }
  }

  /** Whether a pool is running (so asking it for work can pay). */
  get open(): boolean {
    return this.pool !== undefined
  }

  async close(): Promise<void> {
    const pool = this.pool
    this.pool = undefined
    await pool?.close()
  }
}

async function renderWith(
  config: ResolvedConfig,
  configFile: VFile,
  options: RenderOptions,
  pool: PoolHolder
): Promise<RenderedSite> {
  options.onProgress?.({step: 'load'})
  const {memo} = options
  phase('start')
  const threshold = poolThreshold()
  const prefill = (jobs: LoadJob[], accept: (sourcePath: string, loaded: LoadedPost) => void) => {
    let loaded = 0
    const big = options.stage !== undefined && jobs.length >= bigSite
    return pool.run(
      (workers) =>
        workers.load(jobs, (sourcePath, post) => {
          accept(sourcePath, post)
          if (big && ++loaded % (collectEvery * 5) === 0) collectGarbage()
        }),
      jobs.length >= threshold,
      big
    )
  }
  const site = await loadSite(config, {memo, prefill, sources: options.sources, parser: options.parser})
  if (options.stage && site.published.length >= bigSite) collectGarbage()
  phase('load')
  reportIssueCoverage(site, configFile)
  const files: VFile[] = [configFile, ...site.files]
  const outputs: Outputs = new Map()
  const staged = new Map<string, StagedOutput>()
  const failed = (pages: number): RenderedSite => ({config, site, files, outputs: new Map(), staged: new Map(), pages, failed: true})

  reportMissingBaseUrl(config, configFile)
  // A config fact, whichever posts are published yet (drafts included): said once, by build and check alike.
  if (site.all.length > 0) reportUnsendableIssues(config, configFile)
  if (countDiagnostics(collectDiagnostics(files, config.strict)).errors > 0) return failed(0)

  const renderer = await createWebRenderer(config)
  const templates = createTemplates({dirs: webTemplateDirs(config)})
  const versions = memo ? memoVersions(config) : undefined
  const siteOutputs: Outputs = new Map()
  let pages = 0
  let preview: PostPreview | undefined
  let pageFields: Map<string, string> | undefined
  if (options.pause) await options.pause()
  if (memo && versions && pool.open) await prefillRenders(site, memo, versions, pool)
  try {
    options.onProgress?.({step: 'email', posts: site.published.length})
    const context = await createIssueContext(site, {highlight: renderer.highlight, memo})
    files.push(...context.files)
    const issueMemo = memo && versions ? {memo, version: versions.email, assetKey: versions.assetKey} : undefined
    if (issueMemo && pool.open) await prefillIssues(site, context, issueMemo, pool)
    await pool.close()
    const issues = await buildIssues(site, context, issueMemo)
    for (const issue of issues) {
      for (const [name, content] of issue.files) {
        const relative = `email/${issue.summary.month}/${name}`
        if (options.stage) staged.set(relative, options.stage(relative, content))
        else outputs.set(relative, content)
      }
    }
    if (options.stage && site.published.length >= bigSite) collectGarbage()
    phase('issues')
    options.onProgress?.({step: 'web', posts: site.published.length})
    const {stage, fromOut} = options
    const stageSite: SiteStage | undefined = stage && {
      put(relative, html, key) {
        staged.set(`site/${relative}`, stage(`site/${relative}`, html, key))
      },
      kept(relative, key) {
        const output = fromOut?.(`site/${relative}`, key)
        if (output) staged.set(`site/${relative}`, output)
        return output !== undefined
      }
    }
    if (options.pause) await options.pause()
    const memoized = memo && versions ? {memo, ...versions, fields: options.pageFields} : undefined
    const done = await renderSite(site, renderer, templates, siteOutputs, issues, memoized, {
      stage: stageSite,
      preview: options.preview === true,
      pause: options.pause
    })
    pages = done.pages
    preview = done.preview
    pageFields = done.fields
    phase(`site (${done.rendered} of ${pages} pages rendered, the rest from the cache or OUT)`)
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error
    files.push(templateErrorFile(error, config))
    return failed(0)
  }
  if (countDiagnostics(collectDiagnostics(files, config.strict)).errors > 0) return failed(pages)
  for (const [relative, content] of siteOutputs) outputs.set(`site/${relative}`, content)
  return {config, site, files, outputs, staged, pages, failed: false, preview, pageFields}
}

/** Have the pool render the posts whose web render the memo lacks. */
async function prefillRenders(site: Site, memo: Memo, versions: MemoVersions, pool: PoolHolder): Promise<void> {
  const inFeed = new Set(feedPostsOf(site))
  const jobs: RenderJob[] = []
  const keys = new Map<string, string>()
  for (const post of site.published) {
    const key = renderKey(site, post, inFeed.has(post), versions)
    if (key === undefined || memo.has('render', key)) continue
    keys.set(post.sourcePath, key)
    const facts = site.facts.get(post)!
    jobs.push({sourcePath: post.sourcePath, key: facts.key, urls: facts.urls, inFeed: inFeed.has(post)})
  }
  if (jobs.length === 0) return
  await pool.run((workers) => workers.render(jobs, (sourcePath, post) => memoizeRender(memo, keys.get(sourcePath)!, post)))
}

/**
 * Keep a post's web render in the memo, as two entries under its key: the
 * body (bucket `body`), read back only when the post's own page is rendered
 * again, and the rest (`render`: excerpt, feed entry, messages), which every
 * build reads. At 1,000 posts that is 5 MB read instead of 25 MB.
 */
function memoizeRender(memo: Memo, key: string, own: RenderedPost): void {
  memo.set('body', key, own.contentHtml)
  memo.set('render', key, {...own, contentHtml: ''})
}

/** Have the pool build the issues the memo lacks. */
async function prefillIssues(site: Site, context: IssueContext, memoized: IssueMemo, pool: PoolHolder): Promise<void> {
  const plans = collectIssues(site, {notes: context.notes, sourceDateEpoch: context.sourceDateEpoch})
  const everyUrl = siteUrlsKey(site, plans)
  const partKeyOf = partKeys(site, memoized, everyUrl)
  const keys = new Map<string, string>()
  const jobs: IssueJob[] = []
  for (const plan of plans) {
    const key = issueKey(site, plan, context, memoized, everyUrl)
    if (memoized.memo.has('issue', key)) continue
    keys.set(plan.month, key)
    jobs.push({
      month: plan.month,
      number: plan.number,
      leads: plan.leads.map((post) => post.sourcePath),
      cards: plan.cards.map((post) => post.sourcePath),
      note: plan.note !== undefined,
      subject: plan.subject,
      preheader: plan.preheader,
      date: plan.date.toISOString(),
      posts: plan.posts.map((post) => ({
        sourcePath: post.sourcePath,
        key: site.facts.get(post)?.key ?? '',
        urls: site.facts.get(post)?.urls ?? [],
        cover: post.cover,
        partKey: partKeyOf(post)
      }))
    })
  }
  if (jobs.length === 0) return
  await pool.run((workers) =>
    workers.issues(jobs, (issues, entries) => {
      for (const [month, issue] of issues) memoized.memo.set('issue', keys.get(month)!, issue)
      for (const [bucket, key, value] of entries) memoized.memo.set(bucket, key, value)
    })
  )
}

/**
 * A template problem as a message on the template's own file, at its line,
 * naming the page or issue being rendered.
 */
export function templateErrorFile(error: TemplateError, config: ResolvedConfig): VFile {
  const inside = error.file.startsWith(config.root + path.sep)
  const file = new VFile({path: inside ? path.relative(config.root, error.file) : error.file || 'templates'})
  file.message(`${error.reason}${error.page ? ` (rendering ${error.page})` : ''}`, {
    ...(error.line > 0 ? {place: {line: error.line, column: Math.max(1, error.column)}} : {}),
    ruleId: 'template-error',
    source: 'letterpress'
  }).fatal = true
  return file
}

/**
 * Build ROOT into OUT. Content problems are diagnostics, not exceptions;
 * with any error nothing is written and the previous OUT stays as it was.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const warm = await warmBuild(options)
  return warm.result ?? buildFrom(warm, options)
}

/** The full build, once `warmBuild` has found that OUT is not up to date. */
export async function buildFrom(warm: Exclude<WarmBuild, {result: BuildResult}>, options: BuildOptions): Promise<BuildResult> {
  try {
    return await buildLocked(warm, options)
  } finally {
    warm.lock.release()
  }
}

async function buildLocked(
  {config, configFile, fingerprint, notes: guardNotes}: Exclude<WarmBuild, {result: BuildResult}>,
  options: BuildOptions
): Promise<BuildResult> {
  const memo = diskMemo(config)
  // Pages and issue files go to the staging folder as they are rendered; the rest is written at the end.
  const previous = readOutputRecord(config)
  const staging = openStaging(config.outDir, previous.reusable, {spare: spareFolder(config)})
  let rendered: RenderedSite
  try {
    rendered = await renderOutputs(config, configFile, {
      memo,
      stage: staging.put,
      fromOut: previous.fromKey,
      pageFields: previous.fields,
      ...(options.onProgress ? {onProgress: options.onProgress} : {})
    })
  } catch (error) {
    staging.discard()
    throw error
  }
  // A failed build leaves OUT, and so the last good build's record, as they were.
  const notes = new Set([...guardNotes, ...staging.notes])
  if (rendered.failed) {
    staging.discard()
    return {...result(rendered, false), notes: [...notes]}
  }
  const tree = new Map<string, WriteContent>([[outMarker, outMarkerText], ...rendered.outputs, ...rendered.staged])
  const hashes = outputHashes(tree)
  const unchanged = unchangedOutputs(config, hashes, previous)
  phase(`compare (${unchanged.size} of ${tree.size} outputs unchanged)`)
  for (const note of await writeTree(config.outDir, tree, {unchanged, staging})) notes.add(note)
  phase('write')
  await memo.commit()
  phase('memo')
  const done = {...result(rendered, true), notes: [...notes]}
  const keys = new Map<string, string>()
  const linked = new Set(unchanged)
  for (const [relative, output] of rendered.staged) {
    if (output.key !== undefined) keys.set(relative, output.key)
    if (output.fromOut) linked.add(relative)
  }
  // Held-back posts go live on their date: the record must not outlive the first of them.
  const release = config.future ? undefined : nextRelease(rendered.site.scheduled, publishNow())
  if (fingerprint) writeWarmRecord(config, fingerprint, done, hashes, keys, rendered.pageFields, {from: previous, outputs: linked}, release)
  return done
}

function result({files, config, site, pages}: RenderedSite, written: boolean): BuildResult {
  const diagnostics = collectDiagnostics(files, config.strict)
  return {
    diagnostics,
    ...countDiagnostics(diagnostics),
    posts: site.published.filter((post) => !post.page).length,
    pages,
    written,
    outDir: config.outDir
  }
}

let phaseAt = 0
let peakRss = 0
let sampler: NodeJS.Timeout | undefined
/**
 * With LETTERPRESS_TIMINGS=1, how long each stage of a build took and the
 * memory it reached (the process's resident size, sampled every 100 ms,
 * worker threads included), on stderr (for benchmarking).
 */
function phase(name: string): void {
  if (process.env['LETTERPRESS_TIMINGS'] !== '1') return
  const now = performance.now()
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
  if (name !== 'start') {
    const {rss, heapUsed} = process.memoryUsage()
    peakRss = Math.max(peakRss, rss)
    process.stderr.write(`[timing] ${name}: ${Math.round(now - phaseAt)} ms (peak rss ${mb(peakRss)} MB, heap ${mb(heapUsed)} MB)\n`)
  }
  peakRss = 0
  sampler ??= setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100).unref()
  phaseAt = now
}

/**
 * How much post HTML (in characters) a render keeps in memory at once;
 * past it, bodies are read back from the memo one page at a time.
 * LETTERPRESS_BODY_BUDGET overrides it (tests use a tiny one).
 */
function bodyBudget(): number {
  return Number(process.env['LETTERPRESS_BODY_BUDGET'] ?? '') || 64 * 2 ** 20
}

/** From this many posts on, a render collects its garbage every `collectEvery` pages (see `collectGarbage`). */
const bigSite = 2000
const collectEvery = 400

/**
 * A full garbage collection, when node was started with `--expose-gc`
 * (`globalThis.gc`); else nothing, and V8 collects on its own schedule.
 * A big site's pages are dead once staged, and V8 lets them pile up: a
 * cold build of 6,000 posts peaks near 590 MB collecting this way, near
 * 700 MB without. Letterpress changes no V8 flag of the process it runs in.
 */
function collectGarbage(): void {
  ;(globalThis as {gc?: () => void}).gc?.()
}

/** One post rendered for the web, as pages and feeds show it (and as the memo keeps it). */
export interface RenderedPost {
  contentHtml: string
  excerptHtml: string
  /** For the feeds' posts: the content with absolute URLs, escaped for a CDATA section. */
  feedHtml?: string
  hasMore: boolean
  hasMath: boolean
  /** What rendering said about the post (restored on the post's file when the render is reused). */
  messages: StoredMessage[]
}

/** What the memo keys of one build share: letterpress, the config, the templates in use. */
export interface MemoVersions {
  /** Everything a post's web render depends on besides the post and what it links to. */
  render: string
  /** Everything a web page depends on besides its context. */
  web: string
  /** Everything an issue depends on besides its plan and posts. */
  email: string
  /** The bytes of the site files a post links to or shows (images are measured). */
  assetKey: (site: Site, post: Post) => string
}

/** The versions every memo key of a build of `config` starts from. */
export function memoVersions(config: ResolvedConfig): MemoVersions {
  const version = pipelineVersion()
  const assetHashes = new Map<string, string>()
  const assetHash = (relative: string) => {
    let hash = assetHashes.get(relative)
    if (hash === undefined) {
      try {
        hash = memoKey(fs.readFileSync(path.join(config.postsDir, ...relative.split('/'))))
      } catch {
        hash = 'missing'
      }
      assetHashes.set(relative, hash)
    }
    return hash
  }
  return {
    render: memoKey(version, config),
    web: memoKey(version, config, folderHash(path.join(config.templatesDir, 'web'))),
    email: memoKey(version, config, folderHash(path.join(config.templatesDir, 'email')), process.env.SOURCE_DATE_EPOCH ?? ''),
    assetKey(site, post) {
      const parts: string[] = []
      for (const reference of site.references.get(post.sourcePath) ?? []) {
        if (reference.target === 'asset' && reference.resolved) parts.push(reference.resolved, assetHash(reference.resolved))
      }
      if (post.cover) parts.push(post.cover.resolved, assetHash(post.cover.resolved))
      return parts.join('\0')
    }
  }
}

/**
 * The memo of ROOT on disk (ROOT/.cache/letterpress/memo). `build`
 * commits it after writing; `issue` and `send` keep what they add without
 * pruning; `check` only reads it.
 */
export function diskMemo(config: ResolvedConfig, options: {readOnly?: boolean} = {}): Memo {
  return createDiskMemo(path.join(config.cacheDir, 'letterpress', 'memo'), options)
}

/** The posts of the feeds: the 20 newest dated posts (pages have no date). */
export function feedPostsOf(site: Site): Post[] {
  return site.published.filter((post) => !post.page && post.date !== undefined).slice(0, 20)
}

/** The memo key of a post's web render: the post, where its links lead, the files it shows, and the build's versions. */
export function renderKey(site: Site, post: Post, inFeed: boolean, versions: MemoVersions): string | undefined {
  const facts = site.facts.get(post)
  return facts ? memoKey('render', versions.render, facts.key, facts.urls, versions.assetKey(site, post), inFeed) : undefined
}

/** A site path made absolute with the base URL (left as it is without one). */
export function absoluteFor(config: ResolvedConfig): (url: string) => string {
  return (url) => (config.baseUrl ? new URL(url.replace(/^\//, ''), config.baseUrl).href : url)
}

/** Render one post for the web: its body, its excerpt and (for the feeds) its absolute-URL body, with the messages that gave. */
export async function renderWebPost(
  post: Post,
  facts: PostFacts | undefined,
  renderer: WebRenderer,
  absolute: (url: string) => string,
  inFeed: boolean
): Promise<RenderedPost> {
  await renderer.prepare([post.tree])
  const before = post.file.messages.length
  const content = renderer.render(post.tree, post.file, {dropFirstHeading: post.titleFromHeading})
  const excerpt = renderExcerpt(post, renderer)
  return {
    contentHtml: toHtml(content, {allowDangerousHtml: true}),
    excerptHtml: toHtml(excerpt.excerpt, {allowDangerousHtml: true}),
    ...(inFeed
      ? {feedHtml: toHtml(absolutize(content, absolute, post.url), {allowDangerousHtml: true}).replaceAll(']]>', ']]&gt;')}
      : {}),
    hasMore: excerpt.hasMore,
    hasMath: facts?.hasMath ?? hasMath(post.tree),
    messages: storeMessages(post.file, before)
  }
}

/** Where `renderSite` puts pages in a build: the staging folder (paths relative to the site). */
interface SiteStage {
  /** Write a page now; `key` is the memo key it was rendered from. */
  put(relative: string, html: string, key: string): void
  /** Whether OUT holds the page made from `key` already (then it is linked from there, not rendered or read). */
  kept(relative: string, key: string): boolean
}

/** Render every page, feed and asset of the site into `outputs`. Returns the number of HTML pages. */
async function renderSite(
  site: Site,
  renderer: WebRenderer,
  templates: Templates,
  outputs: Outputs,
  issues: IssueBuild[],
  memoized: (MemoVersions & {memo: Memo; fields?: ReadonlyMap<string, string> | undefined}) | undefined,
  {stage, preview: wantPreview, pause}: {stage?: SiteStage | undefined; preview?: boolean; pause?: (() => Promise<void>) | undefined} = {}
): Promise<{pages: number; rendered: number; preview?: PostPreview; fields?: Map<string, string>}> {
  const {config} = site
  const basePath = config.baseUrl ? new URL(config.baseUrl).pathname : '/'
  const absolute = absoluteFor(config)
  const sitePath = (url: string) => basePath + url.replace(/^\//, '')
  let pages = 0

  const posts = site.published.filter((post) => !post.page)
  const standalone = site.published.filter((post) => post.page)
  standalone.sort((a, b) => a.title.localeCompare(b.title))

  // One render per post: the body, its excerpt and its feed entry as HTML, reused by every page and
  // feed that shows it, and by later builds while the post, what it links to and the config are unchanged.
  const rendered = new Map<Post, RenderedPost>()
  // A page's memo key names a post's body by the key it was rendered under: the same thing, far shorter to hash.
  const renderKeys = new Map<Post, string>()
  const inFeed = new Set(feedPostsOf(site))
  // A body taken from the memo stays there until its post's own page is rendered again; one rendered now is
  // held in memory up to a budget, past which (a big site) it too is read back when its page needs it, so
  // memory does not grow with every post's HTML.
  let held = 0
  const budget = bodyBudget()
  const bodyKeys = new Map<Post, string>()
  for (const post of site.published) {
    const key = memoized ? renderKey(site, post, inFeed.has(post), memoized) : undefined
    let own = key ? memoized!.memo.get<RenderedPost>('render', key) : undefined
    if (own && key) {
      restoreMessages(post.file, own.messages)
      if (own.hasMath) renderer.noteMath()
      memoized!.memo.keep('body', key)
      bodyKeys.set(post, key)
    } else {
      own = await renderWebPost(post, site.facts.get(post), renderer, absolute, inFeed.has(post))
      if (key) memoizeRender(memoized!.memo, key, own)
      if (key && held + own.contentHtml.length > budget && memoized!.memo.has('body', key)) {
        bodyKeys.set(post, key)
        own = {...own, contentHtml: ''}
      } else held += own.contentHtml.length
    }
    rendered.set(post, own)
    if (key) renderKeys.set(post, key)
  }
  /** A post's body, from memory or from the memo. */
  const bodyOf = async (post: Post): Promise<string> => {
    const key = bodyKeys.get(post)
    if (key === undefined) return rendered.get(post)!.contentHtml
    const stored = memoized!.memo.get<string>('body', key)
    if (typeof stored === 'string') return stored
    // Gone from the memo since: render it again, without saying its messages twice.
    const before = post.file.messages.length
    const again = await renderWebPost(post, site.facts.get(post), renderer, absolute, inFeed.has(post))
    post.file.messages.length = before
    return again.contentHtml
  }
  const feedPosts = [...inFeed]

  const tags = collectTerms(posts, (post) => post.tags, sitePath, 'tags')
  const categories = collectTerms(posts, (post) => post.categories, sitePath, 'categories')

  // Covers are read once for their size, so pages reserve their space.
  const coverSizes = new Map<string, {width: number; height: number}>()
  for (const post of site.published) {
    if (!post.cover || coverSizes.has(post.cover.resolved)) continue
    const size = await readImageSize(path.join(config.postsDir, ...post.cover.resolved.split('/')))
    if (size) coverSizes.set(post.cover.resolved, size)
  }

  const formatDate = new Intl.DateTimeFormat(config.language, {dateStyle: 'long', timeZone: 'UTC'})
  const display = (date: string | undefined) => (date ? formatDate.format(new Date(date + 'T00:00:00Z')) : '')
  const views = new Map<Post, PostView>()
  const viewOf = (post: Post, own: RenderedPost): PostView => ({
    title: post.title,
    url: sitePath(post.url),
    absoluteUrl: absolute(post.url),
    date: post.date ?? '',
    dateDisplay: display(post.date),
    datetime: post.datetime ?? post.date ?? '',
    updated: post.updated ?? '',
    updatedDisplay: display(post.updated),
    readingMinutes: post.readingMinutes,
    words: post.words,
    tags: post.tags.map((name) => tags.get(name)!).filter(Boolean),
    categories: post.categories.map((name) => categories.get(name)!).filter(Boolean),
    authors: (post.authors.length > 0 ? post.authors : config.authors.slice(0, 1).map((author) => author.id)).map(
      (id) => config.authors.find((author) => author.id === id)?.name ?? id
    ),
    description: post.description ?? '',
    excerptHtml: own.excerptHtml,
    hasMore: own.hasMore,
    draft: post.draft,
    page: post.page,
    sourcePath: post.sourcePath,
    ...(post.cover ? {cover: coverView(post, coverSizes)} : {})
  })
  for (const post of site.published) views.set(post, viewOf(post, rendered.get(post)!))

  // The theme's files are linked with a version of their bytes (`?v=`), so a browser may keep them until they
  // change, as it is told to by a host that says so (and by `dev`).
  const themeVersion = (name: string) => {
    const from = findTemplateFile(webTemplateDirs(config), `assets/${name}`)
    try {
      return from ? `?v=${assetVersion(fs.readFileSync(from))}` : ''
    } catch {
      return ''
    }
  }
  const newest = posts[0]
  const siteView: SiteView = {
    title: config.title,
    description: config.description,
    language: config.language,
    baseUrl: config.baseUrl ?? '',
    basePath,
    nav: [
      ...standalone.map((page) => ({title: page.title, url: sitePath(page.url)})),
      {title: 'Archive', url: sitePath('/archive/')},
      {title: 'Tags', url: sitePath('/tags/')},
      ...(issues.length > 0 ? [{title: 'Newsletter', url: sitePath('/newsletter/')}] : [])
    ],
    subscribeUrl: config.subscribeUrl ?? '',
    newsletterName: config.newsletter.name,
    feeds: {rss: sitePath('/feed.xml'), atom: sitePath('/atom.xml'), json: sitePath('/feed.json')},
    stylesheet: sitePath('/assets/theme/theme.css') + themeVersion('theme.css'),
    script: sitePath('/assets/theme/theme.js') + themeVersion('theme.js'),
    katexStylesheet: sitePath('/assets/katex/katex.min.css'),
    authors: config.authors.map((author) => ({name: author.name, ...(author.url ? {url: author.url} : {})})),
    copyrightYear: newest?.date?.slice(0, 4) ?? '',
    copyrightHtml: config.copyright ?? ''
  }

  const page = (
    url: string,
    kind: string,
    fields: Partial<PageContext> & {pageTitle: string}
  ): PageContext => ({
    site: siteView,
    kind,
    pageDescription: config.description,
    canonical: absolute(url),
    url: sitePath(url),
    ogType: 'website',
    ogImage: '',
    jsonLdHtml: '',
    hasMath: false,
    showDrafts: config.drafts,
    ...fields
  })

  // A page is rendered again only when what it shows or its templates changed. Its key spells out its context,
  // but each post view in it (most pages show many) by a hash made once per build: of the whole view, or, once
  // the page has been rendered, of just the fields its templates read of the views it shows (an edit that only
  // changes a post's word count leaves the lists and "related" boxes showing it alone).
  const siteKey = memoized ? `#site ${memoKey(JSON.stringify(siteView))}` : ''
  const viewSet = new Set<object>(views.values())
  const viewKeys = new Map<string, Map<object, string>>()
  /** The key of `view` by `fields` (`*`: all of it). */
  const viewKey = (view: PostView, fields: string): string => {
    let keys = viewKeys.get(fields)
    if (!keys) viewKeys.set(fields, (keys = new Map()))
    let key = keys.get(view)
    if (key === undefined) {
      const shown: Record<string, unknown> = {}
      if (fields === '*') Object.assign(shown, view)
      else for (const name of fields.split(' ')) shown[name] = (view as unknown as Record<string, unknown>)[name]
      keys.set(view, (key = memoKey(JSON.stringify(shown))))
    }
    return key
  }
  /** A copy of `value` in which every post view tells `read` which of its fields a template asks for (`*`: all of them). */
  const watched = (value: unknown, read: Set<string>): unknown => {
    if (typeof value !== 'object' || value === null) return value
    if (viewSet.has(value)) return new Proxy(value, reading(read))
    if (Array.isArray(value)) return value.map((item) => watched(item, read))
    if (Object.getPrototypeOf(value) !== Object.prototype) return value
    const copy: Record<string, unknown> = {}
    for (const [name, item] of Object.entries(value)) copy[name] = watched(item, read)
    return copy
  }
  // What each page read of its views when it was last rendered (`fields`: by path relative to OUT), and now.
  const fieldsBefore = memoized?.fields
  const fieldsNow = new Map<string, string>()
  // A preview's pages go here, rendered from scratch: not counted, staged or memoised.
  let capture: Map<string, string> | undefined
  let renderedPages = 0
  // Pages go to the staging folder at once when there is one (only their paths are kept, for the sitemap).
  const pagePaths: string[] = []
  const big = stage !== undefined && site.published.length >= bigSite
  /**
   * Render one page into `relative`, unless the memo has it. With a staging folder, a page whose key is the
   * one OUT's file was made from (and that file untouched) is not even read: it is linked from OUT.
   * `fill` completes a context whose key was made without something only a render needs (a body read back).
   */
  /**
   * Render one page into `relative` from the context `make` gives, unless the memo has it under the key
   * `keyBy` makes (given the fields the page read of its views, `*` for all). With a staging folder, a page
   * whose key is the one OUT's file was made from (and that file untouched) is not even read: it is linked
   * from OUT, and its context never made.
   */
  const emitPage = async (relative: string, template: string, keyBy: ((fields: string) => string) | undefined, make: () => Promise<PageContext>) => {
    if (capture) {
      capture.set(`site/${relative}`, await templates.render(template, await make()))
      return
    }
    pages++
    if (big && pages % collectEvery === 0) collectGarbage()
    if (pause && pages % 8 === 0) await pause()
    if (!memoized || !keyBy) {
      outputs.set(relative, await templates.render(template, await make()))
      return
    }
    const before = fieldsBefore?.get(`site/${relative}`) ?? '*'
    let key = keyBy(before)
    fieldsNow.set(`site/${relative}`, before)
    if (stage) pagePaths.push(relative)
    if (stage?.kept(relative, key)) {
      memoized.memo.keep('page', key)
      return
    }
    let html = memoized.memo.get<string>('page', key)
    if (html === undefined) {
      const read = new Set<string>()
      html = await templates.render(template, watched(await make(), read) as PageContext)
      renderedPages++
      const now = read.has('*') ? '*' : [...read].sort().join(' ')
      if (now !== before) {
        key = keyBy(now)
        fieldsNow.set(`site/${relative}`, now)
      }
      memoized.memo.set('page', key, html)
    }
    if (stage) stage.put(relative, html, key)
    else outputs.set(relative, html)
  }
  /** `emitPage` for a context made already, keyed by its JSON (each view in it by its own key). */
  const emitAt = async (relative: string, template: string, context: PageContext) => {
    let keyBy: ((fields: string) => string) | undefined
    if (memoized && !capture) {
      // The context as JSON with each view left as a mark, and the views in the order they came.
      const shown: PostView[] = []
      const shape = JSON.stringify(context, (_name, value) => {
        if (value === siteView) return siteKey
        if (typeof value === 'object' && value !== null && viewSet.has(value)) {
          shown.push(value as PostView)
          return '#view'
        }
        return value
      })
      keyBy = (fields) => memoKey('page', memoized.web, template, fields, shape, shown.map((view) => viewKey(view, fields)))
    }
    await emitPage(relative, template, keyBy, async () => context)
  }
  /** Where a page at `url` goes, relative to OUT/site. */
  const pagePath = (url: string) => {
    const relative = url.replace(/^\//, '') + (url.endsWith('.html') ? '' : 'index.html')
    if (!isPlainRelativePath(relative)) throw new Error(`page URL escapes the site: ${url}`)
    return relative
  }
  const emit = (url: string, template: string, context: PageContext) => emitAt(pagePath(url), template, context)

  // Posts and pages.
  const related = memoized ? memoizedRelated(posts, memoized.memo) : createRelated(posts)
  // A preview renders a fresh copy of a post in its old one's place.
  let swap: {old: Post; fresh: Post; view: PostView; own: RenderedPost} | undefined
  const emitPost = async (post: Post) => {
    const standing = swap?.fresh === post ? swap.old : post
    const view = swap?.fresh === post ? swap.view : views.get(post)!
    const own = swap?.fresh === post ? swap.own : rendered.get(post)!
    const list = post.page ? [] : posts
    const at = list.indexOf(standing)
    const newer = at > 0 ? list[at - 1] : undefined
    const older = at >= 0 && at < list.length - 1 ? list[at + 1] : undefined
    const template = post.page ? 'page' : 'post'
    const neighbours = {...(older ? {previous: link(older, views)} : {}), ...(newer ? {next: link(newer, views)} : {})}
    const shownRelated = post.page ? [] : related(standing).map((other) => views.get(other)!)
    // A post's page is keyed by what its context below is made of, without making it: the config and templates
    // (`web`), the site, the post (its parse key), its body and excerpt (its render key), its view, its cover, its
    // neighbours' links and its related posts' views (by the fields the page read). The context is made only
    // when the page is rendered, with the body read back then if it is not held in memory.
    const facts = site.facts.get(post)
    const renderKey = standing === post ? renderKeys.get(post) : undefined
    const keyBy =
      renderKey !== undefined && facts
        ? (fields: string) =>
            memoKey('page', memoized!.web, template, fields, siteKey, facts.key, renderKey, viewKey(view, '*'), post.cover?.url ?? '',
              neighbours, shownRelated.map((other) => viewKey(other, fields)))
        : undefined
    await emitPage(pagePath(post.url), template, keyBy, async () => {
      const pageView: PostPageView = {
        ...view,
        contentHtml: renderKey === undefined ? own.contentHtml : await bodyOf(post),
        toc: post.headings.filter((entry) => entry.depth >= 2 && entry.depth <= 3),
        showToc: post.words > 900 && post.headings.filter((entry) => entry.depth === 2).length >= 3,
        ...neighbours,
        related: shownRelated
      }
      return page(post.url, template, {
        pageTitle: post.title,
        pageDescription: post.description ?? plainExcerpt(view.excerptHtml) ?? config.description,
        ogType: post.page ? 'website' : 'article',
        ogImage: post.cover ? absolute(post.cover.url) : '',
        jsonLdHtml: post.page ? '' : jsonLd(post, view, config, absolute),
        hasMath: own.hasMath,
        post: pageView
      })
    })
    for (const alias of post.frontmatter.aliases) {
      const from = alias.endsWith('/') || alias.endsWith('.html') ? alias : alias + '/'
      await emit(from, 'redirect', page(from, 'redirect', {
        pageTitle: post.title,
        canonical: absolute(post.url),
        redirectTo: sitePath(post.url)
      }))
    }
  }
  for (const post of site.published) await emitPost(post)

  // A list of posts, `postsPerPage` to a page: at `base`, then `base` + page/N/ (the home page, and each tag and category).
  const perPage = config.postsPerPage
  const paginate = async (
    base: string,
    list: Post[],
    make: (url: string, number: number, shown: PostView[], pagination: PaginationView) => [string, PageContext]
  ) => {
    const pageCount = Math.max(1, Math.ceil(list.length / perPage))
    const at = (number: number) => (number === 1 ? base : `${base}page/${number}/`)
    for (let number = 1; number <= pageCount; number++) {
      const shown = list.slice((number - 1) * perPage, number * perPage).map((post) => views.get(post)!)
      const pagination: PaginationView = {
        page: number,
        pages: pageCount,
        ...(number > 1 ? {previous: sitePath(at(number - 1))} : {}),
        ...(number < pageCount ? {next: sitePath(at(number + 1))} : {})
      }
      await emit(at(number), ...make(at(number), number, shown, pagination))
    }
  }

  // Home.
  await paginate('/', posts, (url, number, shown, pagination) => ['home', page(url, 'home', {
    pageTitle: number === 1 ? config.title : `${config.title} — page ${number}`,
    posts: shown,
    pagination,
    jsonLdHtml: number === 1 ? websiteJsonLd(config, absolute) : ''
  })])

  // Tags and categories.
  for (const [kind, terms, base] of [
    ['tag', tags, '/tags/'],
    ['category', categories, '/categories/']
  ] as const) {
    const all = [...terms.values()].sort((a, b) => a.name.localeCompare(b.name))
    if (kind === 'category' && all.length === 0) continue
    await emit(base, 'tags', page(base, 'tags', {
      pageTitle: kind === 'tag' ? 'Tags' : 'Categories',
      terms: all,
      termKind: kind
    }))
    for (const term of all) {
      const tagged = posts.filter((post) => (kind === 'tag' ? post.tags : post.categories).includes(term.name))
      const title = `${kind === 'tag' ? 'Tag' : 'Category'}: ${term.name}`
      await paginate(`${base}${term.slug}/`, tagged, (url, number, shown, pagination) => ['tag', page(url, 'tag', {
        pageTitle: number === 1 ? title : `${title} — page ${number}`,
        term,
        termKind: kind,
        posts: shown,
        pagination
      })])
    }
  }

  // Archive.
  await emit('/archive/', 'archive', page('/archive/', 'archive', {
    pageTitle: 'Archive',
    archive: archive(posts.filter((post) => post.date !== undefined), views, config.language)
  }))

  // The newsletter: every issue as a web page, and their list.
  const bySlug = new Map<string, Post>()
  for (const post of site.published) if (!bySlug.has(post.slug)) bySlug.set(post.slug, post)
  if (issues.length > 0) {
    const monthFormat = new Intl.DateTimeFormat(config.language, {month: 'long', year: 'numeric', timeZone: 'UTC'})
    const list: IssueListView[] = issues
      .map((issue) => ({
        month: issue.summary.month,
        monthDisplay: monthFormat.format(new Date(`${issue.summary.month}-01T00:00:00Z`)),
        number: issue.summary.number,
        subject: issue.summary.subject,
        preheader: issue.summary.preheader,
        url: sitePath(`/newsletter/${issue.summary.month}/`),
        posts: issue.summary.posts.map((entry) => ({title: entry.title, url: sitePath(new URL(entry.url, 'http://x').pathname)}))
      }))
      .sort((a, b) => b.month.localeCompare(a.month))
    await emit('/newsletter/', 'newsletter', page('/newsletter/', 'newsletter', {
      pageTitle: `${config.newsletter.name}: the newsletter`,
      pageDescription: `Every issue of ${config.newsletter.name}, to read on the web.`,
      issues: list
    }))
    for (const [index, entry] of list.entries()) {
      const issue = issues.find((candidate) => candidate.summary.month === entry.month)!
      const newer = list[index - 1]
      const older = list[index + 1]
      const url = `/newsletter/${entry.month}/`
      await emit(url, 'issue', page(url, 'issue', {
        pageTitle: entry.subject,
        pageDescription: entry.preheader || `${config.newsletter.name}, ${entry.monthDisplay}`,
        hasMath: issue.summary.posts.some((summary) => {
          const post = bySlug.get(summary.slug)
          return post ? rendered.get(post)?.hasMath === true : false
        }),
        issue: {
          ...entry,
          contentHtml: issue.webHtml,
          ...(older ? {previous: {title: older.monthDisplay, url: older.url}} : {}),
          ...(newer ? {next: {title: newer.monthDisplay, url: newer.url}} : {})
        }
      }))
    }
  }

  // 404 at the root, as static hosts expect.
  await emitAt('404.html', '404', page('/404.html', '404', {pageTitle: 'Page not found'}))

  // Feeds, sitemap, robots.
  const feedContent = (post: Post) => rendered.get(post)!.feedHtml ?? ''
  writeFeeds(outputs, config, siteView, feedPosts, views, feedContent, absolute)
  outputs.set('sitemap.xml', sitemap([...outputs.keys(), ...pagePaths], site, absolute))
  outputs.set(
    'robots.txt',
    `User-agent: *\nAllow: /\n${config.baseUrl ? `Sitemap: ${absolute('/sitemap.xml')}\n` : ''}`
  )
  const redirects = redirectsFile(site, sitePath)
  if (redirects !== undefined) outputs.set('_redirects', redirects)

  // Assets: the posts' own files, then the theme's and KaTeX's.
  for (const asset of site.assets) {
    outputs.set(asset, {copyFrom: path.join(config.postsDir, asset)})
  }
  for (const asset of renderer.assets()) {
    if (!outputs.has(asset.to)) outputs.set(asset.to, {copyFrom: asset.from})
  }
  for (const name of ['theme.css', 'theme.js']) {
    const from = findTemplateFile(webTemplateDirs(config), `assets/${name}`)
    if (from) outputs.set(`assets/theme/${name}`, {copyFrom: from})
  }
  const fields = memoized ? fieldsNow : undefined
  if (!wantPreview) return {pages, rendered: renderedPages, fields}
  const preview: PostPreview = {
    async render(sourcePath, parser) {
      const old = site.published.find((post) => post.sourcePath === sourcePath)
      const reloaded = old && (await reloadPost(site, sourcePath, parser))
      // A post that moved, became a page or a draft, was dated after now or changed its aliases needs the whole render.
      if (!old || !reloaded || reloaded.post.url !== old.url || reloaded.post.page !== old.page ||
        reloaded.post.draft !== old.draft || reloaded.post.frontmatter.aliases.join('\n') !== old.frontmatter.aliases.join('\n') ||
        (!config.future && isScheduled(reloaded.post, publishNow()))) {
        return undefined
      }
      const fresh = reloaded.post
      const own = await renderWebPost(fresh, reloaded.facts, renderer, absolute, inFeed.has(old))
      swap = {old, fresh, own, view: viewOf(fresh, own)}
      capture = new Map()
      try {
        await emitPost(fresh)
        return capture
      } finally {
        swap = undefined
        capture = undefined
      }
    }
  }
  return {pages, rendered: renderedPages, preview, fields}
}

/**
 * A proxy handler that notes in `read` each field asked for (`*` when the
 * fields are listed, as `json` or a loop over the object does).
 */
function reading(read: Set<string>): ProxyHandler<object> {
  return {
    get(target, name, receiver) {
      if (typeof name === 'string') read.add(name)
      return Reflect.get(target, name, receiver) as unknown
    },
    has(target, name) {
      if (typeof name === 'string') read.add(name)
      return Reflect.has(target, name)
    },
    getOwnPropertyDescriptor(target, name) {
      if (typeof name === 'string') read.add(name)
      return Reflect.getOwnPropertyDescriptor(target, name)
    },
    ownKeys(target) {
      read.add('*')
      return Reflect.ownKeys(target)
    }
  }
}

/** A short version of a file's bytes, for its URL (`?v=`): a new version is a new URL, which no cache holds. */
export function assetVersion(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 10)
}

/** The site's own web templates first, then the built-in theme. */
function coverView(post: Post, sizes: Map<string, {width: number; height: number}>): ImageView {
  const size = sizes.get(post.cover!.resolved)
  // The cover illustrates the title right next to it: decorative, so empty alt.
  return {url: post.cover!.url, alt: '', ...(size ? {width: size.width, height: size.height} : {})}
}

function webTemplateDirs(config: ResolvedConfig): string[] {
  return [path.join(config.templatesDir, 'web'), builtInWebTemplatesDir]
}

function link(post: Post, views: Map<Post, PostView>): LinkView {
  const view = views.get(post)!
  return {title: view.title, url: view.url}
}

/** Posts sharing the most tags (then categories), nearest in date first. */
/**
 * `createRelated`, with every post's choice kept in the memo under the tags,
 * categories and dates of all posts (all it depends on): an edit that
 * changes none of them does not score the whole site again.
 */
function memoizedRelated(posts: Post[], memo: Memo): (post: Post) => Post[] {
  const key = memoKey('related', posts.map((post) => [post.sourcePath, post.date ?? '', post.tags, post.categories]))
  const bySource = new Map(posts.map((post) => [post.sourcePath, post]))
  let chosen = memo.get<Record<string, string[]>>('related', key)
  if (!chosen || typeof chosen !== 'object') {
    const related = createRelated(posts)
    chosen = Object.create(null) as Record<string, string[]>
    for (const post of posts) chosen[post.sourcePath] = related(post).map((other) => other.sourcePath)
    memo.set('related', key, chosen)
  }
  const picks = chosen
  return (post) => (picks[post.sourcePath] ?? []).map((sourcePath) => bySource.get(sourcePath)).filter((other) => other !== undefined)
}

function createRelated(posts: Post[]): (post: Post) => Post[] {
  // Index posts by tag and category once: scoring then only visits posts that share one.
  const byTerm = new Map<string, Post[]>()
  const time = new Map<Post, number>()
  for (const post of posts) {
    time.set(post, Date.parse(post.date ?? '1970-01-01'))
    for (const term of [...post.tags.map((tag) => `t:${tag}`), ...post.categories.map((name) => `c:${name}`)]) {
      const list = byTerm.get(term)
      if (list) list.push(post)
      else byTerm.set(term, [post])
    }
  }
  return (post) => {
    const scores = new Map<Post, number>()
    for (const tag of post.tags) {
      for (const other of byTerm.get(`t:${tag}`) ?? []) scores.set(other, (scores.get(other) ?? 0) + 2)
    }
    for (const category of post.categories) {
      for (const other of byTerm.get(`c:${category}`) ?? []) scores.set(other, (scores.get(other) ?? 0) + 1)
    }
    scores.delete(post)
    const anchor = time.get(post)!
    const before = ([a, scoreA]: [Post, number], [b, scoreB]: [Post, number]) =>
      scoreB - scoreA ||
      Math.abs(time.get(a)! - anchor) - Math.abs(time.get(b)! - anchor) ||
      a.sourcePath.localeCompare(b.sourcePath)
    // The best three in one pass: a big site shares a tag between thousands of posts, too many to sort per page.
    const best: Array<[Post, number]> = []
    for (const entry of scores) {
      if (best.length === 3 && before(entry, best[2]!) >= 0) continue
      let at = best.length
      while (at > 0 && before(entry, best[at - 1]!) < 0) at--
      best.splice(at, 0, entry)
      if (best.length > 3) best.pop()
    }
    return best.map(([other]) => other)
  }
}

function collectTerms(
  posts: Post[],
  pick: (post: Post) => string[],
  sitePath: (url: string) => string,
  base: string
): Map<string, TermView> {
  const terms = new Map<string, TermView>()
  for (const post of posts) {
    for (const name of pick(post)) {
      const term = terms.get(name)
      if (term) term.count++
      else {
        const slug = slugify(name, {decamelize: false}) || 'term'
        terms.set(name, {name, slug, url: sitePath(`/${base}/${slug}/`), count: 1})
      }
    }
  }
  return terms
}

function archive(posts: Post[], views: Map<Post, PostView>, language: string): ArchiveYearView[] {
  const monthName = new Intl.DateTimeFormat(language, {month: 'long', timeZone: 'UTC'})
  const years: ArchiveYearView[] = []
  for (const post of posts) {
    const [year = '', month = ''] = (post.date ?? '').split('-')
    let yearView = years.at(-1)
    if (!yearView || yearView.year !== year) years.push((yearView = {year, months: []}))
    let monthView = yearView.months.at(-1)
    if (!monthView || monthView.month !== month) {
      monthView = {month, name: monthName.format(new Date(`${year}-${month}-01T00:00:00Z`)), posts: []}
      yearView.months.push(monthView)
    }
    monthView.posts.push(views.get(post)!)
  }
  return years
}

/**
 * The excerpt: up to `<!-- more -->`, else the description (shown by the
 * template), else the first paragraph.
 */
function renderExcerpt(post: Post, renderer: WebRenderer): {excerpt: HastRoot; hasMore: boolean} {
  const marked = excerptNodes(post)
  if (marked) {
    const tree: Root = {type: 'root', children: marked}
    return {excerpt: renderer.render(tree, post.file, {excerpt: true, dropFirstHeading: post.titleFromHeading}), hasMore: true}
  }
  if (post.description) {
    return {
      excerpt: {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'text', value: post.description}]}]},
      hasMore: true
    }
  }
  const first = post.tree.children.find((node): node is Paragraph => node.type === 'paragraph')
  const tree: Root = {type: 'root', children: first ? [first] : []}
  const hasMore = post.tree.children.filter((node) => node.type !== 'yaml').length > 1
  return {excerpt: renderer.render(tree, post.file, {excerpt: true, dropFirstHeading: post.titleFromHeading}), hasMore}
}

function hasMath(tree: Root): boolean {
  let found = false
  visit(tree, (node) => {
    if (node.type === 'math' || node.type === 'inlineMath') found = true
  })
  return found
}

/** The text of `html`, shortened to a summary of at most 200 characters; `undefined` when it has none. */
function plainExcerpt(html: string): string | undefined {
  const parts: string[] = []
  visit(fromHtml(html, {fragment: true}), 'text', (node) => void parts.push(node.value))
  return shorten(parts.join(''), 200) || undefined
}

/** Make every `href`/`src` absolute (for feeds, which are read away from the site). */
function absolutize(tree: HastRoot, absolute: (url: string) => string, pageUrl: string): HastRoot {
  const copy = structuredClone(tree)
  visit(copy, 'element', (node: Element) => {
    for (const key of ['href', 'src'] as const) {
      const value = node.properties[key]
      if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')) {
        node.properties[key] = absolute(value)
      } else if (typeof value === 'string' && value.startsWith('#')) {
        node.properties[key] = absolute(pageUrl) + value
      }
    }
  })
  return copy
}

/** JSON-LD for a `<script>`: `<` escaped so no value can end the element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}

function jsonLd(post: Post, view: PostView, config: ResolvedConfig, absolute: (url: string) => string): string {
  return safeJson({
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    datePublished: view.datetime,
    ...(view.updated ? {dateModified: view.updated} : {}),
    ...(post.description ? {description: post.description} : {}),
    url: absolute(post.url),
    mainEntityOfPage: absolute(post.url),
    author: view.authors.map((name) => ({'@type': 'Person', name})),
    ...(post.tags.length > 0 ? {keywords: post.tags.join(', ')} : {}),
    publisher: {'@type': 'Organization', name: config.title}
  })
}

function websiteJsonLd(config: ResolvedConfig, absolute: (url: string) => string): string {
  return safeJson({
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: config.title,
    ...(config.description ? {description: config.description} : {}),
    url: absolute('/')
  })
}

function writeFeeds(
  outputs: Outputs,
  config: ResolvedConfig,
  siteView: SiteView,
  posts: Post[],
  views: Map<Post, PostView>,
  content: (post: Post) => string,
  absolute: (url: string) => string
): void {
  const newest = posts[0]
  const updated = newest ? new Date((newest.updated ?? newest.datetime ?? newest.date) + (newest.datetime ? '' : 'T00:00:00Z')) : new Date(0)
  const author = config.authors[0]
  // One `Feed` per format: an RSS category is element text where an Atom one is attributes, and `feed`
  // escapes the two differently (src/web/xml.ts), so each gets its values prepared for where they go.
  const feedFor = (format: 'rss' | 'atom'): Feed => {
    const feed = new Feed({
      title: feedText(config.title),
      description: feedText(config.description),
      id: absolute('/'),
      link: absolute('/'),
      language: feedText(config.language),
      updated,
      generator: 'letterpress',
      // The config's line is HTML (as MkDocs writes it); a feed's copyright is text.
      copyright:
        config.copyright !== undefined
          ? feedText(plainExcerpt(config.copyright) ?? '')
          : author
            ? feedText(`© ${siteView.copyrightYear} ${author.name}`)
            : '',
      feedLinks: {rss: absolute('/feed.xml'), atom: absolute('/atom.xml'), json: absolute('/feed.json')},
      ...(author
        ? {author: {name: feedText(author.name), ...(author.email ? {email: feedText(author.email)} : {}), ...(author.url ? {link: xmlChars(author.url)} : {})}}
        : {})
    })
    for (const post of posts) {
      const view = views.get(post)!
      const date = new Date(post.datetime ?? post.date + 'T00:00:00Z')
      feed.addItem({
        // HTML-escaped: Atom declares these `type="html"`, and RSS readers read titles and descriptions as HTML.
        title: feedHtml(escapeXml(post.title)),
        id: view.absoluteUrl,
        link: view.absoluteUrl,
        date: post.updated ? new Date(post.updated + 'T00:00:00Z') : date,
        published: date,
        description: feedHtml(escapeXml(view.description || plainExcerpt(view.excerptHtml) || '')),
        content: feedHtml(content(post)),
        category: post.tags.map((name) =>
          format === 'rss' ? {name: feedText(name)} : {name: feedAttribute(name), term: feedAttribute(name)}
        ),
        author: view.authors.map((name) => ({name: feedText(name)}))
      })
    }
    return feed
  }
  const items: Array<Record<string, unknown>> = []
  for (const post of posts) {
    const view = views.get(post)!
    const date = new Date(post.datetime ?? post.date + 'T00:00:00Z')
    items.push({
      id: view.absoluteUrl,
      url: view.absoluteUrl,
      title: post.title,
      content_html: content(post),
      ...(view.description ? {summary: view.description} : {}),
      date_published: date.toISOString(),
      ...(post.updated ? {date_modified: new Date(post.updated + 'T00:00:00Z').toISOString()} : {}),
      ...(post.tags.length > 0 ? {tags: post.tags} : {}),
      authors: view.authors.map((name) => ({name}))
    })
  }
  outputs.set('feed.xml', feedFor('rss').rss2())
  outputs.set('atom.xml', feedFor('atom').atom1())
  outputs.set(
    'feed.json',
    JSON.stringify(
      {
        version: 'https://jsonfeed.org/version/1.1',
        title: config.title,
        home_page_url: absolute('/'),
        feed_url: absolute('/feed.json'),
        ...(config.description ? {description: config.description} : {}),
        language: config.language,
        ...(author ? {authors: [{name: author.name, ...(author.url ? {url: author.url} : {})}]} : {}),
        items
      },
      null,
      2
    ) + '\n'
  )
}

/**
 * `_redirects` in the format Netlify and Cloudflare Pages read
 * (`/old/path/ /new/path/ 301`): every alias of a published post to the
 * post, one line each, sorted. `undefined` when no post has an alias. A
 * `_redirects` under posts/ is an asset and takes its place.
 */
function redirectsFile(site: Site, sitePath: (url: string) => string): string | undefined {
  // The format separates its fields by spaces: any in a path are escaped.
  const field = (url: string) => sitePath(url).replace(/\s/g, (space) => encodeURIComponent(space))
  const lines = site.published
    .flatMap((post) =>
      post.frontmatter.aliases.map((alias) => {
        const from = alias.endsWith('/') || alias.endsWith('.html') ? alias : alias + '/'
        return `${field(from)} ${field(post.url)} 301`
      })
    )
    .sort()
  return lines.length === 0 ? undefined : `# The posts' aliases (old addresses), for hosts that read this file\n${lines.join('\n')}\n`
}

/** sitemap.xml: every HTML page but redirects and 404, with content dates (never the build time). */
function sitemap(relativePaths: string[], site: Site, absolute: (url: string) => string): string {
  const modified = new Map<string, string>()
  for (const post of site.published) modified.set(post.outputPath, post.updated ?? post.date ?? '')
  const newest = site.published.find((post) => !post.page)?.date ?? ''
  const redirects = new Set(
    site.published.flatMap((post) =>
      post.frontmatter.aliases.map((alias) => (alias.endsWith('.html') ? alias : alias.replace(/\/?$/, '/') + 'index.html').slice(1))
    )
  )
  const urls = relativePaths
    .filter((relative) => relative.endsWith('.html') && relative !== '404.html' && !redirects.has(relative))
    .sort()
    .map((relative) => {
      const url = '/' + relative.replace(/index\.html$/, '')
      const lastmod = modified.get(relative) ?? newest
      return `  <url>\n    <loc>${escapeXml(absolute(url))}</loc>\n${lastmod ? `    <lastmod>${lastmod}</lastmod>\n` : ''}  </url>`
    })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
}

