/**
 * `build`: the whole site (and, with the email renderer, every month's issue)
 * rendered in memory from one parse of each post, then written at once.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import {outputHashes, pipelineVersion, readOutputRecord, spareFolder, unchangedOutputs, warmBuild, writeWarmRecord, type WarmBuild} from './warm.js'
import {memoKey, type Memo} from './memo.js'
import {regexesLearnt, rememberRegexes, type RegexDetails} from '../render/highlight.js'
import {reportMissingBaseUrl, reportUnsendableIssues, stringsOf, type ResolvedConfig} from '../source/config.js'
import {collectIssues, createIssueContext, type IssueContext} from '../email/issue.js'
import {buildMemoizedIssues, issueKey, memoizedMjml, memoizeIssue, partKeys, siteUrlsKey, type IssueMemo, type IssueOut} from './issues.js'
import {openRenderPool, poolSize, poolThreshold, type IssueJob, type RenderJob, type RenderPool} from './pool.js'
import {collectDiagnostics, countDiagnostics} from '../source/report.js'
import {createWebRenderer} from '../web/render.js'
import {reportIssueCoverage} from '../email/coverage.js'
import {reportSubjectTemplate} from '../email/subject.js'
import {nextRelease, publishNow} from '../source/schedule.js'
import type {Parser} from '../source/parse.js'
import {countPosts, type Site} from '../source/site.js'
import {loadMemoizedSite, type LoadedPost, type LoadJob, type SourceCache} from './posts.js'
import {createTemplates, TemplateError} from '../web/templates.js'
import {feedPostsOf} from '../web/feeds.js'
import {searchedPosts} from '../web/plan.js'
import {webTemplateDirs} from '../web/site-views.js'
import type {BuildOptions, BuildResult, RenderProgress} from './build-options.js'
import {bigSite, collectEvery, collectGarbage, phase, step, timings} from './instrument.js'
import {diskMemo, memoVersions, renderKey, type MemoVersions} from './keys.js'
import {memoizeRender} from './render-posts.js'
import {renderSite, type PostPreview} from './render-site.js'
import {makeImages, planImages} from './images.js'
import type {PageRenderers, SiteStage} from './pages.js'
import type {SearchIndexer} from '../web/search.js'
import {
  guardOutDir,
  markOutDir,
  openStaging,
  outMarker,
  outMarkerText,
  writeTree,
  type Outputs,
  type StagedOutput,
  type WriteContent
} from './write.js'

export type {BuildOptions, BuildResult, RenderProgress, PostPreview}
export {guardOutDir, markOutDir}

/** Why a build could not run at all (not a content problem): OUT cannot be used. */
export {OutDirError as BuildError} from './write.js'

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
   * `false`: render and validate every output as a build would, then let
   * each go (`check`): `RenderedSite.outputs` and `staged` stay empty.
   */
  write?: boolean | undefined
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
  /** The content hash of each source as the build's fingerprint read it, by absolute path (`MemoizedLoadOptions.hashes`). */
  sourceHashes?: ReadonlyMap<string, string> | undefined
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
  /** A post changed after the input fingerprint hashed it (`RenderOptions.sourceHashes`): the build is not what the fingerprint says. */
  moved?: boolean
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
  const pool = new PoolHolder(config)
  const regexes = options.memo && takeRegexes(options.memo)
  try {
    return await renderWith(config, configFile, options, pool)
  } finally {
    await pool.close()
    if (options.memo && regexes) keepRegexes(options.memo, regexes)
  }
}

/**
 * The highlighter's patterns as JavaScript regexes from earlier builds
 * (see `rememberRegexes`), kept in the memo under letterpress's version:
 * taken back before a render, and kept again after it when it added some.
 */
function takeRegexes(memo: Memo): {key: string; added: number; stored: boolean} {
  const key = memoKey('regexes', pipelineVersion())
  const stored = memo.get<unknown>('regexes', key)
  if (Array.isArray(stored)) {
    rememberRegexes(stored.filter((entry): entry is [string, RegexDetails] =>
      Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1]?.pattern === 'string' && typeof entry[1]?.flags === 'string'))
  }
  return {key, added: regexesLearnt().added, stored: Array.isArray(stored)}
}

function keepRegexes(memo: Memo, {key, added, stored}: {key: string; added: number; stored: boolean}): void {
  const learnt = regexesLearnt()
  if (learnt.added > added || (!stored && learnt.entries.length > 0)) memo.replace('regexes', key, learnt.entries)
  else memo.keep('regexes', key)
}

/**
 * The worker threads of one render, started only when there are enough
 * posts to parse to pay for them. A pool that fails is closed and
 * forgotten: the main thread renders whatever the pool did not.
 */
class PoolHolder {
  private pool: RenderPool | undefined
  private opened = false
  constructor(private readonly config: ResolvedConfig) {}

  /**
   * Run `task` on the pool (opening it when `open`), or give `undefined`
   * without one. `big`: a big site's build, by its posts, and whether its
   * posts go to the memo's packs as they are parsed (`fromPacks`); it
   * sizes the workers' heaps.
   */
  async run<T>(task: (pool: RenderPool) => Promise<T>, open = false, big?: {posts: number; fromPacks: boolean}): Promise<T | undefined> {
    if (!this.pool && open && !this.opened) {
      this.opened = true
      // Workers of a big site's build keep nothing between jobs, and a capped heap: they collect before garbage
      // piles up, at some cost in time (about a tenth of a cold build), which only pays at that size. Without
      // packs to take posts back from, each holds its share of the posts (their fields on its heap, some 40 KB a
      // post at most): the cap leaves room for them, since a worker out of heap hands its work to the main thread.
      const size = poolSize()
      const heapLimitMb = big && (big.fromPacks ? 512 : Math.max(512, 256 + Math.ceil((big.posts / Math.max(1, size)) * 0.064)))
      this.pool = await openRenderPool(this.config, size, heapLimitMb || undefined, big !== undefined, !big?.fromPacks).catch(() => undefined)
      if (this.pool && timings()) process.stderr.write(`[timing] pool: ${this.pool.size} workers${heapLimitMb ? `, ${heapLimitMb} MB heap each` : ''}\n`)
    }
    if (!this.pool) return undefined
    try {
      return await task(this.pool)
    } catch (error) {
      // The main thread does what the pool did not; said when timing, as it changes the build's time and memory.
      if (timings()) process.stderr.write(`[timing] pool stopped: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`)
      await this.close()
      return undefined
    }
  }

  /**
   * Pages rendered on the pool's workers, two batches out per worker (so
   * none waits while the main thread stages what came back); a batch the
   * pool fails on is rendered on the main thread.
   */
  pageRenderers(): PageRenderers {
    return {
      width: 2 * (this.pool?.size ?? 1),
      render: async (views, pages) => {
        const rendered = await this.run((pool) => pool.pages(views, pages))
        if (!rendered) throw new Error('the render pool is closed')
        return rendered
      }
    }
  }

  /**
   * A search index made anew on a worker (`RenderPool.searchIndexer`); its
   * JSON `undefined` when the pool fails on the way, for the caller to make
   * it here.
   */
  searchIndexer(): (groups: number) => SearchIndexer {
    return (groups) => {
      const made = this.pool?.searchIndexer(groups)
      let failed = made === undefined
      const onPool = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
        const done = failed ? undefined : await this.run(async () => ({result: await work()}))
        if (!done) failed = true
        return done?.result
      }
      return {
        add: async (document) => void (await onPool(() => made!.add(document))),
        json: () => onPool(() => made!.json())
      }
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
  const keep = options.write !== false
  // Whether outputs leave memory as they are made (written to the staging folder, or let go): then a big site
  // collects its garbage as it goes.
  const streamed = options.stage !== undefined || !keep
  phase('start')
  // A big site's parsed posts go to the memo's packs every `bigSite()` posts (a commit midway), and its workers keep
  // none: neither side holds more than that many posts' trees at once while the rest are parsed.
  let packed: Promise<void> = Promise.resolve()
  const prefill = (jobs: LoadJob[], accept: (sourcePath: string, loaded: LoadedPost) => void) => {
    let loaded = 0
    const big = streamed && jobs.length >= bigSite()
    const fromPacks = big && memo?.packFolder !== undefined
    return pool.run(
      (workers) =>
        workers.load(jobs, (sourcePath, post) => {
          accept(sourcePath, post)
          options.onProgress?.({step: 'parse', done: ++loaded, total: jobs.length})
          if (fromPacks && loaded % bigSite() === 0) packed = packed.then(() => memo!.commit({midway: true}))
          if (big && loaded % (collectEvery * 5) === 0) collectGarbage()
        }),
      jobs.length >= poolThreshold(),
      big ? {posts: jobs.length, fromPacks} : undefined
    )
  }
  const onPost = options.onProgress && ((done: number, total: number) => options.onProgress!({step: 'load', done, total}))
  let moved = false
  const site = await loadMemoizedSite(config, {memo, prefill, sources: options.sources, parser: options.parser, onPost, hashes: options.sourceHashes, onMoved: () => (moved = true)})
  if (streamed && site.published.length >= bigSite()) {
    // What the workers hold of a big site's posts goes to the memo's packs now; from there they take each post
    // back for its jobs and keep nothing between them (at 10,000 posts they held gigabytes).
    if (memo?.packFolder && pool.open) {
      await packed
      await memo.commit({midway: true})
      await pool.run((workers) => workers.readStored(memo.packFolder!))
    }
    collectGarbage()
  }
  phase('load')
  reportIssueCoverage(site, configFile)
  // Image variants are made into their cache by check and build alike (so both say the same of a broken image),
  // alongside the rendering (sharp works on its own threads); only a build copies them into OUT.
  const imageOutputs = planImages(site).then((sources) => makeImages(config, sources))
  imageOutputs.catch(() => undefined)
  const files: VFile[] = [configFile, ...site.files]
  const outputs: Outputs = new Map()
  const staged = new Map<string, StagedOutput>()
  const failed = (pages: number): RenderedSite => ({config, site, files, outputs: new Map(), staged: new Map(), pages, failed: true})

  reportMissingBaseUrl(config, configFile)
  reportSubjectTemplate(config, configFile)
  // A config fact, whichever posts are published yet (drafts included): said once, by build and check alike.
  if (site.all.length > 0) reportUnsendableIssues(config, configFile)
  if (countDiagnostics(collectDiagnostics(files, config.strict)).errors > 0) return failed(0)

  const renderer = await createWebRenderer(config)
  const templates = createTemplates({dirs: webTemplateDirs(config), strings: stringsOf(config)})
  const versions = memo ? memoVersions(config) : undefined
  const siteOutputs: Outputs = new Map()
  let pages = 0
  let preview: PostPreview | undefined
  let pageFields: Map<string, string> | undefined
  if (options.pause) await options.pause()
  try {
    options.onProgress?.({step: pool.open ? 'workers' : 'email'})
    const context = await createIssueContext(site, {highlight: renderer.highlight, mjmlCache: memo && memoizedMjml(memo)})
    files.push(...context.files)
    const {stage, fromOut} = options
    // Issue files go to the staging folder under keys of their issues, so the next build links them unread.
    const issueOut: IssueOut | undefined = keep && stage ? {
      linked(relative, key) {
        const output = fromOut?.(relative, key)
        if (output) staged.set(relative, output)
        return output !== undefined
      },
      put(relative, content, key) {
        staged.set(relative, stage(relative, content, key))
      }
    } : undefined
    const issueMemo = memo && versions ? {memo, version: versions.email, assetKey: versions.assetKey, out: issueOut} : undefined
    if (versions && issueMemo && pool.open) {
      await prefillOnWorkers(site, versions, context, issueMemo, pool, options.onProgress)
      step('post renders and issues on the workers')
    }
    options.onProgress?.({step: 'email'})
    const issues = await buildMemoizedIssues(site, context, issueMemo, (done, total, reused) =>
      options.onProgress?.({step: 'email', done, total, reused})
    )
    for (const issue of issues) {
      for (const [name, content] of issue.files) {
        const relative = `email/${issue.summary.month}/${name}`
        if (!keep) continue
        if (options.stage) staged.set(relative, options.stage(relative, content))
        else outputs.set(relative, content)
      }
    }
    if (streamed && site.published.length >= bigSite()) collectGarbage()
    phase('issues')
    const stageSite: SiteStage | undefined = !keep ? letGo : stage && {
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
      pause: options.pause,
      onProgress: options.onProgress,
      ...(pool.open ? {renderers: pool.pageRenderers(), indexSearch: pool.searchIndexer(), release: () => pool.close()} : {})
    })
    await pool.close()
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
  const images = await imageOutputs
  phase('images')
  if (keep) for (const [relative, content] of images) if (!siteOutputs.has(relative)) siteOutputs.set(relative, content)
  if (countDiagnostics(collectDiagnostics(files, config.strict)).errors > 0) return failed(pages)
  if (keep) for (const [relative, content] of siteOutputs) outputs.set(`site/${relative}`, content)
  return {config, site, files, outputs, staged, pages, failed: false, preview, pageFields, moved}
}

/** Where a render that writes nothing (`RenderOptions.write: false`) puts its pages: nowhere, each rendered unless the memo has it. */
const letGo: SiteStage = {put() {}, kept: () => false}

/**
 * Have the pool render the posts whose web render the memo lacks and build
 * the issues it lacks, both at once (`RenderPool.renderAndIssues`).
 */
async function prefillOnWorkers(
  site: Site,
  versions: MemoVersions,
  context: IssueContext,
  issueMemo: IssueMemo,
  pool: PoolHolder,
  onProgress: RenderOptions['onProgress']
): Promise<void> {
  const {memo} = issueMemo
  const renders = renderJobs(site, memo, versions)
  const issues = issueJobs(site, context, issueMemo)
  const total = renders.jobs.length + issues.jobs.length
  if (total === 0) return
  let done = 0
  await pool.run((workers) =>
    workers.renderAndIssues(
      renders.jobs,
      issues.jobs,
      (sourcePath, post, searchText) => {
        const key = renders.keys.get(sourcePath)!
        memoizeRender(memo, key, post)
        if (searchText !== undefined) memo.set('search-text', key, searchText)
        onProgress?.({step: 'workers', done: ++done, total})
      },
      (built, entries) => {
        for (const [month, issue] of built) memoizeIssue(memo, issues.keys.get(month)!, issue)
        for (const [bucket, key, value] of entries) memo.set(bucket, key, value)
        done += built.length
        onProgress?.({step: 'workers', done, total})
      }
    )
  )
}

/** The posts whose web render the memo lacks, as jobs for the pool, with the memo key of each render. */
function renderJobs(site: Site, memo: Memo, versions: MemoVersions): {jobs: RenderJob[]; keys: Map<string, string>} {
  const inFeed = new Set(feedPostsOf(site))
  // The posts search finds (see planSearch): their text is made with their render.
  const searched = new Set(searchedPosts(site.config, site.published))
  const jobs: RenderJob[] = []
  const keys = new Map<string, string>()
  for (const post of site.published) {
    const key = renderKey(site, post, inFeed.has(post), versions)
    if (key === undefined || memo.has('render', key)) continue
    keys.set(post.sourcePath, key)
    const facts = site.facts.get(post)!
    jobs.push({sourcePath: post.sourcePath, key: facts.key, urls: facts.urls, inFeed: inFeed.has(post), searchText: searched.has(post)})
  }
  return {jobs, keys}
}

/** The issues the memo lacks, as jobs for the pool, with the memo key of each issue by month. */
function issueJobs(site: Site, context: IssueContext, memoized: IssueMemo): {jobs: IssueJob[]; keys: Map<string, string>} {
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
  return {jobs, keys}
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
  {config, configFile, fingerprint, sourceHashes, notes: guardNotes}: Exclude<WarmBuild, {result: BuildResult}>,
  options: BuildOptions
): Promise<BuildResult> {
  const memo = diskMemo(config)
  // Pages and issue files go to the staging folder as they are rendered; the rest is written at the end.
  const previous = readOutputRecord(config)
  const staging = openStaging(config.outDir, previous.reusable, {spare: spareFolder(config)})
  step('output record and staging')
  let rendered: RenderedSite
  try {
    rendered = await renderOutputs(config, configFile, {
      memo,
      stage: staging.put,
      fromOut: previous.fromKey,
      pageFields: previous.fields,
      sourceHashes,
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
  options.onProgress?.({step: 'write', done: 0, total: tree.size, reused: unchanged.size})
  for (const note of await writeTree(config.outDir, tree, {unchanged, staging})) notes.add(note)
  options.onProgress?.({step: 'write', done: tree.size, total: tree.size, reused: unchanged.size})
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
  const release = config.future ? undefined : nextRelease(rendered.site.scheduled, publishNow(config))
  // A post that changed while the build ran leaves a record no fingerprint matches: the next build, whatever it
  // finds, builds again (reusing what OUT holds).
  if (fingerprint) writeWarmRecord(config, rendered.moved ? 'changed while building' : fingerprint, done, hashes, keys, rendered.pageFields, {from: previous, outputs: linked}, release)
  step('record written')
  return done
}

function result({files, config, site, pages}: RenderedSite, written: boolean): BuildResult {
  const diagnostics = collectDiagnostics(files, config.strict)
  return {
    diagnostics,
    ...countDiagnostics(diagnostics),
    ...countPosts(site),
    pages,
    written,
    outDir: config.outDir
  }
}
