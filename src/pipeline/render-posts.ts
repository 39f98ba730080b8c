/**
 * Every published post rendered for the web once per build, reused by every
 * page and feed that shows it and by later builds while its memo key holds.
 * A body taken from the memo stays there until its post's own page is
 * rendered again; one rendered now is held in memory up to a budget, past
 * which (a big site) it too is read back when its page needs it, so memory
 * does not grow with every post's HTML.
 */
import type {Post} from '../source/post.js'
import type {PostFacts, Site} from '../source/site.js'
import {renderPostForWeb, type WebPost, type WebRenderExtras} from '../web/post.js'
import {isSearched} from '../web/plan.js'
import {createRelated} from '../web/related.js'
import type {WebRenderer} from '../web/render.js'
import {bodyBudget} from './instrument.js'
import {renderKey, type MemoVersions} from './keys.js'
import {memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from './memo.js'

/** One post rendered for the web, as pages and feeds show it and as the memo keeps it. */
export interface RenderedPost extends WebPost {
  /** What rendering said about the post (restored on the post's file when the render is reused). */
  messages: StoredMessage[]
}

/** Render one post for the web, with the messages that gave (kept so a reuse can say them again). */
export async function renderWebPost(
  post: Post,
  facts: PostFacts | undefined,
  renderer: WebRenderer,
  absolute: (url: string) => string,
  inFeed: boolean,
  extras: WebRenderExtras = {}
): Promise<RenderedPost & {searchText?: string}> {
  const before = post.file.messages.length
  const web = await renderPostForWeb(post, renderer, absolute, inFeed, facts?.hasMath, extras)
  return {...web, messages: storeMessages(post.file, before)}
}

/**
 * Keep a post's web render in the memo, as two entries under its key: the
 * body (bucket `body`), read back only when the post's own page is rendered
 * again, and the rest (`render`: excerpt, feed entry, messages), which every
 * build reads. At 1,000 posts that is 5 MB read instead of 25 MB.
 */
export function memoizeRender(memo: Memo, key: string, own: RenderedPost): void {
  memo.set('body', key, own.contentHtml)
  memo.set('render', key, {...own, contentHtml: ''})
}

/** The posts' renders of one build. */
export interface RenderedPosts {
  /** Each published post's render (its `contentHtml` empty when the body stays in the memo). */
  rendered: Map<Post, RenderedPost>
  /** The memo key each post was rendered under. */
  keys: Map<Post, string>
  /** A post's body, from memory or from the memo. */
  bodyOf(post: Post): Promise<string>
  /** The text search finds each post rendered here by (read from its body's tree), for the posts search finds. */
  searchTexts: Map<Post, string>
}

/** Render (or take from the memo) every published post of `site`; `inFeed` are the feeds' posts. */
export async function renderPosts(
  site: Site,
  renderer: WebRenderer,
  absolute: (url: string) => string,
  inFeed: Set<Post>,
  memoized: (MemoVersions & {memo: Memo}) | undefined,
  onPost?: (done: number, total: number, reused: number) => void
): Promise<RenderedPosts> {
  const rendered = new Map<Post, RenderedPost>()
  const keys = new Map<Post, string>()
  let held = 0
  const budget = bodyBudget()
  const bodyKeys = new Map<Post, string>()
  const searchTexts = new Map<Post, string>()
  let reused = 0
  for (const post of site.published) {
    onPost?.(rendered.size, site.published.length, reused)
    const key = memoized ? renderKey(site, post, inFeed.has(post), memoized) : undefined
    let own = key ? memoized!.memo.get<RenderedPost>('render', key) : undefined
    if (own && key) {
      reused++
      restoreMessages(post.file, own.messages)
      if (own.hasMath) renderer.noteMath()
      memoized!.memo.keep('body', key)
      bodyKeys.set(post, key)
    } else {
      const {searchText, ...render} = await renderWebPost(post, site.facts.get(post), renderer, absolute, inFeed.has(post), {
        searchText: isSearched(site.config, post)
      })
      own = render
      if (searchText !== undefined) searchTexts.set(post, searchText)
      if (key) memoizeRender(memoized!.memo, key, own)
      if (key && held + own.contentHtml.length > budget && memoized!.memo.has('body', key)) {
        bodyKeys.set(post, key)
        own = {...own, contentHtml: ''}
      } else held += own.contentHtml.length
    }
    rendered.set(post, own)
    if (key) keys.set(post, key)
  }
  onPost?.(rendered.size, site.published.length, reused)
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
  return {rendered, keys, bodyOf, searchTexts}
}

/**
 * `createRelated`, with every post's choice kept in the memo under the tags,
 * categories and dates of all posts (all it depends on): an edit that
 * changes none of them does not score the whole site again.
 */
export function memoizedRelated(posts: Post[], memo: Memo): (post: Post) => Post[] {
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
