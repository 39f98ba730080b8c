/**
 * Related posts: for each post, the three that share the most tags (two
 * points each) and categories (one point), nearest in date first, then by
 * source path, so the choice is stable.
 */
import type {Post} from '../source/post.js'

/**
 * A function giving a post's related posts among `posts`.
 *
 * A big site shares each tag between thousands of posts, so every post
 * scores thousands of others: the scores are kept in typed arrays by the
 * posts' numbers (a `Map` per post, and `localeCompare` on ties, cost some
 * 9 s at 10,000 posts), and source paths are ranked once for the ties.
 */
export function createRelated(posts: Post[]): (post: Post) => Post[] {
  const count = posts.length
  const number = new Map<Post, number>()
  const time = new Float64Array(count)
  // Index posts by tag and category once: scoring then only visits posts that share one.
  const byTerm = new Map<string, number[]>()
  posts.forEach((post, at) => {
    number.set(post, at)
    time[at] = Date.parse(post.date ?? '1970-01-01')
    for (const term of [...post.tags.map((tag) => `t:${tag}`), ...post.categories.map((name) => `c:${name}`)]) {
      const list = byTerm.get(term)
      if (list) list.push(at)
      else byTerm.set(term, [at])
    }
  })
  const pathRank = rankPaths(posts)
  const scores = new Int32Array(count)
  /** The posts scored for the current post, in the order first met. */
  const met = new Int32Array(count)

  return (post) => {
    const own = number.get(post)
    if (own === undefined) return []
    let size = 0
    const add = (list: number[] | undefined, points: number) => {
      if (!list) return
      for (const other of list) {
        if (scores[other] === 0) met[size++] = other
        scores[other]! += points
      }
    }
    for (const tag of post.tags) add(byTerm.get(`t:${tag}`), 2)
    for (const category of post.categories) add(byTerm.get(`c:${category}`), 1)
    const anchor = time[own]!
    // As sort comparators go: below zero when `a` comes first.
    const before = (a: number, b: number) =>
      scores[b]! - scores[a]! || Math.abs(time[a]! - anchor) - Math.abs(time[b]! - anchor) || pathRank[a]! - pathRank[b]!
    // The best three in one pass, in the order the posts were first met, so an exact tie keeps the first.
    const best: number[] = []
    for (let at = 0; at < size; at++) {
      const candidate = met[at]!
      if (candidate === own) continue
      if (best.length === 3 && before(candidate, best[2]!) >= 0) continue
      let place = best.length
      while (place > 0 && before(candidate, best[place - 1]!) < 0) place--
      best.splice(place, 0, candidate)
      if (best.length > 3) best.pop()
    }
    for (let at = 0; at < size; at++) scores[met[at]!] = 0
    return best.map((at) => posts[at]!)
  }
}

/** Each post's place among the source paths in `localeCompare` order (equal places for paths it holds equal). */
function rankPaths(posts: Post[]): Int32Array {
  const order = posts.map((_, at) => at).sort((a, b) => posts[a]!.sourcePath.localeCompare(posts[b]!.sourcePath))
  const rank = new Int32Array(posts.length)
  order.forEach((at, place) => {
    const previous = order[place - 1]
    rank[at] = previous !== undefined && posts[previous]!.sourcePath.localeCompare(posts[at]!.sourcePath) === 0 ? rank[previous]! : place
  })
  return rank
}
