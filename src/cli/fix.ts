/**
 * `check --fix`: rewrite posts in place where a repair keeps what the post
 * says (see `source/migrate.ts` for each rule and its edit), after copying each
 * original byte for byte to `ROOT/.cache/letterpress/backup/<time>/`.
 *
 * A rewritten post is UTF-8 with its mojibake repaired (the text every
 * other stage reads, see `source/encoding.ts`) and the edits applied at the
 * positions the parser gave.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {loadConfig} from '../source/config.js'
import {findPosts, loadPost} from '../source/load.js'
import {applyEdits, findMigrationProblems, type SourceEdit} from '../source/migrate.js'
import {createParser, parseFile} from '../source/parse.js'

/** What `fixPosts` changed in one post. */
export interface FixedPost {
  /** Relative to ROOT (`posts/x.md`). */
  file: string
  /** Where the original is, relative to ROOT. */
  backup: string
  /** How many repairs of each rule (`pymd-emphasis: 2`). */
  fixes: Record<string, number>
  /** Why the post could not be written (it is then as it was). */
  error?: string
}

/** A fix finds more only when an edit uncovers another: a few passes settle any post. */
const maxPasses = 3

/**
 * Repair every post under ROOT that needs it; posts with nothing to repair
 * (or whose bytes are no text) are left untouched. `now` names the backup
 * folder.
 */
export async function fixPosts(root: string, now = new Date()): Promise<FixedPost[]> {
  const {config} = await loadConfig(root)
  const parser = createParser()
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const fixed: FixedPost[] = []
  for (const relative of await findPosts(config.root, {exclude: [config.outDir, config.cacheDir]})) {
    const absolute = path.join(config.root, ...relative.split('/'))
    const bytes = await readFile(absolute)
    const loaded = await loadPost(config.root, relative, bytes)
    if (typeof loaded.value !== 'string') continue
    const fixes: Record<string, number> = {}
    const mojibake = loaded.data.encodingFixes?.length ?? 0
    if (mojibake > 0) fixes['encoding-mojibake'] = mojibake
    const text = await repair(loaded.value, relative, fixes)
    if (Object.keys(fixes).length === 0) continue
    // Written back as UTF-8, a file in another charset is converted too: say so.
    for (const message of loaded.messages) {
      if (message.ruleId === 'encoding-latin1' || message.ruleId === 'encoding-utf16') fixes[message.ruleId] = 1
    }

    const backup = path.join(config.cacheDir, 'letterpress', 'backup', stamp, ...relative.split('/'))
    const entry: FixedPost = {file: relative, backup: path.relative(config.root, backup).split(path.sep).join('/'), fixes}
    try {
      // The original is safe on disk before the post is touched; the post is replaced whole (rename), never half written.
      await mkdir(path.dirname(backup), {recursive: true})
      await writeFile(backup, bytes, {flag: 'wx'})
      const temporary = absolute + '.letterpress-fix'
      await writeFile(temporary, text)
      await rename(temporary, absolute)
    } catch (error) {
      entry.error = (error as Error).message
    }
    fixed.push(entry)
  }
  return fixed

  async function repair(original: string, relative: string, fixes: Record<string, number>): Promise<string> {
    let text = original
    for (let pass = 0; pass < maxPasses; pass++) {
      let tree
      try {
        tree = await parseFile(parser, new VFile({path: relative, value: text}))
      } catch {
        // Over a content limit: `check` reports it; nothing here to repair safely.
        return text
      }
      // A finding whose edits touch another's waits for the next pass, which parses the result afresh.
      const edits: SourceEdit[] = []
      for (const finding of findMigrationProblems(tree, text)) {
        if (finding.edits.length === 0) continue
        if (finding.edits.some((edit) => edits.some((other) => edit.start < other.end && other.start < edit.end))) continue
        edits.push(...finding.edits)
        fixes[finding.ruleId] = (fixes[finding.ruleId] ?? 0) + 1
      }
      if (edits.length === 0) break
      text = applyEdits(text, edits)
    }
    return text
  }
}

/** `posts/x.md: pymd-emphasis ×2, date-human (original in .cache/…/posts/x.md)`, one line per post. */
export function formatFixes(fixed: readonly FixedPost[]): string {
  return fixed
    .map((entry) => {
      if (entry.error !== undefined) return `could not fix ${entry.file}: ${entry.error}`
      const list = Object.entries(entry.fixes).map(([rule, count]) => (count > 1 ? `${rule} ×${count}` : rule))
      return `fixed ${entry.file}: ${list.join(', ')} (original in ${entry.backup})`
    })
    .join('\n')
}
