/**
 * The search index brought up to date after an edit must be, byte for byte,
 * the index made anew from the documents as they are now (a build from the
 * cache writes what a build without one writes), whether the update edits
 * the index in place (the same URLs, texts changed) or goes through
 * MiniSearch (posts added or removed).
 */
import fc from 'fast-check'
import MiniSearch from 'minisearch'
import {describe, expect, it} from 'vitest'
import {buildSearchIndex, updateSearchIndex, type SearchDocument} from '../src/web/search.js'

/** Words from a small vocabulary (so edits share, add and drop terms), with case and punctuation. */
const words = ['tide', 'Tide', 'rock', 'gull', 'quillwort', 'harbour', 'boat', 'weed', 'élan', 'naïve', 'x', '42']
const text = fc.array(fc.constantFrom(...words, ',', '.', ' — ', '  '), {maxLength: 30}).map((parts) => parts.join(' '))
const documents = fc.uniqueArray(fc.record({url: fc.stringMatching(/^\/[a-z]{1,6}\/$/), title: text, text}), {
  selector: (document) => document.url,
  minLength: 1,
  maxLength: 12
})

describe('the search index made anew', () => {
  it('is the same bytes whatever order its documents come in', () => {
    const byUrl = (a: SearchDocument, b: SearchDocument) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)
    fc.assert(
      fc.property(documents, fc.constantFrom(1, 2, 4), (given, groups) => {
        // In the order of their URLs each keeps the number MiniSearch gave it; in any other, they are numbered again.
        const sorted = buildSearchIndex([...given].sort(byUrl), groups)
        expect(buildSearchIndex([...given].reverse(), groups)).toBe(sorted)
        expect(buildSearchIndex(given, groups)).toBe(sorted)
      }),
      {numRuns: 200}
    )
  })
})

describe('the search index brought up to date', () => {
  it('equals the index made anew when posts are edited in place', () => {
    fc.assert(
      fc.property(documents, fc.array(fc.tuple(fc.nat(), text, text), {minLength: 1, maxLength: 4}), fc.constantFrom(1, 2, 4), (before, edits, groups) => {
        const after = before.map((document) => ({...document}))
        const changed = new Set<number>()
        for (const [at, title, body] of edits) {
          const index = at % after.length
          after[index] = {url: after[index]!.url, title, text: body}
          changed.add(index)
        }
        const removed = [...changed].map((index) => before[index]!)
        const added = [...changed].map((index) => after[index]!)
        expect(updateSearchIndex(buildSearchIndex(before, groups), groups, removed, added)).toBe(buildSearchIndex(after, groups))
      }),
      {numRuns: 200}
    )
  })

  it('equals the index made anew when posts are added and removed', () => {
    fc.assert(
      fc.property(documents, documents, (before, extra) => {
        const removed = before.filter((_, at) => at % 2 === 1)
        const kept = before.filter((_, at) => at % 2 === 0)
        const added = extra.filter((document) => !kept.some((other) => other.url === document.url))
        const after = [...kept, ...added]
        fc.pre(after.length > 0)
        expect(updateSearchIndex(buildSearchIndex(before, 2), 2, removed, added)).toBe(buildSearchIndex(after, 2))
      }),
      {numRuns: 100}
    )
  })

  it('finds a word an edit brought in, and no longer the word it took out', () => {
    const before: SearchDocument[] = [
      {url: '/a/', title: 'Tidepools', text: 'Rocks and weed at low tide.'},
      {url: '/b/', title: 'Harbour', text: 'Boats and a marmalade sandwich.'}
    ]
    const edited = {url: '/b/', title: 'Harbour', text: 'Boats and a quillwort.'}
    const json = updateSearchIndex(buildSearchIndex(before, 1), 1, [before[1]!], [edited])
    const index = MiniSearch.loadJSON<SearchDocument>(json, {idField: 'url', fields: ['title', 'text'], storeFields: ['title', 'url', 'group']})
    expect(index.search('quillwort').map((result) => result.id)).toEqual(['/b/'])
    expect(index.search('marmalade')).toEqual([])
    expect(index.search('boats').map((result) => result.id)).toEqual(['/b/'])
  })
})
