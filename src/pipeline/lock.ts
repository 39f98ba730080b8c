/**
 * Locks that keep two letterpress processes from writing the same folder at
 * once (two builds into one OUT would remove each other's staging folder).
 * A lock is a file created with O_EXCL that holds the owner's pid and host;
 * a lock whose process is gone (killed, crashed) is taken over.
 *
 * Hand-written rather than `proper-lockfile`: that library keeps a lock
 * alive by touching it on a timer and declares it stale (and throws in the
 * owner) once the timer has not run for `stale` ms, which a build's long
 * synchronous stretches (rendering thousands of pages) would trigger; and
 * it cannot say which process holds the lock. A pid file answers both.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The lock is held by another live process. */
export class LockBusyError extends Error {
  constructor(
    message: string,
    /** The holder's pid. */
    readonly pid: number
  ) {
    super(message)
  }
}

/** A held lock. */
export interface Lock {
  /** Give the lock up (removes the lock file; safe to call twice). */
  release(): void
}

const held = new Set<string>()
let exitHook = false

/**
 * Take the lock file `file` for this process. `what` names the folder it
 * guards in the message of the `LockBusyError` thrown when another live
 * process holds it, and `holder` that process (`another build`). Other
 * failures (the folder cannot be written) are thrown as they are, with
 * their `code`.
 */
export function acquireLock(file: string, what: string, holder = 'another build'): Lock {
  const content = `${process.pid}\n${os.hostname()}\n`
  fs.mkdirSync(path.dirname(file), {recursive: true})
  // A dead holder's lock is taken over; a second attempt covers a race with another process doing the same.
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, content, {flag: 'wx'})
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = readHolder(file)
    if ((owner && isAlive(owner)) || attempt > 1) {
      const pid = owner?.pid ?? 0
      throw new LockBusyError(`${holder} is writing ${what} (pid ${pid}); wait for it to finish, or stop it`, pid)
    }
    takeOver(file, owner?.text)
  }
  held.add(file)
  if (!exitHook) {
    exitHook = true
    // A process that ends without releasing (an uncaught error, process.exit) leaves no lock behind.
    process.on('exit', () => {
      for (const lock of held) removeQuietly(lock)
    })
  }
  return {
    release() {
      if (!held.delete(file)) return
      removeQuietly(file)
    }
  }
}

interface Holder {
  pid: number
  host: string
  text: string
}

function readHolder(file: string): Holder | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const [pid, host] = text.split('\n')
  const number = Number(pid)
  return Number.isInteger(number) && number > 0 ? {pid: number, host: host ?? '', text} : {pid: 0, host: '', text}
}

/** Whether the holder may still be running: always for another host (its pids cannot be checked from here). */
function isAlive(holder: Holder): boolean {
  if (holder.pid === 0) return false
  if (holder.host !== os.hostname()) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Remove a dead holder's lock, unless another process has replaced it in
 * the meantime: the file is renamed aside (atomic), checked, and put back
 * with `link` (which never overwrites) when it turns out to be a new lock.
 */
function takeOver(file: string, stale: string | undefined): void {
  const aside = `${file}.${process.pid}`
  try {
    fs.renameSync(file, aside)
  } catch {
    // Gone already: the next attempt creates it.
    return
  }
  let now: string | undefined
  try {
    now = fs.readFileSync(aside, 'utf8')
  } catch {
    now = undefined
  }
  if (stale !== undefined && now !== stale) {
    try {
      fs.linkSync(aside, file)
    } catch {
      // Someone else holds it now; the next attempt says who.
    }
  }
  removeQuietly(aside)
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, {force: true})
  } catch {
    // Nothing more can be done about it; a lock of a dead process is taken over.
  }
}
