/** What a folder holds, for comparing whole outputs. */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Every file under `dir` (path relative to it, with `/`) with the sha256 of its bytes. */
export function fileHashes(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const relative of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[]) {
    const full = path.join(dir, relative)
    if (fs.statSync(full).isFile()) files.set(relative.split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(full)).digest('hex'))
  }
  return files
}
