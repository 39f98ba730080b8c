/**
 * The search files of one render (see web/search.ts), kept by the memo and
 * OUT like pages are. Each post's text is worked out once per render of
 * its body (the memo keeps it under the post's render key, bucket
 * `search-text`) and each text file is keyed by that render key, so an
 * edit writes one text file again.
 * The index is brought up to date from the last build's (the memo keeps it
 * with the list of what it indexed): the posts that changed are taken out
 * and put back in, at a tenth of the cost of indexing the site anew.
 */
import type {Post} from '../source/post.js'
import {plainText} from '../render/plain-text.js'
import {buildSearchIndex, searchIndexFile, searchIndexPath, searchTextFile, searchTextPath, updateSearchIndex, type SearchDocument} from '../web/search.js'
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
  /** A post's body HTML, when its text is not in the memo. */
  bodyOf(post: Post): Promise<string>
  memoized?: {memo: Memo; web: string} | undefined
  stage?: SiteStage | undefined
  /** Where the files go without a stage, by path relative to the site. */
  outputs: Outputs
}

/** Write (or keep from OUT) the search index and every document's text file. */
export async function emitSearch(render: SearchRender): Promise<void> {
  const {entries, keys, memoized, stage, outputs} = render
  const memo = memoized?.memo
  const textOf = async (post: Post): Promise<string> => {
    const key = keys.get(post)
    const kept = key === undefined ? undefined : memo?.get<string>('search-text', key)
    if (typeof kept === 'string') return kept
    const text = plainText(await render.bodyOf(post), {withoutPermalinks: true})
    if (key !== undefined) memo?.set('search-text', key, text)
    return text
  }
  const documentOf = async ({post, view}: {post: Post; view: PostView}): Promise<SearchDocument> => ({url: view.url, title: view.title, text: await textOf(post)})
  const put = (relative: string, content: string, key: string | undefined) => {
    if (stage && key !== undefined) stage.put(relative, content, key)
    else outputs.set(relative, content)
  }

  // Every post's text file, unless OUT has it from the same render.
  for (const entry of entries) {
    const renderKey = keys.get(entry.post)
    const key = renderKey === undefined ? undefined : memoKey('search-text-file', searchFormat, entry.view.url, renderKey)
    const relative = searchTextPath(entry.view.url)
    if (key !== undefined && stage?.kept(relative, key)) {
      memo?.keep('search-text', renderKey!)
      continue
    }
    put(relative, searchTextFile(await documentOf(entry)), key)
  }

  const indexed: IndexedDocument[] | undefined = memo && entries.every((entry) => keys.has(entry.post))
    ? entries.map(({post, view}) => ({url: view.url, title: view.title, renderKey: keys.get(post)!}))
    : undefined
  if (!memoized || !indexed) {
    const documents: SearchDocument[] = []
    for (const entry of entries) documents.push(await documentOf(entry))
    put(searchIndexPath, searchIndexFile(buildSearchIndex(documents)), undefined)
    return
  }
  const indexKey = memoKey('search-index-file', searchFormat, memoized.web, indexed)
  const latestKey = memoKey('search-latest', searchFormat, memoized.web)
  if (stage?.kept(searchIndexPath, indexKey)) {
    memoized.memo.keep('search-index', latestKey)
    for (const entry of indexed) memoized.memo.keep('search-text', entry.renderKey)
    return
  }
  const json = await latestIndex(memoized.memo, latestKey, indexed, entries, documentOf)
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
  indexed: IndexedDocument[],
  entries: Array<{post: Post; view: PostView}>,
  documentOf: (entry: {post: Post; view: PostView}) => Promise<SearchDocument>
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
        json = removed.length + added.length === 0 ? latest.json : updateSearchIndex(latest.json, removed, added)
      } catch {
        // An index that does not hold what its list says is made anew.
      }
    }
  }
  if (json === undefined) {
    const documents: SearchDocument[] = []
    for (const entry of entries) documents.push(await documentOf(entry))
    json = buildSearchIndex(documents)
  }
  if (json !== latest?.json) memo.set('search-index', latestKey, {documents: indexed, json} satisfies LatestIndex)
  return json
}
