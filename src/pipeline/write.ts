/**
 * The write stage: a finished set of output files goes to disk all at once.
 * Everything is written into a sibling folder first (fresh, or the OUT the
 * last build replaced, see `StagingOptions.spare`) and swapped into
 * place only when complete, so a failed or interrupted build never leaves a
 * half-written OUT (the previous one stays byte for byte).
 */
import {createHash, randomBytes} from 'node:crypto'
import {accessSync, chmodSync, constants, linkSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {ResolvedConfig} from '../source/config.js'
import {isWithin} from '../source/paths.js'
import {acquireLock, type Lock} from './lock.js'

/** Marker that says a folder is letterpress output and may be replaced. */
export const outMarker = '.letterpress-out'
export const outMarkerText = 'This folder is written by letterpress and replaced whole on every build.\n'

/** Why OUT cannot be used (not a content problem). */
export class OutDirError extends Error {}

/**
 * Refuse to replace a folder that letterpress did not make, or one that
 * holds the site's own sources; put back or remove what an earlier,
 * interrupted write left beside OUT. Returns a note for each leftover that
 * could not be removed (it never stops the build). Call it with the lock
 * held (`lockOutDir`): another build's staging folder looks like a leftover.
 */
export function guardOutDir(config: ResolvedConfig): string[] {
  const out = config.outDir
  if (isWithin(out, config.root)) {
    throw new OutDirError(`the output folder ${out} contains the site root; choose another --out`)
  }
  recoverInterruptedSwap(path.dirname(out), path.basename(out))
  const notes = clearLeftovers(path.dirname(out), path.basename(out))
  let entries: string[]
  try {
    entries = readdirSync(out)
  } catch {
    return notes
  }
  if (entries.length > 0 && !entries.includes(outMarker)) {
    throw new OutDirError(
      `${out} exists, is not empty and was not made by letterpress; remove it or choose another --out`
    )
  }
  return notes
}

/**
 * Take the lock of a build into `config.outDir`: a file beside OUT (never
 * in it), `.OUT.lock`, holding the pid (see `acquireLock`). A held one is a
 * `LockBusyError` naming the other process; one whose process is gone is
 * taken over. Release it when done.
 *
 * ROOT/.cache is not locked: what builds into other OUTs share there is
 * the memo, whose entries are only ever what their key says and are each
 * written whole (to a temporary name, then renamed), so parallel builds of
 * one ROOT (a site and its drafts preview) are safe; the build record and
 * the spare output are kept per OUT, under this lock.
 */
export function lockOutDir(config: ResolvedConfig): Lock {
  const out = config.outDir
  try {
    return acquireLock(path.join(path.dirname(out), `.${path.basename(out)}.lock`), out)
  } catch (error) {
    throw writeError(out, error, 'unchanged')
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
  /** What did not stop the build but a person should know (leftovers that could not be removed). */
  readonly notes: string[]
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
  let notes: string[]
  try {
    mkdirSync(parent, {recursive: true})
    recoverInterruptedSwap(parent, path.basename(target))
    notes = clearLeftovers(parent, path.basename(target))
    dir = makeStagingFolder(parent, path.basename(target))
  } catch (error) {
    throw writeError(target, error, 'unchanged')
  }
  if (options.spare !== undefined && lstatSync(options.spare, {throwIfNoEntry: false})?.isDirectory()) {
    // The mode a new folder gets here (the umask's), for the recycled one.
    const mode = statSync(dir).mode & 0o7777
    let adopted = false
    try {
      rmdirSync(dir)
      renameSync(options.spare, dir)
      adopted = true
      chmodSync(dir, mode)
      held = listTree(dir)
    } catch {
      // Elsewhere, in use, or holding what this build could not remove (read-only, immutable): start empty.
      held = undefined
      const unfit = adopted ? dir : options.spare
      try {
        removeAll(unfit)
      } catch (error) {
        notes.push(leftoverNote(unfit, error))
      }
      try {
        dir = makeStagingFolder(parent, path.basename(target))
      } catch (error) {
        throw writeError(target, error, 'unchanged')
      }
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
    notes,
    spare: options.spare,
    put(relative, content, key) {
      if (!isPlainRelativePath(relative)) throw new Error(`refusing to write outside the output folder: ${relative}`)
      const hash = contentHash(content)
      const known = key === undefined ? {} : {key}
      // Linked at the end with every other file OUT already holds (one pass over the folders).
      if (reuse?.(relative, hash)) return {staged: hash, fromOut: true, ...known}
      try {
        prepare(relative)
        writeFileSync(path.join(dir, relative), content)
      } catch (error) {
        throw writeError(target, error, 'unchanged')
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
      // Best effort: what cannot be removed is a leftover the next build removes or reports.
      try {
        rmSync(dir, {recursive: true, force: true})
      } catch {
        // The failure being reported is the build's own.
      }
    }
  }
}

/**
 * Every file and folder under `dir`, by path relative to it (`/`-separated,
 * as outputs are). Throws when something in it could not be removed or
 * replaced: a folder this process cannot write, or an immutable file.
 */
function listTree(dir: string, prefix = '', found = new Map<string, 'file' | 'folder'>()): Map<string, 'file' | 'folder'> {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const relative = prefix + entry.name
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      accessSync(full, constants.W_OK | constants.X_OK)
      found.set(relative, 'folder')
      listTree(full, relative + '/', found)
    } else {
      try {
        accessSync(full, constants.W_OK)
      } catch (error) {
        // EACCES is only the file's mode, which does not stop its removal; EPERM is an immutable file.
        if ((error as NodeJS.ErrnoException).code === 'EPERM') throw error
      }
      found.set(relative, 'file')
    }
  }
  return found
}

/**
 * A new staging folder beside `name` in `parent`, `.name.new-XXXXXXXX`,
 * with the mode the umask gives (`mkdtemp` would make it 0700, and it
 * becomes OUT, which a web server running as another user must read).
 */
function makeStagingFolder(parent: string, name: string): string {
  for (;;) {
    const dir = path.join(parent, `.${name}.new-${randomBytes(6).toString('hex')}`)
    try {
      mkdirSync(dir)
      return dir
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

/**
 * Whether `relative` is a plain `/`-separated path that names something
 * inside any folder it is joined to, by its text alone: not empty, not
 * absolute, no `..`, `.` or empty segment, no NUL or backslash. Output
 * paths must be plain so each file has exactly one name (`a//b` and
 * `a/./b` are refused rather than taken for `a/b`). For whether one
 * file-system path lies in a folder, see `isWithin`.
 */
export function isPlainRelativePath(relative: string): boolean {
  if (relative === '' || relative.startsWith('/') || /[\\\0]/.test(relative)) return false
  return !relative.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')
}

/**
 * Write `outputs` as the complete new contents of `target` (a folder).
 * Other folders next to `target` are not touched; `target` is replaced whole.
 * A folder that cannot be written (permissions, a file in the way, a full
 * disk) is an `OutDirError` naming the path, with `target` left as it was.
 * Resolves to notes on what did not stop the write but a person should
 * know: leftovers of earlier writes, or the replaced folder, that could
 * not be removed.
 */
export async function writeTree(target: string, outputs: ReadonlyMap<string, WriteContent>, options: WriteOptions = {}): Promise<string[]> {
  for (const relative of outputs.keys()) {
    if (!isPlainRelativePath(relative)) throw new Error(`refusing to write outside the output folder: ${relative}`)
  }
  try {
    return await writeStaged(target, outputs, options.unchanged ?? new Set(), options.staging)
  } catch (error) {
    throw writeError(target, error, 'unchanged')
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
): Promise<string[]> {
  const parent = path.dirname(target)
  let staging: string
  const notes: string[] = []
  if (opened) {
    staging = opened.dir
    notes.push(...opened.notes)
  } else {
    await fs.mkdir(parent, {recursive: true})
    recoverInterruptedSwap(parent, path.basename(target))
    notes.push(...clearLeftovers(parent, path.basename(target)))
    staging = makeStagingFolder(parent, path.basename(target))
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
  } catch (error) {
    // The first failure is the one to report, not a failed clean-up after it.
    await fs.rm(staging, {recursive: true, force: true}).catch(() => {})
    throw error
  }
  const swapped = await swap(staging, target, opened?.spare)
  if (swapped) notes.push(swapped)
  return notes
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
 * Remove what an earlier write left beside `name`: the staging folder of
 * one that was interrupted (`.name.new-*`) and a replaced folder not yet
 * deleted (`.name.new-*.old`). What cannot be removed stays, with a note
 * for each: it never stops a build (staging folders get new names).
 */
function clearLeftovers(parent: string, name: string): string[] {
  const prefix = `.${name}.new-`
  const notes: string[] = []
  let entries: string[]
  try {
    entries = readdirSync(parent)
  } catch {
    return notes
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue
    const leftover = path.join(parent, entry)
    try {
      removeAll(leftover)
    } catch (error) {
      notes.push(leftoverNote(leftover, error))
    }
  }
  return notes
}

/**
 * Remove `target` and what it holds. Node's `rm` reports a file it could
 * not unlink (an immutable one) as ENOTDIR from its retry as a folder:
 * the error thrown is then unlink's own, which says why.
 */
function removeAll(target: string): void {
  try {
    rmSync(target, {recursive: true, force: true})
  } catch (error) {
    const {code, path: at} = error as NodeJS.ErrnoException
    if (code === 'ENOTDIR' && typeof at === 'string' && lstatSync(at, {throwIfNoEntry: false})?.isDirectory() === false) unlinkSync(at)
    throw error
  }
}

function leftoverNote(leftover: string, error: unknown): string {
  return `could not remove ${leftover}, left by an earlier build: ${describeFsError(error, leftover)}; remove it by hand`
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

/**
 * Replace `target` with `staging`: rename aside, rename in, then remove the
 * old one (or keep it as `spare`). Once the new folder is in, nothing
 * fails: an old folder that cannot be removed gives a note saying so.
 */
async function swap(staging: string, target: string, spare?: string): Promise<string | undefined> {
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
  if (!hadOld) return undefined
  if (spare !== undefined) {
    try {
      rmSync(spare, {recursive: true, force: true})
      mkdirSync(path.dirname(spare), {recursive: true})
      renameSync(old, spare)
      return undefined
    } catch {
      // Another file system, or a folder this process cannot move: remove it instead.
    }
  }
  try {
    removeAll(old)
  } catch (error) {
    return `${target} holds the new build; the old output could not be removed from ${old}: ${describeFsError(error, old)}; the next build tries again`
  }
  return undefined
}

/**
 * What a failed file-system call means, in words a person can act on,
 * from its errno code ("the disk is full", "permission denied on PATH").
 * `fallback` is the path named when the error names none. The one place
 * the write stage turns an errno into words.
 */
export function describeFsError(error: unknown, fallback: string): string {
  const problem = error as NodeJS.ErrnoException | undefined
  const at = typeof problem?.path === 'string' ? problem.path : fallback
  switch (problem?.code) {
    case 'EACCES':
      return `permission denied on ${at}`
    case 'EPERM':
      return `not permitted on ${at} (permissions, or a locked or immutable file)`
    case 'ENOSPC':
      return `the disk is full (writing ${at})`
    case 'EDQUOT':
      return `the disk quota is used up (writing ${at})`
    case 'EROFS':
      return `${at} is on a read-only file system`
    case 'ENOTDIR':
    case 'EEXIST':
      return `${at} is in the way: part of that path is a file, not a folder`
    case 'ENAMETOOLONG':
      return `the path is too long for the file system: ${at}`
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files (at ${at})`
    case 'EBUSY':
      return `${at} is in use by another program`
    case 'EIO':
      return `input/output error on ${at} (the disk or its connection failed)`
    case 'ELOOP':
      return `too many symbolic links in ${at}`
    case 'ENOENT':
      return `${at} went away while it was being written (another program removed it)`
    case 'ENOTEMPTY':
      return `${at} is not empty`
    case 'EXDEV':
      return `${at} is on another file system`
    default:
      return `${problem?.code ?? 'failed'} on ${at}`
  }
}

/** What a person can do about an errno code, for the end of a message. */
function remedy(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'fix the permissions or choose another --out'
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space or choose another --out'
    case 'EROFS':
    case 'ENAMETOOLONG':
      return 'choose another --out'
    default:
      return ''
  }
}

/**
 * An `OutDirError` saying which path could not be written and why, in
 * words; `unchanged` when the write failed before anything replaced
 * `target` (so the message can say the previous output is still there).
 */
function writeError(target: string, error: unknown, state?: 'unchanged'): Error {
  if (error instanceof OutDirError) return error
  const problem = error as NodeJS.ErrnoException
  if (typeof problem?.code !== 'string') return error instanceof Error ? error : new Error(String(error))
  const at = typeof problem.path === 'string' ? problem.path : target
  const unchanged = state === 'unchanged' ? '; the previous output is unchanged' : ''
  if (problem.syscall === 'copyfile' && (problem.code === 'EACCES' || problem.code === 'EPERM')) {
    // Either side may be at fault: say both.
    return new OutDirError(`cannot copy ${at} into the output folder ${target}: permission denied${unchanged}`, {cause: error})
  }
  const fix = remedy(problem.code)
  return new OutDirError(`cannot write the output folder ${target}: ${describeFsError(error, target)}${unchanged}${fix ? ` (${fix})` : ''}`, {
    cause: error
  })
}
