/**
 * The options MkDocs authors write on a code fence (pymdownx.superfences /
 * pymdownx.highlight), read the same way by the highlighter, the web and the
 * email renderers:
 *
 * ```` ```python title="train.py" hl_lines="2 3" linenums="1" ````
 */

/** What a fence's info string asks for. */
export interface FenceInfo {
  /** The language as written (`Python`, `py`), if any. */
  language: string | undefined
  /** `title="..."`; absent when missing or empty. */
  title: string | undefined
  /** `hl_lines="1 3-5"` as inclusive 1-based ranges, counted from the block's first line. */
  highlightLines: Array<[number, number]>
  /** `linenums="N"`: number lines starting at N. */
  lineNumbersStart: number | undefined
}

const optionPattern = /([^\s=]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S*)))?/g

/**
 * Read a fence's language and options. Accepts `python title="x"` and the
 * pymdownx braced form `{ .python title="x" }` (remark splits that into
 * `lang: "{"` and the rest as meta). Unknown options are ignored.
 */
export function fenceInfo(lang: string | null | undefined, meta: string | null | undefined): FenceInfo {
  const info: FenceInfo = {
    language: undefined,
    title: undefined,
    highlightLines: [],
    lineNumbersStart: undefined
  }
  let rest = meta ?? ''
  if (lang && lang.startsWith('{')) {
    rest = (lang + ' ' + rest).trim().replace(/^\{/, '').replace(/\}$/, '')
  } else if (lang) {
    info.language = lang
  }

  for (const match of rest.matchAll(optionPattern)) {
    const key = match[1] ?? ''
    const value = match[2] ?? match[3] ?? match[4]
    if (value === undefined) {
      // Braced form: the first `.class` names the language.
      if (key.startsWith('.') && key.length > 1 && info.language === undefined) info.language = key.slice(1)
      continue
    }
    if (key === 'title') {
      info.title = value.trim() || undefined
    } else if (key === 'hl_lines') {
      info.highlightLines = lineRanges(value)
    } else if (key === 'linenums') {
      const start = Number.parseInt(value, 10)
      if (Number.isFinite(start) && start >= 0) info.lineNumbersStart = start
    }
  }
  return info
}

/** `"1 3-5"` (spaces or commas) to ranges; junk entries are dropped. */
function lineRanges(value: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (const part of value.split(/[\s,]+/)) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!match) continue
    const from = Number(match[1])
    const to = match[2] === undefined ? from : Number(match[2])
    if (from >= 1 && to >= from) ranges.push([from, to])
  }
  return ranges
}
