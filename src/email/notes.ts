/**
 * Editorial notes: the optional words around a month's posts, one Markdown
 * file per issue at `ROOT/issues/YYYY-MM.md`, parsed by the same parser as
 * the posts (so callouts, emoji, math and the rest work there too).
 *
 * ```markdown
 * ---
 * subject: "Shadow Traffic #2: registries, evals and a week on call"
 * preheader: Three posts about what happens after the model ships.
 * lead: evaluating-llm-features   # slug of the post shown in full, or `none`
 * ---
 * Hello again. This month ...            <- intro, before the posts
 *
 * <!-- posts -->
 *
 * See you in October.                    <- outro, after the posts
 * ```
 *
 * Without the `<!-- posts -->` marker the whole body is the intro. Every
 * frontmatter key is optional. Outside `posts/`, so a note is never a page
 * of the site, and one file per month is easy to find and to review.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Root, RootContent} from 'mdast'
import type {VFile} from 'vfile'
import {isMap, isScalar, LineCounter, parseDocument} from 'yaml'
import {ContentLimitError} from '../source/guard.js'
import {loadPost} from '../source/load.js'
import {parseFile, type Parser} from '../source/parse.js'
import {collectLinks, linkWhat, reportUnsafeRawHtmlUrls, reportUnsafeUrl} from '../source/post.js'

/** The folder under ROOT holding the notes. */
export const issueNotesFolder = 'issues'

/** One month's editorial note. */
export interface IssueNote {
  /** `YYYY-MM`, from the file name. */
  month: string
  /** The note's file (`issues/2026-09.md`), holding its messages. */
  file: VFile
  /** The whole parse. */
  tree: Root
  /** Top-level nodes before `<!-- posts -->` (frontmatter left out). */
  intro: RootContent[]
  /** Top-level nodes after it. */
  outro: RootContent[]
  /** `subject:`, replacing the one of `newsletter.subject` (by default the lead post's title). */
  subject: string | undefined
  /** `preheader:`, the inbox preview line. */
  preheader: string | undefined
  /** `lead:`, the slug of the post shown in full, or `none` for cards only. */
  lead: string | undefined
}

const monthFile = /^(\d{4})-(0[1-9]|1[0-2])\.md$/
const postsMarker = /^<!--\s*posts\s*-->$/i
const keys = ['subject', 'preheader', 'lead'] as const

/**
 * Read every note under `ROOT/issues/`. A missing folder is no notes; a
 * file whose name is not `YYYY-MM.md`, or a bad frontmatter value, is a
 * warning on that file (returned in `files` either way).
 */
export async function loadIssueNotes(root: string, parser: Parser): Promise<{notes: Map<string, IssueNote>; files: VFile[]}> {
  const notes = new Map<string, IssueNote>()
  const files: VFile[] = []
  let names: string[]
  try {
    names = (await fs.readdir(path.join(root, issueNotesFolder), {withFileTypes: true}))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => entry.name)
      .sort()
  } catch {
    return {notes, files}
  }
  for (const name of names) {
    const file = await loadPost(root, `${issueNotesFolder}/${name}`)
    files.push(file)
    const match = monthFile.exec(name)
    if (!match) {
      file.message(
        `Issue note \`${name}\` is not named after a month: name it \`YYYY-MM.md\` (e.g. \`2026-09.md\`)`,
        {place: {line: 1, column: 1}, ruleId: 'issue-note-name', source: 'letterpress'}
      )
      continue
    }
    if (typeof file.value !== 'string') continue
    let tree: Root
    try {
      tree = await parseFile(parser, file)
    } catch (error) {
      if (!(error instanceof ContentLimitError)) throw error
      file.message(error.reason, {place: {line: error.line, column: error.column}, ruleId: error.ruleId, source: 'letterpress'}).fatal = true
      continue
    }
    // A note is no post, so its URLs are checked here (the email drops those the URL policy refuses).
    for (const link of collectLinks(tree)) reportUnsafeUrl(file, link.url, linkWhat(link), link.position)
    reportUnsafeRawHtmlUrls(tree, file)
    notes.set(`${match[1]}-${match[2]}`, readNote(`${match[1]}-${match[2]}`, tree, file))
  }
  return {notes, files}
}

/** Split a parsed note into its parts and read its frontmatter (problems become messages on `file`). */
export function readNote(month: string, tree: Root, file: VFile): IssueNote {
  const body = tree.children.filter((node) => node.type !== 'yaml')
  const marker = body.findIndex((node) => node.type === 'html' && postsMarker.test(node.value.trim()))
  const note: IssueNote = {
    month,
    file,
    tree,
    intro: marker === -1 ? body : body.slice(0, marker),
    outro: marker === -1 ? [] : body.slice(marker + 1),
    subject: undefined,
    preheader: undefined,
    lead: undefined
  }
  const yamlNode = tree.children.find((node) => node.type === 'yaml')
  if (!yamlNode || yamlNode.type !== 'yaml') return note
  // The YAML starts on the line after the opening `---`.
  const firstLine = (yamlNode.position?.start.line ?? 1) + 1
  const lineCounter = new LineCounter()
  const document = parseDocument(yamlNode.value, {lineCounter})
  const place = (offset: number | undefined) => {
    const {line, col} = lineCounter.linePos(offset ?? 0)
    return {line: firstLine + line - 1, column: col}
  }
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    file.message(`Invalid YAML in the issue note: ${error.message.split('\n')[0]}`, {
      place: place(error.pos[0]),
      ruleId: 'issue-note-yaml',
      source: 'letterpress'
    })
    return note
  }
  if (!isMap(document.contents)) return note
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined
    if (!(keys as readonly string[]).includes(key)) {
      file.message(`Unknown key \`${key}\` in the issue note: use ${keys.map((name) => `\`${name}\``).join(', ')}`, {
        place: place(offset),
        ruleId: 'issue-note-key',
        source: 'letterpress'
      })
      continue
    }
    const value = isScalar(pair.value) ? pair.value.value : undefined
    if (typeof value !== 'string' || value.trim() === '') {
      file.message(`\`${key}\` in the issue note should be text`, {
        place: place(offset),
        ruleId: 'issue-note-key',
        source: 'letterpress'
      })
      continue
    }
    note[key as (typeof keys)[number]] = value.trim()
  }
  return note
}
