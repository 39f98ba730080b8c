/**
 * The build memo on disk across builds: what one build sets, the next reads;
 * an entry set again under a key the memo holds is that same value, except
 * one that is replaced (updated in place), which the next build reads new.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {createDiskMemo} from '../src/pipeline/memo.js'

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
