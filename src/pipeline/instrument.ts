/**
 * What a build measures and manages of its own process: stage timings and
 * peak memory (LETTERPRESS_TIMINGS=1), how much rendered HTML it holds at
 * once, and when a big site's build collects its garbage.
 */
import v8 from 'node:v8'
import vm from 'node:vm'

let phaseAt = 0
let peakRss = 0
let sampler: NodeJS.Timeout | undefined
/**
 * With LETTERPRESS_TIMINGS=1, how long each stage of a build took and the
 * memory it reached (the process's resident size, sampled every 100 ms,
 * worker threads included), on stderr (for benchmarking).
 */
export function phase(name: string): void {
  if (process.env['LETTERPRESS_TIMINGS'] !== '1') return
  const now = performance.now()
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
  if (name !== 'start') {
    const {rss, heapUsed} = process.memoryUsage()
    peakRss = Math.max(peakRss, rss)
    process.stderr.write(`[timing] ${name}: ${Math.round(now - phaseAt)} ms (peak rss ${mb(peakRss)} MB, heap ${mb(heapUsed)} MB)\n`)
  }
  peakRss = 0
  sampler ??= setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100).unref()
  phaseAt = now
}

/**
 * How much post HTML (in characters) a render keeps in memory at once;
 * past it, bodies are read back from the memo one page at a time.
 * LETTERPRESS_BODY_BUDGET overrides it (tests use a tiny one).
 */
export function bodyBudget(): number {
  return Number(process.env['LETTERPRESS_BODY_BUDGET'] ?? '') || 64 * 2 ** 20
}

/** From this many posts on, a render collects its garbage every `collectEvery` pages (see `collectGarbage`). */
export const bigSite = 2000
export const collectEvery = 400
let collector: (() => void) | undefined

/**
 * A full garbage collection, now. V8 lets dead objects pile up towards its
 * heap limit (a quarter of the machine's memory) before it collects them,
 * and a big site's pages (tens of kilobytes of HTML each, dead once written
 * to the staging folder) would take a build to gigabytes that hold nothing
 * live; collecting now and then keeps its memory near what it uses.
 */
export function collectGarbage(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc')
    collector = vm.runInNewContext('gc') as () => void
  }
  collector()
}
