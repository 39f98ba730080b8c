/**
 * The site's search, made at build time and read by the browser from the
 * static files: a MiniSearch index of every published post's and page's
 * title and text (`search/index.js`), and their texts in small groups
 * (`search/text/N.js`, some eight documents each, grouped by a hash of
 * their URL so a document stays in its group), which the browser loads only
 * for the results it shows, to cut the excerpt around the match. Groups,
 * not a file per document: every file of OUT costs a build something, and
 * at 1,000 posts a thousand files cost an edited build a quarter more. Both are scripts that hand
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

/** How many text groups `count` documents go in: about eight documents to a group, a power of two. */
export function searchGroupCount(count: number): number {
  let groups = 1
  while (groups * 8 < count) groups *= 2
  return groups
}

/** The text group of the document at `url`, of `groups` (see `searchGroupCount`). */
export function searchGroupOf(url: string, groups: number): number {
  return createHash('sha256').update(url).digest().readUInt32BE(0) % groups
}

/** Where a text group goes, relative to the site. */
export function searchTextPath(group: number): string {
  return `search/text/${group}.js`
}

/** Whether `relative` (a path under OUT/site) is the index or a text group: data the search box reads when used, not a page's subresource. */
export function isSearchData(relative: string): boolean {
  return relative === searchIndexPath || relative.startsWith('search/text/')
}

/**
 * How documents are indexed: by title and text, keeping the title, URL and
 * text group to show a result. The browser ranks with the same fields (a
 * title match weighs five times a body match, see assets/search.js).
 */
function indexOptions(groups: number): Options<SearchDocument> {
  return {
    idField: 'url',
    fields: ['title', 'text'],
    storeFields: ['title', 'url', 'group'],
    extractField: (document, field) => (field === 'group' ? searchGroupOf(document.url, groups) : (document as unknown as Record<string, string>)[field]!)
  }
}

/**
 * An index made anew one document at a time, so that nothing need hold
 * every text at once (at 10,000 posts the texts are some 150 MB). `json`
 * is `undefined` when the index could not be made where it was being made
 * (another thread that failed): then it is made again here.
 */
export interface SearchIndexer {
  add(document: SearchDocument): void | Promise<void>
  json(): string | undefined | Promise<string | undefined>
}

/** A fresh index, texts in `groups` groups, made on this thread (see `SearchIndexer`). */
export function createSearchIndexer(groups: number): {add(document: SearchDocument): void; json(): string} {
  const index = new MiniSearch(indexOptions(groups))
  return {
    add: (document) => index.add(document),
    json: () => canonicalJson(index)
  }
}

/** A fresh index of `documents`, texts in `groups` groups, as JSON. */
export function buildSearchIndex(documents: Iterable<SearchDocument>, groups: number): string {
  const indexer = createSearchIndexer(groups)
  for (const document of documents) indexer.add(document)
  return indexer.json()
}

/**
 * The index `json` (of the same number of groups) with `removed` taken out
 * (each exactly as it was indexed) and `added` put in, as JSON.
 */
export function updateSearchIndex(json: string, groups: number, removed: Iterable<SearchDocument>, added: Iterable<SearchDocument>): string {
  const gone = [...removed]
  const come = [...added]
  const edited = editedInPlace(json, groups, gone, come)
  if (edited !== undefined) return edited
  const index = MiniSearch.loadJSON(json, indexOptions(groups))
  for (const document of gone) index.remove(document)
  for (const document of come) index.add(document)
  return canonicalJson(index)
}

/** The fields MiniSearch indexes, as `indexOptions` names them. */
const indexedFields = ['title', 'text'] as const

/**
 * The usual update, posts edited where they are (each removed document put
 * back at its URL), done on the index's JSON itself: every document keeps
 * its number, so only the terms of the edited documents change, where
 * MiniSearch would load the whole index, renumber it and write it out
 * (a fifth of an edited build's time at 1,000 posts). The result is what
 * `canonicalJson` makes of the same documents, byte for byte; `undefined`
 * when the documents were not merely edited, or the index does not hold
 * what the removed documents say it does (then MiniSearch does it).
 */
function editedInPlace(json: string, groups: number, removed: SearchDocument[], added: SearchDocument[]): string | undefined {
  const before = new Map(removed.map((document) => [document.url, document]))
  if (before.size !== removed.length || added.length !== removed.length || !added.every((document) => before.has(document.url))) return undefined
  let js: IndexJson
  try {
    js = JSON.parse(json) as IndexJson
  } catch {
    return undefined
  }
  const numbers = new Map(Object.entries(js.documentIds).map(([number, url]) => [url, number]))
  const terms = new Map(js.index.map((entry) => [entry[0], entry]))
  const created: IndexJson['index'] = []
  let emptied = false
  for (const document of added) {
    const number = numbers.get(document.url)
    if (number === undefined) return undefined
    const lengths: number[] = []
    for (const field of indexedFields) {
      const fieldId = js.fieldIds[field]
      if (fieldId === undefined) return undefined
      const old = fieldTerms(before.get(document.url)![field])
      const now = fieldTerms(document[field])
      lengths[fieldId] = now.length
      for (const term of new Set([...old.counts.keys(), ...now.counts.keys()])) {
        const frequency = now.counts.get(term) ?? 0
        if (frequency === (old.counts.get(term) ?? 0)) continue
        let entry = terms.get(term)
        if (!entry) {
          if (frequency === 0) return undefined
          entry = [term, {}]
          terms.set(term, entry)
          created.push(entry)
        }
        const postings = (entry[1][fieldId] ??= {})
        if (frequency > 0) postings[number] = frequency
        else {
          if (!Object.hasOwn(postings, number)) return undefined
          delete postings[number]
          if (Object.keys(postings).length === 0) delete entry[1][fieldId]
          if (Object.keys(entry[1]).length === 0) emptied = true
        }
      }
    }
    js.fieldLength[number] = lengths
    js.storedFields[number] = {title: document.title, url: document.url, group: searchGroupOf(document.url, groups)}
  }
  if (created.length > 0 || emptied) {
    const used = (entry: IndexJson['index'][number]) => Object.keys(entry[1]).length > 0
    js.index = mergeSorted(js.index.filter(used), created.filter(used).sort(byTerm))
  }
  // Summed again in the order of the documents' numbers, as `canonicalJson` does.
  const averages: number[] = []
  for (let at = 0; at < js.documentCount; at++) {
    for (const [field, length] of (js.fieldLength[at] ?? []).entries()) averages[field] = ((averages[field] ?? 0) * at + (length ?? 0)) / (at + 1)
  }
  if (averages.length > 0) js.averageFieldLength = averages
  return JSON.stringify(js)
}

/** A field's terms as MiniSearch indexes them (its default tokenizer and term processing), and its length (its distinct tokens). */
function fieldTerms(value: string): {counts: Map<string, number>; length: number} {
  const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[]
  const processTerm = MiniSearch.getDefault('processTerm') as (term: string) => string | null | undefined | false
  const tokens = tokenize(String(value))
  const counts = new Map<string, number>()
  for (const token of tokens) {
    const term = processTerm(token)
    if (term) counts.set(term, (counts.get(term) ?? 0) + 1)
  }
  return {counts, length: new Set(tokens).size}
}

function byTerm([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Two lists of index entries, each sorted by term, as one sorted list. */
function mergeSorted(left: IndexJson['index'], right: IndexJson['index']): IndexJson['index'] {
  const merged: IndexJson['index'] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (j === right.length || (i < left.length && byTerm(left[i]!, right[j]!) <= 0)) merged.push(left[i++]!)
    else merged.push(right[j++]!)
  }
  return merged
}

/** MiniSearch's serialised form (version 2), as far as `canonicalJson` reads and writes it. */
interface IndexJson {
  documentCount: number
  nextId: number
  documentIds: Record<string, string>
  fieldIds: Record<string, number>
  fieldLength: Record<string, number[]>
  averageFieldLength: number[]
  storedFields: Record<string, unknown>
  dirtCount: number
  index: Array<[string, Record<string, Record<string, number>>]>
  serializationVersion: number
}

/**
 * The index as JSON in one form for one set of documents, however it was
 * made: MiniSearch's own JSON follows the history of the index (short ids
 * in the order documents were added, terms in the order first seen, the
 * average field lengths summed in that order, removed ids counted as dirt),
 * so an index brought up to date would not be byte for byte the one a
 * build without a cache makes. Here documents are numbered in the order of
 * their ids, terms sorted, and the averages summed again in that order.
 */
function canonicalJson(index: MiniSearch<SearchDocument>): string {
  const js = index.toJSON() as unknown as IndexJson
  const order = Object.entries(js.documentIds).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
  const renumbered = new Map(order.map(([shortId], at) => [shortId, at]))
  const documentIds: Record<string, string> = {}
  const fieldLength: Record<string, number[]> = {}
  const storedFields: Record<string, unknown> = {}
  const averageFieldLength: number[] = []
  for (const [shortId, id] of order) {
    const at = renumbered.get(shortId)!
    documentIds[at] = id
    const lengths = js.fieldLength[shortId] ?? []
    fieldLength[at] = lengths
    if (js.storedFields[shortId] !== undefined) storedFields[at] = js.storedFields[shortId]
    // As MiniSearch sums them when documents are added one by one.
    for (const [field, length] of lengths.entries()) averageFieldLength[field] = ((averageFieldLength[field] ?? 0) * at + (length ?? 0)) / (at + 1)
  }
  // Documents added in the order of their ids (as a build adds them) keep their numbers: then each term's
  // postings are already as they are written (integer keys come out in ascending order), and are not copied.
  const numbered = order.every(([shortId], at) => shortId === String(at))
  const terms: IndexJson['index'] = []
  for (const [term, fields] of js.index) {
    if (numbered) {
      const kept = Object.entries(fields).filter(([, frequencies]) => hasKeys(frequencies))
      if (kept.length > 0) terms.push([term, kept.length === Object.keys(fields).length ? fields : Object.fromEntries(kept)])
      continue
    }
    const data: Record<string, Record<string, number>> = {}
    for (const [field, frequencies] of Object.entries(fields)) {
      const kept: Record<string, number> = {}
      const entries: Array<[number, number]> = []
      for (const [shortId, frequency] of Object.entries(frequencies)) {
        const at = renumbered.get(shortId)
        if (at !== undefined) entries.push([at, frequency])
      }
      for (const [at, frequency] of entries.sort((a, b) => a[0] - b[0])) kept[at] = frequency
      if (entries.length > 0) data[field] = kept
    }
    if (Object.keys(data).length > 0) terms.push([term, data])
  }
  terms.sort(byTerm)
  return JSON.stringify({
    documentCount: order.length,
    nextId: order.length,
    documentIds,
    fieldIds: js.fieldIds,
    fieldLength,
    averageFieldLength: averageFieldLength.length > 0 ? averageFieldLength : js.averageFieldLength,
    storedFields,
    dirtCount: 0,
    index: terms,
    serializationVersion: js.serializationVersion
  } satisfies IndexJson)
}

/** Whether `object` has a key of its own (without listing them all). */
function hasKeys(object: object): boolean {
  for (const name in object) if (Object.hasOwn(object, name)) return true
  return false
}

/** The file `searchIndexPath` holds: the index, handed to the script that searches. */
export function searchIndexFile(json: string): string {
  return `letterpressSearch.index(${json});\n`
}

/** The file `searchTextPath(group)` holds: its documents' texts by URL. */
export function searchTextFile(documents: SearchDocument[]): string {
  return `letterpressSearch.texts({${documents.map((document) => `${scriptJson(document.url)}:${scriptJson(document.text)}`).join(',\n')}});\n`
}

/** JSON as a script's literal (line and paragraph separators escaped, as older parsers want). */
function scriptJson(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}
