/** Folders in tests: what one holds, for comparing whole outputs, and temporary ROOTs. */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {VFile} from 'vfile'
import {afterAll} from 'vitest'

/** Every file under `dir` (path relative to it, with `/`) with the sha256 of its bytes. */
export function fileHashes(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const relative of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[]) {
    const full = path.join(dir, relative)
    if (fs.statSync(full).isFile()) files.set(relative.split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(full)).digest('hex'))
  }
  return files
}

/**
 * A folder of temporary ROOTs holding the given files: `root(files)` makes
 * one (paths relative to it), `remove()` deletes every one it made.
 */
export function tempRoots(prefix: string): {root: (files: Record<string, string>) => string; remove: () => void} {
  const made: string[] = []
  return {
    root(files) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-${prefix}-`))
      made.push(dir)
      for (const [relative, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, relative)), {recursive: true})
        fs.writeFileSync(path.join(dir, relative), text)
      }
      return dir
    },
    remove() {
      for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
    }
  }
}

/** A file's messages as `line:column ruleId reason`, the form tests compare. */
export function messageLines(file: VFile): string[] {
  return file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)
}

/**
 * For a test file whose dates are its content's: SOURCE_DATE_EPOCH from
 * the environment (which would replace them) is unset until the file's
 * tests end, when it comes back and every folder `folder()` made is removed.
 */
export function contentDated(prefix: string): {folder: () => string} {
  const saved = process.env['SOURCE_DATE_EPOCH']
  delete process.env['SOURCE_DATE_EPOCH']
  const made: string[] = []
  afterAll(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
    if (saved !== undefined) process.env['SOURCE_DATE_EPOCH'] = saved
  })
  return {
    folder() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-${prefix}-`))
      made.push(dir)
      return dir
    }
  }
}
