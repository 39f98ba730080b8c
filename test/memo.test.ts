/**
 * The build memo on disk across builds: what one build sets, the next reads;
 * an entry set again under a key the memo holds is that same value, except
 * one that is replaced (updated in place), which the next build reads new.
 * What is set goes to disk as it is made (a spool, the next pack's body),
 * not only at the commit, and reads back the same before and after it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {createDiskMemo, type Memo} from '../src/pipeline/memo.js'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true})
})

function folder(): string {
  const made = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-memo-'))
  folders.push(made)
  return made
}

describe('the memo on disk', () => {
  it('should give the next build what a build set, and the replaced value of an entry updated in place', async () => {
    const at = folder()
    const first = createDiskMemo(at)
    first.set('part', 'a', {text: 'one'})
    first.set('search-index', 'latest', {version: 1})
    await first.commit()

    const second = createDiskMemo(at)
    expect(second.get('part', 'a')).toEqual({text: 'one'})
    expect(second.get('search-index', 'latest')).toEqual({version: 1})
    second.replace('search-index', 'latest', {version: 2})
    await second.commit()

    const third = createDiskMemo(at)
    expect(third.get('part', 'a')).toEqual({text: 'one'})
    expect(third.get('search-index', 'latest')).toEqual({version: 2})
    third.replace('search-index', 'latest', {version: 3})
    await third.commit()

    expect(createDiskMemo(at).get('search-index', 'latest')).toEqual({version: 3})
  })
})

/** `count` values of about `size` bytes each that deflate does not shrink much (so they stay big on disk). */
function values(count: number, size: number, seed: string): Array<{n: number; text: string}> {
  let state = [...seed].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7)
  return Array.from({length: count}, (_, n) => {
    let text = ''
    while (text.length < size) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      text += state.toString(36)
    }
    return {n, text}
  })
}

const spoolsIn = (at: string) => fs.readdirSync(at).filter((name) => name.startsWith('spool-'))
const packsIn = (at: string) => fs.readdirSync(at).filter((name) => name.endsWith('.pack'))
const readAll = (memo: Memo, bucket: string, count: number) => Array.from({length: count}, (_, n) => memo.get(bucket, String(n)))

describe('the memo spool', () => {
  it('should put what is set on disk before the commit, read it back from there, and leave only packs after it', async () => {
    const at = folder()
    const memo = createDiskMemo(at)
    // Small entries (stored as they are) of 2 MB in all: past the spool's batch, so some are written at once.
    const small = values(400, 5000, 'small')
    small.forEach((value, n) => memo.set('part', String(n), value))
    expect(spoolsIn(at)).toHaveLength(1)
    expect(fs.statSync(path.join(at, spoolsIn(at)[0]!)).size).toBeGreaterThan(1 << 20)
    expect(packsIn(at)).toEqual([])
    expect(readAll(memo, 'part', 400)).toEqual(small)

    await memo.commit()
    expect(spoolsIn(at)).toEqual([])
    expect(packsIn(at)).toHaveLength(1)
    expect(readAll(createDiskMemo(at), 'part', 400)).toEqual(small)
  })

  it('should keep big entries that are still being deflated when the commit begins, and the newest of an entry set twice', async () => {
    const at = folder()
    const memo = createDiskMemo(at)
    const big = values(150, 40_000, 'big')
    big.forEach((value, n) => memo.set('tree', String(n), value))
    memo.set('small', 'twice', {version: 1})
    const filler = values(300, 5000, 'filler')
    filler.forEach((value, n) => memo.set('part', String(n), value))
    memo.replace('small', 'twice', {version: 2})
    await memo.commit()

    const next = createDiskMemo(at)
    expect(readAll(next, 'tree', 150)).toEqual(big)
    expect(readAll(next, 'part', 300)).toEqual(filler)
    expect(next.get('small', 'twice')).toEqual({version: 2})
  })

  it('should leave what is set while a commit runs to the next commit, whose pruning keeps both', async () => {
    const at = folder()
    const memo = createDiskMemo(at)
    const first = values(300, 5000, 'first')
    first.forEach((value, n) => memo.set('first', String(n), value))
    const committing = memo.commit()
    const second = values(300, 5000, 'second')
    second.forEach((value, n) => memo.set('second', String(n), value))
    await committing
    // The second batch is in a spool of its own, past the batch size: on disk, not yet in a pack.
    expect(spoolsIn(at)).toHaveLength(1)
    expect(readAll(memo, 'second', 300)).toEqual(second)
    // Read from the first commit's pack, so that the next commit keeps them.
    expect(readAll(memo, 'first', 300)).toEqual(first)
    await memo.commit()

    const next = createDiskMemo(at)
    expect(readAll(next, 'first', 300)).toEqual(first)
    expect(readAll(next, 'second', 300)).toEqual(second)
    expect(spoolsIn(at)).toEqual([])
  })

  it('should remove the spool a stopped build left, at the next pruning commit', async () => {
    const at = folder()
    const stopped = createDiskMemo(at)
    values(300, 5000, 'stopped').forEach((value, n) => stopped.set('part', String(n), value))
    expect(spoolsIn(at)).toHaveLength(1)

    const next = createDiskMemo(at)
    // Nothing of the stopped build is read: it never committed.
    expect(next.get('part', '0')).toBeUndefined()
    next.set('part', 'kept', {kept: true})
    await next.commit()
    expect(spoolsIn(at)).toEqual([])
    expect(createDiskMemo(at).get('part', 'kept')).toEqual({kept: true})
  })
})
