#!/usr/bin/env node
// What the dialect costs over plain remark: parses the same generated posts
// with remark-parse + remark-gfm alone and with the whole letterpress dialect,
// and prints milliseconds per post (median of several rounds).
//
// Usage: node bench/parse.mjs [POSTS=1000] [ROUNDS=5]
// Needs the compiled library (npm ci, or any run of bin/letterpress.js) and
// ../shared/bench/corpus.mjs to generate the posts.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'

const here = path.dirname(fileURLToPath(import.meta.url))
const project = path.resolve(here, '..')
const posts = Number(process.argv[2] ?? 1000)
const rounds = Number(process.argv[3] ?? 5)
const generator = path.resolve(project, '..', 'shared', 'bench', 'corpus.mjs')
if (!fs.existsSync(generator)) {
  console.error(`needs ${generator} to generate the posts`)
  process.exit(2)
}
const dir = path.join(os.tmpdir(), `letterpress-parse-bench-${posts}`)
if (!fs.existsSync(path.join(dir, 'posts'))) {
  const result = spawnSync(process.execPath, [generator, dir, String(posts)], {stdio: 'inherit'})
  if (result.status !== 0) process.exit(1)
}
const texts = fs
  .readdirSync(path.join(dir, 'posts'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => fs.readFileSync(path.join(dir, 'posts', name), 'utf8'))

// Make sure lib/ is current, then load the real parser from it.
spawnSync(process.execPath, [path.join(project, 'bin', 'letterpress.js'), '--version'], {stdio: 'ignore'})
const {createParser} = await import(path.join(project, 'lib', 'source', 'parse.js'))

const plain = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)
const dialect = createParser()

/** One pass over every post; milliseconds per post. */
async function pass(processor, run) {
  const start = performance.now()
  for (const text of texts) {
    const file = new VFile({value: text, path: 'post.md'})
    const tree = processor.parse(file)
    if (run) await processor.run(tree, file)
  }
  return (performance.now() - start) / texts.length
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]

// Warm both up, then alternate rounds so both see the same machine state.
await pass(plain, false)
await pass(dialect, true)
const plainRounds = []
const dialectRounds = []
for (let round = 0; round < rounds; round++) {
  plainRounds.push(await pass(plain, false))
  dialectRounds.push(await pass(dialect, true))
}
const plainMs = median(plainRounds)
const dialectMs = median(dialectRounds)
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length
console.log(`posts: ${texts.length} (about ${(bytes / 1024).toFixed(1)} KB each), median of ${rounds} rounds`)
console.log(`remark-parse + remark-gfm:   ${plainMs.toFixed(2)} ms/post`)
console.log(`letterpress dialect:         ${dialectMs.toFixed(2)} ms/post`)
console.log(`dialect cost over plain:     +${(dialectMs - plainMs).toFixed(2)} ms/post (x${(dialectMs / plainMs).toFixed(2)})`)
