/**
 * The send journal on disk: ROOT/.letterpress/sends/YYYY-MM.jsonl, kept
 * with the site (not in .cache, which people delete), one per issue.
 *
 * Each mark is one `write` to a file opened for appending, then `fdatasync`
 * before the caller goes on: once `append` returns, the mark survives a
 * kill -9 or a power cut, so a copy is on the server only after its
 * `sending` is on disk. A mark cut short by a crash is left as a broken
 * line, which reading skips; the next writer first ends it with a line
 * break so that its own first mark starts a line of its own.
 *
 * A lock file beside it (`YYYY-MM.jsonl.lock`) keeps two sends of the same
 * issue from running at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import {journalLine, readJournal, type JournalMark, type JournalReading} from '../email/journal.js'
import {acquireLock, type Lock} from './lock.js'

/** Where the journal of `month` is kept under ROOT. */
export function journalPath(root: string, month: string): string {
  return path.join(root, '.letterpress', 'sends', `${month}.jsonl`)
}

/** An open journal. */
export interface Journal {
  /** What the journal said when it was opened. */
  reading: JournalReading
  /** Write one mark durably. */
  append(mark: JournalMark): void
  /** Close the file and give up the lock. */
  close(): void
}

/**
 * Open the journal at `file` for appending (creating it and its folder),
 * holding its lock. Throws `LockBusyError` when another live process holds it.
 */
export function openJournal(file: string): Journal {
  const lock: Lock = acquireLock(`${file}.lock`, path.basename(file) + ' (the send journal of this issue)', 'another send')
  let fd: number | undefined
  try {
    let text = ''
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const created = text === '' && !fs.existsSync(file)
    fd = fs.openSync(file, 'a')
    if (created) syncFolder(path.dirname(file))
    // A line cut short by a crash: end it, so that it stays one broken line.
    if (text !== '' && !text.endsWith('\n')) writeDurably(fd, '\n')
    const open = fd
    return {
      reading: readJournal(text),
      append(mark) {
        writeDurably(open, journalLine(mark))
      },
      close() {
        fs.closeSync(open)
        lock.release()
      }
    }
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd)
    lock.release()
    throw error
  }
}

function writeDurably(fd: number, text: string): void {
  const bytes = Buffer.from(text)
  let written = 0
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written)
  fs.fdatasyncSync(fd)
}

/** Make a new file's name in `folder` durable too. */
function syncFolder(folder: string): void {
  let fd: number | undefined
  try {
    fd = fs.openSync(folder, 'r')
    fs.fsyncSync(fd)
  } catch {
    // Some file systems cannot sync a folder; the file's own data is synced regardless.
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
