/**
 * The dev render after a save: the saved post's page first (from the render
 * before), then the whole site, which must end exactly where a fresh render
 * of the same sources ends; and sources seen to change by their size and
 * times even when no watcher named them.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {createDevBuild, type DevBuild, type DevSnapshot} from '../src/dev/dev-build.js'
import {startDevServer} from '../src/dev/server.js'
import {memoEntries} from '../src/pipeline/memo.js'

let root: string
const origin = 'http://127.0.0.1:4999'

function write(relative: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
  fs.writeFileSync(path.join(root, relative), text)
}

const post = (title: string, date: string, tags: string[], body: string) =>
  `---\ntitle: ${title}\ndate: ${date}\ntags: [${tags.join(', ')}]\n---\n\n${body}\n`

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-dev-preview-'))
  write('letterpress.yml', 'title: Drift Log\nbaseUrl: https://drift.example/\n')
  write('posts/2026/03/feature-store.md', post('Feature store', '2026-03-02', ['features', 'ops'], 'We moved the features into one store.'))
  write('posts/2026/03/shadow-deploys.md', post('Shadow deploys', '2026-03-09', ['ops'], 'A shadow model answers every request and nobody sees it.\n\n!!! note\n    Shadows double the bill for a week.'))
  write('posts/2026/03/label-audit.md', post('Label audit', '2026-03-16', ['labels'], 'One label in twelve was wrong.'))
})

afterEach(() => {
  if (root) fs.rmSync(root, {recursive: true, force: true})
})

/** Every site output of a fresh render of ROOT as it is now. */
async function freshOutputs(): Promise<Map<string, unknown>> {
  const fresh = createDevBuild({root, origin})
  const snapshot = await fresh.rebuild([])
  expect(snapshot.failed).toBe(false)
  return snapshot.outputs
}

async function started(): Promise<DevBuild> {
  const build = createDevBuild({root, origin})
  const first = await build.rebuild([])
  expect(first.failed).toBe(false)
  return build
}

const page = 'site/posts/shadow-deploys/index.html'
const source = 'posts/2026/03/shadow-deploys.md'

describe('a save in dev', () => {
  it("should show the saved post's page before the rest, as the whole render then outputs it", async () => {
    const build = await started()
    const before = build.snapshot()
    write(source, post('Shadow deploys', '2026-03-09', ['ops'], 'A shadow model answers every request; we compare its answers nightly.'))
    const early: DevSnapshot[] = []
    const final = await build.rebuild([source], {onFirstPages: (snapshot) => void early.push(snapshot)})

    expect(early).toHaveLength(1)
    const first = early[0]!
    // Only the saved post's page changed, and it already says what was saved.
    expect([...first.changedOutputs]).toEqual([page])
    expect(String(first.outputs.get(page))).toContain('we compare its answers nightly')
    expect(first.outputs.get('site/index.html')).toBe(before.outputs.get('site/index.html'))
    expect(first.generation).toBe(before.generation + 1)

    // The whole render outputs the same page, and everything else as a fresh render would.
    expect(final.generation).toBe(first.generation + 1)
    expect(final.outputs.get(page)).toBe(first.outputs.get(page))
    expect(final.changedOutputs.has(page)).toBe(false)
    expect(String(final.outputs.get('site/index.html'))).toContain('we compare its answers nightly')
    const fresh = await freshOutputs()
    for (const [name, content] of fresh) if (typeof content === 'string') expect(final.outputs.get(name), name).toBe(content)
    expect([...final.outputs.keys()].sort()).toEqual([...fresh.keys()].sort())
  })

  it('should end exactly as a fresh render when the saved post changed what other posts show of it', async () => {
    const build = await started()
    // New tags: the related posts of this page and of others change, and a new tag page appears.
    write(source, post('Shadow deploys', '2026-03-09', ['features', 'canary'], 'A shadow model answers every request and nobody sees it.'))
    const early: DevSnapshot[] = []
    const final = await build.rebuild([source], {onFirstPages: (snapshot) => void early.push(snapshot)})
    expect(early).toHaveLength(1)
    expect(final.outputs.has('site/tags/canary/index.html')).toBe(true)
    expect(String(final.outputs.get(page))).toContain('Feature store')
    const fresh = await freshOutputs()
    for (const [name, content] of fresh) if (typeof content === 'string') expect(final.outputs.get(name), name).toBe(content)
  })

  it('should show a post begun early as it settled, when the editor wrote it again after the first event', async () => {
    const build = await started()
    const before = build.snapshot()
    write(source, post('Shadow deploys', '2026-03-09', ['ops'], 'A shadow model ans'))
    // The watcher's first event: the preview starts from the half-written file, and shows nothing yet.
    build.anticipate([source])
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(build.snapshot()).toBe(before)
    write(source, post('Shadow deploys', '2026-03-09', ['ops'], 'A shadow model answers, and its answers are logged.'))
    const early: DevSnapshot[] = []
    const final = await build.rebuild([source], {onFirstPages: (snapshot) => void early.push(snapshot)})
    expect(early).toHaveLength(1)
    expect(String(early[0]!.outputs.get(page))).toContain('its answers are logged')
    expect(String(early[0]!.outputs.get(page))).not.toContain('model ans<')
    expect(final.outputs.get(page)).toBe(early[0]!.outputs.get(page))
  })

  it('should render every saved post early when more were saved than the first event named', async () => {
    const build = await started()
    const other = 'posts/2026/03/label-audit.md'
    write(source, post('Shadow deploys', '2026-03-09', ['ops'], 'Shadows now run for three days.'))
    build.anticipate([source])
    write(other, post('Label audit', '2026-03-16', ['labels'], 'One label in twenty was wrong after the second pass.'))
    const early: DevSnapshot[] = []
    await build.rebuild([other, source], {onFirstPages: (snapshot) => void early.push(snapshot)})
    expect(early).toHaveLength(1)
    expect(String(early[0]!.outputs.get(page))).toContain('Shadows now run for three days.')
    expect(String(early[0]!.outputs.get('site/posts/label-audit/index.html'))).toContain('after the second pass')
  })

  it('should leave a post that moved to the whole render', async () => {
    const build = await started()
    write(source, post('Shadow deploys', '2026-04-01', ['ops'], 'Moved to April.'))
    fs.renameSync(path.join(root, source), path.join(root, 'posts/2026/03/shadow-deploys-april.md'))
    const early: DevSnapshot[] = []
    const final = await build.rebuild([source, 'posts/2026/03/shadow-deploys-april.md'], {onFirstPages: (snapshot) => void early.push(snapshot)})
    expect(early).toHaveLength(0)
    expect(final.outputs.has(page)).toBe(false)
    expect(String(final.outputs.get('site/posts/shadow-deploys-april/index.html'))).toContain('Moved to April.')
  })

  it('should give no early page when the saved post no longer parses, and report it', async () => {
    const build = await started()
    write(source, '---\ntitle: [unclosed\ndate: 2026-03-09\n---\n\nBroken.\n')
    const early: DevSnapshot[] = []
    const final = await build.rebuild([source], {onFirstPages: (snapshot) => void early.push(snapshot)})
    expect(early).toHaveLength(0)
    expect(final.failed).toBe(true)
    expect(final.diagnostics.some((item) => item.file === source && item.severity === 'error')).toBe(true)
  })

  it('should see a source that changed without a watcher naming it, even at the same size', async () => {
    const build = await started()
    const file = path.join(root, 'posts/2026/03/label-audit.md')
    const text = fs.readFileSync(file, 'utf8')
    const edited = text.replace('twelve', 'eleven')
    expect(edited.length).toBe(text.length)
    fs.writeFileSync(file, edited)
    const final = await build.rebuild([])
    expect(String(final.outputs.get('site/posts/label-audit/index.html'))).toContain('One label in eleven was wrong.')
  })

  it("should start from the last dev session's cache, keep it apart from build's, and render the same pages", async () => {
    const first = await started()
    const before = first.snapshot()
    const memo = path.join(root, '.cache', 'letterpress', 'dev')
    const packs = () => fs.readdirSync(memo).map((name) => [name, fs.statSync(path.join(memo, name)).mtimeMs])
    const made = packs()
    expect(memoEntries(memo).get('post')).toHaveLength(3)
    expect(fs.existsSync(path.join(root, '.cache', 'letterpress', 'memo'))).toBe(false)
    // A new session: nothing is parsed again, and every page is what the last session served.
    const second = await started()
    const after = second.snapshot()
    expect(packs()).toEqual(made)
    expect([...after.outputs.keys()].sort()).toEqual([...before.outputs.keys()].sort())
    for (const [name, content] of before.outputs) if (typeof content === 'string') expect(after.outputs.get(name), name).toBe(content)
    expect(after.diagnostics).toEqual(before.diagnostics)
  })

  it('should answer the reloaded page at once and render the rest of the site once that page has loaded again', async () => {
    const rebuilt: DevSnapshot[] = []
    // A long wait: the rest of the site renders only when the page comes back.
    const server = await startDevServer({root, port: 0, watch: false, reloadWaitMs: 60_000, onRebuild: (snapshot) => void rebuilt.push(snapshot)})
    try {
      await server.ready
      const url = '/posts/shadow-deploys/'
      const hashOf = (html: string) => /data-hash="([0-9a-f]+)"/.exec(html)![1]!
      const before = await (await fetch(server.origin + url)).text()
      const events = await openEvents(server.origin, url, hashOf(before))
      write(source, post('Shadow deploys', '2026-03-09', ['ops'], 'Shadow traffic now mirrors one request in ten.'))
      const done = server.rebuild([source])
      await events.reload
      const page = await (await fetch(server.origin + url)).text()
      expect(page).toContain('Shadow traffic now mirrors one request in ten.')
      // The home page still shows the render before: the rest of the site waits for the page.
      expect(await (await fetch(server.origin + '/')).text()).not.toContain('mirrors one request in ten')
      expect(rebuilt).toHaveLength(1)
      events.close()
      // The page loaded: its script connects again, and the rest of the site follows.
      const again = await openEvents(server.origin, url, hashOf(page))
      const final = await done
      expect(rebuilt).toHaveLength(2)
      expect(final.failed).toBe(false)
      expect(await (await fetch(server.origin + '/')).text()).toContain('mirrors one request in ten')
      again.close()
    } finally {
      await server.close()
    }
  })
})

/** The dev server's event stream as a page's script opens it; `reload` settles on the first reload event. */
async function openEvents(origin: string, pathname: string, hash: string): Promise<{reload: Promise<void>; close(): void}> {
  const controller = new AbortController()
  const response = await fetch(`${origin}/__letterpress/events?path=${encodeURIComponent(pathname)}&hash=${hash}`, {signal: controller.signal})
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const reload = (async () => {
    let text = ''
    for (;;) {
      const {value, done} = await reader.read()
      if (done) throw new Error('the event stream ended before a reload')
      text += decoder.decode(value, {stream: true})
      if (/^event: reload$/m.test(text)) return
    }
  })()
  reload.catch(() => {})
  return {reload, close: () => controller.abort()}
}
