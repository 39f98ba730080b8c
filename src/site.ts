/**
 * Loads a whole ROOT: every post read, decoded, parsed once, its frontmatter
 * validated, turned into a `Post`, then every link and image resolved against
 * the rest of the site. Every problem of every file is collected, none thrown.
 */
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import type {ResolvedConfig} from './config.js'
import {readFrontmatter} from './frontmatter.js'
import {ContentLimitError, stackLimitError} from './guard.js'
import {findAssets, findPosts, loadPost} from './load.js'
import {createParser, parseFile, type Parser} from './parse.js'
import {createPost, isSafeSitePath, resolveCover, resolveReferences, type Post, type ResolvedReference} from './post.js'

/** Everything known about a site's content. */
export interface Site {
  config: ResolvedConfig
  /** Every post and page that parsed, drafts included, sorted newest first. */
  all: Post[]
  /** What gets published: `all` without drafts (unless `config.drafts`). */
  published: Post[]
  /** Every file with messages: posts, plus the config file. */
  files: VFile[]
  /** Every non-Markdown file under posts/, relative to posts/. */
  assets: string[]
  /** How each post's links and images resolved, by source path. */
  references: Map<string, ResolvedReference[]>
}

/** Options for `loadSite`. */
export interface LoadSiteOptions {
  /** Reuse a parser across runs (dev server). */
  parser?: Parser
}

/**
 * Load and validate every post under `config.postsDir`. Never throws for a
 * content problem: each becomes a message on its file.
 */
export async function loadSite(config: ResolvedConfig, options: LoadSiteOptions = {}): Promise<Site> {
  const parser = options.parser ?? createParser()
  const [sources, assets] = await Promise.all([findPosts(config.root), findAssets(config.root)])
  const files: VFile[] = []
  const all: Post[] = []

  for (const sourcePath of sources) {
    const file = await loadPost(config.root, sourcePath)
    files.push(file)
    if (file.messages.some((message) => message.fatal) && typeof file.value !== 'string') continue
    try {
      const tree = await parseFile(parser, file)
      const frontmatter = readFrontmatter(tree, file)
      all.push(createPost(tree, file, frontmatter, config))
    } catch (error) {
      // A post over a content limit (or too deep for the stack) is the
      // author's to fix: say where and why, without a stack trace.
      const limit = error instanceof ContentLimitError ? error : stackLimitError(error, 'parser')
      if (limit) {
        file.message(limit.reason, {
          place: {line: limit.line, column: limit.column},
          ruleId: limit.ruleId,
          source: 'letterpress'
        }).fatal = true
        continue
      }
      // A parser or plugin failure on one post must not take the others down.
      file.message(`Could not parse this post: ${(error as Error).message}`, {
        place: {line: 1, column: 1},
        ruleId: 'parse-failed',
        source: 'letterpress'
      }).fatal = true
    }
  }

  checkOutputPaths(all)

  const postIndex = new Map<string, Post>()
  for (const post of all) postIndex.set(post.sourcePath.replace(/^posts\//, ''), post)
  const assetSet = new Set(assets)
  const basePath = config.baseUrl ? new URL(config.baseUrl).pathname : '/'
  const references = new Map<string, ResolvedReference[]>()
  for (const post of all) {
    const index = {assets: assetSet, posts: postIndex}
    references.set(post.sourcePath, resolveReferences(post, index, basePath))
    const cover = resolveCover(post, index, basePath)
    if (cover) post.cover = cover
  }

  checkAnchorsAndAlt(all, postIndex, references)

  // Newest first; pages (no date) last, by title; ties broken by path so output is stable.
  all.sort(
    (a, b) =>
      (b.datetime ?? b.date ?? '').localeCompare(a.datetime ?? a.date ?? '') ||
      a.sourcePath.localeCompare(b.sourcePath)
  )
  const published = all.filter((post) => config.drafts || !post.draft)
  return {config, all, published, files, assets, references}
}

/**
 * Links to `#anchors` (in the same post or another post) must name a
 * heading or another id in that post; images need alt text for readers who
 * cannot see them. Both are warnings at the link or image.
 */
function checkAnchorsAndAlt(
  posts: Post[],
  postIndex: ReadonlyMap<string, Post>,
  references: ReadonlyMap<string, ResolvedReference[]>
): void {
  const idsOf = new Map<Post, Set<string>>()
  const ids = (post: Post) => {
    let set = idsOf.get(post)
    if (!set) {
      set = new Set(post.headings.map((heading) => heading.id))
      visit(post.tree, (node) => {
        const id = node.data?.hProperties?.['id'] ?? node.data?.attributes?.id
        if (typeof id === 'string') set!.add(id)
        // GFM footnotes render with these ids.
        if (node.type === 'footnoteDefinition') set!.add(`user-content-fn-${node.identifier.toLowerCase()}`)
        if (node.type === 'footnoteReference') set!.add(`user-content-fnref-${node.identifier.toLowerCase()}`)
      })
      idsOf.set(post, set)
    }
    return set
  }
  for (const post of posts) {
    for (const reference of references.get(post.sourcePath) ?? []) {
      const place = reference.line === undefined ? undefined : {line: reference.line, column: reference.column ?? 1}
      if (reference.kind === 'image' && reference.alt === '') {
        post.file.message(`Image \`${reference.original}\` has no alt text: describe it for readers who cannot see it`, {
          place,
          ruleId: 'image-alt-missing',
          source: 'letterpress'
        })
      }
      if (!reference.hash) continue
      const target = reference.target === 'anchor' ? post : reference.target === 'post' ? postIndex.get(reference.resolved!) : undefined
      if (!target || ids(target).has(reference.hash)) continue
      const where = target === post ? 'this post' : target.sourcePath
      post.file.message(`Link to \`#${reference.hash}\`: no heading or id with that name in ${where}`, {
        place,
        ruleId: 'anchor-missing',
        source: 'letterpress'
      })
    }
  }
}

/** Two posts with one URL, or a URL that would escape the site, are errors naming both files. */
function checkOutputPaths(posts: Post[]): void {
  const byUrl = new Map<string, Post>()
  for (const post of posts) {
    const slugPlace = post.frontmatter.positions?.slug ?? {line: 1, column: 1}
    if (!isSafeSitePath(post.url)) {
      post.file.message(`URL \`${post.url}\` would leave the site; use a slug of letters, digits and dashes`, {
        place: slugPlace,
        ruleId: 'permalink-unsafe',
        source: 'letterpress'
      }).fatal = true
      continue
    }
    const claimed = [post.url, ...post.frontmatter.aliases]
    for (const url of claimed) {
      const key = url.endsWith('/') ? url : url + '/'
      const other = byUrl.get(key)
      if (other && other !== post) {
        post.file.message(
          `Same URL \`${key}\` as ${other.sourcePath}: give one of them another \`slug:\``,
          {place: slugPlace, ruleId: 'slug-duplicate', source: 'letterpress'}
        ).fatal = true
        other.file.message(
          `Same URL \`${key}\` as ${post.sourcePath}: give one of them another \`slug:\``,
          {place: other.frontmatter.positions?.slug ?? {line: 1, column: 1}, ruleId: 'slug-duplicate', source: 'letterpress'}
        ).fatal = true
      } else byUrl.set(key, post)
    }
  }
}
