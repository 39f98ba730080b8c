/**
 * The render memo: what a build worked out for one post, one issue or one
 * page, kept under a key that hashes everything it was made from (the
 * post's bytes, the templates, the config, letterpress's own version...),
 * so it is reused exactly while those are unchanged and never otherwise.
 *
 * `build` keeps it on disk (ROOT/.cache/letterpress/memo) as a few pack
 * files, each completed and put in place when a build commits (see
 * `createDiskMemo`);
 * `dev` keeps its own the same way (ROOT/.cache/letterpress/dev, for the
 * next start) and in memory. An entry that is truncated, foreign or of
 * another format is ignored and made again, never trusted. A pack whose
 * entries a build mostly no longer uses is folded into the next one.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import zlib from 'node:zlib'
import type {VFile} from 'vfile'

/** Bumped when the stored shape of any entry changes. */
const memoFormat = 3

/** Memoised values by bucket (`post`, `render`, `issue`, `page`) and key. */
export interface Memo {
  /** Whether an entry is there (without reading it; it may still turn out unusable). */
  has(bucket: string, key: string): boolean
  get<T>(bucket: string, key: string): T | undefined
  set(bucket: string, key: string, value: unknown): void
  /**
   * Set an entry whose key does not name everything it was made from (an
   * entry updated in place, such as the latest search index): written
   * again even when the memo holds that key already.
   */
  replace(bucket: string, key: string, value: unknown): void
  /** Count an entry as used without reading it (so `commit` keeps it for a later build that needs it). */
  keep(bucket: string, key: string): void
  /**
   * Keep what was set since the last `commit` and (unless `prune` is
   * false) forget the entries of every bucket that were neither read,
   * kept nor set since then. `midway`: a build that goes on writes what it
   * set so far (for `packFolder`'s readers) and counts every use on until
   * its last commit.
   */
  commit(options?: {prune?: boolean; midway?: boolean}): Promise<void>
  /** Where other threads can read, read only, what this memo's commits wrote (a memo on disk's folder). */
  readonly packFolder?: string | undefined
}

/** A hash of the given parts (strings, bytes, or anything JSON can say). */
export function memoKey(...parts: unknown[]): string {
  const hash = createHash('sha256')
  for (const part of parts) {
    if (typeof part === 'string') hash.update(`s${part.length}:`).update(part)
    else if (part instanceof Uint8Array) hash.update(`b${part.length}:`).update(part)
    else {
      const json = JSON.stringify(part) ?? 'undefined'
      hash.update(`j${json.length}:`).update(json)
    }
  }
  return hash.digest('hex')
}

/** A memo in memory that can also list what it holds. */
export interface MemoryMemo extends Memo {
  /** Every entry of `bucket`, as [key, value]. */
  entries(bucket: string): Array<[string, unknown]>
}

/** A memo in memory only, forgotten when the process ends. */
export function createMemoryMemo(): MemoryMemo {
  const entries = new Map<string, unknown>()
  let used = new Set<string>()
  return {
    has: (bucket, key) => entries.has(`${bucket}/${key}`),
    get<T>(bucket: string, key: string) {
      const id = `${bucket}/${key}`
      if (!entries.has(id)) return undefined
      used.add(id)
      return entries.get(id) as T
    },
    set(bucket, key, value) {
      const id = `${bucket}/${key}`
      entries.set(id, value)
      used.add(id)
    },
    replace(bucket, key, value) {
      this.set(bucket, key, value)
    },
    keep(bucket, key) {
      const id = `${bucket}/${key}`
      if (entries.has(id)) used.add(id)
    },
    entries(bucket) {
      const prefix = `${bucket}/`
      return [...entries].filter(([id]) => id.startsWith(prefix)).map(([id, value]) => [id.slice(prefix.length), value])
    },
    async commit(options = {}) {
      if (options.midway) return
      if (options.prune !== false) for (const id of entries.keys()) if (!used.has(id)) entries.delete(id)
      used = new Set()
    }
  }
}

/** Options for `createDiskMemo`. */
export interface DiskMemoOptions {
  /** Keep what is set in memory only and never touch the folder (`check`). */
  readOnly?: boolean | undefined
  /**
   * Also hold every entry read or set in memory, until a `commit` that does
   * not use it (dev: one process rendering the same site again and again,
   * which then reads each entry from disk once).
   */
  hold?: boolean | undefined
}

/*
 * On disk the memo is a few pack files, `NNNNNNNNNNNN.pack` (a generation
 * number: the newest wins when two hold one key), each written whole at a
 * commit, through a temporary name:
 *
 *   entry bytes ... | index (JSON) | footer (32 bytes)
 *
 * An entry is its value as `v8.serialize` says it, deflated (zlib format,
 * level 1: its Adler-32 checks the bytes as they inflate) when that pays.
 * The index lists `[bucket, key, offset, length, hash, deflated]` per entry
 * (`hash`: a SHA-1 of a stored entry's bytes, empty for a deflated one); the
 * footer holds the pack's magic and format, the index's length and the
 * start of the index's SHA-1. A pack whose footer or index does not check
 * out is ignored whole; an entry whose bytes do not check out (or that does
 * not deserialize) is ignored and made again.
 */

/** The footer's first 8 bytes: the magic and the format. */
const packMagic = Buffer.from(`LPMEMO${String(memoFormat).padStart(2, '0')}`, 'latin1')
const footerSize = 32
const packName = /^(\d{12})\.pack$/
/**
 * Entries smaller than this (serialized) are stored as they are: each
 * inflate sets up a zlib stream, which for the small records every build
 * reads (a post's record, its render's) costs more than reading the bytes
 * saved. Trees, bodies, parts and issues are bigger, and most of the memo.
 */
const deflateFrom = 8192
/**
 * A pack is kept as it is while at least this share of its bytes is in use;
 * below it, what is in use is carried into the commit's new pack and the
 * old one removed, so dead entries never make up much of the cache.
 */
const keepShare = 0.75
/** More packs than this and a pruning commit merges them all into one. */
const maxPacks = 6

/** Where an entry lives in a pack. */
interface PackEntry {
  pack: Pack
  offset: number
  length: number
  hash: string
  deflated: boolean
}

interface Pack {
  file: string
  generation: number
  fd: number | undefined
  bytes: number
  entries: Map<string, PackEntry>
}

/**
 * An entry set since the last commit, serialized (and deflated, off this
 * thread, once that is done), then written to its spool: from there on its
 * bytes are on disk at `offset` and no longer in memory.
 */
interface NewEntry {
  raw: Buffer | undefined
  stored: Buffer | undefined
  deflated: boolean
  ready: Promise<void>
  /** Once written: its spool, where in it, how long, and (when not deflated) the hash of its bytes. */
  spool?: Spool
  offset?: number
  length?: number
  hash?: string
}

/**
 * Where the entries set since the last commit are written as they are made:
 * the body of the next pack, which the commit completes with its index and
 * footer and renames into place. A build of 10,000 posts sets some 40,000
 * entries (over 100 MB) between two commits; held in memory until then,
 * they raised its peak by as much.
 */
interface Spool {
  file: string
  fd: number | undefined
  /** Bytes written so far: the next entry's offset. */
  size: number
  /** Entries ready but not written yet, written in batches of `spoolBatch` bytes. */
  queue: NewEntry[]
  queued: number
}

/** How many bytes of ready entries a spool gathers before it writes them (one system call for many small entries). */
const spoolBatch = 1 << 20
let spools = 0

/** Write a spool's queued entries at its end; on failure they stay in memory, and the next flush or the commit tries again. */
function flushSpool(spool: Spool): void {
  if (spool.queue.length === 0) return
  const batch = spool.queue
  try {
    spool.fd ??= fs.openSync(spool.file, 'w+')
    const bytes = batch.map((entry) => entry.stored!)
    let at = 0
    while (at < bytes.length) {
      // writev takes at most IOV_MAX (1,024) buffers at once.
      const part = bytes.slice(at, at + 1024)
      const length = part.reduce((sum, chunk) => sum + chunk.length, 0)
      if (fs.writevSync(spool.fd, part, spool.size) !== length) throw new Error('short write')
      for (const entry of batch.slice(at, at + 1024)) {
        entry.spool = spool
        entry.offset = spool.size
        entry.length = entry.stored!.length
        entry.hash = entry.deflated ? '' : entryHash(entry.stored!)
        spool.size += entry.length
        entry.stored = undefined
      }
      at += part.length
    }
    spool.queue = []
    spool.queued = 0
  } catch {
    spool.queue = batch.filter((entry) => entry.stored !== undefined)
    spool.queued = spool.queue.reduce((sum, entry) => sum + entry.stored!.length, 0)
  }
}

/** A pending entry's stored bytes, from memory or its spool; `undefined` when the spool cannot give them back. */
function pendingBytes(entry: NewEntry): Buffer | undefined {
  if (entry.stored) return entry.stored
  const {spool} = entry
  if (spool?.fd === undefined || entry.offset === undefined) return undefined
  try {
    const bytes = Buffer.alloc(entry.length!)
    return fs.readSync(spool.fd, bytes, 0, bytes.length, entry.offset) === bytes.length ? bytes : undefined
  } catch {
    return undefined
  }
}

function closeSpool(spool: Spool | undefined): void {
  if (spool?.fd === undefined) return
  try {
    fs.closeSync(spool.fd)
  } catch {
    // Closed already.
  }
  spool.fd = undefined
}

function entryHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 24)
}

/** The packs in `folder`, newest first, each with its index; a damaged or foreign pack is left out. */
function openPacks(folder: string): Pack[] {
  let names: string[]
  try {
    names = fs.readdirSync(folder)
  } catch {
    return []
  }
  const packs: Pack[] = []
  for (const name of names.filter((item) => packName.test(item)).sort().reverse()) {
    const pack = openPack(path.join(folder, name), Number(packName.exec(name)![1]))
    if (pack) packs.push(pack)
  }
  return packs
}

function openPack(file: string, generation: number): Pack | undefined {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, 'r')
    const size = fs.fstatSync(fd).size
    if (size < footerSize) throw new Error('short')
    const footer = Buffer.alloc(footerSize)
    fs.readSync(fd, footer, 0, footerSize, size - footerSize)
    const indexLength = footer.readUInt32LE(8)
    const indexStart = size - footerSize - indexLength
    if (!footer.subarray(0, 8).equals(packMagic) || indexStart < 0) throw new Error('foreign')
    const index = Buffer.alloc(indexLength)
    if (fs.readSync(fd, index, 0, indexLength, indexStart) !== indexLength) throw new Error('short')
    if (entryHash(index) !== footer.subarray(16, 16 + 12).toString('hex')) throw new Error('damaged')
    const list = JSON.parse(index.toString('utf8')) as unknown
    if (!Array.isArray(list)) throw new Error('foreign')
    const pack: Pack = {file, generation, fd, bytes: 0, entries: new Map()}
    for (const item of list as unknown[]) {
      if (!Array.isArray(item) || item.length !== 6) throw new Error('foreign')
      const [bucket, key, offset, length, hash, deflated] = item as unknown[]
      if (typeof bucket !== 'string' || typeof key !== 'string' || typeof hash !== 'string') throw new Error('foreign')
      if (!Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (offset as number) + (length as number) > indexStart) {
        throw new Error('foreign')
      }
      pack.entries.set(`${bucket}/${key}`, {pack, offset: offset as number, length: length as number, hash, deflated: deflated === 1})
      pack.bytes += length as number
    }
    return pack
  } catch {
    if (fd !== undefined) fs.closeSync(fd)
    return undefined
  }
}

/** An entry's bytes as stored, or `undefined` when they cannot be read whole or do not match their hash. */
function storedBytes(entry: PackEntry, whole?: Buffer): Buffer | undefined {
  try {
    let bytes: Buffer
    if (whole) bytes = whole.subarray(entry.offset, entry.offset + entry.length)
    else {
      entry.pack.fd ??= fs.openSync(entry.pack.file, 'r')
      bytes = Buffer.alloc(entry.length)
      if (fs.readSync(entry.pack.fd, bytes, 0, entry.length, entry.offset) !== entry.length) return undefined
    }
    // A deflated entry is checked as it inflates (`decode`).
    return entry.deflated || entryHash(bytes) === entry.hash ? bytes : undefined
  } catch {
    return undefined
  }
}

/** A value from its stored bytes; throws when they do not inflate or deserialize. */
function decode(bytes: Buffer, deflated: boolean): unknown {
  return v8.deserialize(deflated ? zlib.inflateSync(bytes) : bytes)
}

function closePacks(packs: readonly Pack[] | undefined): void {
  for (const pack of packs ?? []) {
    if (pack.fd === undefined) continue
    try {
      fs.closeSync(pack.fd)
    } catch {
      // Closed already.
    }
    pack.fd = undefined
  }
}

/** Closes the packs and the spool of a memo that is dropped without a last commit (a failed build). */
const unclosed = new FinalizationRegistry<{packs: Pack[] | undefined; spool?: Spool | undefined}>((held) => {
  closePacks(held.packs)
  closeSpool(held.spool)
})

/**
 * The memo of `build`, in `folder`, as pack files (see above). What is set
 * is serialized at once (and deflated off this thread), then written to a
 * spool file, the body of the next pack, a megabyte at a time; `commit`
 * adds the index and renames it into place as one new pack. A build writes
 * a few files, not one per entry, holds little of what it set in memory,
 * and a build that is stopped or fails leaves the packs as the last commit
 * wrote them (its spool goes at the next pruning commit). Every other
 * thread reads only what earlier commits wrote (in `packFolder`).
 */
export function createDiskMemo(folder: string, options: DiskMemoOptions = {}): Memo {
  const pending = new Map<string, NewEntry>()
  /** Values that could not be serialized, and everything a read-only memo is given: kept for this run. */
  const volatile = new Map<string, unknown>()
  const held = new Map<string, unknown>()
  const broken = new Set<string>()
  let used = new Set<string>()
  const state: {packs: Pack[] | undefined; index: Map<string, PackEntry> | undefined; spool: Spool | undefined} = {packs: undefined, index: undefined, spool: undefined}
  const token = {}
  const index = (): Map<string, PackEntry> => {
    if (!state.index) {
      state.packs = openPacks(folder)
      state.index = new Map()
      for (const pack of state.packs) for (const [id, entry] of pack.entries) if (!state.index.has(id)) state.index.set(id, entry)
      unclosed.register(token, state, token)
    }
    return state.index
  }
  /** The spool of what is set until the next commit (its file is made with its first write). */
  const currentSpool = (): Spool => (state.spool ??= {file: path.join(folder, `spool-${process.pid}-${++spools}.tmp`), fd: undefined, size: 0, queue: [], queued: 0})
  /** Queue a ready entry on the spool of the commit it was set before. */
  const spool = (entry: NewEntry, target: Spool): void => {
    if (!entry.stored) return
    target.queue.push(entry)
    target.queued += entry.stored.length
    if (target.queued >= spoolBatch) {
      fs.mkdirSync(folder, {recursive: true})
      flushSpool(target)
    }
  }
  const readStored = (id: string): {value: unknown} | undefined => {
    const entry = broken.has(id) ? undefined : index().get(id)
    if (!entry) return undefined
    const bytes = storedBytes(entry)
    try {
      if (bytes) return {value: decode(bytes, entry.deflated)}
    } catch {
      // Damaged: made again.
    }
    broken.add(id)
    return undefined
  }
  const store = (bucket: string, key: string, value: unknown, replace: boolean): void => {
    const id = `${bucket}/${key}`
    used.add(id)
    if (options.hold) held.set(id, value)
    if (options.readOnly) {
      volatile.set(id, value)
      return
    }
    // A key names everything its value was made from: an entry a pack holds already is that value.
    if (!replace && !pending.has(id) && !broken.has(id) && index().has(id)) {
      volatile.delete(id)
      return
    }
    let raw: Buffer
    try {
      raw = v8.serialize(value)
    } catch {
      // Kept in memory for this run instead: the memo only saves time.
      volatile.set(id, value)
      return
    }
    volatile.delete(id)
    const target = currentSpool()
    if (raw.length < deflateFrom) {
      const entry: NewEntry = {raw: undefined, stored: raw, deflated: false, ready: Promise.resolve()}
      pending.set(id, entry)
      spool(entry, target)
      return
    }
    const entry: NewEntry = {raw, stored: undefined, deflated: true, ready: Promise.resolve()}
    entry.ready = new Promise((resolve) => {
      zlib.deflate(raw, {level: 1}, (error, deflated) => {
        if (error || deflated.length >= raw.length) {
          entry.stored = raw
          entry.deflated = false
        } else entry.stored = deflated
        entry.raw = undefined
        // Set again meanwhile: the newer entry is the one to keep.
        if (pending.get(id) === entry) spool(entry, target)
        resolve()
      })
    })
    pending.set(id, entry)
  }
  return {
    has(bucket, key) {
      const id = `${bucket}/${key}`
      return held.has(id) || pending.has(id) || volatile.has(id) || (!broken.has(id) && index().has(id))
    },
    get<T>(bucket: string, key: string) {
      const id = `${bucket}/${key}`
      if (held.has(id)) {
        used.add(id)
        return held.get(id) as T
      }
      const fresh = pending.get(id)
      if (fresh?.raw) return v8.deserialize(fresh.raw) as T
      const bytes = fresh && pendingBytes(fresh)
      if (fresh && bytes) return decode(bytes, fresh.deflated) as T
      if (volatile.has(id)) return volatile.get(id) as T
      const found = readStored(id)
      if (!found) return undefined
      used.add(id)
      if (options.hold) held.set(id, found.value)
      return found.value as T
    },
    set(bucket, key, value) {
      store(bucket, key, value, false)
    },
    replace(bucket, key, value) {
      store(bucket, key, value, true)
    },
    keep(bucket, key) {
      used.add(`${bucket}/${key}`)
    },
    async commit(commitOptions = {}) {
      const midway = commitOptions.midway === true
      const prune = !midway && commitOptions.prune !== false
      // The entries set until now, and their spool: what is set while they are written goes to the next ones.
      const writing = new Map(pending)
      const spooled = state.spool
      state.spool = undefined
      if (!options.readOnly) {
        try {
          await writePacks(folder, writing, used, index(), state.packs ?? [], {prune, compact: false, spool: spooled, spare: () => state.spool?.file})
        } catch {
          // The memo only saves time; a build that could not keep it still succeeded.
        }
      }
      closeSpool(spooled)
      if (spooled) fs.rmSync(spooled.file, {force: true})
      closePacks(state.packs)
      unclosed.unregister(token)
      state.packs = undefined
      state.index = undefined
      broken.clear()
      for (const [id, entry] of writing) if (pending.get(id) === entry) pending.delete(id)
      if (midway) return
      if (prune) for (const id of held.keys()) if (!used.has(id)) held.delete(id)
      volatile.clear()
      used = new Set()
    },
    packFolder: options.readOnly ? undefined : folder
  }
}

/**
 * Write what was set since the last commit as a new pack (its spool, with
 * what is still in memory after it), with (when pruning) the entries in use
 * of every pack that has too few of them (`keepShare`), or of all packs
 * when there are too many or `compact` says so; then remove the packs
 * carried over, those nothing uses, leftovers of stopped commits and
 * anything else in the folder but the `spare` spool, of what is set while
 * this commit runs.
 */
async function writePacks(
  folder: string,
  pending: ReadonlyMap<string, NewEntry>,
  used: ReadonlySet<string>,
  index: ReadonlyMap<string, PackEntry>,
  packs: readonly Pack[],
  {prune, compact, spool, spare}: {prune: boolean; compact: boolean; spool?: Spool | undefined; spare?: () => string | undefined}
): Promise<void> {
  await Promise.all([...pending.values()].map((entry) => entry.ready))
  fs.mkdirSync(folder, {recursive: true})
  if (spool) flushSpool(spool)
  const carried: Array<[string, PackEntry]> = []
  const gone: Pack[] = []
  if (prune) {
    const live = new Map<Pack, Array<[string, PackEntry]>>(packs.map((pack) => [pack, []]))
    for (const id of used) {
      const entry = pending.has(id) ? undefined : index.get(id)
      if (entry) live.get(entry.pack)!.push([id, entry])
    }
    const merge = compact || packs.length + 1 > maxPacks
    for (const [pack, entries] of live) {
      const bytes = entries.reduce((sum, [, entry]) => sum + entry.length, 0)
      if (bytes === 0 || merge || bytes < pack.bytes * keepShare) {
        gone.push(pack)
        carried.push(...entries)
      }
    }
  }
  let written: string | undefined
  if (pending.size > 0 || carried.length > 0) {
    // The pack is the spool (the entries written to it as they were made) and, after them, the rest.
    const chunks: Buffer[] = []
    const list: Array<[string, string, number, number, string, 0 | 1]> = []
    const start = spool?.fd !== undefined ? spool.size : 0
    let offset = start
    const listed = (id: string, at: number, length: number, deflated: boolean, hash: string) => {
      const slash = id.indexOf('/')
      list.push([id.slice(0, slash), id.slice(slash + 1), at, length, hash, deflated ? 1 : 0])
    }
    const add = (id: string, stored: Buffer, deflated: boolean, hash = deflated ? '' : entryHash(stored)) => {
      listed(id, offset, stored.length, deflated, hash)
      chunks.push(stored)
      offset += stored.length
    }
    for (const [id, entry] of pending) {
      if (entry.stored) add(id, entry.stored, entry.deflated)
      else if (start > 0 && entry.spool === spool) listed(id, entry.offset!, entry.length!, entry.deflated, entry.hash!)
    }
    const wholes = new Map<Pack, Buffer | undefined>()
    for (const [id, entry] of carried) {
      if (!wholes.has(entry.pack)) wholes.set(entry.pack, readWhole(entry.pack.file))
      const whole = wholes.get(entry.pack)
      // A damaged entry is not carried: it is made again when next asked for.
      const stored = whole && storedBytes(entry, whole)
      if (stored) add(id, stored, entry.deflated, entry.hash)
    }
    const indexBytes = Buffer.from(JSON.stringify(list), 'utf8')
    const footer = Buffer.alloc(footerSize)
    packMagic.copy(footer, 0)
    footer.writeUInt32LE(indexBytes.length, 8)
    Buffer.from(entryHash(indexBytes), 'hex').copy(footer, 16)
    const generation = Math.max(0, ...packs.map((pack) => pack.generation), ...generationsIn(folder)) + 1
    const file = path.join(folder, `${String(generation).padStart(12, '0')}.pack`)
    const temp = start > 0 ? spool!.file : `${file}.${process.pid}.tmp`
    // Written after the spool's entries as they lie in memory, a thousand at a time: no copy of the whole pack is made.
    chunks.push(indexBytes, footer)
    const handle = await fs.promises.open(temp, start > 0 ? 'r+' : 'w')
    try {
      let at = start
      for (let from = 0; from < chunks.length; from += 1024) {
        const batch = chunks.slice(from, from + 1024)
        const length = batch.reduce((sum, chunk) => sum + chunk.length, 0)
        const {bytesWritten} = await handle.writev(batch, at)
        if (bytesWritten !== length) throw new Error('short write')
        at += length
      }
      // A spool write that failed part way may have left bytes past the footer, where a reader looks for it.
      if (start > 0) await handle.truncate(at)
    } finally {
      await handle.close()
    }
    closeSpool(spool)
    await fs.promises.rename(temp, file)
    written = path.basename(file)
  }
  if (!prune) return
  const keep = new Set(packs.filter((pack) => !gone.includes(pack)).map((pack) => path.basename(pack.file)))
  if (written) keep.add(written)
  // The spool of what was set while this commit ran.
  const next = spare?.()
  if (next) keep.add(path.basename(next))
  for (const name of await fs.promises.readdir(folder)) {
    if (!keep.has(name)) await fs.promises.rm(path.join(folder, name), {recursive: true, force: true})
  }
}

function generationsIn(folder: string): number[] {
  try {
    return fs.readdirSync(folder).flatMap((name) => {
      const generation = packName.exec(name)?.[1]
      return generation ? [Number(generation)] : []
    })
  } catch {
    return []
  }
}

function readWhole(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file)
  } catch {
    return undefined
  }
}

/** What the memo in `folder` holds: the keys of each bucket (the newest pack's entry when two hold one). */
export function memoEntries(folder: string): Map<string, string[]> {
  const packs = openPacks(folder)
  closePacks(packs)
  const buckets = new Map<string, string[]>()
  const seen = new Set<string>()
  for (const pack of packs) {
    for (const id of pack.entries.keys()) {
      if (seen.has(id)) continue
      seen.add(id)
      const slash = id.indexOf('/')
      const bucket = id.slice(0, slash)
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), id.slice(slash + 1)])
    }
  }
  return buckets
}

/** Remove every entry of `bucket` from the memo in `folder` (its packs are written again without them). */
export async function forgetMemoBucket(folder: string, bucket: string): Promise<void> {
  const packs = openPacks(folder)
  const index = new Map<string, PackEntry>()
  for (const pack of packs) for (const [id, entry] of pack.entries) if (!index.has(id)) index.set(id, entry)
  const used = new Set([...index.keys()].filter((id) => !id.startsWith(`${bucket}/`)))
  try {
    await writePacks(folder, new Map(), used, index, packs, {prune: true, compact: true})
  } finally {
    closePacks(packs)
  }
}

/** A message as the memo keeps it. */
export interface StoredMessage {
  reason: string
  line: number | undefined
  column: number | undefined
  endLine: number | undefined
  endColumn: number | undefined
  ruleId: string | undefined
  source: string | undefined
  fatal: boolean | null | undefined
}

/** The messages of `file` from index `from` on, as plain data. */
export function storeMessages(file: VFile, from = 0): StoredMessage[] {
  return file.messages.slice(from).map((message) => ({
    reason: message.reason,
    line: message.line,
    column: message.column,
    endLine: message.place && 'start' in message.place ? message.place.end.line : undefined,
    endColumn: message.place && 'start' in message.place ? message.place.end.column : undefined,
    ruleId: message.ruleId,
    source: message.source,
    fatal: message.fatal
  }))
}

/** Put stored messages back on `file`, as they were. */
export function restoreMessages(file: VFile, messages: readonly StoredMessage[]): void {
  for (const stored of messages) {
    const start = stored.line === undefined ? undefined : {line: stored.line, column: stored.column ?? 1}
    const place =
      start && stored.endLine !== undefined ? {start, end: {line: stored.endLine, column: stored.endColumn ?? 1}} : start
    const message = file.message(stored.reason, {
      ...(place ? {place} : {}),
      ...(stored.ruleId ? {ruleId: stored.ruleId} : {}),
      ...(stored.source ? {source: stored.source} : {})
    })
    message.fatal = stored.fatal
  }
}
