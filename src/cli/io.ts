/**
 * Where the command line writes, and what each stream is: a terminal gets
 * colour and a live progress line, a pipe or a CI log plain text.
 */
import picocolors from 'picocolors'

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: () => Promise<Uint8Array>
  /**
   * Whether stdout and stderr are terminals. Left out (as tests do), output
   * has neither colour nor progress lines, whatever the environment says.
   */
  stdoutTerminal?: boolean
  stderrTerminal?: boolean
  /** The terminal's width (80 when unknown). */
  columns?: number
  /** The environment that decides colour (`NO_COLOR`, `FORCE_COLOR`, `TERM`) and the progress interval. */
  env?: Readonly<Record<string, string | undefined>>
}

/** The process's own streams, looked at when asked (a test may swap them). */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  },
  get stdoutTerminal() {
    return process.stdout.isTTY === true
  },
  get stderrTerminal() {
    return process.stderr.isTTY === true
  },
  get columns() {
    return process.stderr.columns || process.stdout.columns || 80
  },
  get env() {
    return process.env
  }
}

/** Colour functions: real ones, or ones that give their text back unchanged. */
export type Colors = ReturnType<typeof picocolors.createColors>

/** One of the two streams, as a command writes to it. */
export interface Stream {
  write: (text: string) => void
  /** A terminal that the process knows of: a line may be redrawn in place. */
  terminal: boolean
  /** Whether the process knows what the stream is (`CliIo` says); else nothing but plain text goes to it. */
  known: boolean
  columns: number
  colors: Colors
}

/** `io`'s stdout or stderr. */
export function streamOf(io: CliIo, which: 'stdout' | 'stderr'): Stream {
  const terminalFact = which === 'stdout' ? io.stdoutTerminal : io.stderrTerminal
  const known = terminalFact !== undefined
  const terminal = terminalFact === true
  return {
    write: io[which],
    terminal,
    known,
    columns: io.columns ?? 80,
    colors: picocolors.createColors(known && colorWanted(terminal, io.env ?? {}))
  }
}

/**
 * Whether to colour a stream: never under `NO_COLOR` (any value but the
 * empty string, as no-color.org asks); always under `FORCE_COLOR` (unless
 * it is `0` or `false`), pipes included; else on a terminal that is not
 * `TERM=dumb`.
 */
export function colorWanted(terminal: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['NO_COLOR']) return false
  const force = env['FORCE_COLOR']
  if (force !== undefined) return force !== '0' && force !== 'false'
  return terminal && env['TERM'] !== 'dumb'
}
