/**
 * The write stage: a finished set of output files goes to disk all at once.
 * Everything is written into a fresh sibling folder first and swapped into
 * place only when complete, so a failed or interrupted build never leaves a
 * half-written OUT (the previous one stays byte for byte).
 */
import {readdirSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {ResolvedConfig} from './config.js'

/** Marker that says a folder is letterpress output and may be replaced. */
export const outMarker = '.letterpress-out'
export const outMarkerText = 'This folder is written by letterpress and replaced whole on every build.\n'

/** Why OUT cannot be used (not a content problem). */
export class OutDirError extends Error {}

/**
 * Refuse to replace a folder that letterpress did not make, or one that
 * holds the site's own sources.
 */
export function guardOutDir(config: ResolvedConfig): void {
  const out = config.outDir
  const relative = path.relative(out, config.root)
  if (relative === '' || !relative.startsWith('..')) {
    throw new OutDirError(`the output folder ${out} contains the site root; choose another --out`)
  }
  let entries: string[]
  try {
    entries = readdirSync(out)
  } catch {
    return
  }
  if (entries.length > 0 && !entries.includes(outMarker)) {
    throw new OutDirError(
      `${out} exists, is not empty and was not made by letterpress; remove it or choose another --out`
    )
  }
}

/** Mark OUT as letterpress output (after writing part of it, as `issue` does). */
export async function markOutDir(config: ResolvedConfig): Promise<void> {
  await fs.writeFile(path.join(config.outDir, outMarker), outMarkerText)
}

/** One output file: its bytes, or a file to copy. */
export type OutputContent = string | Uint8Array | {copyFrom: string}

/** Output files by path relative to the folder being written (`/` separators). */
export type Outputs = Map<string, OutputContent>

/**
 * Whether `relative` stays inside its folder once joined: no absolute paths,
 * no `..` segments, no NUL or backslashes.
 */
export function isInside(relative: string): boolean {
  if (relative === '' || relative.startsWith('/') || /[\\\0]/.test(relative)) return false
  return !relative.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')
}

/**
 * Write `outputs` as the complete new contents of `target` (a folder).
 * Other folders next to `target` are not touched; `target` is replaced whole.
 */
export async function writeTree(target: string, outputs: Outputs): Promise<void> {
  const parent = path.dirname(target)
  await fs.mkdir(parent, {recursive: true})
  await removeStale(parent, path.basename(target))
  const staging = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.new-`))
  try {
    const folders = new Set<string>()
    for (const relative of outputs.keys()) {
      if (!isInside(relative)) throw new Error(`refusing to write outside the output folder: ${relative}`)
      folders.add(path.dirname(path.join(staging, relative)))
    }
    for (const folder of [...folders].sort()) await fs.mkdir(folder, {recursive: true})
    await writeAll(staging, outputs)
    await swap(staging, target)
  } catch (error) {
    await fs.rm(staging, {recursive: true, force: true})
    throw error
  }
}

/**
 * Remove what an interrupted earlier write left beside `name`: its
 * staging folder (`.name.new-*`) and a replaced folder not yet deleted.
 */
async function removeStale(parent: string, name: string): Promise<void> {
  const prefix = `.${name}.new-`
  for (const entry of await fs.readdir(parent)) {
    if (entry.startsWith(prefix)) await fs.rm(path.join(parent, entry), {recursive: true, force: true})
  }
}

async function writeAll(staging: string, outputs: Outputs): Promise<void> {
  const entries = [...outputs]
  // A bounded number of writes in flight: fast, without exhausting file handles.
  const width = 32
  let next = 0
  async function worker(): Promise<void> {
    while (next < entries.length) {
      const [relative, content] = entries[next++]!
      const destination = path.join(staging, relative)
      if (typeof content === 'object' && 'copyFrom' in content) {
        await fs.copyFile(content.copyFrom, destination)
      } else {
        await fs.writeFile(destination, content)
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(width, entries.length)}, worker))
}

/** Replace `target` with `staging`: rename aside, rename in, then remove the old one. */
async function swap(staging: string, target: string): Promise<void> {
  const old = `${staging}.old`
  let hadOld = false
  try {
    await fs.rename(target, old)
    hadOld = true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  try {
    await fs.rename(staging, target)
  } catch (error) {
    if (hadOld) await fs.rename(old, target)
    throw error
  }
  if (hadOld) await fs.rm(old, {recursive: true, force: true})
}
