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
import {collectEvery, collectGarbage} from './instrument.js'
import {memoKey, type Memo} from './memo.js'
import {isPlainRelativePath, type Outputs} from './write.js'

/** Where pages go in a build: the staging folder (paths relative to the site). */
export interface SiteStage {
  /** Write a page now; `key` is the memo key it was rendered from. */
  put(relative: string, html: string, key: string): void
  /** Whether OUT holds the page made from `key` already (then it is linked from there, not rendered or read). */
  kept(relative: string, key: string): boolean
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
  /** Render `pages` from scratch into a map by path relative to OUT: not counted, staged or memoised (a preview). */
  capture(pages: PlannedPage[], body: PostBody): Promise<Map<string, string>>
  /** HTML pages emitted, and how many of them were rendered (not from the memo or OUT). */
  readonly pages: number
  readonly rendered: number
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

  /** A copy of `value` in which every post view tells `read` which of its fields a template asks for. */
  const watched = (value: unknown, read: Set<string>): unknown => {
    if (typeof value !== 'object' || value === null) return value
    if (viewSet.has(value)) return new Proxy(value, reading(read))
    if (Array.isArray(value)) return value.map((item) => watched(item, read))
    if (Object.getPrototypeOf(value) !== Object.prototype) return value
    const copy: Record<string, unknown> = {}
    for (const [name, item] of Object.entries(value)) copy[name] = watched(item, read)
    return copy
  }

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
    let key = keyBy(before)
    fieldsNow.set(`site/${relative}`, before)
    if (stage) stagedPaths.push(relative)
    if (stage?.kept(relative, key)) {
      memoized.memo.keep('page', key)
      return
    }
    let html = memoized.memo.get<string>('page', key)
    if (html === undefined) {
      const read = new Set<string>()
      html = await templates.render(template, watched(await make(), read) as PageContext)
      rendered++
      const now = read.has('*') ? '*' : [...read].sort().join(' ')
      if (now !== before) {
        key = keyBy(now)
        fieldsNow.set(`site/${relative}`, now)
      }
      // A staged page is OUT's file, which the build's record links again by this key: the memo keeps no copy.
      if (!stage) memoized.memo.set('page', key, html)
    }
    if (stage) stage.put(relative, html, key)
    else outputs.set(relative, html)
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
    staged: stagedPaths,
    fields: fieldsNow
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
