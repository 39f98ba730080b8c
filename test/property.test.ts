/**
 * Property tests: arbitrary Markdown (built from a grammar of the dialect's
 * constructs and random text, up to about 100 KB) and arbitrary frontmatter
 * never crash the loader, the parser, the web and email renderers or the
 * issue builder, and every render ends. A refusal by the content guard
 * (`ContentLimitError`) is an answer, not a crash.
 *
 * The code under test runs in a worker thread (the compiled library), and
 * each case has a deadline: a case that does not answer in time kills the
 * worker and fails with its input, instead of hanging the suite. No
 * assertion is about time.
 */
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
/** More runs for a deeper search: `LETTERPRESS_PROPERTY_SCALE=10 npx vitest run test/property.test.ts`. */
const scale = Number(process.env.LETTERPRESS_PROPERTY_SCALE ?? '1') || 1
function runs(count: number): number {
  return Math.max(1, Math.round(count * scale))
}
/** A case that takes longer than this fails (the worker is killed and replaced). */
const deadline = 20_000

/** Runs one case per message with the compiled library; answers `{id, ok, result}` or `{id, ok: false, error}`. */
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads')
// KaTeX warns about characters it has no metrics for; random text has many.
console.warn = () => {}
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const {pathToFileURL} = require('node:url')
const lib = (name) => import(pathToFileURL(path.join(workerData.project, 'lib', name)).href)
let modules
async function load() {
  if (!modules) {
    const vfilePath = require.resolve('vfile', {paths: [workerData.project]})
    const [index, encoding, loader, parse, build, config, vfile] = await Promise.all([
      lib('index.js'), lib('source/encoding.js'), lib('source/load.js'), lib('source/parse.js'), lib('pipeline/build.js'), lib('source/config.js'),
      import(pathToFileURL(vfilePath).href)
    ])
    modules = {index, encoding, loader, parse, build, config, vfile, parser: parse.createParser()}
  }
  return modules
}
function tempRoot(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-property-'))
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  return root
}
const handlers = {
  // Busy forever: proves the deadline.
  async spin() {
    for (;;) {}
  },
  async decode(bytes) {
    const {encoding} = await load()
    const decoded = encoding.decodePost(bytes)
    if (typeof decoded.text !== 'string' || !Array.isArray(decoded.fixes)) throw new Error('decodePost: bad result')
    return {problem: decoded.problem?.ruleId}
  },
  async loadPost(bytes) {
    const {loader} = await load()
    const root = tempRoot({'posts/post.md': bytes})
    try {
      const file = await loader.loadPost(root, 'posts/post.md')
      return {messages: file.messages.length, text: typeof file.value === 'string'}
    } finally {
      fs.rmSync(root, {recursive: true, force: true})
    }
  },
  async parse(markdown) {
    const {parse, vfile, parser} = await load()
    const tree = await parse.parseFile(parser, new vfile.VFile({value: markdown}))
    if (tree.type !== 'root') throw new Error('parseFile: not a root')
    return {children: tree.children.length}
  },
  async web(markdown) {
    const {index} = await load()
    const html = await index.renderFragment(markdown)
    if (typeof html !== 'string') throw new Error('renderFragment: not a string')
    return {length: html.length}
  },
  async email(markdown) {
    const {index} = await load()
    const html = await index.renderFragment(markdown, {target: 'email', baseUrl: 'https://letters.example.org/'})
    if (typeof html !== 'string') throw new Error('renderFragment: not a string')
    return {length: html.length}
  },
  async build(posts) {
    const {build, config} = await load()
    const files = {'letterpress.yml': 'title: Property\\nbaseUrl: https://letters.example.org/\\n'}
    posts.forEach((content, index) => (files['posts/post-' + index + '.md'] = content))
    const root = tempRoot(files)
    try {
      const loaded = await config.loadConfig(root)
      const rendered = await build.renderOutputs(loaded.config, loaded.file)
      const errors = rendered.files.flatMap((file) => file.messages.filter((message) => message.fatal).map((message) => file.path + ':' + message.line + ' ' + message.ruleId + ' ' + message.reason))
      return {failed: rendered.failed, outputs: rendered.outputs.size, errors}
    } finally {
      fs.rmSync(root, {recursive: true, force: true})
    }
  }
}
parentPort.on('message', async ({id, kind, input}) => {
  try {
    parentPort.postMessage({id, ok: true, result: await handlers[kind](input)})
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      error: {name: error?.name, message: String(error?.message), stack: String(error?.stack), ruleId: error?.ruleId}
    })
  }
})
`

/** What the worker answered. */
type Answer =
  | {ok: true; result: Record<string, unknown>}
  | {ok: false; error: {name: string; message: string; stack: string; ruleId?: string}}

/** One worker at a time; replaced after a case misses its deadline. */
class Runner {
  private worker: Worker | undefined
  private next = 0
  private readonly waiting = new Map<number, (answer: Answer) => void>()

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(workerSource, {eval: true, workerData: {project}})
    worker.on('message', (message: {id: number} & Answer) => {
      this.waiting.get(message.id)?.(message)
      this.waiting.delete(message.id)
    })
    worker.on('error', (error) => {
      for (const resolve of this.waiting.values()) {
        resolve({ok: false, error: {name: 'WorkerError', message: error.message, stack: String(error.stack)}})
      }
      this.waiting.clear()
      this.worker = undefined
    })
    this.worker = worker
    return worker
  }

  /** Run one case; resolves to the answer, or to a timeout error after `ms`. */
  call(kind: string, input: unknown, ms = deadline): Promise<Answer> {
    const worker = this.start()
    const id = this.next++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        this.worker = undefined
        void worker.terminate()
        resolve({ok: false, error: {name: 'Timeout', message: `no answer in ${ms / 1000} s`, stack: ''}})
      }, ms)
      this.waiting.set(id, (answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
      worker.postMessage({id, kind, input})
    })
  }

  async stop(): Promise<void> {
    await this.worker?.terminate()
    this.worker = undefined
  }
}

const runner = new Runner()

/** A crash is any error but the guard's refusal; fails with the error and its stack. */
async function expectNoCrash(kind: string, input: unknown): Promise<void> {
  const answer = await runner.call(kind, input)
  if (answer.ok || answer.error.name === 'ContentLimitError') return
  throw new Error(`${kind} crashed: ${answer.error.name}: ${answer.error.message}\n${answer.error.stack}`)
}

// ------------------------------------------------------------------ arbitraries

const word = fc.constantFrom(
  'model', 'drift', 'feature', 'store', 'pipeline', 'latency', 'GPU', 'canary', 'rollback', 'schema', 'MLOps',
  'données', 'модель', '模型', '🚀', 'a', 'x', '1.5', '$5', '100%', 'C++', 'e.g.', 'HTML', 'API'
)
/** Text with any character (a bias toward the ones Markdown reads). */
const noise = fc.string({
  unit: fc.oneof(
    {weight: 3, arbitrary: fc.constantFrom(...'*_`~=^+$:[]()<>!{}#|\\-.&;"\'/ \t\n>%@')},
    {weight: 2, arbitrary: fc.constantFrom('a', 'b', 'Z', '0', '9', 'é', 'ß', '\u00a0', '\u200b', '\u0000', '\r')},
    {weight: 1, arbitrary: fc.string({minLength: 1, maxLength: 1, unit: 'binary'})}
  ),
  maxLength: 60
})
const url = fc.constantFrom(
  'https://example.org/a', '/assets/figure.png', 'other.md', '../x.md', '#intro', 'mailto:ops@example.org',
  'javascript:alert(1)', '<with space>', 'x(y)', '', 'data:text/html,hi', '\\assets\\win.png'
)

const inline: fc.Arbitrary<string> = fc.letrec<{inline: string}>((tie) => ({
  inline: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    {weight: 6, arbitrary: word},
    {weight: 2, arbitrary: noise},
    fc.tuple(fc.constantFrom('*', '**', '_', '__', '==', '^^', '^', '~', '~~', '++', '$', '`', '``'), tie('inline')).map(
      ([marker, body]) => `${marker}${body}${marker}`
    ),
    fc.tuple(tie('inline'), url, fc.option(word)).map(([text, href, title]) => `[${text}](${href}${title ? ` "${title}"` : ''})`),
    fc.tuple(word, url).map(([alt, src]) => `![${alt}](${src})`),
    fc.constantFrom(
      '<https://example.org>', ':smile:', ':rocket:', ':not-an-emoji:', '[^1]', '[^note]', '++ctrl+alt+del++', '$x^2$',
      '$$\\frac{1}{2}$$', '<span class="x">x</span>', '<!-- note -->', '&amp;', '&#x1F600;', '\\*', '  \n', '{: .x #y }',
      '<kbd>K</kbd>', 'H~2~O', 'x^2^', '[ref]', '[ref][]', '[[wiki]]', '<br>', '</div>', '<details>'
    ),
    fc.array(tie('inline'), {maxLength: 4}).map((parts) => parts.join(' '))
  )
})).inline

const paragraph = fc.array(inline, {minLength: 1, maxLength: 8}).map((parts) => parts.join(' '))

/** Indent every line of `text` by `by`. */
function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n')
}

const block: fc.Arbitrary<string> = fc.letrec<{block: string}>((tie) => ({
  block: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    {weight: 5, arbitrary: paragraph},
    fc.tuple(fc.integer({min: 1, max: 7}), paragraph).map(([level, text]) => `${'#'.repeat(level)} ${text}`),
    fc.tuple(fc.constantFrom('-', '*', '+', '1.', '2)', '- [ ]', '- [x]'), fc.array(tie('block'), {minLength: 1, maxLength: 3}), fc.constantFrom('\n', '\n\n')).map(
      ([marker, items, gap]) => items.map((item) => `${marker} ${indent(item, ' '.repeat(marker.length + 1)).trimStart()}`).join(gap)
    ),
    tie('block').map((body) => indent(body, '> ').replace(/^$/gm, '>')),
    fc.tuple(fc.constantFrom('[!NOTE]', '[!WARNING]', '[!TIP]'), tie('block')).map(([kind, body]) => `> ${kind}\n${indent(body, '> ')}`),
    fc.tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'python', 'yaml', 'mermaid', 'js title="x.js"'), noise).map(
      ([fence, info, code]) => `${fence}${info}\n${code}\n${fence}`
    ),
    noise.map((code) => indent(code.replaceAll('\n', ' '), '    ')),
    fc.tuple(fc.constantFrom('!!!', '???', '???+'), fc.constantFrom('note', 'tip', 'warning', 'danger', 'note inline end', 'x'), fc.option(word), tie('block')).map(
      ([marker, kind, title, body]) => `${marker} ${kind}${title === null ? '' : ` "${title}"`}\n\n${indent(body, '    ')}`
    ),
    fc.tuple(word, tie('block'), word, tie('block')).map(([a, one, b, two]) => `=== "${a}"\n\n${indent(one, '    ')}\n\n=== "${b}"\n\n${indent(two, '    ')}`),
    fc.tuple(paragraph, tie('block')).map(([term, body]) => `${term}\n:   ${indent(body, '    ').trimStart()}`),
    fc.tuple(fc.constantFrom(':::', '::::'), fc.constantFrom('note', 'tip', 'warning'), fc.option(word), tie('block')).map(
      ([fence, kind, title, body]) => `${fence}${kind}${title === null ? '' : `[${title}]`}\n${body}\n${fence}`
    ),
    fc.tuple(fc.integer({min: 1, max: 5}), fc.array(fc.array(inline, {minLength: 1, maxLength: 5}), {maxLength: 6})).map(([columns, rows]) => {
      const row = (cells: string[]) => '| ' + cells.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ') + ' |'
      return [row(Array.from({length: columns}, (_, index) => `h${index}`)), row(Array.from({length: columns}, () => ':--')), ...rows.map(row)].join('\n')
    }),
    noise.map((math) => `$$\n${math}\n$$`),
    fc.constantFrom('---', '***', '<div markdown>\n\n*x*\n\n</div>', '<table><tr><td>x</td></tr></table>', '<!-- more -->', '<script>x()</script>'),
    fc.tuple(word, url).map(([label, href]) => `[${label}]: ${href} "title"`),
    fc.tuple(word, paragraph).map(([label, text]) => `[^${label}]: ${text}`),
    fc.tuple(fc.constantFrom('HTML', 'MLOps', 'GPU'), word).map(([abbr, text]) => `*[${abbr}]: ${text}`),
    fc.tuple(paragraph, fc.constantFrom('{: .lead }', '{#id .x key="v"}', '{: }')).map(([text, attrs]) => `${text}\n${attrs}`)
  )
})).block

/** A document: blocks, now and then one repeated many times (up to about 100 KB). */
const markdown = fc
  .tuple(
    fc.array(block, {maxLength: 25}),
    fc.option(fc.tuple(block, fc.integer({min: 10, max: 1000})), {freq: 8}),
    fc.constantFrom('\n\n', '\n', '\r\n\r\n')
  )
  .map(([blocks, bulk, separator]) => {
    let text = blocks.join(separator)
    if (bulk) {
      const [repeated, times] = bulk
      text += separator + Array.from({length: Math.min(times, Math.floor(100_000 / (repeated.length + 2)))}, () => repeated).join(separator)
    }
    return text
  })

const yamlValue = fc.oneof(
  fc.string({maxLength: 30}),
  word,
  fc.integer(),
  fc.double({noNaN: false}),
  fc.boolean(),
  fc.constantFrom('2026-03-02', '2026-13-45', '2026-03-02T10:00:00Z', 'null', '~', '[a, b]', '{a: 1}', '"quoted"', "'single'", '|\n  block', '>-\n  folded', '*alias', '&anchor x', '[unclosed', '{{x}}', ': :', '- item', '!!binary aGk=', '--- ', '...'),
  fc.array(word, {maxLength: 4}).map((items) => `[${items.join(', ')}]`)
)
const yamlKey = fc.constantFrom('title', 'date', 'tags', 'slug', 'draft', 'description', 'authors', 'categories', 'page', 'cover', 'updated', 'aliases', 'x', 'TITLE', 'tags ', '? key', '"quoted key"')
/** Frontmatter: YAML-ish lines of known and unknown keys with random values, or random text. */
const frontmatter = fc.oneof(
  fc.array(fc.tuple(yamlKey, yamlValue).map(([key, value]) => `${key}: ${String(value)}`), {maxLength: 10}).map((lines) => lines.join('\n')),
  fc.string({maxLength: 200}),
  noise
)
/** Frontmatter a post publishes with: title, date, maybe tags and a description. */
const validFrontmatter = fc
  .tuple(
    fc.array(word, {minLength: 1, maxLength: 4}),
    fc.date({min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true}),
    fc.array(fc.constantFrom('mlops', 'data', 'ops', 'notes'), {maxLength: 3}),
    fc.option(fc.array(word, {maxLength: 8}))
  )
  .map(([title, date, tags, description]) =>
    [
      `title: ${JSON.stringify(title.join(' '))}`,
      `date: ${date.toISOString().slice(0, 10)}`,
      `tags: [${tags.join(', ')}]`,
      ...(description ? [`description: ${JSON.stringify(description.join(' '))}`] : [])
    ].join('\n')
  )

const post = fc.tuple(frontmatter, markdown).map(([yaml, body]) => `---\n${yaml}\n---\n\n${body}`)
/** A post that publishes: valid frontmatter and a body without NUL (which makes any file binary, not Markdown). */
const publishablePost = fc
  .tuple(validFrontmatter, markdown)
  .map(([yaml, body]) => `---\n${yaml}\n---\n\n${body.replaceAll('\0', '')}`)

/** Bytes of a post: UTF-8, UTF-16 with a BOM, Latin-1, or random bytes around it. */
const postBytes = fc.oneof(
  post.map((text) => new Uint8Array(Buffer.from(text, 'utf8'))),
  post.map((text) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))),
  post.map((text) => new Uint8Array(Buffer.from(text, 'latin1'))),
  fc.tuple(post, fc.uint8Array({maxLength: 64})).map(([text, junk]) => new Uint8Array(Buffer.concat([Buffer.from(text, 'utf8'), junk]))),
  fc.uint8Array({maxLength: 2048})
)

// ------------------------------------------------------------------ properties

beforeAll(() => {
  // Compile lib/ when src/ is newer (the CLI does that itself on each run).
  spawnSync(process.execPath, [bin, '--version'], {stdio: 'ignore', timeout: 300_000})
}, 320_000)

afterAll(async () => {
  await runner.stop()
})

describe('arbitrary posts', () => {
  it('should never crash decodePost', async () => {
    await fc.assert(fc.asyncProperty(postBytes, (bytes) => expectNoCrash('decode', bytes)), {numRuns: runs(60)})
  })

  it('should never crash loadPost', async () => {
    await fc.assert(fc.asyncProperty(postBytes, (bytes) => expectNoCrash('loadPost', bytes)), {numRuns: runs(15)})
  })

  it('should never crash parseFile', async () => {
    await fc.assert(fc.asyncProperty(post, (text) => expectNoCrash('parse', text)), {numRuns: runs(15)})
  })

  it('should render every document for the web, or refuse it', async () => {
    await fc.assert(fc.asyncProperty(markdown, (text) => expectNoCrash('web', text)), {numRuns: runs(15)})
  })

  it('should render every document for email, or refuse it', async () => {
    await fc.assert(fc.asyncProperty(markdown, (text) => expectNoCrash('email', text)), {numRuns: runs(10)})
  })

  it('should build a site and its issues from 1-3 arbitrary posts', async () => {
    let built = 0
    await fc.assert(
      // Every run has at least one well-formed post, plus up to two others that may be anything.
      fc.asyncProperty(fc.tuple(publishablePost, fc.array(fc.oneof({weight: 3, arbitrary: publishablePost}, post), {maxLength: 2})).map(([first, rest]) => [first, ...rest]), async (posts) => {
        const answer = await runner.call('build', posts)
        if (answer.ok && answer.result.failed === false) built++
        if (!answer.ok) throw new Error(`build crashed: ${answer.error.name}: ${answer.error.message}\n${answer.error.stack}`)
      }),
      {numRuns: runs(10)}
    )
    // Many runs get past validation (others meet a refused byte or the email size limit), so the
    // renderers and the issue builder really ran.
    expect(built).toBeGreaterThan(0)
  })

  it('should fail a case past its deadline instead of hanging, and go on with a new worker', async () => {
    const stuck = await runner.call('spin', null, 1000)
    expect(stuck).toMatchObject({ok: false, error: {name: 'Timeout'}})
    expect(await runner.call('parse', 'Fine.')).toMatchObject({ok: true})
  })
})
