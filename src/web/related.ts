/**
 * Related posts: for each post, the three that share the most tags (two
 * points each) and categories (one point), nearest in date first, then by
 * source path, so the choice is stable.
 */
import type {Post} from '../source/post.js'

/** A function giving a post's related posts among `posts`. */
export function createRelated(posts: Post[]): (post: Post) => Post[] {
  // Index posts by tag and category once: scoring then only visits posts that share one.
  const byTerm = new Map<string, Post[]>()
  const time = new Map<Post, number>()
  for (const post of posts) {
    time.set(post, Date.parse(post.date ?? '1970-01-01'))
    for (const term of [...post.tags.map((tag) => `t:${tag}`), ...post.categories.map((name) => `c:${name}`)]) {
      const list = byTerm.get(term)
      if (list) list.push(post)
      else byTerm.set(term, [post])
    }
  }
  return (post) => {
    const scores = new Map<Post, number>()
    for (const tag of post.tags) {
      for (const other of byTerm.get(`t:${tag}`) ?? []) scores.set(other, (scores.get(other) ?? 0) + 2)
    }
    for (const category of post.categories) {
      for (const other of byTerm.get(`c:${category}`) ?? []) scores.set(other, (scores.get(other) ?? 0) + 1)
    }
    scores.delete(post)
    const anchor = time.get(post)!
    const before = ([a, scoreA]: [Post, number], [b, scoreB]: [Post, number]) =>
      scoreB - scoreA ||
      Math.abs(time.get(a)! - anchor) - Math.abs(time.get(b)! - anchor) ||
      a.sourcePath.localeCompare(b.sourcePath)
    // The best three in one pass: a big site shares a tag between thousands of posts, too many to sort per page.
    const best: Array<[Post, number]> = []
    for (const entry of scores) {
      if (best.length === 3 && before(entry, best[2]!) >= 0) continue
      let at = best.length
      while (at > 0 && before(entry, best[at - 1]!) < 0) at--
      best.splice(at, 0, entry)
      if (best.length > 3) best.pop()
    }
    return best.map(([other]) => other)
  }
}
