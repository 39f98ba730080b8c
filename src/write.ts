/**
 * The write stage: a finished set of output files goes to disk all at once.
 * Everything is written into a sibling folder first (fresh, or the OUT the
 * last build replaced, see `StagingOptions.spare`) and swapped into
 * place only when complete, so a failed or interrupted build never leaves a
 * half-written OUT (the previous one stays byte for byte).
 */
import {createHash} from 'node:crypto'
import {linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
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
  recoverInterruptedSwap(path.dirname(out), path.basename(out))
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
  try {
    await fs.writeFile(path.join(config.outDir, outMarker), outMarkerText)
  } catch (error) {
    throw writeError(config.outDir, error)
  }
}

/** One output file: its bytes, or a file to copy. */
export type OutputContent = string | Uint8Array | {copyFrom: string}

/** Output files by path relative to the folder being written (`/` separators). */
export type Outputs = Map<string, OutputContent>

/** An output written into the staging folder as soon as it was rendered (`Staging.put`): its SHA-1, hex. */
export interface StagedOutput {
  staged: string
  /** Not written: OUT holds it byte for byte, to be linked into the staging folder when it is written. */
  fromOut?: true
  /** The memo key it was rendered from (kept in the build record, so the next build can link it unread). */
  key?: string
}

/** What `writeTree` writes: outputs in memory, and outputs already staged. */
export type WriteContent = OutputContent | StagedOutput

/** The hash outputs are compared by (SHA-1, hex). */
export function contentHash(content: string | Uint8Array): string {
  return createHash('sha1').update(content).digest('hex')
}

/**
 * The folder a build's outputs go into before they replace OUT, opened
 * before rendering so that outputs can be written as they are made instead
 * of all being held in memory (a big site's pages). `writeTree` then adds
 * the rest and swaps it in; a build that fails must `discard` it.
 */
export interface Staging {
  readonly dir: string
  /** Write one output now (or link it from OUT when `reuse` says OUT holds it already); what to keep for it. */
  put(relative: string, content: string | Uint8Array, key?: string): StagedOutput
  /**
   * Make way for `relative` (its folder made; whatever a recycled folder
   * held there removed, never written over). With `from`: `true` when
   * that path already holds this very file (the same inode), so there is
   * nothing to link.
   */
  prepare(relative: string, from?: string): boolean
  /** Remove what a recycled folder holds beyond `keep` (paths relative to it). */
  finish(keep: Iterable<string>): void
  /** Where the folder it replaces goes once swapped out (see `StagingOptions.spare`). */
  readonly spare: string | undefined
  /** Remove the folder and what it holds. */
  discard(): void
}

/** Options for `openStaging`. */
export interface StagingOptions {
  /**
   * Keep the folder a build replaces here (on OUT's file system), for the
   * next build to write into: its folders need not be made again, and
   * unchanged files are the same inodes already. Its files are only ever
   * removed or replaced, never written over (OUT may share them).
   */
  spare?: string | undefined
}

/**
 * Open the staging folder for `target` (cleaning up after an interrupted
 * earlier write first). `reuse(relative, hash)` says whether `target`
 * holds that output byte for byte already; such outputs are hard-linked.
 * A folder that cannot be written is an `OutDirError` naming the path.
 */
export function openStaging(target: string, reuse?: (relative: string, hash: string) => boolean, options: StagingOptions = {}): Staging {
  const parent = path.dirname(target)
  let dir: string
  // What a recycled folder held, by path relative to it, until this build replaces or keeps it.
  let held: Map<string, 'file' | 'folder'> | undefined
  try {
    mkdirSync(parent, {recursive: true})
    recoverInterruptedSwap(parent, path.basename(target))
    removeStaleSync(parent, path.basename(target))
    dir = mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`))
  } catch (error) {
    throw writeError(target, error)
  }
  if (options.spare !== undefined && lstatSync(options.spare, {throwIfNoEntry: false})?.isDirectory()) {
    try {
      rmdirSync(dir)
      renameSync(options.spare, dir)
      held = listTree(dir)
    } catch {
      // Elsewhere, or in use: start empty.
      rmSync(options.spare, {recursive: true, force: true})
      mkdirSync(dir, {recursive: true})
      held = undefined
    }
  }
  const folders = new Set<string>([dir])
  if (held) for (const [relative, kind] of held) if (kind === 'folder') folders.add(path.join(dir, relative))

  /** Make `folder` (absolute, inside `dir`), removing a file in the way. */
  const ensureFolder = (folder: string) => {
    if (folders.has(folder)) return
    try {
      mkdirSync(folder, {recursive: true})
    } catch (error) {
      if (!held) throw error
      // A recycled folder may hold a file where this needs a folder.
      const segments = path.relative(dir, folder).split(path.sep)
      for (let at = 1; at <= segments.length; at++) {
        const step = path.join(dir, ...segments.slice(0, at))
        if (lstatSync(step, {throwIfNoEntry: false})?.isDirectory() === false) {
          rmSync(step, {force: true})
          held.delete(segments.slice(0, at).join('/'))
        }
      }
      mkdirSync(folder, {recursive: true})
    }
    for (let up = folder; up !== dir && !folders.has(up); up = path.dirname(up)) folders.add(up)
  }
  const prepare = (relative: string, from?: string): boolean => {
    const destination = path.join(dir, relative)
    const there = held?.get(relative)
    if (there !== undefined) {
      held!.delete(relative)
      if (from !== undefined && there === 'file') {
        const own = lstatSync(destination, {throwIfNoEntry: false})
        const theirs = lstatSync(from, {throwIfNoEntry: false})
        if (own && theirs && own.ino === theirs.ino && own.dev === theirs.dev) return true
      }
      rmSync(destination, {recursive: true, force: true})
      folders.delete(destination)
      if (there === 'folder') {
        // What it held went with it.
        const inside = relative + '/'
        for (const name of held!.keys()) if (name.startsWith(inside)) held!.delete(name)
        for (const folder of folders) if (folder.startsWith(destination + path.sep)) folders.delete(folder)
      }
    }
    ensureFolder(path.dirname(destination))
    return false
  }
  return {
    dir,
    spare: options.spare,
    put(relative, content, key) {
      if (!isInside(relative)) throw new Error(`refusing to write outside the output folder: ${relative}`)
      const hash = contentHash(content)
      const known = key === undefined ? {} : {key}
      // Linked at the end with every other file OUT already holds (one pass over the folders).
      if (reuse?.(relative, hash)) return {staged: hash, fromOut: true, ...known}
      try {
        prepare(relative)
        writeFileSync(path.join(dir, relative), content)
      } catch (error) {
        throw writeError(target, error)
      }
      return {staged: hash, ...known}
    },
    prepare,
    finish(keep) {
      if (!held || held.size === 0) return
      const needed = new Set<string>()
      for (const relative of keep) for (let up = path.dirname(relative); up !== '.'; up = path.dirname(up)) needed.add(up)
      // Deepest first, so a folder is empty of stale files before it is judged.
      for (const [relative, kind] of [...held].sort(([a], [b]) => b.length - a.length)) {
        if (kind === 'folder' && needed.has(relative)) continue
        rmSync(path.join(dir, relative), {recursive: true, force: true})
      }
      held.clear()
    },
    discard() {
      rmSync(dir, {recursive: true, force: true})
    }
  }
}

/** Every file and folder under `dir`, by path relative to it (`/`-separated, as outputs are). */
function listTree(dir: string, prefix = '', found = new Map<string, 'file' | 'folder'>()): Map<string, 'file' | 'folder'> {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const relative = prefix + entry.name
    if (entry.isDirectory()) {
      found.set(relative, 'folder')
      listTree(path.join(dir, entry.name), relative + '/', found)
    } else found.set(relative, 'file')
  }
  return found
}

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
 * A folder that cannot be written (permissions, a file in the way, a full
 * disk) is an `OutDirError` naming the path, with `target` left as it was.
 */
export async function writeTree(target: string, outputs: ReadonlyMap<string, WriteContent>, options: WriteOptions = {}): Promise<void> {
  for (const relative of outputs.keys()) {
    if (!isInside(relative)) throw new Error(`refusing to write outside the output folder: ${relative}`)
  }
  try {
    await writeStaged(target, outputs, options.unchanged ?? new Set(), options.staging)
  } catch (error) {
    throw writeError(target, error)
  }
}

/** Options for `writeTree`. */
export interface WriteOptions {
  /**
   * Outputs known to be byte for byte what `target` holds already: they are
   * linked into the new folder instead of written again (written after all
   * when the link fails).
   */
  unchanged?: ReadonlySet<string>
  /** The staging folder the `StagedOutput`s are in (see `openStaging`); one is made otherwise. */
  staging?: Staging | undefined
}

async function writeStaged(
  target: string,
  outputs: ReadonlyMap<string, WriteContent>,
  unchanged: ReadonlySet<string>,
  opened: Staging | undefined
): Promise<void> {
  const parent = path.dirname(target)
  let staging: string
  if (opened) staging = opened.dir
  else {
    await fs.mkdir(parent, {recursive: true})
    recoverInterruptedSwap(parent, path.basename(target))
    removeStaleSync(parent, path.basename(target))
    staging = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.new-`))
  }
  const rest = new Map<string, OutputContent>()
  const fromOut: string[] = []
  for (const [relative, content] of outputs) {
    if (!isStaged(content)) rest.set(relative, content)
    else if (content.fromOut) fromOut.push(relative)
  }
  if (!opened && rest.size !== outputs.size) throw new Error('staged outputs need the staging folder they were written into')
  try {
    if (opened) {
      // Each path is made way for in the staging folder (which may be a recycled OUT).
      for (const relative of rest.keys()) opened.prepare(relative)
    } else {
      const folders = new Set<string>()
      for (const relative of rest.keys()) folders.add(path.dirname(path.join(staging, relative)))
      // Thousands of small metadata calls: synchronous ones skip a trip through the thread pool each.
      for (const folder of [...folders].sort()) mkdirSync(folder, {recursive: true})
    }
    for (const relative of fromOut) {
      const from = path.join(target, relative)
      const destination = path.join(staging, relative)
      if (opened!.prepare(relative, from)) continue
      try {
        linkSync(from, destination)
      } catch {
        // Another file system: copy it (OUT is still in place until the swap).
        await fs.copyFile(from, destination)
      }
    }
    await writeAll(staging, rest, unchanged.size > 0 ? {from: target, unchanged} : undefined)
    opened?.finish(outputs.keys())
    await swap(staging, target, opened?.spare)
  } catch (error) {
    // The first failure is the one to report, not a failed clean-up after it.
    await fs.rm(staging, {recursive: true, force: true}).catch(() => {})
    throw error
  }
}

/**
 * A write killed between the two renames of `swap` leaves no `name` and the
 * previous output at `.name.new-*.old`: put it back, so the previous output
 * is what the next run (even a failing one) finds. Best effort and
 * synchronous: `guardOutDir` calls it before a build reads OUT.
 */
export function recoverInterruptedSwap(parent: string, name: string): void {
  const prefix = `.${name}.new-`
  try {
    lstatSync(path.join(parent, name))
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return
  }
  try {
    const old = readdirSync(parent)
      .filter((entry) => entry.startsWith(prefix) && entry.endsWith('.old'))
      .map((entry) => ({entry, time: statSync(path.join(parent, entry)).mtimeMs}))
      .sort((a, b) => b.time - a.time)[0]
    if (old) renameSync(path.join(parent, old.entry), path.join(parent, name))
  } catch {
    // Nothing to recover, or it cannot be: the write that follows reports a real problem.
  }
}

/**
 * Remove what an interrupted earlier write left beside `name`: its
 * staging folder (`.name.new-*`) and a replaced folder not yet deleted.
 */
function removeStaleSync(parent: string, name: string): void {
  const prefix = `.${name}.new-`
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(prefix)) rmSync(path.join(parent, entry), {recursive: true, force: true})
  }
}

function isStaged(content: WriteContent): content is StagedOutput {
  return typeof content === 'object' && 'staged' in content
}

async function writeAll(
  staging: string,
  outputs: Outputs,
  reuse: {from: string; unchanged: ReadonlySet<string>} | undefined
): Promise<void> {
  const entries = [...outputs]
  // A bounded number of writes in flight: fast, without exhausting file handles.
  const width = 32
  let next = 0
  async function worker(): Promise<void> {
    while (next < entries.length) {
      const [relative, content] = entries[next++]!
      const destination = path.join(staging, relative)
      if (reuse?.unchanged.has(relative)) {
        try {
          // The swap replaces the old folder whole, so the new one may share its unchanged files.
          linkSync(path.join(reuse.from, relative), destination)
          continue
        } catch {
          // Another file system, or the file went away: write it.
        }
      }
      if (typeof content === 'object' && 'copyFrom' in content) {
        await fs.copyFile(content.copyFrom, destination)
      } else {
        await fs.writeFile(destination, content)
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(width, entries.length)}, worker))
}

/** Replace `target` with `staging`: rename aside, rename in, then remove the old one (or keep it as `spare`). */
async function swap(staging: string, target: string, spare?: string): Promise<void> {
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
  if (!hadOld) return
  if (spare !== undefined) {
    try {
      rmSync(spare, {recursive: true, force: true})
      mkdirSync(path.dirname(spare), {recursive: true})
      renameSync(old, spare)
      return
    } catch {
      // Another file system: remove it instead.
    }
  }
  await fs.rm(old, {recursive: true, force: true})
}

/** An `OutDirError` saying which path could not be written and why, in words. */
function writeError(target: string, error: unknown): Error {
  if (error instanceof OutDirError) return error
  const problem = error as NodeJS.ErrnoException
  if (typeof problem?.code !== 'string') return error instanceof Error ? error : new Error(String(error))
  const at = typeof problem.path === 'string' ? problem.path : target
  if (problem.syscall === 'copyfile' && (problem.code === 'EACCES' || problem.code === 'EPERM')) {
    // Either side may be at fault: say both.
    return new OutDirError(
      `cannot copy ${at} into the output folder ${target}: permission denied; the previous output is unchanged`,
      {cause: error}
    )
  }
  const why =
    problem.code === 'EACCES' || problem.code === 'EPERM'
      ? `permission denied on ${at}`
      : problem.code === 'ENOTDIR' || problem.code === 'EEXIST'
        ? `${at} is in the way: part of that path is a file, not a folder`
        : problem.code === 'EROFS'
          ? `${at} is on a read-only file system`
          : problem.code === 'ENOSPC' || problem.code === 'EDQUOT'
            ? 'no space left on the device'
            : `${problem.code} on ${at}`
  return new OutDirError(
    `cannot write the output folder ${target}: ${why}; the previous output is unchanged (fix the permissions or choose another --out)`,
    {cause: error}
  )
}
