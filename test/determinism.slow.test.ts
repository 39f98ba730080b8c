/**
 * Same input, same bytes, even on a machine too busy to keep up: a
 * code-heavy site (long blocks in many languages, lines near and over the
 * highlighting limit, markdown with fenced code inside, vue, enough posts
 * to spread over worker threads) is built cold three times through the CLI
 * while one CPU-burning child per core runs, and every output file (pages,
 * feeds, emails) must match byte for byte, as must the messages.
 *
 * Slow on purpose (`.slow.test.ts`: a fast tier can leave it out). The
 * burners are killed in `afterAll` and end by themselves after the
 * test's time limit in any case; no assertion is about time.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-determinism-'))
const root = path.join(work, 'root')
/** The longest line Shiki highlights (src/render/highlight.ts); the fixture has lines just under and over it. */
const limit = 5000

/** The test's time limit; the burners stop by themselves after it. */
const testTimeout = 900_000
const burners: ChildProcess[] = []

beforeAll(() => {
  makeSite()
  // Busy for at most the test's own time limit, even if this process dies without killing them.
  const burn = `const end = Date.now() + ${testTimeout}; while (Date.now() < end) {}`
  for (let core = 0; core < os.availableParallelism(); core++) {
    burners.push(spawn(process.execPath, ['-e', burn], {stdio: 'ignore'}))
  }
})

afterAll(() => {
  for (const burner of burners) burner.kill('SIGKILL')
  fs.rmSync(work, {recursive: true, force: true})
})

/** One line of code in each language, varied by `n`; blocks are many of these. */
const lineMakers: Record<string, (n: number) => string[]> = {
  python: (n) => [
    `def score_batch_${n}(rows: list[dict], threshold: float = 0.${n % 9 + 1}) -> dict[str, float]:`,
    `    """Score rows of shard ${n}; rows under the threshold are dropped."""`,
    `    kept = [row for row in rows if row.get("confidence", 0) >= threshold]  # shard ${n}`,
    `    return {"shard": ${n}, "kept": len(kept), "ratio": len(kept) / max(len(rows), 1)}`,
    ''
  ],
  typescript: (n) => [
    `export interface Job${n} { id: string; retries: number; tags: ReadonlyArray<'gpu' | 'cpu'> }`,
    `export async function run${n}(job: Job${n}, signal?: AbortSignal): Promise<number> {`,
    `  const started = performance.now(); await queue.push({...job, attempt: ${n} % 3}, {signal})`,
    `  return job.retries > ${n} ? Math.round(started) : \`job-\${job.id}\`.length`,
    '}'
  ],
  yaml: (n) => [
    `stage_${n}:`,
    `  image: "registry.example/trainer:${n}.0"  # pinned`,
    `  resources: {gpu: ${n % 4}, memory: "${8 * (n + 1)}Gi"}`,
    `  env: [ "SEED=${n}", 'MODE=shadow', PATH_ONLY ]`,
    `  enabled: ${n % 2 === 0 ? 'true' : 'no'}`
  ],
  bash: (n) => [
    `for shard in $(seq 0 ${n}); do`,
    `  aws s3 cp "s3://bucket/part-\${shard}.parquet" ./data/ --quiet || echo "missing \${shard}" >&2`,
    `done && python -m trainer --epochs ${n} 2>&1 | tee "logs/run-$(date +%s).log"`,
    `export WEIGHT_${n}=$(( ${n} * 2 )); [[ -f ".done-${n}" ]] && exit 0`
  ],
  sql: (n) => [
    `SELECT model_id, AVG(latency_ms) AS p${n}, COUNT(*) FILTER (WHERE status = 'error') AS errors`,
    `FROM inference_log WHERE shard = ${n} AND ts >= NOW() - INTERVAL '${n} days'`,
    `GROUP BY model_id HAVING COUNT(*) > ${n * 10} ORDER BY errors DESC; -- weekly ${n}`
  ],
  rust: (n) => [
    `pub fn window_${n}<'a>(xs: &'a [f32], size: usize) -> impl Iterator<Item = f32> + 'a {`,
    `    xs.windows(size.max(${n + 1})).map(|w| w.iter().sum::<f32>() / w.len() as f32) // ${n}`,
    '}',
    `#[derive(Debug, Clone)] struct Probe${n} { name: String, hits: u64 }`
  ],
  go: (n) => [
    `func drain${n}(ctx context.Context, ch <-chan []byte) (int, error) {`,
    `\tselect { case b := <-ch: return len(b) + ${n}, nil; case <-ctx.Done(): return 0, ctx.Err() }`,
    '}'
  ],
  css: (n) => [
    `.panel-${n} > .row:nth-child(${n}n + 1) { margin: 0 ${n}px; color: #${(0x123456 + n * 4099).toString(16).slice(0, 6)}; }`,
    `@media (min-width: ${480 + n * 10}px) { .panel-${n} { grid-template-columns: repeat(${n % 5 + 1}, 1fr) } }`
  ],
  json: (n) => [`  "run_${n}": {"lr": 0.00${n + 1}, "layers": [${n}, ${n * 2}, ${n * 3}], "tag": "exp-${n}", "ok": ${n % 2 === 0}},`],
  dockerfile: (n) => [
    `FROM python:3.${10 + (n % 3)}-slim AS stage${n}`,
    `RUN pip install --no-cache-dir "numpy==1.${n}.0" && useradd -m runner${n}`,
    `COPY --chown=runner${n} ./src /app/src`,
    `ENV SHARD=${n} WORKERS=${n % 4 + 1}`
  ],
  toml: (n) => [`[tool.runner.step${n}]`, `command = "train --seed ${n}"`, `retries = ${n % 5}`, `paths = ["a/${n}", 'b/${n}']`],
  diff: (n) => [`@@ -${n},3 +${n},4 @@ def load():`, `-    timeout = ${n}`, `+    timeout = ${n * 2}`, `+    retries = ${n % 3}`, '     return fetch()'],
  html: (n) => [`<section id="s${n}" class="card"><h2>Run ${n}</h2><p data-n="${n}">Loss &lt; 0.${n}</p><script>window.run${n} = ${n}</script></section>`]
}

/** A block of `lines` lines in `language`, made of its line makers from `from` on. */
function block(language: string, lines: number, from = 0): string {
  const out: string[] = []
  for (let n = from; out.length < lines; n++) out.push(...lineMakers[language]!(n))
  return '```' + language + '\n' + out.slice(0, lines).join('\n') + '\n```\n'
}

/** Minified-looking JavaScript on one line of exactly `length` characters. */
function minified(length: number): string {
  let text = ''
  for (let n = 0; text.length < length; n++) text += `var a${n}=function(b,c){return b+c*${n}/3-"s${n}"+\`t\${b}\`};`
  return text.slice(0, length)
}

/** A markdown block with fenced code and template syntax inside (its colours must not depend on other posts' languages). */
function markdownBlock(n: number): string {
  return [
    '````markdown',
    `# Runbook ${n}`,
    '',
    `Restart the {{ service_${n} }} only after the drain:`,
    '',
    '```python',
    ...lineMakers['python']!(n),
    '```',
    '',
    '```bash',
    ...lineMakers['bash']!(n),
    '```',
    '',
    `<div v-if="ready${n}">Ready: **${n}** of [the shards](./shards-${n}.md)</div>`,
    '````',
    ''
  ].join('\n')
}

const vueBlock = [
  '```vue',
  '<template>',
  '  <ul><li v-for="run in runs" :key="run.id" @click="pick(run)">{{ run.name }} ({{ run.loss.toFixed(3) }})</li></ul>',
  '</template>',
  '<script setup lang="ts">',
  "import {ref} from 'vue'",
  'const runs = ref<Array<{id: number; name: string; loss: number}>>([])',
  'function pick(run: {id: number}) { console.log(run.id) }',
  '</script>',
  '<style scoped>li { cursor: pointer; color: v-bind(accent) }</style>',
  '```',
  ''
].join('\n')

function write(relative: string, text: string): void {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
}

function post(relative: string, frontmatter: string[], body: string[]): void {
  write(relative, ['---', ...frontmatter, '---', '', ...body].join('\n'))
}

/**
 * Two issue months of code-heavy posts, each month led by a post in full
 * (so its code is in the email), plus short posts with one block each in a
 * rotating language.
 */
function makeSite(): void {
  write(
    'letterpress.yml',
    [
      'title: Build Weather',
      'baseUrl: https://buildweather.example/',
      'newsletter:',
      '  name: Build Weather',
      '  from: Build Weather <letters@buildweather.example>',
      '  address: Build Weather, 1 Example Row, Sampletown',
      ''
    ].join('\n')
  )
  post(
    'posts/2026/03/pipeline-walkthrough.md',
    ['title: A pipeline, end to end', 'date: 2026-03-03', 'email: full', 'tags: [pipelines]'],
    [
      'How a batch gets from the bucket to the scoreboard.',
      '',
      block('python', 20),
      markdownBlock(1),
      '<!-- more -->',
      '',
      `A line just under the limit, coloured to its end:\n\n\`\`\`javascript\n${minified(limit - 1)}\n\`\`\`\n`,
      block('yaml', 40),
      block('bash', 24),
      block('sql', 18)
    ]
  )
  post(
    'posts/2026/03/frontend-notes.md',
    ['title: The dashboard, rebuilt', 'date: 2026-03-11', 'tags: [frontend]'],
    [
      'The dashboard moved to typed components.',
      '',
      block('typescript', 70),
      vueBlock,
      block('html', 12),
      block('css', 30),
      `The bundle, pasted whole (too long to colour):\n\n\`\`\`js\n${minified(limit * 2 + 345)}\nconsole.log("after the bundle")\n\`\`\`\n`
    ]
  )
  post(
    'posts/2026/03/config-sprawl.md',
    ['title: Config sprawl', 'date: 2026-03-19', 'tags: [pipelines]'],
    [
      'Four formats for one setting.',
      '',
      '```json\n{\n' + lineMakers['json']!(0).join('\n') + '\n' + `  "blob": "${'ab01'.repeat(limit / 4 + 10)}"\n}\n` + '```\n',
      block('toml', 40),
      block('dockerfile', 32),
      block('diff', 25),
      markdownBlock(2)
    ]
  )
  post(
    'posts/2026/04/april-lead.md',
    ['title: Shadow runs in April', 'date: 2026-04-02', 'email: full', 'tags: [pipelines]'],
    [
      'Shadow traffic, one month on. The scorer, minified, as long as a coloured line can be:',
      '',
      `\`\`\`javascript\n${minified(limit)}\n\`\`\`\n`,
      markdownBlock(3),
      '<!-- more -->',
      '',
      block('python', 40, 7),
      block('rust', 28),
      `\`\`\`typescript\n${'const weights = [' + Array.from({length: 500}, (_, n) => (n * 0.37).toFixed(2)).join(', ') + ']'}\n\`\`\`\n`
    ]
  )
  post(
    'posts/2026/04/systems.md',
    ['title: Two services, two languages', 'date: 2026-04-14', 'tags: [systems]'],
    ['Rust for the scorer, Go for the router.', '', block('rust', 44, 3), block('go', 45), block('sql', 21, 4), vueBlock]
  )
  const rotation = ['python', 'typescript', 'yaml', 'bash', 'sql', 'rust', 'go', 'css', 'toml', 'dockerfile', 'diff', 'html']
  for (let index = 0; index < 16; index++) {
    const month = index % 2 === 0 ? '03' : '04'
    const language = rotation[index % rotation.length]!
    post(
      `posts/2026/${month}/short-${index}.md`,
      [`title: Short note ${index}`, `date: 2026-${month}-${String(1 + (index % 27)).padStart(2, '0')}`, `tags: [${language}]`],
      [
        `Note ${index}, in ${language}.`,
        '',
        index % 9 === 0 ? markdownBlock(10 + index) : index % 11 === 0 ? vueBlock : block(language, 8 + (index % 7), index)
      ]
    )
  }
}

/** A cold build on `workers` threads (`big`: down a big site's path, whose workers hand their posts to the cache midway). */
function build(out: string, workers: string, big = false) {
  fs.rmSync(path.join(root, '.cache'), {recursive: true, force: true})
  const result = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', out], {
    encoding: 'utf8',
    timeout: 400_000,
    env: {...process.env, LETTERPRESS_WORKERS: workers, ...(big ? {LETTERPRESS_BIG_SITE: '5'} : {})}
  })
  return {code: result.status, stderr: result.stderr.replace(/ in \d+\.\d+ s/, ' in N s').replace(/-> .*$/m, '')}
}

describe('a code-heavy site built cold three times on a busy machine', () => {
  it('should write the same bytes every time, on one thread or on workers', () => {
    const builds = ['0', '2', '3', '2 big'].map((workers, index) => {
      const out = path.join(work, `out-${index}`)
      return {out, ...build(out, workers.split(' ')[0]!, workers.endsWith('big'))}
    })
    const [first, ...rest] = builds
    expect(first!.code, first!.stderr).toBe(0)
    // The fixture does what it is for: long lines reported, emails written with coloured code.
    expect(first!.stderr).toContain('posts/2026/03/frontend-notes.md')
    expect(first!.stderr).toContain('code-line-too-long')
    expect(first!.stderr).toContain('posts/2026/03/config-sprawl.md')
    const march = fs.readFileSync(path.join(first!.out, 'email/2026-03/issue.html'), 'utf8')
    expect(march).toContain('score_batch_')
    expect(march).toMatch(/<span style="color:#[0-9A-F]{6}">/i)
    expect(fs.readFileSync(path.join(first!.out, 'email/2026-04/issue.html'), 'utf8')).toContain('Runbook 3')
    const hashes = fileHashes(first!.out)
    expect([...hashes.keys()]).toEqual(expect.arrayContaining(['email/2026-04/issue.eml', 'site/feed.xml', 'site/posts/frontend-notes/index.html']))
    for (const other of rest) {
      expect(other.code, other.stderr).toBe(0)
      expect(other.stderr).toBe(first!.stderr)
      expect(fileHashes(other.out)).toEqual(hashes)
    }
  }, testTimeout)
})
