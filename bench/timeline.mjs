// Which thread of one build was busy when: reads the CPU profiles that
// `node --cpu-prof --cpu-prof-dir=DIR bin/letterpress.js build ...` wrote
// (one per thread: the main thread and each worker) and prints, for each
// second from the first profile's start, how many milliseconds of it each
// thread spent not idle. Where a column drops while another runs on, a
// core waits.
//
// Usage: node bench/timeline.mjs DIR [SECONDS_PER_ROW]
import fs from 'node:fs'
import path from 'node:path'

const [dir, rowArg = '1'] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node bench/timeline.mjs DIR [SECONDS_PER_ROW]')
  process.exit(2)
}
const rowMicros = Number(rowArg) * 1e6
// Node names a thread's profile CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile: the main thread is 0.
const files = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .sort((a, b) => Number(a.split('.').at(-3)) - Number(b.split('.').at(-3)))
if (files.length === 0) {
  console.error(`no .cpuprofile files in ${dir}`)
  process.exit(2)
}
const profiles = files.map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')))
const start = Math.min(...profiles.map((profile) => profile.startTime))

/** Busy microseconds per row of one thread's profile. */
function busyRows(profile) {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id))
  const rows = []
  let at = profile.startTime
  for (let index = 0; index < profile.samples.length; index++) {
    at += profile.timeDeltas[index]
    // A sample stands for the time until the next one.
    const span = profile.timeDeltas[index + 1] ?? 0
    if (idle.has(profile.samples[index])) continue
    const row = Math.floor((at - start) / rowMicros)
    rows[row] = (rows[row] ?? 0) + span
  }
  return rows
}

const threads = profiles.map(busyRows)
const length = Math.max(...threads.map((rows) => rows.length))
const names = files.map((name) => (name.split('.').at(-3) === '0' ? 'main' : `worker ${name.split('.').at(-3)}`))
console.log(['  second', ...names.map((name) => name.padStart(9))].join(' '))
for (let row = 0; row < length; row++) {
  const cells = threads.map((rows) => String(Math.round((rows[row] ?? 0) / 1000)).padStart(9))
  console.log([String((row * rowMicros) / 1e6).padStart(8), ...cells].join(' '))
}
