/**
 * Rendering the site plan's pages, incrementally. A page is rendered again
 * only when what it shows or its templates changed. Its memo key spells out
 * its context, but each post view in it (most pages show many) by a hash
 * made once per build: of the whole view, or, once the page has been
 * rendered, of just the fields its templates read of the views it shows (an
 * edit that only changes a post's word count leaves the lists and "related"
 * boxes showing it alone). With a staging folder, a page whose key is the
 * one OUT's file was made from (and that file untouched) is not even read:
 * it is linked from OUT, and its context never made.
 */
import type {PlannedPage, PostPage} from '../web/plan.js'
import type {Templates} from '../web/templates.js'
import type {PageContext, PostView, SiteView} from '../web/views.js'
import {bigSite, collectEvery, collectGarbage} from './instrument.js'
import {memoKey, type Memo} from './memo.js'
import {isPlainRelativePath, type Outputs} from './write.js'

/** Where pages go in a build: the staging folder (paths relative to the site). */
export interface SiteStage {
  /** Write a page now; `key` is the memo key it was rendered from. */
  put(relative: string, html: string, key: string): void
  /** Whether OUT holds the page made from `key` already (then it is linked from there, not rendered or read). */
  kept(relative: string, key: string): boolean
}

/** A page for another thread to render: its template and its context. */
export interface PageJob {
  template: string
  context: PageContext
}

/** A page rendered by another thread: its HTML, and the fields its templates read of the post views it shows (`fieldsRead`). */
export type RenderedPage = readonly [html: string, fields: string]

/**
 * Where pages can be rendered besides this thread (the render pool's
 * workers), a batch at a time: `views` holds every post view the batch's
 * contexts show, as the same objects, so the fields read of each can be
 * told (see `watchedContext`). A batch that fails is rendered here.
 */
export interface PageRenderers {
  /** How many batches may be out at once. */
  width: number
  render(views: PostView[], pages: PageJob[]): Promise<ReadonlyArray<RenderedPage>>
}

/** Pages per batch sent to `PageRenderers`. */
const pageBatch = 12
/**
 * The most post views a page sent to a worker may show: a page that shows
 * more (the archive of a big site) renders on the main thread, which holds
 * the views already. Sent, each would be copied to the worker: at 10,000
 * posts the archive's views are tens of MB, serialized once and taken in
 * again by the worker, on top of both threads' heaps. Half a big site at
 * most, so a test that takes a small site down a big site's path
 * (LETTERPRESS_BIG_SITE) takes its list pages down this one.
 */
function viewsSentAtMost(): number {
  return Math.min(1000, bigSite() / 2)
}

/** What the emitter of one render works with. */
export interface PageEmitterOptions {
  templates: Templates
  /** Pages rendered without a staging folder, by path relative to the site. */
  outputs: Outputs
  siteView: SiteView
  /** Every post view of the site (the ones pages may show). */
  views: Iterable<PostView>
  /** The memo, the web version of the build's keys, and what each page read last time (by path relative to OUT). */
  memoized?: {memo: Memo; web: string; fields?: ReadonlyMap<string, string> | undefined} | undefined
  stage?: SiteStage | undefined
  pause?: (() => Promise<void>) | undefined
  /** A big site: collect garbage every `collectEvery` pages. */
  big?: boolean
  /** Other threads to render pages on, for a staged build. */
  renderers?: PageRenderers | undefined
}

/** A post page's body and the keys it was rendered under (none when it is not memoized). */
export interface PostBody {
  /** The post's parse key and render key. */
  keys?: {post: string; render: string} | undefined
  html(): Promise<string>
}

/** The page emitter of one render. */
export interface PageEmitter {
  emit(page: PlannedPage, body?: PostBody): Promise<void>
  /** Wait for the pages sent to other threads, and stage them. */
  finish(): Promise<void>
  /** Render `pages` from scratch into a map by path relative to OUT: not counted, staged or memoised (a preview). */
  capture(pages: PlannedPage[], body: PostBody): Promise<Map<string, string>>
  /** HTML pages emitted, and how many of them were rendered (not from the memo or OUT), and of those on other threads. */
  readonly pages: number
  readonly rendered: number
  readonly renderedElsewhere: number
  /** The paths of the pages that went to the staging folder (for the sitemap). */
  readonly staged: string[]
  /** Which fields of its post views each page read (`*`: all), by path relative to OUT. */
  readonly fields: Map<string, string>
}

export function createPageEmitter(options: PageEmitterOptions): PageEmitter {
  const {templates, outputs, memoized, stage, pause, siteView} = options
  const siteKey = memoized ? `#site ${memoKey(JSON.stringify(siteView))}` : ''
  const viewSet = new Set<object>(options.views)
  const viewKey = viewKeys()
  const fieldsBefore = memoized?.fields
  const fieldsNow = new Map<string, string>()
  const stagedPaths: string[] = []
  let pages = 0
  let rendered = 0

  /** Stage (or keep) a page rendered now, under its key by the fields its templates read. */
  const settle = (relative: string, keyBy: (fields: string) => string, before: string, html: string, now: string) => {
    rendered++
    const key = keyBy(now)
    if (now !== before) fieldsNow.set(`site/${relative}`, now)
    // A staged page is OUT's file, which the build's record links again by this key: the memo keeps no copy.
    if (stage) stage.put(relative, html, key)
    else {
      memoized!.memo.set('page', key, html)
      outputs.set(relative, html)
    }
  }

  /** Render a page here, noting which fields of its post views the templates read. */
  const renderHere = async (template: string, context: PageContext): Promise<RenderedPage> => {
    const read = new Set<string>()
    const html = await templates.render(template, watchedContext(context, viewSet, read))
    return [html, fieldsRead(read)]
  }

  const remote = stage && options.renderers ? sendPages(options.renderers, viewSet, settle, renderHere) : undefined

  /** Render one page into `relative` from `make`'s context, unless the memo or OUT has it under `keyBy`'s key. */
  const emitPage = async (relative: string, template: string, keyBy: ((fields: string) => string) | undefined, make: () => Promise<PageContext>) => {
    pages++
    if (options.big && pages % collectEvery === 0) collectGarbage()
    if (pause && pages % 8 === 0) await pause()
    if (!memoized || !keyBy) {
      outputs.set(relative, await templates.render(template, await make()))
      return
    }
    const before = fieldsBefore?.get(`site/${relative}`) ?? '*'
    const key = keyBy(before)
    fieldsNow.set(`site/${relative}`, before)
    if (stage) stagedPaths.push(relative)
    if (stage?.kept(relative, key)) {
      memoized.memo.keep('page', key)
      return
    }
    const known = memoized.memo.get<string>('page', key)
    if (known !== undefined) {
      if (stage) stage.put(relative, known, key)
      else outputs.set(relative, known)
      return
    }
    if (remote && !remote.failed) {
      await remote.add({relative, keyBy, before, job: {template, context: await make()}})
      return
    }
    // The pages waiting for a batch come first, as they are earlier in the plan.
    await remote?.send()
    try {
      settle(relative, keyBy, before, ...(await renderHere(template, await make())))
    } catch (error) {
      throw remote ? await remote.firstFailure(error) : error
    }
  }

  /** A list page's key: its context as JSON with each view left as a mark, and the views by their own keys. */
  const listKey = (template: string, context: PageContext): ((fields: string) => string) | undefined => {
    if (!memoized) return undefined
    const shown: PostView[] = []
    const shape = JSON.stringify(context, (_name, value) => {
      if (value === siteView) return siteKey
      if (typeof value === 'object' && value !== null && viewSet.has(value)) {
        shown.push(value as PostView)
        return '#view'
      }
      return value
    })
    return (fields) => memoKey('page', memoized.web, template, fields, shape, shown.map((view) => viewKey(view, fields)))
  }

  /**
   * A post page's key, without making its context: the config and templates (`web`), the site, the post (its
   * parse key), its body and excerpt (its render key), its view, its cover, its neighbours' links and its
   * related posts' views (by the fields the page read).
   */
  const postKey = (page: PostPage, keys: NonNullable<PostBody['keys']>) => (fields: string) =>
    memoKey('page', memoized!.web, page.template, fields, siteKey, keys.post, keys.render, viewKey(page.view, '*'), page.post.cover?.url ?? '',
      page.neighbours, page.related.map((other) => viewKey(other, fields)))

  return {
    async emit(page, body) {
      if (!isPlainRelativePath(page.path)) throw new Error(`page path escapes the site: ${page.path}`)
      if (page.kind === 'list') return emitPage(page.path, page.template, listKey(page.template, page.context), async () => page.context)
      const keyBy = memoized && body?.keys ? postKey(page, body.keys) : undefined
      await emitPage(page.path, page.template, keyBy, async () => page.context(await body!.html()))
    },
    async finish() {
      await remote?.finish()
    },
    async capture(planned, body) {
      const captured = new Map<string, string>()
      for (const page of planned) {
        const context = page.kind === 'list' ? page.context : page.context(await body.html())
        captured.set(`site/${page.path}`, await templates.render(page.template, context))
      }
      return captured
    },
    get pages() {
      return pages
    },
    get rendered() {
      return rendered
    },
    get renderedElsewhere() {
      return remote?.elsewhere ?? 0
    },
    staged: stagedPaths,
    fields: fieldsNow
  }
}

/** A page waiting to be sent to another thread, with what staging it takes. */
interface QueuedPage {
  relative: string
  keyBy: (fields: string) => string
  before: string
  job: PageJob
}

/** Pages sent to other threads in batches (see `PageRenderers`), staged by `settle` as they come back. */
interface PageBatches {
  /** Whether a batch failed: later pages are rendered here. */
  readonly failed: boolean
  /** Pages rendered by the other threads. */
  readonly elsewhere: number
  /** Queue a page; a full batch is sent. */
  add(page: QueuedPage): Promise<void>
  /** Send the pages queued. */
  send(): Promise<void>
  /**
   * The failure to report: that of the first failed batch in the plan's
   * order, else `error`, a page's rendered here after every batch sent.
   */
  firstFailure(error?: unknown): Promise<unknown>
  /** Send what is queued and wait for every batch; throw the first failure. */
  finish(): Promise<void>
}

function sendPages(
  renderers: PageRenderers,
  views: ReadonlySet<object>,
  settle: (relative: string, keyBy: (fields: string) => string, before: string, html: string, fields: string) => void,
  renderHere: (template: string, context: PageContext) => Promise<RenderedPage>
): PageBatches {
  let failed = false
  let elsewhere = 0
  let batch: QueuedPage[] = []
  /** The post views the batch's pages show. */
  let shown = new Set<PostView>()
  const mostViews = viewsSentAtMost()
  const out = new Set<Promise<void>>()
  /** Failed batches by their place in the plan's order: the first is the one a render on one thread reports. */
  const failures: Array<{at: number; error: unknown}> = []
  let sent = 0
  const firstFailure = async (error?: unknown): Promise<unknown> => {
    if (error !== undefined) failures.push({at: sent++, error})
    while (out.size > 0) await Promise.all(out)
    return failures.sort((a, b) => a.at - b.at)[0]?.error
  }
  /** Count rendering pages as out (backpressure) until they settle; a failure is kept with their place in the plan. */
  const track = (rendered: Promise<void>) => {
    const at = sent++
    // Settled either way, it makes room; its failure (a template's) is thrown by the next `send` or `finish`.
    const tracked: Promise<void> = rendered.then(
      () => void out.delete(tracked),
      (error: unknown) => {
        out.delete(tracked)
        failures.push({at, error})
      }
    )
    out.add(tracked)
  }
  const here = async (pages: QueuedPage[]) => {
    for (const page of pages) settle(page.relative, page.keyBy, page.before, ...(await renderHere(page.job.template, page.job.context)))
  }
  /** Backpressure: at most `width` batches out, so contexts are not all held at once; the first back makes room. */
  const makeRoom = async () => {
    // A worker busy with something else holds up only its own batches.
    while (out.size >= renderers.width) await Promise.race(out)
    if (failures.length > 0) throw await firstFailure()
  }
  const send = async () => {
    const pages = batch
    const theirs = shown
    batch = []
    shown = new Set()
    if (pages.length === 0) return
    await makeRoom()
    track((failed ? Promise.reject(new Error('rendered here')) : renderers.render([...theirs], pages.map(({job}) => job))).then(
      (results) => {
        elsewhere += pages.length
        pages.forEach((page, place) => settle(page.relative, page.keyBy, page.before, ...results[place]!))
      },
      async () => {
        // The pool failed (or a template did, which rendering here reports with its place): these and later pages here.
        failed = true
        await here(pages)
      }
    ))
  }
  return {
    get failed() {
      return failed
    },
    get elsewhere() {
      return elsewhere
    },
    async add(page) {
      const own = new Set<PostView>()
      viewsIn(page.job.context, views, own)
      if (own.size > mostViews) {
        // The pages before it go first, as they are earlier in the plan.
        await send()
        await makeRoom()
        track(here([page]))
        return
      }
      for (const view of own) shown.add(view)
      batch.push(page)
      if (batch.length >= pageBatch) await send()
    },
    send,
    firstFailure,
    async finish() {
      await send()
      const failure = await firstFailure()
      if (failure !== undefined) throw failure
    }
  }
}

/** `viewKey(view, fields)`: the hash of `view`, whole (`*`) or by the fields named, made once per view and fields. */
function viewKeys(): (view: PostView, fields: string) => string {
  const byFields = new Map<string, Map<object, string>>()
  return (view, fields) => {
    let keys = byFields.get(fields)
    if (!keys) byFields.set(fields, (keys = new Map()))
    let key = keys.get(view)
    if (key === undefined) {
      const shown: Record<string, unknown> = {}
      if (fields === '*') Object.assign(shown, view)
      else for (const name of fields.split(' ')) shown[name] = (view as unknown as Record<string, unknown>)[name]
      keys.set(view, (key = memoKey(JSON.stringify(shown))))
    }
    return key
  }
}

/**
 * A copy of a page's context in which every post view (a member of
 * `views`) tells `read` which of its fields a template asks for.
 */
export function watchedContext(context: PageContext, views: ReadonlySet<object>, read: Set<string>): PageContext {
  const watched = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value
    if (views.has(value)) return new Proxy(value, reading(read))
    if (Array.isArray(value)) return value.map(watched)
    if (Object.getPrototypeOf(value) !== Object.prototype) return value
    const copy: Record<string, unknown> = {}
    for (const [name, item] of Object.entries(value)) copy[name] = watched(item)
    return copy
  }
  return watched(context) as PageContext
}

/** The fields noted by `watchedContext`: `*` (all), or their names sorted, space-separated. */
export function fieldsRead(read: ReadonlySet<string>): string {
  return read.has('*') ? '*' : [...read].sort().join(' ')
}

/** Add to `found` the members of `views` that `value` shows, looked for as `watchedContext` does. */
function viewsIn(value: unknown, views: ReadonlySet<object>, found: Set<PostView>): void {
  if (typeof value !== 'object' || value === null) return
  if (views.has(value)) {
    found.add(value as PostView)
    return
  }
  if (Array.isArray(value)) {
    for (const item of value) viewsIn(item, views, found)
    return
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return
  for (const item of Object.values(value)) viewsIn(item, views, found)
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
