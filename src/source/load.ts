/**
 * The load stage: find the posts and assets under ROOT/posts and read each
 * post into a `VFile` with its bytes decoded (see `encoding.ts`). One of the
 * few modules that touch the file system; it never throws for a content
 * problem, it adds messages to the file.
 */
import {readdir, readFile, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {charsetNames, decodePost, type EncodingFix} from './encoding.js'
import {isWithin} from './paths.js'

declare module 'vfile' {
  interface DataMap {
    /** Size of the file on disk, in bytes (set by `loadPost`). */
    bytes: number
    /** Every mojibake repair `loadPost` made, positions in the file as stored. */
    encodingFixes: EncodingFix[]
  }
}

/** `source` of every message letterpress adds. */
const source = 'letterpress'

/** Folder under ROOT that holds the posts. */
export const postsFolder = 'posts'

/**
 * Read one post into a `VFile`.
 *
 * `file.cwd` is `root`, `file.path` is `relPath` normalised, with `/` separators,
 * `file.value` the decoded text, `file.data.bytes` the size on disk and
 * `file.data.encodingFixes` every mojibake repair. Messages (rule ids):
 * `encoding-mojibake` (warning, one per line and charset, listing every
 * repair on it), `encoding-latin1` (warning, one per line), `encoding-utf16`
 * (warning), and the fatal ones `encoding-binary`, `file-unreadable` and
 * `path-outside-root`, after which `file.value` is left unset (there is no
 * text to parse). `known` are the file's bytes when the caller has read them already.
 */
export async function loadPost(root: string, relPath: string, known?: Uint8Array): Promise<VFile> {
  const absolute = path.resolve(root, relPath)
  const fromRoot = path.relative(path.resolve(root), absolute)
  // ROOT itself is not a post either.
  const outside = fromRoot === '' || !isWithin(root, absolute)
  const file = new VFile({cwd: root, path: (outside ? relPath : fromRoot).split(path.sep).join('/')})
  file.data.bytes = 0
  file.data.encodingFixes = []
  if (outside) {
    fatal(file, `Path \`${relPath}\` is outside the root folder`, 'path-outside-root')
    return file
  }

  let bytes: Uint8Array
  try {
    bytes = known ?? (await readFile(absolute))
  } catch (error) {
    fatal(file, `Cannot read this file: ${describeError(error)}`, 'file-unreadable')
    return file
  }
  const text = decodeFile(bytes, file)
  if (text !== undefined) file.value = text
  return file
}

/**
 * Decode the bytes of `file` (see `decodePost`) and add the messages
 * `loadPost` documents to it; also sets `file.data.bytes` and
 * `file.data.encodingFixes`. Returns the text, or `undefined` when the bytes
 * are not text (a fatal `encoding-binary` message says so). For callers that
 * read the bytes themselves (`render -`).
 */
export function decodeFile(bytes: Uint8Array, file: VFile): string | undefined {
  file.data.bytes = bytes.length
  const decoded = decodePost(bytes)
  const problem = decoded.problem
  file.data.encodingFixes = decoded.fixes
  if (problem?.fatal) {
    fatal(file, problem.reason, problem.ruleId)
    return undefined
  }

  if (problem?.ruleId === 'encoding-latin1' && problem.bytes) {
    // One warning per line: a Windows-1252 file would otherwise give one
    // per accented letter.
    const byLine = groupBy(problem.bytes, (item) => String(item.line))
    for (const items of byLine.values()) {
      const first = items[0]!
      const list = items.map((item) => `0x${item.byte.toString(16).toUpperCase().padStart(2, '0')} as ${show(item.char)}`)
      message(
        file,
        `Not valid UTF-8: read ${list.join(', ')} (Windows-1252); save the file as UTF-8`,
        {line: first.line, column: first.column},
        problem.ruleId
      )
    }
  } else if (problem) {
    message(file, problem.reason, {line: 1, column: 1}, problem.ruleId)
  }

  const byLine = groupBy(decoded.fixes, (fix) => `${fix.line}:${fix.charset}`)
  for (const fixes of byLine.values()) {
    const first = fixes[0]!
    const warning = message(
      file,
      `Repaired mojibake ${describeFixes(fixes)} (UTF-8 read as ${charsetNames[first.charset]})`,
      {line: first.line, column: first.column},
      'encoding-mojibake'
    )
    if (fixes.length === 1) {
      warning.actual = first.original
      warning.expected = [first.replacement]
    }
  }
  return decoded.text
}

/**
 * `‚Äô -> ’, üìú -> 📜`; a repair repeated on the line is listed once with
 * its count, so five apostrophes stay readable.
 */
function describeFixes(fixes: EncodingFix[]): string {
  const counts = new Map<string, number>()
  for (const fix of fixes) {
    const key = `${show(fix.original)} -> ${show(fix.replacement)}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([text, count]) => (count > 1 ? `${text} ×${count}` : text)).join(', ')
}

/** Make invisible characters (U+F8FF, C1 controls, NBSP) visible in a message. */
function show(text: string): string {
  return text.replace(/[\p{C}\p{Z}]/gu, (char) =>
    char === ' ' ? char : `<U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`
  )
}

/** Why `findContent` skipped a folder or link. */
export type SkipKind = 'unreadable-folder' | 'broken-link' | 'link-loop' | 'link-outside-root' | 'link-into-output'

/** Options for `findContent` and `findPosts`. */
export interface FindOptions {
  /**
   * Called for each folder or link that was skipped because it could not be
   * read, loops back, or points outside ROOT (path relative to ROOT), with
   * a reason for people and its kind.
   */
  onSkip?: (relPath: string, reason: string, kind: SkipKind) => void
  /**
   * Folders never read, even through a link (absolute paths; OUT, so a
   * build never publishes its own previous output).
   */
  exclude?: string[]
  /** The content folder relative to ROOT, `/` separators (default `posts`; an MkDocs project's `docs`). */
  folder?: string
  /**
   * Sub-folder of the content folder whose Markdown files are posts
   * (`blog/posts`); Markdown elsewhere in it is neither post nor asset.
   * Default `''`: every Markdown file is a post.
   */
  postsUnder?: string
}

/** What `findContent` found under ROOT/posts. */
export interface Content {
  /** Markdown files, relative to ROOT (`posts/2026/08/x.md`). */
  posts: string[]
  /** Every other file, relative to the posts folder (`assets/x.png`). */
  assets: string[]
}

/**
 * Every file under `ROOT/posts` in one walk, split into posts (`*.md`, any
 * case) and assets; both sorted by code point, with `/` separators.
 *
 * Skips dot-files and dot-folders (so `.DS_Store` stays home),
 * `node_modules` and the `exclude` folders. Follows symbolic links that
 * stay inside ROOT, each real folder at most once (so link loops end);
 * links, to files as to folders, that point outside ROOT, into an
 * `exclude` folder or to nothing, and links that loop (to themselves, to a
 * folder already read, or to a folder holding posts/) are skipped and
 * reported to `onSkip` (see `refusedLink`), as are folders that cannot be
 * read. A missing posts folder gives nothing.
 */
export async function findContent(root: string, options: FindOptions = {}): Promise<Content> {
  const folder = options.folder ?? postsFolder
  const under = options.postsUnder ? options.postsUnder + '/' : ''
  const files = await walk(root, folder, options)
  return {
    posts: files.filter((file) => isMarkdown(file) && file.startsWith(under)).map((file) => `${folder}/${file}`),
    assets: files.filter((file) => !isMarkdown(file))
  }
}

/**
 * Every Markdown file under `ROOT/posts`, relative to ROOT with `/`
 * separators (`posts/2026/08/x.md`), sorted. See `findContent`.
 */
export async function findPosts(root: string, options: FindOptions = {}): Promise<string[]> {
  return (await findContent(root, options)).posts
}

function isMarkdown(file: string): boolean {
  return file.toLowerCase().endsWith('.md')
}

/** Every file under ROOT/`folder`, relative to it, sorted by code point. */
async function walk(root: string, folder: string, options: FindOptions): Promise<string[]> {
  const base = path.join(root, ...folder.split('/'))
  let rootReal: string
  let baseReal: string
  try {
    rootReal = await realpath(root)
    baseReal = await realpath(base)
  } catch {
    return []
  }
  // Each real folder read, with the path it was first read under (for messages).
  const seen = new Map<string, string>([[baseReal, folder]])
  const excluded: string[] = []
  for (const folder of options.exclude ?? []) {
    try {
      excluded.push(await realpath(folder))
    } catch {
      // A folder that does not exist cannot be reached either.
    }
  }
  const found: string[] = []
  const skip = (rel: string, reason: string, kind: SkipKind) =>
    options.onSkip?.(rel ? `${folder}/${rel}` : folder, reason, kind)

  async function visit(dir: string, rel: string): Promise<void> {
    let entries
    try {
      entries = await readdir(dir, {withFileTypes: true})
    } catch (error) {
      skip(rel, `Cannot read this folder: ${describeError(error)}; the posts and files in it are left out`, 'unreadable-folder')
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const childRel = rel ? `${rel}/${entry.name}` : entry.name
      const child = path.join(dir, entry.name)
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        let real: string
        try {
          real = await realpath(child)
          const target = await stat(real)
          isDirectory = target.isDirectory()
          isFile = target.isFile()
        } catch (error) {
          if ((error as NodeJS.ErrnoException | undefined)?.code === 'ELOOP') {
            skip(childRel, 'Skipped this symbolic link: it leads back to itself in a loop', 'link-loop')
          } else {
            skip(childRel, `Skipped this symbolic link: its target cannot be read (${describeError(error)})`, 'broken-link')
          }
          continue
        }
        const refused = refusedLink(real, isDirectory, {rootReal, baseReal, excluded})
        if (refused) {
          skip(childRel, `Skipped this symbolic link: ${refused.reason}`, refused.kind)
          continue
        }
        if (isDirectory) {
          const first = seen.get(real)
          if (first !== undefined) {
            skip(childRel, `Skipped this symbolic link: it leads to \`${first}\`, read already (a loop, or a second way to the same folder)`, 'link-loop')
            continue
          }
          seen.set(real, `${folder}/${childRel}`)
        }
      } else if (isDirectory) {
        // A real folder reached again through a link is visited only once.
        let real: string
        try {
          real = await realpath(child)
        } catch {
          real = child
        }
        // The output folder placed under posts/ is not content.
        if (seen.has(real) || excluded.some((folder) => isWithin(folder, real))) continue
        seen.set(real, `${folder}/${childRel}`)
      }
      if (isDirectory) await visit(child, childRel)
      else if (isFile) found.push(childRel)
    }
  }

  await visit(base, '')
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * Why a symbolic link under ROOT's sources whose target is `real` (a real
 * path) is not followed, or `undefined` when it is; the one rule for links
 * to files and to folders, for the build and the dev server's watch: never
 * outside ROOT (nothing else is published), never into an excluded folder
 * (OUT, the cache), never to a folder holding posts/ (a loop). All paths
 * are real paths (`realpath`).
 */
export function refusedLink(
  real: string,
  isDirectory: boolean,
  places: {rootReal: string; baseReal: string; excluded: readonly string[]}
): {reason: string; kind: SkipKind} | undefined {
  if (!isWithin(places.rootReal, real)) {
    return {reason: 'it leads outside the site root, which is never published', kind: 'link-outside-root'}
  }
  if (places.excluded.some((folder) => isWithin(folder, real))) {
    return {reason: 'it leads into the output folder or the cache, which are never published', kind: 'link-into-output'}
  }
  if (isDirectory && isWithin(real, places.baseReal)) {
    return {reason: 'it leads to a folder that holds posts/ (a loop)', kind: 'link-loop'}
  }
  return undefined
}

/** A file-system error in words (`permission denied`), for messages; else its code. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a folder'
  if (code === 'ENOTDIR') return 'part of the path is a file, not a folder'
  if (code === 'ENAMETOOLONG') return 'the path is too long for the file system'
  if (code === 'ENOSPC') return 'no space left on the device'
  if (code === 'EROFS') return 'the file system is read-only'
  return code ?? (error instanceof Error ? error.message : String(error))
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const name = key(item)
    const group = groups.get(name)
    if (group) group.push(item)
    else groups.set(name, [item])
  }
  return groups
}

function message(
  file: VFile,
  reason: string,
  place: {line: number; column: number},
  ruleId: string
): VFileMessage {
  return file.message(reason, {place, ruleId, source})
}

function fatal(file: VFile, reason: string, ruleId: string): void {
  message(file, reason, {line: 1, column: 1}, ruleId).fatal = true
}
