/**
 * What a command prints besides its result: messages (coloured on a
 * terminal, grouped by file and counted by rule when there are many),
 * notes, progress, stage timings and the JSON document of `--format json`,
 * each as `--quiet`, `--verbose` and `--format` ask.
 */
import {Option, type Command} from 'commander'
import {formatText, plural, type Diagnostic, type TextStyle} from '../source/report.js'
import {streamOf, type CliIo, type Colors, type Stream} from './io.js'
import {formatStages, startProgress, type Progress, type ProgressEvent, type StageRecord} from './progress.js'

/** The options every command takes (`--format` only where it is offered). */
export interface OutputOptions {
  quiet?: boolean
  verbose?: boolean
  format?: 'text' | 'json'
}

/** From this many messages on, they are grouped by file on a terminal and counted by rule at the end. */
export const manyMessages = 10

/**
 * Seconds between two plain progress lines, and before the first, when
 * `LETTERPRESS_PROGRESS_INTERVAL` does not say (a shorter one also brings
 * the live line sooner than its half second).
 */
const defaultInterval = 5

/** Add `--quiet` and `--verbose` to `command` (and `--format text|json` with `format`). */
export function outputOptions(command: Command, format = false): Command {
  command
    .addOption(new Option('-q, --quiet', 'print errors and the summary only').conflicts('verbose'))
    .addOption(new Option('--verbose', 'also print how long each stage took and what it reused'))
  if (format) command.addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  return command
}

/** One command's output. */
export class Output {
  readonly out: Stream
  readonly err: Stream
  readonly quiet: boolean
  readonly verbose: boolean
  readonly json: boolean
  private shown: Progress | undefined
  private stages: StageRecord[] = []

  constructor(
    private readonly io: CliIo,
    options: OutputOptions
  ) {
    this.out = streamOf(io, 'stdout')
    this.err = streamOf(io, 'stderr')
    this.quiet = options.quiet === true
    this.verbose = options.verbose === true
    this.json = options.format === 'json'
  }

  /**
   * Start showing progress on stderr: live on a terminal, plain lines
   * elsewhere, none with `--quiet` or when the process does not know what
   * stderr is. The stages are recorded either way.
   */
  progress(): (event: ProgressEvent) => void {
    const mode = this.quiet || !this.err.known ? 'none' : this.err.terminal ? 'live' : 'lines'
    const seconds = Number(this.io.env?.['LETTERPRESS_PROGRESS_INTERVAL'])
    const intervalMs = 1000 * (seconds > 0 ? seconds : defaultInterval)
    const shown = startProgress(this.err, {mode, intervalMs, delayMs: Math.min(500, intervalMs)})
    this.shown = shown
    return (event) => shown.update(event)
  }

  /** Stop the progress (erasing a live line), keeping each stage's time and counts in `records`. */
  stopProgress(): void {
    if (!this.shown) return
    this.stages = this.shown.finish()
    this.shown = undefined
  }

  /** Each stage's time and counts, once the progress has stopped. */
  get records(): readonly StageRecord[] {
    return this.stages
  }

  /** With `--verbose`, each stage's time and counts, on stderr. */
  timings(): void {
    if (this.verbose && this.stages.length > 0) this.err.write(formatStages(this.stages) + '\n')
  }

  /**
   * Messages as text on `where` (only errors with `--quiet`): coloured when
   * it is a terminal or colour is forced; when there are many, a blank line
   * between files on a terminal, and a count by rule on stderr.
   */
  messages(list: readonly Diagnostic[], where: 'stdout' | 'stderr' = 'stderr'): void {
    const shown = this.quiet ? list.filter((item) => item.severity === 'error') : list
    if (shown.length === 0) return
    const stream = where === 'stdout' ? this.out : this.err
    const style = textStyle(stream.colors)
    const many = shown.length >= manyMessages
    const groups = many && stream.terminal ? byFile(shown) : [shown]
    stream.write(groups.map((group) => formatText(group, style)).join('\n\n') + '\n')
    if (many) this.err.write(formatRuleCounts(shown, this.err.colors) + '\n')
  }

  /** What did not stop the command but a person should know (not with `--quiet`). */
  notes(notes: readonly string[] | undefined): void {
    if (this.quiet) return
    for (const note of notes ?? []) this.err.write(`letterpress: warning: ${note}\n`)
  }

  /** `2 errors, 1 warning`, coloured where there are any. */
  counts(errors: number, warnings: number): string {
    const {red, yellow} = this.err.colors
    const errorText = plural(errors, 'error')
    const warningText = plural(warnings, 'warning')
    return `${errors > 0 ? red(errorText) : errorText}, ${warnings > 0 ? yellow(warningText) : warningText}`
  }

  /** `--format json`: the messages (as `check --format json` gives them) and the summary, on stdout. */
  document(messages: readonly Diagnostic[], summary: Record<string, unknown>): void {
    this.io.stdout(JSON.stringify({messages, summary}, null, 2) + '\n')
  }
}

/** Colours for a message line: the location, the severity, the rule. */
function textStyle(colors: Colors): TextStyle {
  return {
    location: colors.cyan,
    severity: (severity) => (severity === 'error' ? colors.red(colors.bold(severity)) : colors.yellow(severity)),
    rule: colors.dim
  }
}

/** Messages split into runs of one file each (they come sorted by file). */
function byFile(list: readonly Diagnostic[]): Diagnostic[][] {
  const groups: Diagnostic[][] = []
  for (const item of list) {
    const last = groups.at(-1)
    if (last && last[0]!.file === item.file) last.push(item)
    else groups.push([item])
  }
  return groups
}

/**
 * How many messages of each rule, most first:
 *
 *     messages by rule:
 *        20  link-missing
 *         3  frontmatter-date-invalid
 */
export function formatRuleCounts(list: readonly Diagnostic[], colors: Colors): string {
  const counts = new Map<string, {count: number; error: boolean}>()
  for (const item of list) {
    const entry = counts.get(item.rule) ?? {count: 0, error: false}
    entry.count++
    entry.error ||= item.severity === 'error'
    counts.set(item.rule, entry)
  }
  const rows = [...counts].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
  const width = String(rows[0]?.[1].count ?? 0).length
  const lines = rows.map(([rule, {count, error}]) => {
    const number = String(count).padStart(width + 4)
    return `${error ? colors.red(number) : colors.yellow(number)}  ${rule}`
  })
  return ['messages by rule:', ...lines].join('\n')
}
