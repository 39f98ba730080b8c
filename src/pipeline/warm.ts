/**
 * The warm build: when nothing a build reads has changed since the last
 * good build into the same OUT, and OUT is still exactly what that build
 * wrote, there is nothing to do. A build's inputs are fingerprinted by
 * content (every byte under posts/, ROOT/templates and ROOT/issues, the
 * config file, the resolved options, the built-in theme and letterpress's
 * own code and dependency lock); OUT is checked by the path, size and
 * modification time of every file. The record lives in ROOT/.cache and is
 * only ever a hint: anything unreadable, foreign or inconsistent means a
 * full build.
 *
 * This module is deliberately light (no Markdown, template or email code),
 * so a warm build does not pay for loading the pipeline.
 */
import {sourceDateEpoch, withEnvironment} from './environment.js'
import {createHash, type Hash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {VFile} from 'vfile'
import type {BuildOptions, BuildResult} from './build-options.js'
import {loadConfig, type ResolvedConfig} from '../source/config.js'
import {countDiagnostics, type Diagnostic} from '../source/report.js'
import type {Lock} from './lock.js'
import {publishNow} from '../source/schedule.js'
import type {PostCounts} from '../source/site.js'
import {contentHash, guardOutDir, lockOutDir, type StagedOutput, type WriteContent} from './write.js'
import {step} from './instrument.js'

/** Bumped when the record's shape changes; older records are ignored. */
const recordFormat = 3

/** What the last good build into one OUT recorded. */
export interface BuildRecord extends PostCounts {
  format: number
  /** The input fingerprint the build started from. */
  fingerprint: string
  outDir: string
  /** Every file written, relative to OUT: `[path, size, mtimeMs]`. */
  outputs: Array<[string, number, number]>
  /** The content hash of each output (`outputHashes`), by path. */
  hashes: Record<string, string>
  /** The memo key each page was rendered from, by path (so an unchanged page is linked without being read). */
  keys?: Record<string, string>
  /** Which fields of its post views each page read, by path (`RenderedSite.pageFields`). */
  fields?: Record<string, string>
  diagnostics: Diagnostic[]
  pages: number
  /**
   * When the first post this build held back (dated after its "now") goes
   * live, in milliseconds since the epoch: the build is stale from then on.
   */
  nextRelease?: number
}

/** A warm build's answer, or what the full build needs to go on. */
export type WarmBuild =
  | {result: BuildResult; config?: undefined; configFile?: undefined; fingerprint?: undefined}
  | {
      result?: undefined
      config: ResolvedConfig
      configFile: VFile
      fingerprint: string | undefined
      /** The content hash of every input file the fingerprint read, by absolute path (see `LoadOptions.hashes`). */
      sourceHashes?: ReadonlyMap<string, string> | undefined
      /** The build's lock on OUT and the cache (`lockOutDir`), held for `buildFrom`, which releases it. */
      lock: Lock
      /** `BuildResult.notes` so far. */
      notes: string[]
    }

/**
 * Load the config, lock and guard OUT and fingerprint the inputs; when the
 * last build into OUT started from the same fingerprint and OUT is intact,
 * its result (messages included) is the answer and nothing is rendered.
 * Otherwise the lock stays held for `buildFrom`.
 */
export async function warmBuild(options: BuildOptions): Promise<WarmBuild> {
  step('start-up')
  const {config, file: configFile} = await loadConfig(options.root ?? process.cwd(), withEnvironment(options))
  step('config')
  const lock = lockOutDir(config)
  try {
    const notes = guardOutDir(config)
    const sourceHashes = new Map<string, string>()
    const fingerprint = inputFingerprint(config, typeof configFile.value === 'string' ? configFile.value : undefined, undefined, sourceHashes)
    step('fingerprint')
    const record = fingerprint === undefined ? undefined : readWarmRecord(config, fingerprint)
    step('record')
    if (!record) return {config, configFile, fingerprint, sourceHashes, lock, notes}
    lock.release()
    return {
      result: {
        diagnostics: record.diagnostics,
        ...countDiagnostics(record.diagnostics),
        posts: record.posts,
        unpublished: record.unpublished,
        pages: record.pages,
        written: true,
        unchanged: true,
        outDir: config.outDir,
        notes
      }
    }
  } catch (error) {
    lock.release()
    throw error
  }
}

/** The folder of letterpress's own code (src/ or lib/, one above this module's) and the package root above it. */
const ownCode = fileURLToPath(new URL('../', import.meta.url))
const packageRoot = path.dirname(ownCode)

let pipelineHash: string | undefined

/**
 * A hash of letterpress itself: its code (lib/ when installed, src/ under
 * test), its built-in templates and its dependency lock. A new release or a
 * local edit changes every output, so it invalidates every cache.
 */
export function pipelineVersion(): string {
  if (pipelineHash) return pipelineHash
  const hash = createHash('sha256')
  hashTree(hash, ownCode, (name) => /\.(js|ts|json)$/.test(name) && !name.endsWith('.d.ts'))
  hashTree(hash, path.join(packageRoot, 'templates'), () => true)
  for (const name of ['package.json', 'package-lock.json']) {
    try {
      hash.update(name).update(fs.readFileSync(path.join(packageRoot, name)))
    } catch {
      // An installed package may ship without its lock; its version is in package.json.
    }
  }
  pipelineHash = hash.digest('hex')
  return pipelineHash
}

/**
 * The fingerprint of everything a build of `config` reads, or `undefined`
 * when some input cannot be read as a plain file (then the build itself
 * reports it).
 */
export function inputFingerprint(
  config: ResolvedConfig,
  configText: string | undefined,
  version = pipelineVersion(),
  hashes?: Map<string, string>
): string | undefined {
  const hash = createHash('sha256')
  hash.update(`letterpress-build-${recordFormat}\0${version}\0`)
  // The day matters to nothing today, but a cache that outlives a day must never hide a date-dependent message.
  hash.update(`${sourceDateEpoch() ?? ''}\0${new Date().toISOString().slice(0, 10)}\0`)
  hash.update(JSON.stringify(config)).update('\0')
  hash.update(configText ?? '\0none\0')
  const known = new KnownHashes(path.join(config.cacheDir, 'letterpress', 'input-hashes.json'))
  try {
    // The build never reads OUT or the cache as content, even through a link; neither does this.
    const skip = new Set([config.outDir, config.cacheDir].map((folder) => realOrSelf(folder)))
    for (const folder of [config.postsDir, config.templatesDir, path.join(config.root, 'issues')]) {
      hash.update(`\0folder ${folder}\0`)
      hashTree(hash, folder, () => true, skip, known)
    }
  } catch {
    return undefined
  }
  known.save()
  if (hashes) for (const [full, file] of known.seen) hashes.set(full, file)
  return hash.digest('hex')
}

/** The content hash of a file's bytes (SHA-256, hex): what the fingerprint and the posts' memo keys say of a source. */
export function fileHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A file's content hash, as `KnownHashes` keeps it with the file's status at the time. */
interface KnownHash {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
  hash: string
}

/**
 * The content hashes of the input files, kept between builds in
 * ROOT/.cache/letterpress/input-hashes.json with each file's size, inode
 * and modification and change times, so a build reads and hashes only the
 * files whose status changed (as git's index does). Any write to a file
 * moves its change time, which no tool can set back; a hash taken within
 * two seconds of the file's last change is not kept, since a second write
 * in the same clock tick would leave the times as they were. Unreadable or
 * foreign records are ignored: every file is then read.
 */
class KnownHashes {
  private readonly before = new Map<string, KnownHash>()
  private readonly now = new Map<string, KnownHash>()
  /** Every file's content hash this run, by absolute path (the posts' memo keys are made from them). */
  readonly seen = new Map<string, string>()
  private readonly started = Date.now()
  private changed = false

  constructor(private readonly file: string) {
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
      if (typeof stored === 'object' && stored !== null && (stored as {format?: unknown}).format === recordFormat) {
        for (const [full, known] of Object.entries((stored as {files?: Record<string, KnownHash>}).files ?? {})) {
          if (typeof known?.hash === 'string') this.before.set(full, known)
        }
      }
    } catch {
      // No record yet, or not one of ours: every file is hashed.
    }
  }

  /** The content hash and size of the file at `full`. */
  of(full: string): {hash: string; size: number} {
    const stat = fs.statSync(full)
    const known = this.before.get(full)
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ctimeMs === stat.ctimeMs && known.ino === stat.ino) {
      this.now.set(full, known)
      this.seen.set(full, known.hash)
      return known
    }
    const bytes = fs.readFileSync(full)
    const hash = fileHash(bytes)
    this.seen.set(full, hash)
    this.changed = true
    if (Math.max(stat.mtimeMs, stat.ctimeMs) < this.started - 2000 && bytes.length === stat.size) {
      this.now.set(full, {size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, hash})
    }
    return {hash, size: bytes.length}
  }

  /** Keep what this run learnt (when it learnt anything or a file went away); a failed write only costs time. */
  save(): void {
    if (!this.changed && this.now.size === this.before.size) return
    try {
      fs.mkdirSync(path.dirname(this.file), {recursive: true})
      const temp = `${this.file}.${process.pid}.tmp`
      fs.writeFileSync(temp, JSON.stringify({format: recordFormat, files: Object.fromEntries(this.now)}))
      fs.renameSync(temp, this.file)
    } catch {
      // A read-only cache: the next build reads every file again.
    }
  }
}

/** A hash of every file under `folder` (missing: empty; unreadable: a value no readable folder gives). */
export function folderHash(folder: string): string {
  const hash = createHash('sha256')
  try {
    hashTree(hash, folder, () => true)
  } catch {
    return 'unreadable'
  }
  return hash.digest('hex')
}

/** Hash every file under `folder` (path and bytes, in a stable order); a missing folder hashes as empty. */
function hashTree(hash: Hash, folder: string, include: (name: string) => boolean, seen = new Set<string>(), known?: KnownHashes): void {
  // Each real folder once: links that loop, or lead to a folder hashed already, add nothing more.
  const real = realOrSelf(folder)
  if (seen.has(real)) {
    hash.update('\0seen\0')
    return
  }
  seen.add(real)
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    // What the build never reads: dot-files and dot-folders (the cache among them), node_modules.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const full = path.join(folder, entry.name)
    // Only a folder or a link can be one seen already (or OUT, or the cache): a plain file needs no real path.
    if ((entry.isDirectory() || entry.isSymbolicLink()) && seen.has(realOrSelf(full))) continue
    if (entry.isSymbolicLink()) {
      // Links are followed by the build; a link is its target's content here. Loops make this throw.
      const stat = fs.statSync(full)
      if (stat.isDirectory()) {
        hash.update(`d ${entry.name}\0`)
        hashTree(hash, fs.realpathSync(full), include, seen, known)
        continue
      }
    } else if (entry.isDirectory()) {
      hash.update(`d ${entry.name}\0`)
      hashTree(hash, full, include, seen, known)
      continue
    }
    if (!include(entry.name)) continue
    if (known) {
      const file = known.of(full)
      hash.update(`h ${entry.name} ${file.size} ${file.hash}\0`)
      continue
    }
    const bytes = fs.readFileSync(full)
    hash.update(`f ${entry.name} ${bytes.length}\0`).update(bytes)
  }
}

function realOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder)
  } catch {
    return folder
  }
}

/** Where the record for builds into `outDir` lives. */
function recordPath(config: ResolvedConfig): string {
  return path.join(config.cacheDir, 'letterpress', `build-${outKey(config)}.json`)
}

function outKey(config: ResolvedConfig): string {
  return createHash('sha256').update(config.outDir).digest('hex').slice(0, 16)
}

/**
 * Where the OUT a build replaces is kept for the next build to write into
 * (see `StagingOptions.spare`): its folders are there already, and its
 * unchanged files are OUT's own inodes.
 */
export function spareFolder(config: ResolvedConfig): string {
  return path.join(config.cacheDir, 'letterpress', `spare-${outKey(config)}`)
}

/**
 * The last build's record when it applies: same fingerprint, same OUT, and
 * OUT still holds exactly the files it wrote. `undefined` otherwise.
 */
export function readWarmRecord(config: ResolvedConfig, fingerprint: string): BuildRecord | undefined {
  let record: BuildRecord
  try {
    record = JSON.parse(fs.readFileSync(recordPath(config), 'utf8')) as BuildRecord
  } catch {
    return undefined
  }
  if (
    typeof record !== 'object' ||
    record === null ||
    record.format !== recordFormat ||
    record.fingerprint !== fingerprint ||
    record.outDir !== config.outDir ||
    !Array.isArray(record.outputs) ||
    !Array.isArray(record.diagnostics) ||
    (typeof record.nextRelease === 'number' && publishNow(config).time >= record.nextRelease)
  ) {
    return undefined
  }
  try {
    const present = listFiles(config.outDir)
    if (present.size !== record.outputs.length) return undefined
    for (const [relative, size, mtimeMs] of record.outputs) {
      const stat = present.get(relative)
      if (!stat || stat.size !== size || stat.mtimeMs !== mtimeMs) return undefined
    }
  } catch {
    return undefined
  }
  return record
}

/**
 * Remember a build that wrote OUT. Written beside the cache's other files
 * through a temporary name, so a reader never sees half a record; a failure
 * to write it only costs the next build its shortcut.
 */
export function writeWarmRecord(
  config: ResolvedConfig,
  fingerprint: string,
  result: PostCounts & {diagnostics: Diagnostic[]; pages: number},
  hashes: ReadonlyMap<string, string> = new Map(),
  keys: ReadonlyMap<string, string> = new Map(),
  fields: ReadonlyMap<string, string> = new Map(),
  carried?: {from: OutputRecord; outputs: ReadonlySet<string>},
  release?: number
): void {
  try {
    // An output linked from the last OUT is the same file, with the size and time recorded then: only the rest
    // is looked at (with no list of what was written, all of OUT is).
    const outputs: BuildRecord['outputs'] = (
      carried
        ? [...hashes.keys()].map((relative): [string, number, number] => {
            const known = carried.outputs.has(relative) ? carried.from.stat(relative) : undefined
            if (known) return [relative, known[0], known[1]]
            const stat = fs.lstatSync(path.join(config.outDir, relative))
            return [relative, stat.size, stat.mtimeMs]
          })
        : [...listFiles(config.outDir)].map(([relative, stat]): [string, number, number] => [relative, stat.size, stat.mtimeMs])
    ).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    const record: BuildRecord = {
      format: recordFormat,
      fingerprint,
      outDir: config.outDir,
      outputs,
      hashes: Object.fromEntries(hashes),
      keys: Object.fromEntries(keys),
      fields: Object.fromEntries(fields),
      diagnostics: result.diagnostics,
      posts: result.posts,
      unpublished: result.unpublished,
      pages: result.pages,
      ...(release === undefined ? {} : {nextRelease: release})
    }
    const file = recordPath(config)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(record))
    fs.renameSync(temp, file)
    forgetGoneOutputs(path.dirname(file), file)
  } catch {
    // The cache is an optimisation; the build itself succeeded.
  }
}

/**
 * A hash per output that changes whenever its bytes would: the content
 * itself, or for a copied file its source's path, size and modification
 * time.
 */
export function outputHashes(outputs: ReadonlyMap<string, WriteContent>): Map<string, string> {
  const hashes = new Map<string, string>()
  for (const [relative, content] of outputs) {
    if (typeof content === 'object' && 'staged' in content) hashes.set(relative, content.staged)
    else if (typeof content === 'object' && 'copyFrom' in content) {
      try {
        const stat = fs.statSync(content.copyFrom)
        hashes.set(relative, `copy ${content.copyFrom} ${stat.size} ${stat.mtimeMs}`)
      } catch {
        // Unreadable now: never reused; the write reports it.
      }
    } else hashes.set(relative, contentHash(content))
  }
  return hashes
}

/**
 * The outputs OUT already holds byte for byte: same hash as the last build
 * recorded, and the file in OUT untouched since (same size and time).
 */
export function unchangedOutputs(
  config: ResolvedConfig,
  hashes: ReadonlyMap<string, string>,
  {reusable}: OutputRecord = readOutputRecord(config)
): Set<string> {
  const unchanged = new Set<string>()
  for (const [relative, hash] of hashes) if (reusable(relative, hash)) unchanged.add(relative)
  return unchanged
}

/** What the last build's record says OUT holds (read once). */
export interface OutputRecord {
  /** Whether OUT holds this output byte for byte: the hash recorded for it, and the file untouched since (same size and time). */
  reusable(relative: string, hash: string): boolean
  /** The output OUT holds at `relative` if it was made from the memo key `key` and is untouched since, as a staged output to link. */
  fromKey(relative: string, key: string): StagedOutput | undefined
  /** Which fields of its post views each page read (`RenderOptions.pageFields`). */
  fields: ReadonlyMap<string, string>
  /** The size and modification time recorded for an output, if any. */
  stat(relative: string): [number, number] | undefined
}

/** Read the last build's record of OUT (a missing, foreign or damaged one says nothing is reusable). */
export function readOutputRecord(config: ResolvedConfig): OutputRecord {
  const nothing: OutputRecord = {reusable: () => false, fromKey: () => undefined, fields: new Map(), stat: () => undefined}
  let record: BuildRecord
  try {
    record = JSON.parse(fs.readFileSync(recordPath(config), 'utf8')) as BuildRecord
  } catch {
    return nothing
  }
  if (record?.format !== recordFormat || record.outDir !== config.outDir || typeof record.hashes !== 'object' || !Array.isArray(record.outputs)) {
    return nothing
  }
  const stats = new Map<string, [number, number]>()
  for (const [relative, size, mtimeMs] of record.outputs) stats.set(relative, [size, mtimeMs])
  const keys = typeof record.keys === 'object' && record.keys !== null ? record.keys : {}
  const untouched = (relative: string) => {
    const known = stats.get(relative)
    if (!known) return false
    try {
      const stat = fs.lstatSync(path.join(config.outDir, relative))
      return stat.isFile() && stat.size === known[0] && stat.mtimeMs === known[1]
    } catch {
      // Gone: written again.
      return false
    }
  }
  const hashOf = (relative: string) => (Object.hasOwn(record.hashes, relative) ? record.hashes[relative] : undefined)
  const fields = new Map<string, string>()
  if (typeof record.fields === 'object' && record.fields !== null) {
    for (const [relative, names] of Object.entries(record.fields)) if (typeof names === 'string') fields.set(relative, names)
  }
  return {
    fields,
    stat: (relative) => stats.get(relative),
    reusable: (relative, hash) => hash === hashOf(relative) && untouched(relative),
    fromKey(relative, key) {
      const hash = hashOf(relative)
      if (typeof hash !== 'string' || !Object.hasOwn(keys, relative) || keys[relative] !== key || !untouched(relative)) return undefined
      return {staged: hash, fromOut: true, key}
    }
  }
}

/** Remove the records of builds whose OUT no longer exists (temporary folders, renamed outputs). */
function forgetGoneOutputs(folder: string, keep: string): void {
  for (const name of fs.readdirSync(folder)) {
    const file = path.join(folder, name)
    if (!/^build-[0-9a-f]+\.json$/.test(name) || file === keep) continue
    try {
      const {outDir} = JSON.parse(fs.readFileSync(file, 'utf8')) as {outDir?: unknown}
      if (typeof outDir === 'string' && fs.existsSync(outDir)) continue
    } catch {
      // Unreadable: as good as gone.
    }
    fs.rmSync(file, {force: true})
    fs.rmSync(path.join(folder, name.replace(/^build-(.*)\.json$/, 'spare-$1')), {recursive: true, force: true})
  }
}

/** Every file under `folder` with its stat, by `/`-separated relative path. */
function listFiles(folder: string): Map<string, fs.Stats> {
  const files = new Map<string, fs.Stats>()
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
      const full = path.join(dir, entry.name)
      const relative = prefix + entry.name
      if (entry.isDirectory()) walk(full, relative + '/')
      else files.set(relative, fs.lstatSync(full))
    }
  }
  walk(folder, '')
  return files
}
