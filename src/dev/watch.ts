/**
 * Watch what a site is made of: posts/, templates/, issues/ (the editorial
 * notes) and letterpress.yml (or mkdocs.yml and its docs_dir), with node's `fs.watch` on every folder of
 * those trees (new folders are added as they appear). Not `recursive: true`:
 * on Linux, Node 20 emulates it with one watch per file and loses a file
 * for good once an editor saves it atomically (write aside, rename over),
 * which most editors do. A folder's own watch sees such renames. ROOT
 * itself is watched flat, so a source folder created or replaced later is
 * picked up, and nothing else in ROOT (dist/, .cache/, node_modules/) is
 * ever walked. Symbolic links to folders are followed only where the build
 * follows them: inside ROOT and not into OUT or the cache (a link to / or
 * to the home folder would otherwise spend the user's inotify watches).
 */
import fs from 'node:fs'
import path from 'node:path'
import {configFileNames, resolveConfig} from '../source/config.js'
import {issueNotesFolder} from '../email/notes.js'
import {postsFolder, refusedLink} from '../source/load.js'
import {mkdocsFileName} from '../source/mkdocs.js'

/** The folders under ROOT that hold sources. */
export const watchedFolders: readonly string[] = [postsFolder, 'templates', issueNotesFolder]

/** Options for `watchSite`. */
export interface WatchOptions {
  /** Absolute ROOT. */
  root: string
  /**
   * Called once changes have settled, with the paths that changed
   * (relative to ROOT, `/` separators, sorted).
   */
  onChange: (paths: string[]) => void
  /**
   * Called as a change begins, before its quiet time, with the paths seen
   * in its first events: work the settled change will likely need may start
   * early. `onChange` follows all the same; what started early must check
   * that the sources it read are the ones that settled.
   */
  onStart?: (paths: string[]) => void
  /** Quiet time before `onChange` (default 15 ms): an editor's save is often several events. */
  debounceMs?: number
  /** Longest wait while events keep coming (default 400 ms). */
  maxWaitMs?: number
  /** A watcher that failed (the change detection of that folder stops). */
  onError?: (error: Error) => void
  /**
   * The folder of posts relative to ROOT (default `posts`; an MkDocs
   * project's `docs_dir`), watched with templates/ and issues/.
   */
  contentFolder?: string
}

/** A running watch. */
export interface SiteWatcher {
  /** Stop watching; pending changes are dropped. */
  close(): void
}

/**
 * Whether a changed file is an editor's scratch file rather than a source:
 * dot-files and dot-folders (`.x.md.swp`, `.git/`), backups (`x.md~`), Emacs locks (`#x.md#`), Vim's
 * write probe (`4913`) and JetBrains' safe-write copies.
 */
export function isScratchFile(relative: string): boolean {
  const segments = relative.split('/')
  const name = segments.at(-1) ?? ''
  return (
    name === '' ||
    // Dot-folders are skipped by the build too (findContent).
    segments.some((segment) => segment.startsWith('.')) ||
    name.startsWith('#') ||
    name.endsWith('~') ||
    /\.(swp|swx|swo|tmp|crdownload)$/i.test(name) ||
    name === '4913' ||
    name.includes('___jb_')
  )
}

/** Watch ROOT's sources; see `WatchOptions`. */
export function watchSite(options: WatchOptions): SiteWatcher {
  const {root} = options
  const debounceMs = options.debounceMs ?? 15
  const maxWaitMs = options.maxWaitMs ?? 400
  /** Watched folders by path relative to ROOT (`posts`, `posts/2026/10`). */
  const folders = new Map<string, fs.FSWatcher>()
  const pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let firstPendingAt = 0
  let closed = false

  const flush = () => {
    timer = undefined
    if (closed || pending.size === 0) return
    const paths = [...pending].sort()
    pending.clear()
    options.onChange(paths)
  }

  // After the events node delivers together (an editor's write and rename), not after the first alone.
  const start = () => {
    if (!closed && pending.size > 0) options.onStart?.([...pending].sort())
  }

  const changed = (relative: string) => {
    if (closed) return
    if (pending.size === 0) {
      firstPendingAt = Date.now()
      if (options.onStart) setImmediate(start)
    }
    pending.add(relative)
    if (timer) clearTimeout(timer)
    const waited = Date.now() - firstPendingAt
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, maxWaitMs - waited)))
  }

  const report = (error: Error) => options.onError?.(error)

  const realOrSelf = (folder: string) => {
    try {
      return fs.realpathSync(folder)
    } catch {
      return folder
    }
  }
  const rootReal = realOrSelf(root)
  // `dev` renders with the config's defaults for OUT and the cache (it takes no --out).
  const {outDir, cacheDir, postsDir} = resolveConfig(root)
  /** Whether a link to the folder `real` is followed: where the build follows links (`refusedLink`). */
  const mayFollow = (real: string) =>
    refusedLink(real, true, {rootReal, baseReal: realOrSelf(postsDir), excluded: [outDir, cacheDir].map(realOrSelf)}) === undefined

  const isFolder = (relative: string) => {
    try {
      return fs.statSync(path.join(root, relative)).isDirectory()
    } catch {
      return false
    }
  }

  /** Stop watching a folder and everything under it. */
  const drop = (relative: string) => {
    for (const [folder, watcher] of folders) {
      if (folder === relative || folder.startsWith(relative + '/')) {
        watcher.close()
        folders.delete(folder)
      }
    }
  }

  /**
   * Watch a folder and, recursively, the folders in it (dot-folders and
   * node_modules skipped, as the build skips them). A folder that appears
   * after the start may already hold files written before its watch began
   * (`mkdir -p` then a copy, in one breath): those are reported as changed.
   */
  const add = (relative: string, announce = false, seen = new Set<string>()) => {
    if (closed || folders.has(relative)) return
    const full = path.join(root, relative)
    let real: string
    try {
      real = fs.realpathSync(full)
    } catch {
      return
    }
    // Links may loop back; watch each real folder once.
    if (seen.has(real)) return
    // The source folders themselves are read wherever they lead, as the build reads them.
    if (relative.includes('/') && fs.lstatSync(full, {throwIfNoEntry: false})?.isSymbolicLink() && !mayFollow(real)) return
    seen.add(real)
    let watcher: fs.FSWatcher
    try {
      watcher = fs.watch(full, (event, filename) => {
        if (!filename) {
          changed(relative)
          return
        }
        const child = `${relative}/${String(filename).split(path.sep).join('/')}`
        if (!isScratchFile(child)) changed(child)
        if (event === 'rename') {
          // A folder appeared, went away or was replaced: follow it.
          drop(child)
          if (!isScratchFile(child) && path.basename(child) !== 'node_modules' && isFolder(child)) add(child, true)
        }
      })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(error as Error)
      return
    }
    watcher.on('error', (error: NodeJS.ErrnoException) => {
      // The folder went away (its parent's watch has seen that), or the watch broke.
      watcher.close()
      if (folders.get(relative) === watcher) folders.delete(relative)
      if (error.code !== 'ENOENT' && error.code !== 'EPERM') report(error)
    })
    folders.set(relative, watcher)
    let entries: fs.Dirent[] = []
    try {
      entries = fs.readdirSync(full, {withFileTypes: true})
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const child = `${relative}/${entry.name}`
      if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(child))) add(child, announce, seen)
      else if (announce && !isScratchFile(child)) changed(child)
    }
  }

  const sourceFolders = options.contentFolder ? [options.contentFolder, ...watchedFolders.filter((name) => name !== postsFolder)] : watchedFolders
  for (const name of sourceFolders) add(name)

  const rootWatcher = fs.watch(root, (event, filename) => {
    const name = filename ? String(filename) : ''
    // Without letterpress.yml, mkdocs.yml is the config.
    if ((configFileNames as readonly string[]).includes(name) || name === mkdocsFileName) changed(name)
    else if (sourceFolders.includes(name)) {
      if (event === 'rename') {
        drop(name)
        add(name, true)
      }
      changed(name)
    }
  })
  rootWatcher.on('error', report)

  return {
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      rootWatcher.close()
      for (const watcher of folders.values()) watcher.close()
      folders.clear()
      pending.clear()
    }
  }
}
