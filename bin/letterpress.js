#!/usr/bin/env node
// Entry point. Runs the compiled library in ../lib from its start-up bundle
// when there is one (see startup.js), else as modules.
//
// An installed package runs what it shipped: `npm pack` compiles lib/ afresh
// and makes the bundle before packing (`prepack` empties lib/, `prepare`
// builds it), and nothing here compiles or bundles in an install folder. A checkout of the repository (its tsconfig.json and
// TypeScript installed) compiles src/ whenever it is newer than lib/, and
// makes the bundle again whenever lib/ or an `npm install` is newer, so
// nobody working on letterpress has to remember a build step.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const built = path.join(root, 'lib', 'cli.js')
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')

/** A checkout of the repository, which may build itself; never an installed package (it ships neither file). */
function isCheckout() {
  return fs.existsSync(path.join(root, 'tsconfig.json')) && fs.existsSync(path.join(root, 'src')) && fs.existsSync(tsc)
}

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
  let builtAt = 0
  try {
    builtAt = fs.statSync(built).mtimeMs
  } catch {
    return true
  }
  return newestSource(path.join(root, 'src')) > builtAt
}

const checkout = isCheckout()
if (checkout && isStale()) {
  // Stamped with the time the compile started: a source saved while it runs is newer, so it is compiled next time.
  const started = new Date()
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
  const usable = checkout
    ? startup.bundleIsCurrent(root) || (await startup.makeBundle(root))
    : fs.existsSync(startup.bundlePath(root))
  if (usable) {
    try {
      cli = startup.loadBundle(startup.bundlePath(root), process.argv[2]).cli
    } catch {
      cli = undefined
    }
  }
}
cli ??= await import(pathToFileURL(built).href)
process.exitCode = await cli.main(process.argv.slice(2))
