// Start-up: the compiled library as one script, and V8's code cache for it.
//
// Loading lib/ as ES modules costs about half a second on every run: Node
// resolves, reads, compiles and links some 750 module files, most of them
// dependencies. esbuild joins the library and those dependencies into
// lib/letterpress.cjs, and V8 keeps the bytecode it compiled for that file
// in lib/letterpress.cjs.cache after the first run, so later runs skip both
// the module loader and the compiler. A build's worker threads load the
// same bundle and cache (read only) when the main thread runs from it. The
// ES modules in lib/ stay what the package exports, and the fallback
// whenever the bundle cannot be made or used.
//
// The bundle is made in a checkout of the repository (`npm run compile`,
// which `prepare` runs, and the entry point when lib/ is newer) and shipped
// in the package; an installed package never makes it. The code cache is
// written next to the bundle when that folder is writable, and skipped
// silently when it is not (see docs/packaging.md).
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import vm from 'node:vm'

/** Packages loaded only when needed (big, and loaded by `import()`), left out of the bundle. */
const lazyPackages = ['mjml', '@shikijs/langs', '@shikijs/themes']

/** The newest modification time of the compiled library's modules. */
function newestModule(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestModule(full))
    else if (entry.name.endsWith('.js')) newest = Math.max(newest, fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Where the bundle of `root`'s library lives. */
export function bundlePath(root) {
  return path.join(root, 'lib', 'letterpress.cjs')
}

/** The time of npm's last install into `root` (it rewrites these files), 0 when unknown. */
function installedAt(root) {
  let newest = 0
  for (const file of ['package-lock.json', path.join('node_modules', '.package-lock.json')]) {
    try {
      newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs)
    } catch {
      // Not there (an installed package has neither).
    }
  }
  return newest
}

/**
 * Whether lib/letterpress.cjs is there and at least as new as every module
 * in lib/ and as npm's last install (the bundle holds the dependencies too).
 */
export function bundleIsCurrent(root) {
  try {
    return fs.statSync(bundlePath(root)).mtimeMs >= Math.max(newestModule(path.join(root, 'lib')), installedAt(root))
  } catch {
    return false
  }
}

/**
 * Join lib/cli.js and everything it imports into lib/letterpress.cjs.
 * Returns false (and leaves no bundle) when esbuild is not installed or
 * the bundle would not be faithful.
 */
export async function makeBundle(root, target = bundlePath(root)) {
  fs.rmSync(target, {force: true})
  fs.rmSync(`${target}.cache`, {force: true})
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return false
  }
  // esbuild names a module by its real path. When node_modules is a link to
  // another folder, a path relative to that folder would point outside the
  // package once installed, and `createRequire(import.meta.url)` in a
  // dependency (sharp finds its platform binary so) would search the wrong
  // folders: name such modules by where root's node_modules shows them.
  const modules = path.join(root, 'node_modules')
  let realModules = modules
  try {
    realModules = fs.realpathSync(modules)
  } catch {
    // No node_modules: nothing to map.
  }
  const underRoot = (file) => (file.startsWith(realModules + path.sep) ? path.join(modules, file.slice(realModules.length + 1)) : file)
  const lazy = new RegExp(`^(${lazyPackages.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/|$)`)
  /** @type {import('esbuild').Plugin} */
  const faithful = {
    name: 'letterpress-faithful',
    setup(build) {
      build.onResolve({filter: /^[@a-z]/}, (args) => (lazy.test(args.path) ? {path: args.path, external: true} : undefined))
      // Each module keeps its own URL (lib/ finds its templates and its worker
      // from it), and a lazy package is imported through the loader below,
      // as V8 loses a script's own `import()` when its code comes from a cache.
      build.onLoad({filter: /\.(js|mjs|cjs)$/}, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8')
        if (!text.includes('import.meta.url') && !text.includes('import(')) return undefined
        // Relative to the bundle's folder (lib/), found when it runs: a bundle made elsewhere still finds its files.
        const own = path.relative(path.dirname(target), underRoot(args.path)).split(path.sep).join('/')
        const contents = text
          .replaceAll('import.meta.url', `__letterpressUrl(${JSON.stringify(own)})`)
          .replace(/\bimport\((?=\s*["'](mjml|@shikijs\/(langs|themes))[/"'])/g, '__letterpressImport(')
        return {contents, loader: 'js'}
      })
    }
  }
  try {
    const temp = `${target}.${process.pid}.tmp`
    await esbuild.build({
      entryPoints: [path.join(root, 'lib', 'cli.js')],
      // Only Node's own modules are left to `require`; the rest is in the file.
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      plugins: [faithful],
      banner: {
        js: 'const __letterpressUrl = (own) => require("node:url").pathToFileURL(require("node:path").join(__dirname, own)).href;'
      },
      logLevel: 'silent',
      legalComments: 'none'
    })
    // Any `import()` left would fail once the code comes from the cache: then no bundle at all.
    if (/\bimport\(\s*["'`]/.test(fs.readFileSync(temp, 'utf8'))) {
      fs.rmSync(temp, {force: true})
      return false
    }
    fs.renameSync(temp, target)
    return true
  } catch {
    return false
  }
}

/**
 * Load a bundle (by default lib/letterpress.cjs) with V8's code cache, and
 * return the exports of lib/cli.js and whether the cache was used. `kind`
 * names the run (`worker` for a build's worker thread, which reads the
 * cache but never writes it). The cache is written when there was none or
 * V8 turned it down (another Node), right after the bundle's own start-up
 * code has run: it holds what every run compiles first, and nothing a
 * single command went on to compile. A cache of a whole build (1.1–1.4 MB
 * of bytecode) costs more to take back than the few functions a build with
 * nothing changed compiles from the source: 0.1 s of a 0.6 s warm build,
 * and no edited build was faster with it. Its first bytes name the bundle
 * by size, time and inode, as V8 itself only checks a source's length.
 */
export function loadBundle(file, kind = 'other') {
  const source = fs.readFileSync(file, 'utf8')
  const stat = fs.statSync(file)
  const stamp = createHash('sha256')
    .update(`start-up cache 2 ${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs} ${stat.ino}`)
    .digest('hex')
    .slice(0, 16)
  const cacheFile = `${file}.cache`
  let cachedData
  try {
    const stored = fs.readFileSync(cacheFile)
    if (stored.subarray(0, 16).toString('latin1') === stamp) cachedData = stored.subarray(16)
  } catch {
    // No cache yet.
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname, __letterpressImport) {${source}\n})`
  const script = new vm.Script(wrapper, {filename: file, ...(cachedData ? {cachedData} : {})})
  const cached = cachedData !== undefined && !script.cachedDataRejected
  const module = {exports: {}}
  script.runInThisContext()(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
    (specifier) => import(specifier)
  )
  if (kind !== 'worker' && !cached) {
    try {
      const temp = `${cacheFile}.${process.pid}.tmp`
      fs.writeFileSync(temp, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()]))
      fs.renameSync(temp, cacheFile)
    } catch {
      // A read-only install runs without the cache.
    }
  }
  // Tells the render pool (lib/pipeline/pool.js) that it runs from this bundle, so its workers load it too.
  globalThis[Symbol.for('letterpress.bundle')] = {file, startup: import.meta.url}
  return {cli: module.exports, cached}
}

// `node bin/startup.js` (part of `npm run compile`): make the bundle now rather than on the first run.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
  if (!(await makeBundle(root))) console.error('letterpress: no start-up bundle (esbuild missing or unable); lib/ is loaded as modules')
}
