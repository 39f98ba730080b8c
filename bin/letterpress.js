#!/usr/bin/env node
// Entry point. Runs the compiled library in ../lib; when the TypeScript in
// ../src is newer than that build (a fresh checkout, or after an edit), it
// compiles once first, so nobody has to remember a build step. The library
// runs from its start-up bundle when there is one (see startup.js).
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const built = path.join(root, 'lib', 'cli.js')

function newestSource(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full))
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs)
    }
  }
  return newest
}

function isStale() {
  const src = path.join(root, 'src')
  if (!fs.existsSync(src)) return false // an installed package ships lib/ only
  let builtAt = 0
  try {
    builtAt = fs.statSync(built).mtimeMs
  } catch {
    return true
  }
  return newestSource(src) > builtAt
}

if (isStale()) {
  // Stamped with the time the compile started: a source saved while it runs is newer, so it is compiled next time.
  const started = new Date()
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'inherit', 'inherit']
  })
  if (result.status !== 0) {
    console.error('letterpress: could not compile its own sources (see above)')
    process.exit(70)
  }
  // tsc leaves unchanged outputs alone; touch the marker so the next run is fast.
  fs.utimesSync(built, started, started)
}

// LETTERPRESS_BUNDLE=0 runs lib/ as modules (their own file names in stack traces).
let cli
if (process.env.LETTERPRESS_BUNDLE !== '0') {
  const startup = await import('./startup.js')
  if (startup.bundleIsCurrent(root) || (await startup.makeBundle(root))) {
    try {
      cli = startup.loadBundle(startup.bundlePath(root), process.argv[2]).cli
    } catch {
      cli = undefined
    }
  }
}
cli ??= await import(pathToFileURL(path.join(root, 'lib', 'cli.js')).href)
process.exitCode = await cli.main(process.argv.slice(2))
