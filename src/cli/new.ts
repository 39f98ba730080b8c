/**
 * `letterpress new "Title"`: a draft post with its frontmatter, dated
 * today, in the folder layout the site's posts already use.
 */
import slugify from '@sindresorhus/slugify'
import fs from 'node:fs/promises'
import path from 'node:path'
import {loadConfig} from '../source/config.js'
import {localDate} from '../source/dates.js'
import {describeError, findPosts, postsFolder} from '../source/load.js'

/** Options for `newPost`. */
export interface NewPostOptions {
  /** ROOT (must exist). */
  root: string
  title: string
  /** The day to date the post (default: now); its local calendar date is used. */
  now?: Date
}

/** What `newPost` wrote. */
export interface NewPostResult {
  /** Absolute path of the new file. */
  file: string
  /** Relative to ROOT, `/` separators (`posts/2026/11/my-post.md`). */
  sourcePath: string
  slug: string
  /** `YYYY-MM-DD`. */
  date: string
}

/**
 * Why no post was written. `usage` problems (no title, no ROOT, a file that
 * cannot be written) exit 2; `exists` (the file, or another post with the
 * slug) exits 1.
 */
export class NewPostError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'exists'
  ) {
    super(message)
  }
}

/**
 * How posts are filed under posts/: by year and month
 * (`2026/11/slug.md`, the default), by year, by day, or flat; with or
 * without a `2026-11-27-` date prefix on the file name.
 */
export interface PostLayout {
  folders: 'year-month' | 'year' | 'year-month-day' | 'flat'
  datePrefix: boolean
}

/**
 * Write a new draft post to ROOT/posts and return where. Never overwrites:
 * an existing file, or another post with the same file-name slug, is a
 * `NewPostError`.
 */
export async function newPost(options: NewPostOptions): Promise<NewPostResult> {
  const title = options.title.replace(/\s+/g, ' ').trim()
  if (title === '') throw new NewPostError('a title is required: letterpress new "My post"', 'usage')
  const slug = shortenSlug(slugify(title, {decamelize: false}))
  if (slug === '') {
    throw new NewPostError(`cannot make a file name from the title ${JSON.stringify(title)}: use some letters or digits`, 'usage')
  }
  const root = path.resolve(options.root)
  try {
    if (!(await fs.stat(root)).isDirectory()) throw new Error('not a folder')
  } catch {
    throw new NewPostError(`no such folder: ${root}`, 'usage')
  }

  const date = localDate(options.now ?? new Date())
  // An MkDocs project's posts are under docs_dir/blog/posts, not posts/.
  const {config} = await loadConfig(root)
  const folder = config.postsUnder ? `${config.contentFolder}/${config.postsUnder}` : config.contentFolder
  const existing = await findPosts(root, {folder: config.contentFolder, postsUnder: config.postsUnder})
  const layout = detectLayout(existing, await flatDatedPosts(root, existing, folder), folder)
  const sourcePath = `${folder}/${postPath(layout, date, slug)}`

  const clash = existing.find((other) => fileSlug(other) === slug)
  if (clash !== undefined && clash.toLowerCase() !== sourcePath.toLowerCase()) {
    throw new NewPostError(`${clash} already has the slug \`${slug}\`; choose another title (or rename that post)`, 'exists')
  }

  const file = path.join(root, ...sourcePath.split('/'))
  try {
    await fs.mkdir(path.dirname(file), {recursive: true})
    await fs.writeFile(file, postText(title, date), {flag: 'wx'})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new NewPostError(`${sourcePath} already exists; edit it, or choose another title`, 'exists')
    }
    throw new NewPostError(`cannot write ${sourcePath}: ${describeError(error)}`, 'usage')
  }
  return {file, sourcePath, slug, date}
}

/** The longest slug `new` makes from a title, in characters. */
export const maxSlugLength = 80

/**
 * A slug of at most `maxSlugLength` characters, cut after the last whole
 * word that fits (one word longer than that is cut inside). The slugify
 * package has no length option, and a long title must still give a file
 * name every file system takes.
 */
export function shortenSlug(slug: string, max = maxSlugLength): string {
  if (slug.length <= max) return slug
  const cut = slug.lastIndexOf('-', max)
  return (cut > 0 ? slug.slice(0, cut) : slug.slice(0, max)).replace(/-+$/, '')
}

/** The new post's text: frontmatter and a first line to write over. */
export function postText(title: string, date: string): string {
  // A JSON string is a YAML double-quoted scalar: safe for any colon, quote, `#` or leading symbol.
  return (
    '---\n' +
    `title: ${JSON.stringify(title)}\n` +
    `date: ${date}\n` +
    'draft: true\n' +
    'tags: []\n' +
    '---\n\n' +
    'Start with the sentence you want on the home page and in the newsletter: the first paragraph is the excerpt.\n'
  )
}

/**
 * The layout most dated posts use (`posts` are paths relative to ROOT).
 * Flat posts count only when `flatDated` says they are dated posts (not
 * pages such as about.md). Ties and an empty site give year-month.
 */
export function detectLayout(posts: readonly string[], flatDated: ReadonlySet<string> = new Set(), folder = postsFolder): PostLayout {
  const votes = new Map<PostLayout['folders'], number>()
  let prefixed = 0
  let counted = 0
  for (const post of posts) {
    const relative = post.slice(folder.length + 1)
    const folders = shape(relative)
    if (folders === undefined || (folders === 'flat' && !flatDated.has(post))) continue
    votes.set(folders, (votes.get(folders) ?? 0) + 1)
    counted++
    if (/^\d{4}-\d{2}-\d{2}-/.test(relative.split('/').at(-1) ?? '')) prefixed++
  }
  let folders: PostLayout['folders'] = 'year-month'
  for (const [candidate, count] of votes) {
    if (count > (votes.get(folders) ?? 0)) folders = candidate
  }
  return {folders, datePrefix: counted > 0 && prefixed * 2 > counted}
}

/** Where a post dated `date` goes under posts/ in `layout`. */
export function postPath(layout: PostLayout, date: string, slug: string): string {
  const [year, month, day] = date.split('-') as [string, string, string]
  const name = `${layout.datePrefix ? `${date}-` : ''}${slug}.md`
  switch (layout.folders) {
    case 'year':
      return `${year}/${name}`
    case 'year-month-day':
      return `${year}/${month}/${day}/${name}`
    case 'flat':
      return name
    default:
      return `${year}/${month}/${name}`
  }
}

function shape(relative: string): PostLayout['folders'] | undefined {
  if (/^\d{4}\/\d{2}\/\d{2}\/[^/]+$/.test(relative)) return 'year-month-day'
  if (/^\d{4}\/\d{2}\/[^/]+$/.test(relative)) return 'year-month'
  if (/^\d{4}\/[^/]+$/.test(relative)) return 'year'
  if (/^[^/]+$/.test(relative)) return 'flat'
  return undefined
}

/** The slug a post gets from its file name (as post.ts derives it when there is no `slug:`). */
function fileSlug(sourcePath: string): string {
  const base = path.posix.basename(sourcePath).replace(/\.md$/i, '')
  return slugify(base.replace(/^\d{4}-\d{2}-\d{2}-/, ''), {decamelize: false})
}

/** Posts directly in posts/ whose frontmatter has a date and is not a page. */
async function flatDatedPosts(root: string, posts: readonly string[], folder: string): Promise<Set<string>> {
  const dated = new Set<string>()
  for (const post of posts) {
    if (shape(post.slice(folder.length + 1)) !== 'flat') continue
    let head: string
    try {
      const handle = await fs.open(path.join(root, post))
      try {
        const {buffer, bytesRead} = await handle.read(Buffer.alloc(4096), 0, 4096, 0)
        head = buffer.subarray(0, bytesRead).toString('utf8')
      } finally {
        await handle.close()
      }
    } catch {
      continue
    }
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(head)?.[1] ?? ''
    if (/^date\s*:/m.test(frontmatter) && !/^page\s*:\s*(true|yes|on)\b/im.test(frontmatter)) dated.add(post)
  }
  return dated
}
