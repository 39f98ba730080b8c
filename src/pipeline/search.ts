/**
 * The search files of one render (see web/search.ts), kept by the memo and
 * OUT like pages are. Each post's text is worked out once per render of
 * its body (the memo keeps it under the post's render key, bucket
 * `search-text`) and each group of texts is keyed by its documents'
 * render keys, so an edit writes one group again.
 * The index is brought up to date from the last build's (the memo keeps it
 * with the list of what it indexed): the posts that changed are taken out
 * and put back in, at a tenth of the cost of indexing the site anew.
 */
import type {Post} from '../source/post.js'
import {plainText} from '../render/plain-text.js'
import {createSearchIndexer, searchGroupCount, searchGroupOf, searchIndexFile, searchIndexPath, searchTextFile, searchTextPath, updateSearchIndex, type SearchDocument, type SearchIndexer} from '../web/search.js'
import type {PostView} from '../web/views.js'
import {memoKey, type Memo} from './memo.js'
import type {SiteStage} from './pages.js'
import type {Outputs} from './write.js'

/** Bumped when what the search files hold changes shape. */
const searchFormat = 1

/** A document as the last index holds it: its URL and title, and its post's render key (which names its text in the memo). */
interface IndexedDocument {
  url: string
  title: string
  renderKey: string
}

/** The last index the memo keeps, with what it indexed. */
interface LatestIndex {
  documents: IndexedDocument[]
  json: string
}

/** What `emitSearch` works with. */
export interface SearchRender {
  /** The posts and pages search finds, with their views (`planSearch`). */
  entries: Array<{post: Post; view: PostView}>
  /** Each post's render key (none without a memo). */
  keys: Map<Post, string>
  /** Texts made with this build's renders (`RenderedPosts.searchTexts`). */
  texts?: ReadonlyMap<Post, string>
  /** A post's body HTML, when its text is neither made nor in the memo. */
  bodyOf(post: Post): Promise<string>
  memoized?: {memo: Memo; web: string} | undefined
  stage?: SiteStage | undefined
  /** Where the files go without a stage, by path relative to the site. */
  outputs: Outputs
  /**
   * Given way to between groups of work, so that work going on beside this
   * (pages sent to the workers) keeps flowing.
   */
  pause?: (() => Promise<void>) | undefined
  /**
   * Makes an index anew on another thread, given its documents one by one
   * as they are made; here when not given, or when that thread fails.
   */
  indexer?: ((groups: number) => SearchIndexer) | undefined
}

/** What search reads of a post: its body's words, without the headings' permalink marks. */
export function searchTextOf(bodyHtml: string): string {
  return plainText(bodyHtml, {withoutPermalinks: true})
}

/** Write (or keep from OUT) the search index and every group of texts. */
export async function emitSearch(render: SearchRender): Promise<void> {
  const {entries, keys, memoized, stage, outputs} = render
  const memo = memoized?.memo
  const textOf = async (post: Post): Promise<string> => {
    const key = keys.get(post)
    const kept = key === undefined ? undefined : memo?.get<string>('search-text', key)
    if (typeof kept === 'string') return kept
    const text = render.texts?.get(post) ?? searchTextOf(await render.bodyOf(post))
    if (key !== undefined) memo?.set('search-text', key, text)
    return text
  }
  let made = 0
  const documentOf = async ({post, view}: {post: Post; view: PostView}): Promise<SearchDocument> => {
    if (render.pause && ++made % 100 === 0) await render.pause()
    return {url: view.url, title: view.title, text: await textOf(post)}
  }
  const put = (relative: string, content: string, key: string | undefined) => {
    if (stage && key !== undefined) stage.put(relative, content, key)
    else outputs.set(relative, content)
  }

  // Every group of texts, unless OUT has it from the same renders.
  const groups = searchGroupCount(entries.length)
  const members = new Map<number, Array<{post: Post; view: PostView}>>()
  for (const entry of entries) {
    const group = searchGroupOf(entry.view.url, groups)
    members.set(group, [...(members.get(group) ?? []), entry])
  }
  for (const [group, those] of [...members].sort((a, b) => a[0] - b[0])) {
    const renderKeys = those.map((entry) => keys.get(entry.post))
    const key = renderKeys.every((each) => each !== undefined)
      ? memoKey('search-text-file', searchFormat, those.map((entry) => entry.view.url), renderKeys)
      : undefined
    const relative = searchTextPath(group)
    if (key !== undefined && stage?.kept(relative, key)) {
      for (const each of renderKeys) memo?.keep('search-text', each!)
      continue
    }
    const documents: SearchDocument[] = []
    for (const entry of those) documents.push(await documentOf(entry))
    put(relative, searchTextFile(documents), key)
  }

  /**
   * The index made anew of every entry, its documents made as it takes them (no list of every text is held), in
   * the order of their URLs: the order the index numbers them in, so its JSON is written without renumbering.
   */
  const indexAnew = async (): Promise<string> => {
    const byUrl = [...entries].sort((a, b) => (a.view.url < b.view.url ? -1 : a.view.url > b.view.url ? 1 : 0))
    const indexWith = async (indexer: SearchIndexer) => {
      for (const entry of byUrl) await indexer.add(await documentOf(entry))
      return indexer.json()
    }
    const elsewhere = render.indexer && (await indexWith(render.indexer(groups)))
    return elsewhere ?? (await indexWith(createSearchIndexer(groups)))!
  }

  const indexed: IndexedDocument[] | undefined = memo && entries.every((entry) => keys.has(entry.post))
    ? entries.map(({post, view}) => ({url: view.url, title: view.title, renderKey: keys.get(post)!}))
    : undefined
  if (!memoized || !indexed) {
    put(searchIndexPath, searchIndexFile(await indexAnew()), undefined)
    return
  }
  const indexKey = memoKey('search-index-file', searchFormat, memoized.web, indexed)
  const latestKey = memoKey('search-latest', searchFormat, memoized.web, groups)
  if (stage?.kept(searchIndexPath, indexKey)) {
    memoized.memo.keep('search-index', latestKey)
    for (const entry of indexed) memoized.memo.keep('search-text', entry.renderKey)
    return
  }
  const json = await latestIndex(memoized.memo, latestKey, groups, indexed, entries, documentOf, indexAnew)
  put(searchIndexPath, searchIndexFile(json), indexKey)
}

/**
 * The index of `indexed`: the memo's last one as it is when it indexed the
 * same, brought up to date when it indexed others, made anew without one
 * (or when a text it indexed is gone from the memo). Kept as the latest.
 */
async function latestIndex(
  memo: Memo,
  latestKey: string,
  groups: number,
  indexed: IndexedDocument[],
  entries: Array<{post: Post; view: PostView}>,
  documentOf: (entry: {post: Post; view: PostView}) => Promise<SearchDocument>,
  indexAnew: () => Promise<string>
): Promise<string> {
  const name = (document: IndexedDocument) => `${document.url}\0${document.title}\0${document.renderKey}`
  const latest = memo.get<LatestIndex>('search-index', latestKey)
  const now = new Set(indexed.map(name))
  let json: string | undefined
  if (latest && typeof latest.json === 'string' && Array.isArray(latest.documents)) {
    const before = new Set(latest.documents.map(name))
    const removed: SearchDocument[] = []
    for (const document of latest.documents) {
      if (now.has(name(document))) continue
      const text = memo.get<string>('search-text', document.renderKey)
      if (typeof text !== 'string') break
      removed.push({url: document.url, title: document.title, text})
    }
    if (removed.length === latest.documents.filter((document) => !now.has(name(document))).length) {
      const added: SearchDocument[] = []
      for (const [at, document] of indexed.entries()) {
        if (before.has(name(document))) memo.keep('search-text', document.renderKey)
        else added.push(await documentOf(entries[at]!))
      }
      try {
        json = removed.length + added.length === 0 ? latest.json : updateSearchIndex(latest.json, groups, removed, added)
      } catch {
        // An index that does not hold what its list says is made anew.
      }
    }
  }
  json ??= await indexAnew()
  if (json !== latest?.json) memo.replace('search-index', latestKey, {documents: indexed, json} satisfies LatestIndex)
  return json
}
