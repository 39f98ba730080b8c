/**
 * What a build measures and manages of its own process: stage timings and
 * peak memory (LETTERPRESS_TIMINGS=1), how much rendered HTML it holds at
 * once, and when a big site's build collects its garbage.
 */
import vm from 'node:vm'

let phaseAt = 0
let stepAt = 0
let peakRss = 0
let sampler: NodeJS.Timeout | undefined
/** Whether the build reports its timings (LETTERPRESS_TIMINGS=1). */
export function timings(): boolean {
  return process.env['LETTERPRESS_TIMINGS'] === '1'
}

/**
 * With LETTERPRESS_TIMINGS=1, how long each stage of a build took and the
 * memory it reached (the process's resident size, sampled every 100 ms,
 * worker threads included), on stderr (for benchmarking).
 */
export function phase(name: string): void {
  if (!timings()) return
  const now = performance.now()
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
  if (name !== 'start') {
    const {rss, heapUsed, arrayBuffers} = process.memoryUsage()
    peakRss = Math.max(peakRss, rss)
    // Buffers: the main thread's bytes outside its heap (file contents, the memo's entries not yet spooled), which the heap hides.
    process.stderr.write(`[timing] ${name}: ${Math.round(now - phaseAt)} ms (peak rss ${mb(peakRss)} MB, heap ${mb(heapUsed)} MB, buffers ${mb(arrayBuffers)} MB)\n`)
  }
  peakRss = 0
  stepAt = now
  sampler ??= setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100).unref()
  phaseAt = now
}

/** With LETTERPRESS_TIMINGS=1, how long one step of the current stage took (since the stage or the last step began). */
export function step(name: string): void {
  if (!timings()) return
  const now = performance.now()
  process.stderr.write(`[timing]   ${name}: ${Math.round(now - stepAt)} ms\n`)
  stepAt = now
}

/**
 * How much post HTML (in characters) a render keeps in memory at once;
 * past it, bodies are read back from the memo one page at a time.
 * LETTERPRESS_BODY_BUDGET overrides it (tests use a tiny one).
 */
export function bodyBudget(): number {
  return Number(process.env['LETTERPRESS_BODY_BUDGET'] ?? '') || 64 * 2 ** 20
}

/**
 * From this many posts on a site is big: its render collects its garbage
 * every `collectEvery` pages (see `collectGarbage`) and its workers keep
 * nothing between jobs. LETTERPRESS_BIG_SITE overrides it (a test takes a
 * small site down the big site's path).
 */
export function bigSite(): number {
  return Number(process.env['LETTERPRESS_BIG_SITE'] ?? '') || 2000
}
export const collectEvery = 400

/**
 * A full garbage collection of this thread's heap, now: `globalThis.gc`
 * when node was started with `--expose-gc`, else through
 * `vm.measureMemory` run eagerly (node's one API that collects on demand
 * without a V8 flag; experimental, so its one-time warning is kept off the
 * build's output). A big site's pages are dead once staged and V8 lets
 * them pile up: at 10,000 posts the main thread's heap reached 915 MB in
 * the site stage, and the build peaked at 1.79 GB; collecting, 1.40 GB.
 */
export function collectGarbage(): void {
  const gc = (globalThis as {gc?: () => void}).gc
  if (gc) {
    gc()
    return
  }
  const emitWarning = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message
    if (!text.includes('vm.measureMemory')) (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    vm.measureMemory({mode: 'summary', execution: 'eager'}).catch(() => undefined)
  } catch {
    // Not in this runtime: V8 collects on its own schedule.
  } finally {
    process.emitWarning = emitWarning
  }
}

/**
 * Let the rest of this thread's work (answers from the workers, a dev
 * server's requests) run before going on: a turn of the event loop.
 */
export function giveWay(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
