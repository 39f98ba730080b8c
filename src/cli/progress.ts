/**
 * The progress of a long command, stage by stage (reading posts, rendering
 * pages, ...) with counts: on a terminal one line redrawn in place with
 * done/total, rate and time left; in a pipe or a CI log a plain line now
 * and then (every few seconds, or as a stage passes another tenth), never a
 * control character; nothing at all for a run shorter than that. Either
 * way each stage's time and counts are kept for `--verbose` and
 * `--format json`.
 *
 * Written here rather than taken from a progress-bar package: what is
 * wanted is one line of text with two rhythms, over stages whose totals are
 * known only as they start (or, for pages, at their end), and the same
 * stages' timings afterwards. cli-progress draws bars and, off a terminal,
 * repeats them on a timer only; listr2 is a task runner with a dozen
 * packages behind it. The terminal part is a carriage return: the line is
 * rewritten over itself and padded with spaces where it got shorter, so not
 * even the live line needs an escape code (`NO_COLOR` means none at all).
 */
import {plural} from '../source/report.js'
import type {Stream} from './io.js'

/** What the pipeline says of where it is (its `RenderProgress`). */
export interface ProgressEvent {
  step: string
  done?: number | undefined
  total?: number | undefined
  reused?: number | undefined
}

/** A stage as it ended: how long it took in all, and its last counts. */
export interface StageRecord {
  step: string
  label: string
  seconds: number
  done?: number
  total?: number
  reused?: number
}

export interface Progress {
  /** Hear where the work is. */
  update(event: ProgressEvent): void
  /** Stop: erase the live line, and give each stage seen, in the order they started. */
  finish(): StageRecord[]
}

/** How progress shows: a line redrawn in place, plain lines now and then, or not at all. */
export type ProgressMode = 'live' | 'lines' | 'none'

export interface ProgressOptions {
  mode: ProgressMode
  /** Plain lines: the least time between two, and before the first, in milliseconds. */
  intervalMs: number
  /** A live line shows once the run is this old, in milliseconds. */
  delayMs?: number
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number
}

/** Each stage's words: what it does, what it counts, and what its `reused` count means. */
const stageWords: Record<string, {label: string; unit: string; reused: string}> = {
  load: {label: 'reading posts', unit: 'post', reused: ''},
  parse: {label: 'parsing posts in worker threads', unit: 'post', reused: ''},
  email: {label: 'rendering issues', unit: 'issue', reused: 'from the cache'},
  web: {label: 'rendering posts', unit: 'post', reused: 'from the cache'},
  workers: {label: 'rendering posts and issues in worker threads', unit: 'job', reused: ''},
  pages: {label: 'rendering pages', unit: 'page', reused: 'from the cache or OUT'},
  write: {label: 'writing', unit: 'file', reused: 'unchanged'},
  send: {label: 'sending', unit: 'message', reused: ''}
}

function wordsOf(step: string): {label: string; unit: string; reused: string} {
  return stageWords[step] ?? {label: step, unit: 'item', reused: 'reused'}
}

interface Segment {
  step: string
  /** When this run of events of one stage began. */
  since: number
  /** `done` when it began, so the rate counts only this segment's work. */
  doneAtStart: number
  done?: number | undefined
  total?: number | undefined
}

export function startProgress(stream: Stream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now())
  const {mode, intervalMs} = options
  const delayMs = options.delayMs ?? 500
  const started = now()
  const records = new Map<string, StageRecord>()
  let current: Segment | undefined
  /** The live line's length on screen (0: none shown). */
  let shown = 0
  let lastDraw = -Infinity
  let lastLine = started
  let lastTenth = -1

  const close = (at: number) => {
    if (current) records.get(current.step)!.seconds += (at - current.since) / 1000
  }

  const draw = (at: number) => {
    if (!current || mode === 'none') return
    if (mode === 'live') {
      if (at - started < delayMs || at - lastDraw < 100) return
      lastDraw = at
      const text = fit(describe(current, at), stream.columns - 1)
      stream.write(`\r${text.padEnd(shown)}`)
      shown = text.length
      return
    }
    if (at - started < intervalMs) return
    const tenth = current.total ? Math.floor((10 * (current.done ?? 0)) / current.total) : -1
    if (at - lastLine < intervalMs && !(tenth > lastTenth && at - lastLine >= intervalMs / 5)) return
    lastLine = at
    lastTenth = tenth
    stream.write(describe(current, at) + '\n')
  }

  const timer = mode === 'none' ? undefined : setInterval(() => draw(now()), mode === 'live' ? 250 : Math.min(1000, intervalMs / 5))
  timer?.unref()

  return {
    update(event) {
      const at = now()
      if (current?.step !== event.step) {
        close(at)
        current = {step: event.step, since: at, doneAtStart: event.done ?? 0}
        lastTenth = -1
        if (!records.has(event.step)) records.set(event.step, {step: event.step, label: wordsOf(event.step).label, seconds: 0})
      }
      const record = records.get(event.step)!
      if (event.done !== undefined) record.done = current.done = event.done
      if (event.total !== undefined) record.total = current.total = event.total
      if (event.reused !== undefined) record.reused = event.reused
      draw(at)
    },
    finish() {
      if (timer) clearInterval(timer)
      close(now())
      current = undefined
      if (shown > 0) stream.write(`\r${' '.repeat(shown)}\r`)
      return [...records.values()].map((record) => ({...record, seconds: Math.round(record.seconds * 100) / 100}))
    }
  }
}

/** `rendering pages 312/416 (75%), 52/s, about 2 s left`; a stage without counts says how long it has run. */
function describe(segment: Segment, at: number): string {
  const seconds = (at - segment.since) / 1000
  const {label} = wordsOf(segment.step)
  const {done, total} = segment
  if (done === undefined) return `${label} (${duration(seconds)})`
  let text = `${label} ${done}${total !== undefined ? `/${total}` : ''}`
  if (total) text += ` (${Math.floor((100 * done) / total)}%)`
  const made = done - segment.doneAtStart
  if (seconds >= 1 && made > 0) {
    const rate = made / seconds
    text += `, ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`
    if (total !== undefined && total > done) text += `, about ${duration((total - done) / rate)} left`
  } else if (seconds >= 1) text += `, ${duration(seconds)} so far`
  return text
}

/** `4 s`, `2 min 5 s`: whole seconds, rounded up. */
export function duration(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds))
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`
}

/** `text` cut to `width` characters, so a live line never wraps (a wrapped line cannot be erased). */
function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 3)) + '...'
}

/** `--verbose`: one line per stage, `rendering pages: 416 pages (400 from the cache or OUT) in 2.31 s`. */
export function formatStages(records: readonly StageRecord[]): string {
  return records
    .map((record) => {
      const words = wordsOf(record.step)
      let counts = ''
      if (record.done !== undefined) {
        counts = ' ' + plural(record.done, words.unit)
        if (record.total !== undefined && record.total !== record.done) counts += ` of ${record.total}`
        if (record.reused !== undefined && words.reused) counts += ` (${record.reused} ${words.reused})`
      }
      return `${record.label}:${counts} in ${record.seconds.toFixed(2)} s`
    })
    .join('\n')
}
