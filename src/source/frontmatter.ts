/**
 * Frontmatter: the YAML block at the top of a post, kept in the tree by
 * remark-frontmatter, parsed with `yaml` (positions on every key and value),
 * checked with zod and returned typed. Every problem becomes a message at the
 * line and column of the offending key or value in the .md file; none is
 * thrown, and one problem never hides the next.
 *
 * YAML 1.2 core schema, as the `yaml` package reads it, with two allowances
 * for posts written for MkDocs (whose PyYAML reads YAML 1.1): `yes`/`no`/
 * `on`/`off` are booleans where a boolean is expected, and a bare number is
 * text where text is expected (`categories: [2023]`). Dates are never YAML
 * timestamps: they are read from the text as written, so `2024-13-45` is an
 * error rather than a rolled-over date, and no time zone of the machine
 * running the build can move them.
 */
import type {Root, Yaml} from 'mdast'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node as YamlNode,
  type Pair,
  type YAMLError
} from 'yaml'
import {z} from 'zod'
import {parseDate, type ParsedDate} from './dates.js'
import {sitePathProblem} from './url-policy.js'

export {parseDate, type DateProblem, type ParsedDate} from './dates.js'

/** Validated frontmatter of one post. */
export interface Frontmatter {
  title?: string
  /** Publication date, `YYYY-MM-DD`, the calendar date as written. */
  date?: string
  /** When `date` had a time: the instant as ISO 8601 in UTC (`…Z`). */
  datetime?: string
  /** Last update, `YYYY-MM-DD` (`updated:` or MkDocs' `date.updated`). */
  updated?: string
  /** When `updated` had a time: ISO 8601 in UTC. */
  updatedDatetime?: string
  /** Default `false`. */
  draft: boolean
  /** Lower-cased; only `a-z`, `0-9` and `-`. */
  slug?: string
  /** `description:`, or its alias `summary:`. */
  description?: string
  tags: string[]
  categories: string[]
  authors: string[]
  /** Cover image path as written (resolved later like any image). */
  cover?: string
  /**
   * Whether and how the post goes into its month's issue: `true` (the
   * site's default presentation), `'full'`, `'card'` or `false`. Default
   * `true`, or `false` for a page.
   */
  email: boolean | 'full' | 'card'
  /** Old URL paths that should lead here; each starts with `/`. */
  aliases: string[]
  /** A standalone page (about, now): no date needed, not in feeds or issues. */
  page: boolean
  /** Minutes to read, as the author gave them (MkDocs' `readtime`); counted from the words otherwise. */
  readtime?: number
  /** Whether the page shows its table of contents; `undefined`: when the post is long enough. */
  toc?: boolean
  /** Every key letterpress does not know, as plain values, for templates. */
  extra: Record<string, unknown>
  /** Where each key (from key to end of value) is in the .md file. */
  positions: Record<string, Position>
}


/** What each known key must hold, as the messages say it. */
const expectations = {
  title: 'text',
  date: 'a date (YYYY-MM-DD), an ISO 8601 datetime, or a mapping with `created` (and `updated`)',
  updated: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  draft: '`true` or `false`',
  slug: 'text',
  description: 'text',
  summary: 'text',
  tags: 'text or a list of text',
  categories: 'text or a list of text',
  authors: 'text or a list of text',
  cover: 'a path to an image',
  email: '`true`, `false`, `full` or `card`',
  aliases: 'a list of URL paths starting with `/`',
  page: '`true` or `false`',
  toc: '`true` or `false`',
  // What other blog tools write, read into the fields above (README:
  // "Coming from MkDocs, Astro, Hugo or Jekyll").
  published: 'a date, or `true` or `false` (`false`: a draft)',
  pubDate: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  publishDate: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  updatedDate: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  lastmod: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  excerpt: 'text',
  category: 'text or a list of text',
  heroImage: 'a path to an image',
  image: 'a path to an image, or a mapping with `path`',
  images: 'a list of paths to images',
  expiryDate: 'a date (YYYY-MM-DD) or an ISO 8601 datetime',
  readtime: 'a number of minutes',
  pin: '`true` or `false`',
  links: 'a list of links'
} as const

type Key = keyof typeof expectations

const knownKeys = Object.keys(expectations) as Key[]

const truthy = new Set(['true', 'yes', 'on', 'y'])
const falsy = new Set(['false', 'no', 'off', 'n'])

/** YAML 1.1 booleans (`yes`, `off`), which MkDocs' PyYAML reads as such. */
function yaml11Boolean(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const lower = value.toLowerCase()
  if (truthy.has(lower)) return true
  if (falsy.has(lower)) return false
  return value
}

function toList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value
}

const dateText = z.string().transform((text, context) => {
  const parsed = parseDate(text)
  if ('reason' in parsed) {
    context.addIssue({code: 'custom', message: parsed.reason, params: {ruleId: parsed.ruleId}})
    return z.NEVER
  }
  return parsed
})

const slugText = z.string().transform((text, context) => {
  const slug = text.toLowerCase()
  if (!/^[a-z0-9-]+$/.test(slug)) {
    context.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} is not safe in a URL: use only letters, digits and \`-\``,
      params: {ruleId: 'slug-unsafe'}
    })
    return z.NEVER
  }
  return slug
})

const aliasText = z.string().superRefine((text, context) => {
  // An alias is a site path, as a permalink is; it must also be absolute, and
  // only a path, since a redirect page is written at it.
  let problem = text.startsWith('/') ? sitePathProblem(text) : 'must be a URL path starting with `/`'
  if (!problem && /[?#]/.test(decodeURIComponent(text))) problem = 'must be a path without `?` or `#`'
  if (problem) {
    context.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} ${problem}`,
      params: {ruleId: 'alias-unsafe'}
    })
  }
})

const textList = z.preprocess(toList, z.array(z.string()))
const flag = z.preprocess(yaml11Boolean, z.boolean())

/**
 * The zod schema of each known key's value (after YAML, before defaults).
 * `date` also takes MkDocs' `{created, updated}` mapping, checked with
 * `mkdocsDates`.
 */
export const frontmatterFields = {
  title: z.string(),
  date: dateText,
  updated: dateText,
  draft: flag,
  slug: slugText,
  description: z.string(),
  summary: z.string(),
  tags: textList,
  categories: textList,
  authors: textList,
  cover: z.string(),
  email: z.preprocess(yaml11Boolean, z.union([z.boolean(), z.enum(['full', 'card'])])),
  aliases: z.preprocess(toList, z.array(aliasText)),
  page: flag,
  toc: flag,
  // `published: false` (Jekyll) is read before this schema; a date is left.
  published: dateText,
  pubDate: dateText,
  publishDate: dateText,
  updatedDate: dateText,
  lastmod: dateText,
  excerpt: z.string(),
  category: textList,
  heroImage: z.string(),
  image: z.union([z.string(), z.looseObject({path: z.string()}).transform((image) => image.path)]),
  images: z.preprocess(toList, z.array(z.string())),
  expiryDate: dateText,
  readtime: z.number().positive(),
  pin: flag,
  links: z.array(z.unknown())
} satisfies Record<Key, z.ZodType>

/** MkDocs Material blog's `date: {created: …, updated: …}`. */
export const mkdocsDates = z.looseObject({created: dateText, updated: dateText.optional()})

/** Keys whose bare numbers are read as the text written (`2023`, `1.10`). */
const textKeys = new Set<string>([
  'title', 'slug', 'description', 'summary', 'excerpt', 'tags', 'categories', 'category', 'authors', 'cover', 'heroImage', 'image', 'images', 'aliases'
])

/** Keys that give `description`: `description` wins over `summary`, which wins over `excerpt`. */
const descriptionRank = {description: 3, summary: 2, excerpt: 1} as const

/** Keys that give the publication date, and the last update, in the order they are looked for. */
const dateKeys = new Set<string>(['date', 'published', 'pubDate', 'publishDate'])
const updatedKeys = new Set<string>(['updated', 'updatedDate', 'lastmod'])
const coverKeys = new Set<string>(['cover', 'heroImage', 'image', 'images'])

/** Options for `readFrontmatter`. */
export interface ReadFrontmatterOptions {
  /**
   * The text of the file as parsed, to detect an unterminated or misplaced
   * block that remark-frontmatter did not take (default: `file.value`).
   */
  text?: string
  /**
   * The author's own keys read as letterpress's (`{topics: 'tags'}`), from
   * the config's `frontmatter.rename`. Messages point at the key as written.
   */
  rename?: Readonly<Record<string, string>>
}

/**
 * Read and validate the frontmatter of a parsed post.
 *
 * Looks for the `yaml` node that remark-frontmatter puts first in `tree`.
 * Without one the post simply has no frontmatter (defaults apply), except:
 * an empty file (`post-empty` warning), a `---` first line never closed
 * (`frontmatter-unterminated`, error), a block that starts below line 1
 * (`frontmatter-misplaced`, warning). Errors: `frontmatter-yaml`,
 * `frontmatter-not-mapping`, `frontmatter-type`, `frontmatter-date-invalid`,
 * `frontmatter-date-ambiguous` (`03/04/2026`), `slug-unsafe`, `alias-unsafe`;
 * `frontmatter-yaml` also for an alias that names no anchor or one that
 * makes the block expand more than `maxYamlAliases` aliases (`yamlAliases`).
 * Warnings: `frontmatter-yaml` (YAML warnings), `frontmatter-conflict`
 * (`summary` and `description` both given; two keys giving the date, the
 * update or the cover, which disagree; a renamed key meeting the key it is
 * renamed to), `frontmatter-unknown-key` (a near miss of a known key; other
 * unknown keys go to `extra` silently).
 *
 * The keys other blog tools write (Astro's `pubDate`, Hugo's `lastmod`,
 * Jekyll's `excerpt`, MkDocs' `readtime`...) are read into the same fields;
 * `options.rename` reads an author's own keys as letterpress's.
 */
export function readFrontmatter(tree: Root, file: VFile, options: ReadFrontmatterOptions = {}): Frontmatter {
  const result: Frontmatter = {
    draft: false,
    tags: [],
    categories: [],
    authors: [],
    email: true,
    aliases: [],
    page: false,
    extra: {},
    positions: {}
  }
  const text = options.text ?? (typeof file.value === 'string' ? file.value : String(file.value ?? ''))
  const node = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined

  if (!node) {
    checkMissing(text, file)
    return result
  }

  const reader = new FrontmatterReader(node, file, text, result, options.rename ?? {})
  reader.read()
  if (result.page && !reader.emailGiven) result.email = false
  return result
}

/** Report why a file has no frontmatter node, when that looks unintended. */
function checkMissing(text: string, file: VFile): void {
  if (text.trim() === '') {
    report(file, 'Empty file: nothing to publish', {line: 1, column: 1}, 'post-empty', false)
    return
  }
  const lines = text.split(/\r\n|\r|\n/)
  const fence = /^---[ \t]*$/
  if (fence.test(lines[0] ?? '') && (lines.length === 1 || (lines[1] ?? '').trim() !== '')) {
    const dots = lines.findIndex((line, index) => index > 0 && /^\.\.\.[ \t]*$/.test(line))
    report(
      file,
      dots > 0
        ? `Frontmatter opened with \`---\` on line 1 is closed with \`...\` on line ${dots + 1}; close it with \`---\``
        : 'Frontmatter opened with `---` on line 1 is never closed: add a `---` line after the last key',
      {line: 1, column: 1},
      'frontmatter-unterminated',
      true
    )
    return
  }
  // A block pushed down by blank lines is read as Markdown (a rule and a
  // heading), which is never what the author meant.
  const first = lines.findIndex((line) => line.trim() !== '')
  if (
    first > 0 &&
    fence.test(lines[first] ?? '') &&
    /^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)/.test(lines[first + 1] ?? '') &&
    lines.some((line, index) => index > first + 1 && fence.test(line))
  ) {
    report(
      file,
      `Frontmatter must start on line 1, this one starts on line ${first + 1} and is read as Markdown; remove the lines above it`,
      {line: first + 1, column: 1},
      'frontmatter-misplaced',
      false
    )
  }
}

/** A frontmatter block's YAML as parsed, with the line counter its positions are read through. */
export interface FrontmatterYaml {
  document: Document
  lineCounter: LineCounter
}

const parsedYaml = new WeakMap<Yaml, FrontmatterYaml>()

/**
 * The YAML of a frontmatter node, parsed once for everything that reads it
 * (the frontmatter's fields here, the migration hints' dates): the YAML
 * parser was about a twentieth of a worker's time parsing posts when each
 * parsed it on its own. Readers must not change the document.
 */
export function frontmatterYaml(node: Yaml): FrontmatterYaml {
  let parsed = parsedYaml.get(node)
  if (!parsed) {
    const lineCounter = new LineCounter()
    parsed = {document: parseDocument(node.value, {lineCounter, prettyErrors: false}), lineCounter}
    parsedYaml.set(node, parsed)
  }
  return parsed
}

/** One frontmatter block being read: positions, messages, values. */
class FrontmatterReader {
  private readonly lineCounter: LineCounter
  private readonly document: Document
  /** Line of the .md file holding the first line of YAML. */
  private readonly firstLine: number
  /** Offset in the .md file of the first character of YAML, if known. */
  private readonly firstOffset: number | undefined
  /** What each alias names (`yamlAliases`). */
  private aliasTargets = new Map<Alias, YamlNode>()
  /** Whether a valid `email:` was read (pages default to no email). */
  emailGiven = false

  constructor(
    private readonly node: Yaml,
    private readonly file: VFile,
    text: string,
    private readonly result: Frontmatter,
    private readonly rename: Readonly<Record<string, string>>
  ) {
    const yaml = frontmatterYaml(node)
    this.document = yaml.document
    this.lineCounter = yaml.lineCounter
    this.firstLine = (node.position?.start.line ?? 1) + 1
    const start = node.position?.start.offset
    if (start !== undefined) {
      const newline = text.indexOf('\n', start)
      const offset = newline + 1
      if (newline >= 0 && text.startsWith(node.value, offset)) this.firstOffset = offset
    }
  }

  read(): void {
    for (const error of this.document.errors) {
      const {offset, reason} = describeYamlError(error, this.node.value)
      this.error(reason, this.point(offset), 'frontmatter-yaml')
    }
    for (const warning of this.document.warnings) {
      this.message(`YAML: ${warning.message}`, this.point(warning.pos[0]), 'frontmatter-yaml', false)
    }
    const aliases = yamlAliases(this.document)
    for (const {alias, reason} of aliases.problems) this.error(reason, this.start(alias), 'frontmatter-yaml')
    // Nothing of the block is read: expanding it is the attack.
    if (aliases.excessive) return
    this.aliasTargets = aliases.targets

    const contents = this.document.contents
    if (contents === null || (isScalar(contents) && contents.value === null)) return
    if (!isMap(contents)) {
      const found = isSeq(contents) ? 'a list' : describe(contents.toJSON())
      this.error(
        `Frontmatter must be a mapping of \`key: value\` lines; found ${found}`,
        this.start(contents),
        'frontmatter-not-mapping'
      )
      return
    }

    const seen = new Set<string>()
    const taken = new Map<string, string>()
    for (const pair of contents.items) this.readPair(pair, seen, taken)
    this.resolveAliases()
  }

  /**
   * Read one `key: value` line. `seen` holds the keys as written, `taken`
   * what each letterpress key was read from (a renamed key may arrive at one
   * given already).
   */
  private readPair(pair: Pair<unknown, unknown>, seen: Set<string>, taken: Map<string, string>): void {
    const keyNode = pair.key as YamlNode | null
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      const place = keyNode ? this.start(keyNode) : this.point(0)
      this.error('Frontmatter keys must be plain words, not lists or mappings', place, 'frontmatter-type')
      return
    }
    const written = String(keyNode.value)
    // A duplicate is a YAML error already; the first one counts.
    if (seen.has(written)) return
    seen.add(written)
    const key = Object.hasOwn(this.rename, written) ? this.rename[written]! : written
    const before = taken.get(key)
    if (before !== undefined) {
      this.message(
        `\`${written}\` is read as \`${key}\`, which \`${before}\` gives already; this one is ignored`,
        this.start(keyNode),
        'frontmatter-conflict',
        false
      )
      return
    }
    taken.set(key, written)

    const valueNode = (pair.value ?? null) as YamlNode | null
    const endNode = valueNode ?? keyNode
    const position = {start: this.start(keyNode), end: this.end(endNode)}
    this.result.positions[key] = position
    // A date or cover given under another tool's key is found where `date` or `cover` would be.
    const field = dateKeys.has(key) ? 'date' : updatedKeys.has(key) ? 'updated' : coverKeys.has(key) ? 'cover' : undefined
    if (field) this.result.positions[field] ??= position

    if (!(knownKeys as string[]).includes(key)) {
      this.result.extra[key] = this.plain(valueNode, false)
      const near = key === written ? nearMiss(key) : undefined
      if (near) {
        this.message(
          `Unknown frontmatter key \`${key}\`: did you mean \`${near}\`? (kept for templates as is)`,
          this.start(keyNode),
          'frontmatter-unknown-key',
          false
        )
      }
      return
    }

    const value = this.plain(valueNode, textKeys.has(key))
    // An empty value (`tags:`) means not set, as in a scaffolded post.
    if (value === null || value === undefined) return
    // Broken YAML inside the value is reported already; its type would only
    // repeat the same problem less clearly.
    const range = valueNode?.range
    if (range && this.document.errors.some((error) => error.pos[0] >= range[0] && error.pos[0] <= range[2])) return
    this.readKnown(key as Key, written, value, valueNode, keyNode)
  }

  private readKnown(key: Key, written: string, value: unknown, valueNode: YamlNode | null, keyNode: YamlNode): void {
    if (key === 'date' && isPlainObject(value)) {
      const parsed = this.validate(key, written, mkdocsDates, value, valueNode, keyNode)
      if (parsed) {
        this.setDate('date', parsed.created, `${written}.created`, this.start(valueNode))
        if (parsed.updated) this.setDate('updated', parsed.updated, `${written}.updated`, this.start(nodeAt(valueNode, ['updated'])))
      }
      return
    }

    const result = this.result
    if (key === 'published' && typeof yaml11Boolean(value) === 'boolean') {
      // Jekyll's `published: false` keeps a post out, as `draft: true` does.
      if (yaml11Boolean(value) === false) result.draft = true
      return
    }
    const parsed = this.validate(key, written, frontmatterFields[key] as z.ZodType, value, valueNode, keyNode)
    if (parsed === undefined) return
    if (dateKeys.has(key)) {
      this.setDate('date', parsed as ParsedDate, written, this.start(keyNode))
      return
    }
    if (updatedKeys.has(key)) {
      this.setDate('updated', parsed as ParsedDate, written, this.start(keyNode))
      return
    }
    switch (key) {
      case 'description':
      case 'summary':
      case 'excerpt':
        if (descriptionRank[key] > (this.descriptionFrom ? descriptionRank[this.descriptionFrom] : 0)) {
          result.description = parsed as string
          this.descriptionFrom = key
        }
        break
      case 'tags':
      case 'categories':
      case 'authors':
        result[key] = this.cleanList(key, parsed as string[], valueNode)
        break
      case 'category':
        if (result.categories.length === 0) result.categories = this.cleanList(key, parsed as string[], valueNode)
        break
      case 'aliases':
        result.aliases = parsed as string[]
        break
      case 'title':
      case 'slug':
        result[key] = parsed as string
        break
      case 'cover':
      case 'heroImage':
      case 'image':
      case 'images': {
        const cover = Array.isArray(parsed) ? (parsed as string[])[0] : (parsed as string)
        if (cover !== undefined) this.setCover(cover, written, this.start(keyNode))
        break
      }
      case 'draft':
      case 'page':
      case 'toc':
        result[key] = parsed as boolean
        break
      case 'email':
        result.email = parsed as Frontmatter['email']
        this.emailGiven = true
        break
      case 'readtime':
        result.readtime = Math.max(1, Math.round(parsed as number))
        break
      case 'expiryDate':
        // Kept for templates: a build has no clock to expire a post by.
        result.extra[key] = (parsed as ParsedDate).datetime ?? (parsed as ParsedDate).date
        break
      case 'pin':
      case 'links':
        result.extra[key] = parsed
        break
    }
  }

  /** Which key gave `description`. */
  private descriptionFrom: keyof typeof descriptionRank | undefined
  /** Where `date`, `updated` and `cover` were read from, for the warning when another key gives them again. */
  private readonly givenBy = new Map<'date' | 'updated' | 'cover', {key: string; line: number; shown: string}>()

  /** Both `summary` (or `excerpt`) and `description`: the latter wins, with a warning. */
  private resolveAliases(): void {
    const positions = this.result.positions
    for (const other of ['summary', 'excerpt'] as const) {
      if (positions[other] && positions.description) {
        this.message(
          `\`${other}\` and \`description\` are the same setting; \`description\` is used`,
          positions[other].start,
          'frontmatter-conflict',
          false
        )
      }
    }
  }

  /**
   * Set `date` or `updated` from the key `from`. The first key that gives
   * it is used; a later one that says otherwise is a warning at its line (a
   * later one with the same day may add the time of day).
   */
  private setDate(which: 'date' | 'updated', parsed: ParsedDate, from: string, place: Point): void {
    const result = this.result
    const [dateField, timeField] = which === 'date' ? (['date', 'datetime'] as const) : (['updated', 'updatedDatetime'] as const)
    const shown = parsed.datetime ?? parsed.date
    const first = this.givenBy.get(which)
    if (!first) {
      this.givenBy.set(which, {key: from, line: place.line, shown})
      result[dateField] = parsed.date
      if (parsed.datetime) result[timeField] = parsed.datetime
      return
    }
    const agrees = result[dateField] === parsed.date && (!result[timeField] || !parsed.datetime || result[timeField] === parsed.datetime)
    if (agrees) {
      if (parsed.datetime && !result[timeField]) result[timeField] = parsed.datetime
      return
    }
    this.message(
      `\`${from}\` (${shown}) disagrees with \`${first.key}\` (${first.shown}, line ${first.line}); \`${first.key}\` is used`,
      place,
      'frontmatter-conflict',
      false
    )
  }

  /** Set `cover` from the key `from`; the first one is used, a different later one is a warning. */
  private setCover(cover: string, from: string, place: Point): void {
    const first = this.givenBy.get('cover')
    if (!first) {
      this.givenBy.set('cover', {key: from, line: place.line, shown: cover})
      this.result.cover = cover
    } else if (first.shown !== cover) {
      this.message(
        `\`${from}\` names another cover than \`${first.key}\` (line ${first.line}); \`${first.key}\` is used`,
        place,
        'frontmatter-conflict',
        false
      )
    }
  }

  /** Trim, drop empty entries (warning) and duplicates. */
  private cleanList(key: Key, list: string[], node: YamlNode | null): string[] {
    const clean: string[] = []
    list.forEach((item, index) => {
      const trimmed = item.trim()
      if (trimmed === '') {
        const itemNode = isSeq(node) ? (node.items[index] as YamlNode | undefined) : node
        this.message(
          `Empty entry in \`${key}\` is ignored`,
          this.start(itemNode ?? node),
          'frontmatter-type',
          false
        )
      } else if (!clean.includes(trimmed)) clean.push(trimmed)
    })
    return clean
  }

  /**
   * Check `value` against `schema`; report each issue at its node. Returns
   * the parsed value, or `undefined` when there was any issue.
   */
  private validate<T>(key: Key, written: string, schema: z.ZodType<T>, value: unknown, valueNode: YamlNode | null, keyNode: YamlNode): T | undefined {
    const outcome = schema.safeParse(value)
    if (outcome.success) return outcome.data
    for (const issue of outcome.error.issues) {
      const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol')
      const target = nodeAt(valueNode, path) ?? valueNode ?? keyNode
      const place = this.start(target)
      const subject =
        path.length === 0
          ? `\`${written}\``
          : typeof path[0] === 'number'
            ? `\`${written}\` item ${path[0] + 1}`
            : `\`${[written, ...path].join('.')}\``
      if (issue.code === 'custom') {
        const ruleId = (issue.params as {ruleId?: string} | undefined)?.ruleId ?? 'frontmatter-type'
        this.error(`${subject} ${issue.message}`, place, ruleId)
        continue
      }
      const found = describe(valueAt(value, path))
      const expected = path.length === 0 ? expectations[key] : typeof path[0] === 'number' ? 'text' : 'a date (YYYY-MM-DD)'
      this.error(`${subject} should be ${expected}; found ${found}`, place, 'frontmatter-type')
    }
    return undefined
  }

  /**
   * The node as a plain value. With `numbersAsText`, a bare number is the
   * text as written (`1.10` stays `1.10`).
   */
  private plain(node: YamlNode | null, numbersAsText: boolean, open = new Set<YamlNode>()): unknown {
    if (node === null) return null
    if (isAlias(node)) {
      const target = this.aliasTargets.get(node) ?? null
      // `&a [*a]`: an alias inside the node it names would be a value without end.
      if (target !== null && open.has(target)) {
        this.error(`\`*${node.source}\` names the anchor it is inside of, so it has no value`, this.start(node), 'frontmatter-yaml')
        return null
      }
      return this.plain(target, numbersAsText, open)
    }
    if (isScalar(node)) {
      if (numbersAsText && typeof node.value === 'number' && node.source !== undefined) return node.source
      return node.value
    }
    open.add(node)
    try {
      if (isSeq(node)) return node.items.map((item) => this.plain(item as YamlNode | null, numbersAsText, open))
      if (isMap(node)) {
        const object: Record<string, unknown> = {}
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
          object[key] = this.plain((pair.value ?? null) as YamlNode | null, numbersAsText, open)
        }
        return object
      }
      return null
    } finally {
      open.delete(node)
    }
  }

  /** Point in the .md file of an offset into the YAML text. */
  private point(offset: number): Point {
    const {line, col} = this.lineCounter.linePos(offset)
    const point: Point = {line: this.firstLine + line - 1, column: col}
    if (this.firstOffset !== undefined) point.offset = this.firstOffset + offset
    return point
  }

  private start(node: YamlNode | null | undefined): Point {
    return this.point(node?.range?.[0] ?? 0)
  }

  private end(node: YamlNode): Point {
    return this.point(node.range?.[1] ?? node.range?.[0] ?? 0)
  }

  private error(reason: string, place: Point, ruleId: string): void {
    this.message(reason, place, ruleId, true)
  }

  private message(reason: string, place: Point, ruleId: string, fatal: boolean): void {
    report(this.file, reason, place, ruleId, fatal)
  }
}

function report(file: VFile, reason: string, place: Point, ruleId: string, fatal: boolean): VFileMessage {
  const message = file.message(reason, {place, ruleId, source: 'letterpress'})
  message.fatal = fatal
  return message
}

/**
 * How many aliases one YAML document (a post's frontmatter, letterpress.yml)
 * may expand in all, counting the aliases inside what an alias names each
 * time it is named. Real frontmatter uses a handful; nine levels of nine
 * aliases each ("billion laughs") would expand 387 million.
 */
export const maxYamlAliases = 100

/** What the aliases of a YAML document name, and what is wrong with them. */
export interface YamlAliases {
  /** The node each resolvable alias names (the last anchor of its name before it). */
  targets: Map<Alias, YamlNode>
  /**
   * Aliases that name no anchor before them, then the first alias (in
   * document order) that takes the expansion past the limit: each with the
   * reason to report at it.
   */
  problems: Array<{alias: Alias; reason: string}>
  /** Whether the expansion goes past the limit (then nothing should be expanded). */
  excessive: boolean
}

/**
 * Resolve every alias of `document` in one walk, and count how many aliases
 * expanding the whole document would take. The `yaml` package's own guard
 * (`maxAliasCount` in `toJS`) throws without saying which alias, and the
 * frontmatter reader does not go through `toJS`; this walk gives the place,
 * costs one pass however deep the nesting, and never expands anything.
 */
export function yamlAliases(document: Document, limit = maxYamlAliases): YamlAliases {
  const result: YamlAliases = {targets: new Map(), problems: [], excessive: false}
  let excessive: {alias: Alias; count: number} | undefined
  const anchors = new Map<string, YamlNode>()
  /** Aliases expanded by a node's value, per node whose walk is over. */
  const expanded = new Map<unknown, number>()
  const open = new Set<unknown>()
  let total = 0

  const walk = (node: unknown): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (target === undefined) {
        result.problems.push({alias: node, reason: `\`*${node.source}\` names no anchor: write \`&${node.source}\` on a value above it`})
        return 0
      }
      result.targets.set(node, target)
      // An alias inside the node it names is reported where it is expanded.
      if (open.has(target)) return 0
      const count = 1 + (expanded.get(target) ?? 0)
      total += count
      if (total > limit) excessive ??= {alias: node, count}
      return count
    }
    if (isPair(node)) return walk(node.key) + walk(node.value)
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return 0
    // An anchor counts from its own node on, as the `yaml` package resolves it.
    if (node.anchor) anchors.set(node.anchor, node)
    if (isScalar(node)) return 0
    open.add(node)
    let count = 0
    for (const item of node.items as unknown[]) count += walk(item)
    open.delete(node)
    expanded.set(node, count)
    return count
  }
  walk(document.contents)
  if (excessive) {
    result.excessive = true
    result.problems.push({
      alias: excessive.alias,
      reason:
        `Too many YAML aliases: \`*${excessive.alias.source}\` stands for ${excessive.count} and takes the expansion past ${limit}; ` +
        'write the values out instead of nesting aliases'
    })
  }
  return result
}

/** The YAML node at `path` under `node` (list indexes and mapping keys). */
function nodeAt(node: YamlNode | null, path: Array<string | number>): YamlNode | undefined {
  let current: unknown = node
  for (const part of path) {
    if (isSeq(current) && typeof part === 'number') current = current.items[part]
    else if (isMap(current)) current = current.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(part))?.value
    else if (typeof part === 'number' && isScalar(current)) continue // a lone string read as a one-item list
    else return undefined
    if (current === null || current === undefined) return undefined
  }
  return (current ?? undefined) as YamlNode | undefined
}

function valueAt(value: unknown, path: Array<string | number>): unknown {
  let current = value
  for (const part of path) {
    if (Array.isArray(current)) current = current[part as number]
    else if (isPlainObject(current)) current = current[String(part)]
    else return current
  }
  return current
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How a found value reads in a message. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return `${typeof value === 'bigint' ? 'number' : typeof value} ${String(value)}`
  if (Array.isArray(value)) return 'a list'
  return 'a mapping'
}

/** Offset of the quote that opens the unclosed scalar ending at `end`. */
/**
 * Where a YAML error really is and what to say about it: the parser notices
 * a missing closing quote at the end of the block, but the author needs the
 * line where the quote was opened. Shared with the config file.
 */
export function describeYamlError(error: YAMLError, source: string): {offset: number; reason: string} {
  let offset = error.pos[0]
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1]
  if (quote) offset = openingQuote(source, quote, offset) ?? offset
  // yaml notices an unclosed `[` or `{` where the next key starts (or at the
  // end); the author needs the line that opened it.
  const closer = /^Flow (?:sequence|map) in block collection must be sufficiently indented and end with a ([\]}])$/.exec(error.message)?.[1]
  const opener = closer ? unclosedFlow(source, closer === ']' ? '[' : '{', offset) : undefined
  if (closer && opener !== undefined) {
    const kind = closer === ']' ? 'list' : 'mapping'
    return {offset: opener, reason: `Invalid YAML: this \`${source[opener]}\` ${kind} is never closed; add the closing \`${closer}\``}
  }
  return {offset, reason: yamlReason(error.code, error.message, source, offset)}
}

/** Offset of the last `[` or `{` (`opener`) before `end` that nothing closes, skipping quoted text and comments. */
function unclosedFlow(source: string, opener: '[' | '{', end: number): number | undefined {
  const stack: Array<{char: string; offset: number}> = []
  for (let index = 0; index < end && index < source.length; index++) {
    const char = source[index]!
    const before = index === 0 ? '\n' : source[index - 1]!
    if ((char === '"' || char === "'") && stack.length > 0 && /[\s[{,:]/.test(before)) {
      // A quoted scalar inside a flow collection: skip to its closing quote.
      let next = index + 1
      while (next < end) {
        if (char === '"' && source[next] === '\\') next += 2
        else if (char === "'" && source[next] === "'" && source[next + 1] === "'") next += 2
        else if (source[next] === char) break
        else next++
      }
      index = next
    } else if (char === '#' && /\s/.test(before)) {
      while (index < end && source[index] !== '\n') index++
    } else if (char === '[' || char === '{') {
      stack.push({char, offset: index})
    } else if ((char === ']' && stack.at(-1)?.char === '[') || (char === '}' && stack.at(-1)?.char === '{')) {
      stack.pop()
    }
  }
  return stack.filter((entry) => entry.char === opener).at(-1)?.offset
}

function openingQuote(source: string, quote: string, end: number): number | undefined {
  // Inside the unclosed scalar every quote character is escaped (`\"`) or
  // doubled (`''`), so the opening one is the last plain one before `end`.
  const pattern = quote === '"' ? /(?<!\\)"/g : /(?<!')'(?!')/g
  let found: number | undefined
  for (const match of source.slice(0, end).matchAll(pattern)) found = match.index
  return found
}

/** The YAML error in words an author can act on. */
function yamlReason(code: string, message: string, source: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]*/.exec(source.slice(offset))?.[0].trim()
    return `Key ${key ? `\`${key}\` ` : ''}appears twice in the frontmatter; keep one`
  }
  if (code === 'TAB_AS_INDENT') return 'Frontmatter is indented with a tab; YAML needs spaces'
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1]
  if (quote) return `Invalid YAML: this ${quote}quoted${quote} value is never closed; add the closing ${quote}`
  return `Invalid YAML: ${message}`
}

/** A known key one or two edits from `key` (`titel` → `title`). */
function nearMiss(key: string): Key | undefined {
  const lower = key.toLowerCase()
  let best: Key | undefined
  let bestDistance = Infinity
  for (const known of knownKeys) {
    const distance = lower === known ? 0 : editDistance(lower, known)
    const limit = known.length <= 4 ? 1 : 2
    if (distance <= limit && distance < bestDistance) {
      best = known
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance of two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
