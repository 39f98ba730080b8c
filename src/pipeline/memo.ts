/**
 * The render memo: what a build worked out for one post, one issue or one
 * page, kept under a key that hashes everything it was made from (the
 * post's bytes, the templates, the config, letterpress's own version...),
 * so it is reused exactly while those are unchanged and never otherwise.
 *
 * `build` keeps it on disk (ROOT/.cache/letterpress/memo, one file per
 * entry, pruned only after a good build); `dev` keeps its own on disk
 * (ROOT/.cache/letterpress/dev, for the next start) and in memory. An
 * entry that is truncated, foreign or of another format is ignored and made
 * again, never trusted. Entries no build used are removed after a build.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import type {VFile} from 'vfile'

/** Bumped when the stored shape of any entry changes. */
const memoFormat = 2

/** Memoised values by bucket (`post`, `render`, `issue`, `page`) and key. */
export interface Memo {
  /**
   * The folder a memo on disk lives in, where other threads may read what
   * it holds; `undefined` when what is set stays in this thread (in memory,
   * or read-only on disk).
   */
  readonly folder?: string | undefined
  /** Whether an entry is there (without reading it; it may still turn out unusable). */
  has(bucket: string, key: string): boolean
  get<T>(bucket: string, key: string): T | undefined
  set(bucket: string, key: string, value: unknown): void
  /** Count an entry as used without reading it (so `commit` keeps it for a later build that needs it). */
  keep(bucket: string, key: string): void
  /**
   * Keep what was set since the last `commit` and (unless `prune` is
   * false) forget the entries of every bucket that were neither read,
   * kept nor set since then.
   */
  commit(options?: {prune?: boolean}): Promise<void>
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
    keep(bucket, key) {
      const id = `${bucket}/${key}`
      if (entries.has(id)) used.add(id)
    },
    entries(bucket) {
      const prefix = `${bucket}/`
      return [...entries].filter(([id]) => id.startsWith(prefix)).map(([id, value]) => [id.slice(prefix.length), value])
    },
    async commit(options = {}) {
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

/**
 * The memo of `build`, in `folder` (one `bucket/key.bin` file per entry).
 * An entry is written as soon as it is set (to a temporary file, then
 * renamed, so a reader never sees half of one): a big site's renders are
 * not all held in memory until the end. An entry is only ever what its key
 * says, so one written by a build that then fails is still right.
 */
export function createDiskMemo(folder: string, options: DiskMemoOptions = {}): Memo {
  const pending = new Map<string, unknown>()
  const held = new Map<string, unknown>()
  const made = new Set<string>()
  const used = new Set<string>()
  const buckets = new Set<string>()
  const file = (bucket: string, key: string) => path.join(folder, bucket, `${key}.bin`)
  return {
    // A read-only memo's new entries never reach the folder: other threads must not count on finding them there.
    folder: options.readOnly ? undefined : folder,
    has: (bucket, key) => held.has(`${bucket}/${key}`) || pending.has(`${bucket}/${key}`) || fs.existsSync(file(bucket, key)),
    get<T>(bucket: string, key: string) {
      buckets.add(bucket)
      const id = `${bucket}/${key}`
      if (held.has(id)) {
        used.add(id)
        return held.get(id) as T
      }
      if (pending.has(id)) return pending.get(id) as T
      let stored: {format?: unknown; key?: unknown; value?: unknown}
      try {
        stored = v8.deserialize(fs.readFileSync(file(bucket, key))) as typeof stored
      } catch {
        return undefined
      }
      if (typeof stored !== 'object' || stored === null || stored.format !== memoFormat || stored.key !== key) return undefined
      used.add(id)
      if (options.hold) held.set(id, stored.value)
      return stored.value as T
    },
    set(bucket, key, value) {
      buckets.add(bucket)
      const id = `${bucket}/${key}`
      used.add(id)
      if (options.hold) held.set(id, value)
      if (!options.readOnly) {
        try {
          const target = file(bucket, key)
          if (!made.has(bucket)) {
            fs.mkdirSync(path.dirname(target), {recursive: true})
            made.add(bucket)
          }
          const temp = `${target}.${process.pid}.tmp`
          fs.writeFileSync(temp, v8.serialize({format: memoFormat, key, value}))
          fs.renameSync(temp, target)
          pending.delete(id)
          return
        } catch {
          // Kept in memory for this run instead: the memo only saves time.
        }
      }
      pending.set(id, value)
    },
    keep(bucket, key) {
      buckets.add(bucket)
      used.add(`${bucket}/${key}`)
    },
    async commit(commitOptions = {}) {
      if (options.readOnly) {
        pending.clear()
        used.clear()
        return
      }
      try {
        for (const bucket of commitOptions.prune === false ? [] : buckets) {
          let names: string[]
          try {
            names = await fs.promises.readdir(path.join(folder, bucket))
          } catch {
            continue
          }
          for (const name of names) {
            if (!used.has(`${bucket}/${name.replace(/\.bin$/, '')}`)) await fs.promises.rm(path.join(folder, bucket, name), {force: true})
          }
        }
      } catch {
        // The memo only saves time; a build that could not keep it still succeeded.
      }
      if (commitOptions.prune !== false) for (const id of held.keys()) if (!used.has(id)) held.delete(id)
      pending.clear()
      used.clear()
    }
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
