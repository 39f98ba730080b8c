/**
 * The site's search, made at build time and read by the browser from the
 * static files: a MiniSearch index of every published post's and page's
 * title and text (`search/index.js`), and each one's text on its own
 * (`search/text/HASH.js`), which the browser loads only for the results it
 * shows, to cut the excerpt around the match. Both are scripts that hand
 * their data to `letterpressSearch` (assets/search.js), so a site opened
 * from `file://` searches as well as a served one.
 *
 * An index can be made again from scratch, or brought up to date from the
 * last one: the posts that changed are removed as they were indexed and
 * added as they are, which at 1,000 posts costs a tenth of indexing anew.
 */
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import path from 'node:path'
import MiniSearch, {type Options} from 'minisearch'

/** One post or page as search knows it. */
export interface SearchDocument {
  /** Its site path (`/blog/posts/hello/`), which also names it in the index. */
  url: string
  title: string
  /** Its text, as plain text on one line. */
  text: string
}

/** MiniSearch's browser build, copied beside the theme's files for the browser to search with. */
export function searchAssets(): Array<{from: string; to: string}> {
  const require = createRequire(import.meta.url)
  const dist = path.dirname(path.dirname(require.resolve('minisearch')))
  return [{from: path.join(dist, 'umd', 'index.js'), to: 'assets/search/minisearch.js'}]
}

/** Where the search files go, relative to the site. */
export const searchIndexPath = 'search/index.js'

/** Where a document's text goes, relative to the site: named by a hash of its URL. */
export function searchTextPath(url: string): string {
  return `search/text/${textName(url)}.js`
}

/** The part of `searchTextPath` the browser works out from the index (the index stores it per document). */
function textName(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16)
}

/**
 * How documents are indexed: by title and text, keeping the title, URL and
 * text file's name to show a result. The browser ranks with the same
 * fields (a title match weighs five times a body match, see assets/search.js).
 */
const indexOptions: Options<SearchDocument> = {
  idField: 'url',
  fields: ['title', 'text'],
  storeFields: ['title', 'url', 'file'],
  extractField: (document, field) => (field === 'file' ? textName(document.url) : (document as unknown as Record<string, string>)[field]!)
}

/** A fresh index of `documents`, as JSON. */
export function buildSearchIndex(documents: Iterable<SearchDocument>): string {
  const index = new MiniSearch(indexOptions)
  for (const document of documents) index.add(document)
  return JSON.stringify(index)
}

/**
 * The index `json` with `removed` taken out (each exactly as it was
 * indexed) and `added` put in, as JSON.
 */
export function updateSearchIndex(json: string, removed: Iterable<SearchDocument>, added: Iterable<SearchDocument>): string {
  const index = MiniSearch.loadJSON(json, indexOptions)
  for (const document of removed) index.remove(document)
  for (const document of added) index.add(document)
  return JSON.stringify(index)
}

/** The file `searchIndexPath` holds: the index, handed to the script that searches. */
export function searchIndexFile(json: string): string {
  return `letterpressSearch.index(${json});\n`
}

/** The file `searchTextPath(document.url)` holds: the document's text. */
export function searchTextFile(document: SearchDocument): string {
  return `letterpressSearch.text(${scriptJson(document.url)},${scriptJson(document.text)});\n`
}

/** JSON as a script's literal (line and paragraph separators escaped, as older parsers want). */
function scriptJson(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}
