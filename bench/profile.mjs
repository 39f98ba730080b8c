// Summarise V8 CPU profiles (`node --cpu-prof --cpu-prof-dir=DIR ...`, one
// file per thread): each thread's self time by area (a package, a file of
// the library, GC, idle) and its top functions.
//
//   node bench/profile.mjs DIR_OR_FILE [--top N] [--from S] [--to S]
//
// `--from` and `--to` keep the samples taken between those seconds of each
// thread's profile (as `bench/timeline.mjs` numbers them), to see one stage.
//
// Code that ran from the start-up bundle (lib/letterpress.cjs) is put back
// under the package or library file it came from, by the `// path` comments
// esbuild writes above each module it joins.
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const target = process.argv[2]
if (!target) {
  console.error('usage: node bench/profile.mjs DIR_OR_FILE [--top N]')
  process.exit(2)
}
const topAt = process.argv.indexOf('--top')
const top = topAt > 0 ? Number(process.argv[topAt + 1]) || 25 : 25
const secondsOf = (flag, otherwise) => {
  const at = process.argv.indexOf(flag)
  return at > 0 ? Number(process.argv[at + 1]) : otherwise
}
const from = secondsOf('--from', 0)
const to = secondsOf('--to', Infinity)
const files = fs.statSync(target).isDirectory()
  ? fs.readdirSync(target).filter((name) => name.endsWith('.cpuprofile')).sort().map((name) => path.join(target, name))
  : [target]

/** An area from a module path: its package, or its file under src/ or lib/. */
function areaOfPath(file) {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  if (dependency) return dependency[1]
  const own = /(?:^|\/)(?:src|lib)\/(.*)$/.exec(file)
  if (own) return own[1].replace(/\.[jt]s$/, '')
  return path.basename(file)
}

/** For a bundle: the module each line belongs to, from esbuild's comments. */
const bundles = new Map()
function bundleModules(file) {
  if (!bundles.has(file)) {
    const starts = []
    try {
      const lines = fs.readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, index) => {
        const comment = /^\/\/ (\S+\.(?:c|m)?js)$/.exec(line)
        if (comment) starts.push([index, areaOfPath(comment[1])])
      })
    } catch {
      // Gone since: areas by file name only.
    }
    bundles.set(file, starts)
  }
  return bundles.get(file)
}

function area(url, name, line) {
  if (!url) return name === '(garbage collector)' ? '(gc)' : name.startsWith('(') ? name : '(native)'
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
  const file = url.startsWith('file:') ? fileURLToPath(url) : url
  if (file.endsWith('.cjs')) {
    const starts = bundleModules(file)
    let low = 0
    let high = starts.length - 1
    let found
    while (low <= high) {
      const middle = (low + high) >> 1
      if (starts[middle][0] <= line) {
        found = starts[middle][1]
        low = middle + 1
      } else high = middle - 1
    }
    if (found) return found
  }
  return areaOfPath(file)
}

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  let at = profile.startTime
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    at += delta
    const second = (at - profile.startTime) / 1e6
    if (second >= from && second < to) self.set(id, (self.get(id) ?? 0) + delta)
  })
  const total = [...self.values()].reduce((sum, time) => sum + time, 0)
  const areas = new Map()
  const functions = new Map()
  for (const [id, time] of self) {
    const {url, functionName, lineNumber} = byId.get(id).callFrame
    const where = area(url, functionName, lineNumber)
    areas.set(where, (areas.get(where) ?? 0) + time)
    const key = `${functionName || '(anonymous)'} ${where}`
    functions.set(key, (functions.get(key) ?? 0) + time)
  }
  console.log(`\n== ${path.basename(file)}: ${(total / 1e6).toFixed(2)} s sampled`)
  for (const [label, table] of [['by area (self time)', areas], ['top functions (self time)', functions]]) {
    console.log(` ${label}`)
    for (const [key, time] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${(time / 1e3).toFixed(0).padStart(7)} ms  ${key}`)
    }
  }
}
