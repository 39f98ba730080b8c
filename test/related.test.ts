/**
 * Related posts, as a reader sees them under a post: the most shared tags
 * (two points) and categories (one point) first, then the nearest in date,
 * then by source path. Held over generated sites (fast-check) to the rule
 * written plainly, one post at a time, so the fast version picks the same
 * three posts in the same order, ties included.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {Post} from '../src/source/post.js'
import {createRelated} from '../src/web/related.js'

/** The rule, plainly: score every other post, sort, take three (a stable sort keeps the first met on an exact tie). */
function plainRelated(posts: Post[], post: Post): Post[] {
  const scores = new Map<Post, number>()
  for (const tag of post.tags) for (const other of posts) for (const theirs of other.tags) if (theirs === tag) scores.set(other, (scores.get(other) ?? 0) + 2)
  for (const name of post.categories) for (const other of posts) for (const theirs of other.categories) if (theirs === name) scores.set(other, (scores.get(other) ?? 0) + 1)
  scores.delete(post)
  const anchor = Date.parse(post.date ?? '1970-01-01')
  const distance = (other: Post) => Math.abs(Date.parse(other.date ?? '1970-01-01') - anchor)
  return [...scores]
    .sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || distance(a) - distance(b) || a.sourcePath.localeCompare(b.sourcePath))
    .slice(0, 3)
    .map(([other]) => other)
}

const site = fc
  .array(
    fc.record({
      tags: fc.array(fc.constantFrom('drift', 'latency', 'gpu', 'Drift', 'cache'), {maxLength: 3}),
      categories: fc.array(fc.constantFrom('ops', 'notes'), {maxLength: 2}),
      // Few dates, so posts tie on their distance; some posts undated (loading has turned every date into ISO form).
      date: fc.option(fc.constantFrom('2026-01-01', '2026-01-03', '2026-02-01', '2025-12-30', '2026-01-03T10:00:00Z'), {nil: undefined}),
      // Names that differ only in case or accents, which localeCompare orders apart from code points.
      name: fc.constantFrom('a', 'B', 'b', 'é', 'e', 'z', 'Z', 'ä')
    }),
    {maxLength: 30}
  )
  .map((entries) =>
    entries.map(
      (entry, at) =>
        ({sourcePath: `posts/${entry.name}-${at % 7}.md`, tags: entry.tags, categories: entry.categories, date: entry.date}) as unknown as Post
    )
  )

describe('related posts', () => {
  it('picks the same three, in the same order, as the rule written plainly', () => {
    fc.assert(
      fc.property(site, (posts) => {
        const related = createRelated(posts)
        for (const post of posts) {
          expect(related(post).map((other) => posts.indexOf(other))).toEqual(plainRelated(posts, post).map((other) => posts.indexOf(other)))
        }
      }),
      {numRuns: 400}
    )
  })

  it('prefers a shared tag over a shared category, and the nearer date on a tie', () => {
    const post = (sourcePath: string, date: string, tags: string[], categories: string[] = []) =>
      ({sourcePath, date, tags, categories}) as unknown as Post
    const self = post('posts/self.md', '2026-03-10', ['drift'], ['ops'])
    const byCategory = post('posts/category.md', '2026-03-10', [], ['ops'])
    const far = post('posts/far.md', '2025-01-01', ['drift'])
    const near = post('posts/near.md', '2026-03-09', ['drift'])
    const both = post('posts/both.md', '2020-01-01', ['drift'], ['ops'])
    const unrelated = post('posts/other.md', '2026-03-10', ['gpu'])
    const related = createRelated([self, byCategory, far, near, both, unrelated])
    expect(related(self)).toEqual([both, near, far])
    expect(related(unrelated)).toEqual([])
  })
})
