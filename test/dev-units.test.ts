/**
 * The dev server's parts on their own: the watcher on a real folder, the
 * client injection, the email size as built, content types.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {main} from '../src/cli.js'
import {injectDevClient} from '../src/dev/client.js'
import {contentType, isSubresource} from '../src/dev/content-type.js'
import {builtSize} from '../src/dev/email-preview.js'
import {isScratchFile, watchSite, type SiteWatcher} from '../src/dev/watch.js'

describe('watchSite', () => {
  let root: string
  let watcher: SiteWatcher | undefined
  let batches: string[][]

  afterEach(() => {
    watcher?.close()
    watcher = undefined
    if (root) fs.rmSync(root, {recursive: true, force: true})
  })

  function start() {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-watch-'))
    fs.mkdirSync(path.join(root, 'posts', '2026', '10'), {recursive: true})
    fs.writeFileSync(path.join(root, 'posts', '2026', '10', 'a.md'), '# A\n')
    batches = []
    watcher = watchSite({root, debounceMs: 20, onChange: (paths) => batches.push(paths)})
  }

  /** Make a change and wait for the batch that names `expected`. */
  async function expectChange(change: () => void, expected: string) {
    batches = []
    change()
    const deadline = Date.now() + 5000
    while (!batches.flat().includes(expected)) {
      if (Date.now() > deadline) throw new Error(`no change reported for ${expected}; got ${JSON.stringify(batches)}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  function saveAtomically(relative: string, text: string) {
    const file = path.join(root, relative)
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.swp`)
    fs.writeFileSync(temp, text)
    fs.renameSync(temp, file)
  }

  it('should keep reporting a file that an editor saves atomically again and again', async () => {
    start()
    for (let round = 0; round < 4; round++) {
      await expectChange(() => saveAtomically('posts/2026/10/a.md', `# A ${round}\n`), 'posts/2026/10/a.md')
    }
    await expectChange(() => fs.writeFileSync(path.join(root, 'posts/2026/10/a.md'), '# In place\n'), 'posts/2026/10/a.md')
    // Editor scratch files alone never trigger a render.
    expect(batches.flat().some((changed) => changed.includes('.swp'))).toBe(false)
  })

  it('should watch an MkDocs project\'s docs_dir and mkdocs.yml when given its content folder', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-watch-'))
    fs.mkdirSync(path.join(root, 'docs', 'blog', 'posts'), {recursive: true})
    fs.writeFileSync(path.join(root, 'docs', 'blog', 'posts', 'a.md'), '# A\n')
    batches = []
    watcher = watchSite({root, contentFolder: 'docs', debounceMs: 20, onChange: (paths) => batches.push(paths)})
    await expectChange(() => saveAtomically('docs/blog/posts/a.md', '# A again\n'), 'docs/blog/posts/a.md')
    await expectChange(() => fs.writeFileSync(path.join(root, 'mkdocs.yml'), 'site_name: T\n'), 'mkdocs.yml')
  })

  it('should watch letterpress.yaml and letterpress.json as the config, as letterpress.yml', async () => {
    start()
    await expectChange(() => fs.writeFileSync(path.join(root, 'letterpress.yaml'), 'title: T\n'), 'letterpress.yaml')
    await expectChange(() => fs.writeFileSync(path.join(root, 'letterpress.json'), '{"title": "T"}\n'), 'letterpress.json')
  })

  it('should follow folders created after the start, under posts/ and at the top', async () => {
    start()
    await expectChange(() => {
      fs.mkdirSync(path.join(root, 'posts', '2027', '01'), {recursive: true})
      fs.writeFileSync(path.join(root, 'posts', '2027', '01', 'b.md'), '# B\n')
    }, 'posts/2027')
    // Give the new folders' watches a moment, then edit inside them.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expectChange(() => saveAtomically('posts/2027/01/b.md', '# B again\n'), 'posts/2027/01/b.md')

    await expectChange(() => fs.mkdirSync(path.join(root, 'templates', 'web'), {recursive: true}), 'templates')
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expectChange(() => fs.writeFileSync(path.join(root, 'templates', 'web', 'post.liquid'), 'x'), 'templates/web/post.liquid')
    await expectChange(() => fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: T\n'), 'letterpress.yml')
    await expectChange(() => {
      fs.mkdirSync(path.join(root, 'issues'))
      fs.writeFileSync(path.join(root, 'issues', '2026-10.md'), 'Hello\n')
    }, 'issues')
  })

  it('should name the files of a folder moved in whole, whose own watch began after they were written', async () => {
    start()
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-moved-'))
    fs.mkdirSync(path.join(outside, 'web'))
    fs.writeFileSync(path.join(outside, 'web', 'post.liquid'), 'x')
    await expectChange(() => fs.renameSync(outside, path.join(root, 'templates')), 'templates/web/post.liquid')
    fs.mkdirSync(path.join(outside, '11'), {recursive: true})
    fs.writeFileSync(path.join(outside, '11', 'c.md'), '# C\n')
    await expectChange(() => fs.renameSync(path.join(outside, '11'), path.join(root, 'posts', '2026', '11')), 'posts/2026/11/c.md')
    fs.rmSync(outside, {recursive: true, force: true})
  })

  it('should tell a change has begun before its quiet time ends, once per burst', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-watch-'))
    fs.mkdirSync(path.join(root, 'posts'), {recursive: true})
    const heard: string[] = []
    watcher = watchSite({
      root,
      debounceMs: 200,
      onStart: (paths) => heard.push(`start ${paths.join(' ')}`),
      onChange: (paths) => heard.push(`change ${paths.join(' ')}`)
    })
    fs.writeFileSync(path.join(root, 'posts', 'b.md'), '# B\n')
    const deadline = Date.now() + 5000
    while (heard.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    // Within the quiet time the start is known and the change is not; a second file joins the same change.
    expect(heard).toEqual(['start posts/b.md'])
    fs.writeFileSync(path.join(root, 'posts', 'c.md'), '# C\n')
    while (heard.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(heard).toEqual(['start posts/b.md', 'change posts/b.md posts/c.md'])
  })

  it('should merge a burst of changes into one call', async () => {
    start()
    batches = []
    for (const name of ['b', 'c', 'd']) fs.writeFileSync(path.join(root, 'posts', '2026', '10', `${name}.md`), '# x\n')
    const deadline = Date.now() + 5000
    while (batches.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(batches.length).toBe(1)
    expect(batches[0]).toEqual(['posts/2026/10/b.md', 'posts/2026/10/c.md', 'posts/2026/10/d.md'])
  })
})

describe('isScratchFile', () => {
  it('should tell editor scratch files from sources', () => {
    for (const name of ['posts/.a.md.swp', 'posts/a.md~', 'posts/#a.md#', 'posts/4913', 'posts/.git/HEAD', 'posts/a.md___jb_tmp___']) {
      expect(isScratchFile(name), name).toBe(true)
    }
    for (const name of ['posts/a.md', 'posts/2026', 'posts/assets/x.png', 'templates/web/post.liquid']) {
      expect(isScratchFile(name), name).toBe(false)
    }
  })
})

describe('injectDevClient', () => {
  it('should add the client before the last </body>', () => {
    const html = '<html><body><pre>&lt;/body&gt; </body> in text</pre></body></html>'
    const out = injectDevClient(html, {hash: 'abc', basePath: '/'})
    expect(out).toMatch(/<script src="\/__letterpress\/client\.js\?v=[0-9a-f]{10}" data-hash="abc" data-base="\/" defer><\/script>\n<\/body><\/html>$/)
    expect(out.startsWith('<html><body><pre>&lt;/body&gt; </body> in text</pre>')).toBe(true)
  })

  it('should append the client to a document without </body>', () => {
    expect(injectDevClient('<p>Hi', {hash: 'h', basePath: '/blog/'})).toMatch(/^<p>Hi\n<script [^>]*data-base="\/blog\/"[^>]*><\/script>\n$/)
  })
})

describe('builtSize', () => {
  it('should count issue.html as build writes it, with the site baseUrl in place of the dev one', () => {
    const html = '<a href="http://127.0.0.1:4321/x/">x</a><img src="http://127.0.0.1:4321/a.png">'
    const snapshot = {renderedBaseUrl: 'http://127.0.0.1:4321/', siteBaseUrl: 'https://letters.example/'}
    const built = html.replaceAll(snapshot.renderedBaseUrl, snapshot.siteBaseUrl)
    expect(builtSize(html, snapshot)).toBe(Buffer.byteLength(built))
    expect(builtSize(html, {renderedBaseUrl: undefined, siteBaseUrl: undefined})).toBe(Buffer.byteLength(html))
  })
})

describe('contentType', () => {
  it('should give browsers what a static host gives them', () => {
    expect(contentType('site/index.html')).toBe('text/html; charset=utf-8')
    expect(contentType('site/feed.xml')).toBe('application/xml; charset=utf-8')
    expect(contentType('site/assets/x.PNG')).toBe('image/png')
    expect(contentType('email/2026-10/issue.eml')).toBe('text/plain; charset=utf-8')
    expect(contentType('site/unknown.bin')).toBe('application/octet-stream')
    expect(isSubresource('site/assets/theme/theme.css')).toBe(true)
    expect(isSubresource('site/feed.xml')).toBe(false)
  })
})

describe('letterpress dev (usage)', () => {
  async function run(args: string[]) {
    let stderr = ''
    const code = await main(args, {stdout: () => {}, stderr: (text) => void (stderr += text), stdin: async () => new Uint8Array()})
    return {code, stderr}
  }

  it('should exit 2 for a port that is not a port, and for a root that does not exist', async () => {
    expect(await run(['dev', '--port', 'http'])).toEqual({code: 2, stderr: 'letterpress: --port must be a number from 0 to 65535, got http\n'})
    expect((await run(['dev', '--port', '70000'])).code).toBe(2)
    const missing = await run(['dev', '--root', path.join(os.tmpdir(), 'letterpress-no-such-root'), '--port', '0'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^letterpress: no such folder: /)
  })
})
