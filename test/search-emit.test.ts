/**
 * The search index made on another thread: it is given every document once,
 * as they are made, in the order of their URLs, and when that thread fails
 * on the way the index is made here instead, with nothing missing.
 */
import {describe, expect, it} from 'vitest'
import {emitSearch} from '../src/pipeline/search.js'
import type {Outputs} from '../src/pipeline/write.js'
import type {Post} from '../src/source/post.js'
import {buildSearchIndex, searchGroupCount, searchIndexFile, searchIndexPath, type SearchDocument, type SearchIndexer} from '../src/web/search.js'
import type {PostView} from '../src/web/views.js'

const documents: SearchDocument[] = [
  {url: '/posts/tides/', title: 'Tides', text: 'Spring tides and neap tides at the harbour.'},
  {url: '/posts/gulls/', title: 'Gulls', text: 'A gull took the sandwich off the harbour wall.'},
  {url: '/about/', title: 'About', text: 'Notes from a small harbour town.'},
  {url: '/posts/boats/', title: 'Boats', text: 'Rowing boats, a ferry and one tide table.'}
]

/** The site's search files, made from `documents` with `indexer` as the other thread. */
async function emit(indexer: (groups: number) => SearchIndexer): Promise<string> {
  // Posts are only keys here: search reads their views and their texts.
  const entries = documents.map((document) => ({post: {sourcePath: document.url} as unknown as Post, view: {url: document.url, title: document.title} as PostView}))
  const outputs: Outputs = new Map()
  await emitSearch({
    entries,
    keys: new Map(),
    texts: new Map(entries.map((entry, at) => [entry.post, documents[at]!.text])),
    bodyOf: () => Promise.reject(new Error('every text is given')),
    outputs,
    indexer
  })
  return outputs.get(searchIndexPath) as string
}

describe('the search index made on another thread', () => {
  const made = searchIndexFile(buildSearchIndex(documents, searchGroupCount(documents.length)))

  it('is given each document once, in the order of their URLs, and writes what it makes', async () => {
    const given: string[] = []
    const file = await emit((groups) => ({
      add: async (document) => void given.push(document.url),
      json: async () => buildSearchIndex(documents, groups)
    }))
    expect(given).toEqual(['/about/', '/posts/boats/', '/posts/gulls/', '/posts/tides/'])
    expect(file).toBe(made)
  })

  it('is made here, whole, when the other thread fails on the way', async () => {
    let added = 0
    const file = await emit(() => ({
      add: async () => void added++,
      json: async () => undefined
    }))
    expect(added).toBe(documents.length)
    expect(file).toBe(made)
  })
})
