/**
 * The web half of a render: every post rendered once, the views made from
 * what the site publishes, the site plan's pages rendered (reusing the memo
 * and OUT), then the search index, the feeds, sitemap, robots.txt,
 * `_redirects` and the assets. Pages go to the staging folder when there is one, else to
 * `outputs`.
 */
import path from 'node:path'
import type {Post} from '../source/post.js'
import {isScheduled, publishNow} from '../source/schedule.js'
import {loadedIndex, reloadPost, type Site} from '../source/site.js'
import {absoluteFor, sitePathFor} from '../source/urls.js'
import type {Parser} from '../source/parse.js'
import {feedFiles, feedPostsOf, issueFeedFile, redirectsFile, robotsFile, sitemapFile} from '../web/feeds.js'
import {planIssueFeed, planPost, planSearch, planSite, type SiteFacts, type WebIssue} from '../web/plan.js'
import {searchAssets} from '../web/search.js'
import {createRelated} from '../web/related.js'
import type {WebRenderer} from '../web/render.js'
import {collectTerms, postViewMaker, readCoverSizes, readSiteCard, siteViewOf, themeFilesOf} from '../web/site-views.js'
import type {Templates} from '../web/templates.js'
import type {PostView} from '../web/views.js'
import {bigSite, giveWay, step} from './instrument.js'
import type {MemoVersions} from './keys.js'
import {memoKey, type Memo} from './memo.js'
import {createPageEmitter, type PageEmitter, type PageRenderers, type SiteStage} from './pages.js'
import {emitSearch, type SearchRender} from './search.js'
import {memoizedRelated, renderPosts, renderWebPost, type RenderedPosts} from './render-posts.js'
import type {Outputs} from './write.js'
import type {RenderProgress} from './build-options.js'

/**
 * One saved post's page, rendered at once against the rest of the site as
 * the last render left it: what the dev server shows while the whole site
 * renders again. Its body and fields are the post's as saved; what other
 * posts say of it (lists, related posts, its neighbours) is the last
 * render's until the whole render is done.
 */
export interface PostPreview {
  /**
   * The post's pages by path relative to OUT (`site/...`); `undefined` when
   * only a whole render will do. `bytes`: the source as already read.
   */
  render(sourcePath: string, parser: Parser, bytes?: Uint8Array): Promise<Map<string, string> | undefined>
  /** Make now what every `render` reads of the site (its index of URLs and files), off a save's path. */
  prepare(): void
}

/** What `renderSite` did. */
export interface SiteRender {
  /** HTML pages, and how many of them were rendered (not from the memo or OUT). */
  pages: number
  rendered: number
  preview?: PostPreview
  /** With a memo: which fields of its post views each page read, by path relative to OUT. */
  fields?: Map<string, string>
}

/** Where `renderSite` puts pages and whether it keeps a preview. */
export interface SiteRenderOptions {
  stage?: SiteStage | undefined
  preview?: boolean
  pause?: (() => Promise<void>) | undefined
  /** Hears how many posts are rendered (`web`) and pages made (`pages`) of how many, and how many were reused. */
  onProgress?: ((progress: RenderProgress) => void) | undefined
  /** Other threads to render pages on (the render pool), for a staged build. */
  renderers?: PageRenderers | undefined
  /**
   * Makes the search index anew on another thread: then the index is made
   * while the pages render (`SearchRender.indexer`).
   */
  indexSearch?: SearchRender['indexer']
  /**
   * Called once the pages and the search index are made, before the feeds:
   * the threads they were made on may go, and their memory with them.
   */
  release?: (() => Promise<void>) | undefined
}

/** Render every page, feed and asset of the site into `outputs` (pages into the stage when there is one). */
export async function renderSite(
  site: Site,
  renderer: WebRenderer,
  templates: Templates,
  outputs: Outputs,
  issues: WebIssue[],
  memoized: (MemoVersions & {memo: Memo; fields?: ReadonlyMap<string, string> | undefined}) | undefined,
  {stage, preview: wantPreview, pause, onProgress, renderers, indexSearch, release}: SiteRenderOptions = {}
): Promise<SiteRender> {
  const {config} = site
  const absolute = absoluteFor(config)
  const inFeed = new Set(feedPostsOf(site))
  const renders = await renderPosts(site, renderer, absolute, inFeed, memoized, (done, total, reused) =>
    onProgress?.({step: 'web', done, total, reused})
  )
  step('post renders')
  const facts = await siteFacts(site, renders, issues, memoized?.memo)
  step('views')
  const emitter = createPageEmitter({
    templates,
    outputs,
    siteView: facts.siteView,
    views: facts.views.values(),
    memoized: memoized && {memo: memoized.memo, web: memoized.web, fields: memoized.fields},
    stage,
    pause,
    big: stage !== undefined && site.published.length >= bigSite(),
    renderers
  })
  const plan = planSite(facts)
  step('plan')
  const pagesDone = () => onProgress?.({step: 'pages', done: emitter.pages, total: plan.length, ...(memoized ? {reused: emitter.pages - emitter.rendered} : {})})
  const searched = planSearch(facts)
  const search = () =>
    searched &&
    emitSearch({
      entries: searched,
      keys: renders.keys,
      texts: renders.searchTexts,
      bodyOf: (post) => bodyOf(site, renders, post).html(),
      memoized: memoized && {memo: memoized.memo, web: memoized.web},
      stage,
      outputs,
      indexer: indexSearch,
      // Beside the pages, it gives way now and then, so that their batches keep the workers busy.
      pause: indexSearch ? (pause ?? giveWay) : pause
    })
  // With another thread to make the index on, it is made while the pages render.
  const searching = indexSearch ? search() : undefined
  // A failure is thrown where it is awaited, after the pages, not as an unhandled rejection before then.
  searching?.catch(() => undefined)
  try {
    for (const page of plan) {
      pagesDone()
      const post = page.kind === 'post' ? page.post : undefined
      await emitter.emit(page, post && bodyOf(site, renders, post))
    }
    await emitter.finish()
  } catch (error) {
    // The search files stop going to the staging folder before the build lets it go.
    await searching?.catch(() => undefined)
    throw error
  }
  pagesDone()
  step(emitter.renderedElsewhere > 0 ? `pages (${emitter.renderedElsewhere} rendered on the workers)` : 'pages')
  await (searching ?? search())
  step('search')
  await release?.()
  for (const [name, content] of feedFiles(config, facts.siteView, [...inFeed], facts.views, (post) => renders.rendered.get(post)!.feedHtml ?? '', absolute)) {
    outputs.set(name, content)
  }
  const issueFeed = planIssueFeed(facts)
  if (issueFeed !== undefined) {
    // Every issue whole: a feed worth keeping from OUT while no issue and nothing of the config changed.
    const key = memoized && memoKey('issue-feed', memoized.web, issues.map((issue) => [issue.summary, issue.webHtml, issue.emlHeaders?.date.getTime()]))
    const make = () => issueFeedFile(config, issues, absolute(`/${issueFeed}`), (month) => absolute(`/newsletter/${month}/`), absolute)
    if (!stage || key === undefined) outputs.set(issueFeed, make())
    else if (!stage.kept(issueFeed, key)) stage.put(issueFeed, make(), key)
  }
  step('feeds')
  outputs.set('sitemap.xml', sitemapFile([...outputs.keys(), ...emitter.staged], site, absolute))
  outputs.set('robots.txt', robotsFile(config, absolute))
  const redirects = redirectsFile(site, sitePathFor(config))
  if (redirects !== undefined) outputs.set('_redirects', redirects)
  copyAssets(site, renderer, outputs)
  step('sitemap and assets')
  const fields = memoized ? emitter.fields : undefined
  const done = {pages: emitter.pages, rendered: emitter.rendered, ...(fields ? {fields} : {})}
  if (!wantPreview) return done
  return {...done, preview: previewOf(site, renderer, facts, emitter, inFeed)}
}

/** A post page's body: its keys when it is memoized, and its HTML, from memory or the memo. */
function bodyOf(site: Site, renders: RenderedPosts, post: Post) {
  const render = renders.keys.get(post)
  const facts = site.facts.get(post)
  return {
    keys: render !== undefined && facts ? {post: facts.key, render} : undefined,
    html: () => (render === undefined ? Promise.resolve(renders.rendered.get(post)!.contentHtml) : renders.bodyOf(post))
  }
}

/** What the site plan is made from: the views of the site, its posts and terms, related posts, the issues. */
async function siteFacts(site: Site, renders: RenderedPosts, issues: WebIssue[], memo: Memo | undefined): Promise<SiteFacts & {viewOf: (post: Post, own: {excerptHtml: string; hasMore: boolean}) => PostView}> {
  const {config} = site
  const sitePath = sitePathFor(config)
  const posts = site.published.filter((post) => !post.page)
  const standalone = site.published.filter((post) => post.page)
  standalone.sort((a, b) => a.title.localeCompare(b.title))
  const tags = collectTerms(posts, (post) => post.tags, sitePath, 'tags')
  const categories = collectTerms(posts, (post) => post.categories, sitePath, 'categories')
  const viewOf = postViewMaker(config, {tags, categories}, await readCoverSizes(config, site.published))
  const views = new Map<Post, PostView>()
  for (const post of site.published) views.set(post, viewOf(post, renders.rendered.get(post)!))
  return {
    config,
    published: site.published,
    views,
    siteView: siteViewOf(config, posts, standalone, issues.length > 0),
    tags,
    categories,
    issues,
    related: memo ? memoizedRelated(posts, memo) : createRelated(posts),
    hasMath: (post) => renders.rendered.get(post)?.hasMath === true,
    siteCard: await readSiteCard(config),
    viewOf
  }
}

/** The posts' own files, then KaTeX's and the theme's. */
function copyAssets(site: Site, renderer: WebRenderer, outputs: Outputs): void {
  const {config} = site
  for (const asset of site.assets) outputs.set(asset, {copyFrom: path.join(config.postsDir, asset)})
  for (const asset of renderer.assets()) {
    if (!outputs.has(asset.to)) outputs.set(asset.to, {copyFrom: asset.from})
  }
  for (const file of themeFilesOf(config)) outputs.set(file.to, {copyFrom: file.from})
  if (config.search) for (const file of searchAssets()) outputs.set(file.to, {copyFrom: file.from})
}

/** A preview of one saved post, rendered against the site as this render left it. */
function previewOf(
  site: Site,
  renderer: WebRenderer,
  facts: SiteFacts & {viewOf: (post: Post, own: {excerptHtml: string; hasMore: boolean}) => PostView},
  emitter: PageEmitter,
  inFeed: Set<Post>
): PostPreview {
  const {config} = site
  const absolute = absoluteFor(config)
  return {
    prepare: () => void loadedIndex(site),
    async render(sourcePath, parser, bytes) {
      const old = site.published.find((post) => post.sourcePath === sourcePath)
      const reloaded = old && (await reloadPost(site, sourcePath, parser, bytes))
      // A post that moved, became a page or a draft, was dated after now or changed its aliases needs the whole render.
      if (!old || !reloaded || reloaded.post.url !== old.url || reloaded.post.page !== old.page ||
        reloaded.post.draft !== old.draft || reloaded.post.frontmatter.aliases.join('\n') !== old.frontmatter.aliases.join('\n') ||
        (!config.future && isScheduled(reloaded.post, publishNow(config)))) {
        return undefined
      }
      const fresh = reloaded.post
      const own = await renderWebPost(fresh, reloaded.facts, renderer, absolute, inFeed.has(old))
      const pages = planPost(facts, fresh, {standing: old, view: facts.viewOf(fresh, own), hasMath: own.hasMath})
      return emitter.capture(pages, {html: async () => own.contentHtml})
    }
  }
}
