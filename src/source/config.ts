/**
 * Site configuration: `letterpress.yml` (or `.yaml`, `.json`) in ROOT (all optional) resolved into a
 * `ResolvedConfig` with every default applied and every path absolute.
 */
import {existsSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import addressparser from 'nodemailer/lib/addressparser/index.js'
import {LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode} from 'yaml'
import {z} from 'zod'
import {describeYamlError, editDistance, yamlAliases} from './frontmatter.js'
import {mkdocsFileName, readAuthorsFile, readMkdocsConfig} from './mkdocs.js'
import {createStrings, en, hasShippedTable, overrideProblem, type Strings, type StringTable} from './strings/index.js'
import {relocateThemeFiles, reportMissingThemeFiles, resolveTheme, themeSchema, type ResolvedTheme} from './theme.js'
import {isAllowedUrl, sitePathProblem, unsafeUrlReason, unsafeUrlRule} from './url-policy.js'
import {emailServiceNames, emailServices, isEmailServiceName, type EmailServiceName} from './email-services.js'

/** The name of the config file in ROOT. */
export const configFileName = 'letterpress.yml'

/**
 * Every name ROOT's config file may have: each is read as YAML (JSON is
 * YAML too, so `letterpress.json` keeps line and column in its messages).
 */
export const configFileNames = [configFileName, 'letterpress.yaml', 'letterpress.json'] as const

/** The config files ROOT holds, in `configFileNames` order; more than one is an error `loadConfig` reports. */
export function configFilesIn(root: string): string[] {
  return configFileNames.filter((name) => existsSync(path.join(root, name)))
}

/** A URL setting: the URL policy holds for it as for links in posts, as an error at its line. */
const url = z.string().superRefine((value, context) => {
  const reason = unsafeUrlReason(value, 'URL')
  if (reason) context.addIssue({code: 'custom', message: reason, params: {ruleId: unsafeUrlRule}})
})

/** The site's address: the URL policy, and absolute http(s), since every absolute URL of the build is made from it. */
const baseUrl = url.refine((value) => !isAllowedUrl(value) || /^https?:\/\/[^/]/i.test(value), {
  error: 'must be an absolute http(s) URL, like https://example.org/'
})

const author = z.union([
  z.string(),
  z.object({
    /** What posts write in `authors:` (MkDocs Material's .authors.yml ids). */
    id: z.string().optional(),
    name: z.string(),
    email: z.string().optional(),
    url: url.optional(),
    description: z.string().optional(),
    avatar: z.string().optional()
  })
])

/** `YYYY-MM` with a month from 01 to 12. */
export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/

// YAML reads `2024-06` as text, but `2024` or `202406` as a number: one message for both.
const monthMessage = 'expected a month as YYYY-MM (for example 2024-06)'
const month = z.string({error: monthMessage}).regex(monthPattern, {error: monthMessage})

const permalink = z.string().superRefine((pattern, context) => {
  const problem = sitePathProblem(pattern)
  if (problem) {
    context.addIssue({code: 'custom', message: `${JSON.stringify(pattern)} ${problem}`, params: {ruleId: 'permalink-unsafe'}})
  } else if (!pattern.includes(':slug')) {
    context.addIssue({code: 'custom', message: `${JSON.stringify(pattern)} must contain \`:slug\`, or every post would get the same URL`})
  }
})

/** An addr-spec as a sender needs it: `local@domain.tld`, no spaces, quotes or brackets. */
const addrSpec = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\.]+(?:\.[^\s@<>()[\]",;:\\.]+)+$/

/**
 * Why `text` is not one RFC 5322 mailbox (`name@example.com` or
 * `Name <name@example.com>`), or `undefined` when it is. nodemailer's
 * address parser splits it (quoted names, comments, groups) as the .eml
 * writer will read it.
 */
export function mailboxProblem(text: string): string | undefined {
  const parsed = addressparser(text)
  const expected = 'write `Name <name@example.com>` or `name@example.com`'
  if (parsed.length > 1) return `is ${parsed.length} addresses, not one; ${expected}`
  const entry = parsed[0]
  if (!entry || 'group' in entry || !addrSpec.test(entry.address)) return `is not an email address; ${expected}`
  // What is left around the address must be a display name before `<address>`, not stray words after it.
  const trimmed = text.trim()
  if (trimmed !== entry.address && !trimmed.endsWith(`<${entry.address}>`)) return `is not an email address; ${expected}`
  return undefined
}

/** `newsletter.provider`: one of the email services whose merge tags the issue can carry. */
const provider = z.string().superRefine((text, context) => {
  if (isEmailServiceName(text)) return
  context.addIssue({
    code: 'custom',
    message: `${JSON.stringify(text)} is not an email service letterpress knows; use one of ${emailServiceNames.join(', ')}`,
    params: {ruleId: 'config-newsletter-provider'}
  })
})

const mailbox = z.string().superRefine((text, context) => {
  const problem = mailboxProblem(text)
  if (problem) context.addIssue({code: 'custom', message: `${JSON.stringify(text)} ${problem}`})
})

/** What the user may write in `letterpress.yml`; every key is optional. */
export const configSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    baseUrl,
    language: z.string(),
    /** The site's own words for the theme and email strings (`post.continueReading: Read on`). */
    strings: z.record(
      z.string(),
      z.union([z.string(), z.object({zero: z.string(), one: z.string(), two: z.string(), few: z.string(), many: z.string(), other: z.string()}).partial().strict()], {
        error: 'expected a text, or plural forms such as `{one: …, other: …}`'
      })
    ),
    authors: z.array(author),
    permalink,
    postsPerPage: z.number().int().positive(),
    subscribeUrl: url,
    rawHtml: z.enum(['keep', 'sanitize']),
    search: z.boolean(),
    links: z.object({oldPermalinks: z.array(permalink)}).partial().strict(),
    copyright: z.string(),
    frontmatter: z
      .object({
        /** The author's own keys read as letterpress's: `{topics: tags, hero: cover}`. */
        rename: z.record(z.string(), z.string().regex(/^[A-Za-z_][\w-]*$/, {error: 'expected a frontmatter key such as `tags`'}))
      })
      .partial()
      .strict(),
    newsletter: z
      .object({
        name: z.string(),
        subject: z.string(),
        from: mailbox,
        replyTo: mailbox,
        address: z.string(),
        unsubscribe: z.string(),
        provider,
        order: z.enum(['oldest', 'newest']),
        start: month,
        suppress: z.string().min(1),
        utm: z
          .object({source: z.string(), medium: z.string(), campaign: z.string()})
          .partial()
          .strict(),
        social: z.array(z.object({name: z.string(), url}).strict())
      })
      .partial()
      .strict(),
    theme: themeSchema
  })
  .partial()
  .strict()

/** What the user wrote. */
export type Config = z.infer<typeof configSchema>

/** An author as templates see it. */
export interface Author {
  /** The id posts use in `authors:`; defaults to the name. */
  id: string
  name: string
  email?: string
  url?: string
  description?: string
  avatar?: string
}

/** The configuration with every default applied. */
export interface ResolvedConfig {
  /** Absolute ROOT. */
  root: string
  /**
   * Absolute folder of the content: ROOT/posts, or an MkDocs project's
   * docs_dir. Its files other than posts are published at the same path;
   * `/x` in a post resolves against it.
   */
  postsDir: string
  /** `postsDir` relative to ROOT, `/` separators (`posts`, `docs`). */
  contentFolder: string
  /**
   * Sub-folder of the content folder whose Markdown files are the posts
   * (`blog/posts` in an MkDocs project); `''`: every Markdown file is one.
   */
  postsUnder: string
  /** The config file read, relative to ROOT (`letterpress.yml` or `mkdocs.yml`), even when absent. */
  configFile: string
  /** Absolute OUT. */
  outDir: string
  /** Absolute ROOT/.cache. */
  cacheDir: string
  /** Absolute ROOT/templates (may not exist). */
  templatesDir: string
  title: string
  description: string
  /** Site URL with a trailing slash, or `undefined` when not configured. */
  baseUrl: string | undefined
  language: string
  /** The site's own strings (`strings:`), over its language's table; only keys the tables have. */
  strings: StringTable
  authors: Author[]
  /** Pattern for post URLs, e.g. `/posts/:slug/`. */
  permalink: string
  postsPerPage: number
  subscribeUrl: string | undefined
  /**
   * `keep`: the author's raw HTML as written; `sanitize`: the author's raw
   * HTML (only theirs) cut to GitHub's policy (`render/sanitize-author-html.ts`),
   * on the web and in email.
   */
  rawHtml: 'keep' | 'sanitize'
  /** Whether the site has a search box and index (`search: false` leaves both out). */
  search: boolean
  links: {
    /**
     * Permalink patterns of an earlier site (`/blog/:year/:month/:slug/`):
     * a link to a post by such a URL resolves to the post's current URL.
     */
    oldPermalinks: string[]
  }
  /** Footer and feed copyright line; `undefined`: `© year` and the authors. */
  copyright: string | undefined
  frontmatter: {
    /** Author's key → letterpress's key, applied before validation. */
    rename: Record<string, string>
  }
  newsletter: {
    name: string
    /**
     * The Liquid template of every issue's Subject (`newsletter.subject`);
     * `undefined`: the lead post's title. An issue note's `subject:` wins.
     */
    subject: string | undefined
    from: string
    replyTo: string | undefined
    address: string
    /** The unsubscribe link as written in the issue: `newsletter.unsubscribe`, else the provider's merge tag. */
    unsubscribe: string
    /**
     * The email service the issue is made for (`newsletter.provider`): its
     * merge tags stand in the built issue (`emailServices`). `generic`:
     * letterpress's own, which `send --list` fills.
     */
    provider: EmailServiceName
    order: 'oldest' | 'newest'
    /**
     * `YYYY-MM` of the first month that has an issue (`newsletter.start`);
     * earlier months have none. `undefined`: every month with a post has one.
     */
    start: string | undefined
    /**
     * The suppression list (`newsletter.suppress`), relative to ROOT:
     * addresses `send --list` never sends to. `undefined`: none.
     */
    suppress: string | undefined
    utm: {source?: string; medium?: string; campaign?: string}
    social: Array<{name: string; url: string}>
  }
  /** The web theme's settings (`theme:`): logo, favicon, accent, links, head HTML, stylesheets, comments. */
  theme: ResolvedTheme
  /** Include drafts (`--drafts`). */
  drafts: boolean
  /** Publish posts dated after now (`--future`); else they are held back until their date. */
  future: boolean
  /** Warnings are errors (`--strict`). */
  strict: boolean
  /**
   * "Now" for a reproducible build, in seconds since the epoch (the
   * environment's SOURCE_DATE_EPOCH, which the pipeline reads): it decides
   * which scheduled posts are live and dates the issues. `undefined`: the clock.
   */
  sourceDateEpoch: number | undefined
}

/** Options that come from the command line and the environment, over the config file. */
export interface ConfigOverrides {
  outDir?: string
  baseUrl?: string
  drafts?: boolean
  future?: boolean
  strict?: boolean
  sourceDateEpoch?: number | undefined
  /** The email service to build issues for, over `newsletter.provider` (`push --to` builds for its service). */
  provider?: EmailServiceName | undefined
}

/**
 * Read and resolve ROOT's config file (`letterpress.yml`, or one of the other
 * `configFileNames`). Problems in it are messages on the
 * returned `file` (with line and column); defaults stand in for bad values.
 */
export async function loadConfig(
  root: string,
  overrides: ConfigOverrides = {}
): Promise<{config: ResolvedConfig; file: VFile}> {
  const absoluteRoot = path.resolve(root)
  const found = configFilesIn(absoluteRoot)
  const name = found[0] ?? configFileName
  let file = new VFile({path: name, cwd: absoluteRoot})
  let user: Config = {}
  const text = await readText(path.join(absoluteRoot, name), file)
  if (found.length > 1) {
    file.message(`Two config files, ${found.map((each) => `\`${each}\``).join(' and ')}: letterpress reads one; keep one and delete the other`, {
      ruleId: 'config-duplicate',
      source: 'letterpress'
    }).fatal = true
  }
  if (text !== undefined) {
    file.value = text
    user = parseConfig(text, file)
    const config = resolveConfig(absoluteRoot, user, overrides)
    config.configFile = name
    await addAuthorsFile(config, `${config.contentFolder}/.authors.yml`, file)
    reportMissingThemeFiles(config.theme, file, {logo: ['theme', 'logo'], favicon: ['theme', 'favicon'], stylesheet: ['theme', 'stylesheet']}, (keys, item) =>
      configPosition(text, keys, item)
    )
    if (user.title === undefined) reportMissingTitle(file, 'title')
    checkStrings(config, file, (keys) => configPosition(text, keys))
    return {config, file}
  }
  // Without letterpress.yml, an MkDocs project is read as it is.
  const mkdocsFile = new VFile({path: mkdocsFileName, cwd: absoluteRoot})
  const mkdocsText = await readText(path.join(absoluteRoot, mkdocsFileName), mkdocsFile)
  if (mkdocsText === undefined) {
    if (mkdocsFile.messages.length > 0) file = mkdocsFile
    reportMissingTitle(file, 'title')
    return {config: resolveConfig(absoluteRoot, user, overrides), file}
  }
  mkdocsFile.value = mkdocsText
  const project = readMkdocsConfig(mkdocsText, mkdocsFile)
  const unsafe = sitePathProblem(project.settings.permalink)
  if (unsafe) {
    mkdocsFile.message(`The blog's post URLs ${JSON.stringify(project.settings.permalink)} ${unsafe}; /posts/:slug/ is used`, {
      place: configPosition(mkdocsText, ['plugins']),
      ruleId: 'permalink-unsafe',
      source: 'letterpress'
    }).fatal = true
    project.settings.permalink = '/posts/:slug/'
  }
  const config = resolveConfig(absoluteRoot, project.settings, overrides)
  config.configFile = mkdocsFileName
  config.contentFolder = project.docsDir
  config.postsDir = path.join(absoluteRoot, ...project.docsDir.split('/'))
  config.postsUnder = project.postsUnder === '.' ? '' : project.postsUnder
  relocateThemeFiles(config.theme, absoluteRoot, config.postsDir)
  await addAuthorsFile(config, `${project.docsDir}/${project.authorsFile}`, mkdocsFile)
  reportMissingThemeFiles(config.theme, mkdocsFile, {logo: ['theme', 'logo'], favicon: ['theme', 'favicon'], stylesheet: ['extra_css']}, (keys, item) =>
    configPosition(mkdocsText, keys, item)
  )
  if (project.settings.title === undefined) reportMissingTitle(mkdocsFile, 'site_name')
  return {config, file: mkdocsFile}
}

/**
 * Warn on the config `file` (`config-title-missing`) that the site has no
 * title, written as `key` there: the site, its feeds and its newsletter are
 * then called `letterpress`. A config file that does not parse says enough
 * with its own error.
 */
function reportMissingTitle(file: VFile, key: string): void {
  if (file.messages.some((message) => message.fatal)) return
  file.message(
    `No \`${key}\` in ${file.basename ?? configFileName}: the site, its feeds and its newsletter are called “${defaultTitle}”; ` +
      `add \`${key}: Your site's name\``,
    {...(file.value === undefined ? {} : {place: {line: 1, column: 1}}), ruleId: 'config-title-missing', source: 'letterpress'}
  )
}

/**
 * Warn on the config `file` about the site's words: a `language` without a
 * shipped table (`config-language-unknown`: the theme and email stay
 * English, unless `strings:` gives every string), and each `strings:` entry
 * that is not one of the tables' keys or uses other placeholders
 * (`config-string-invalid`), which is then left out of `config.strings`.
 */
function checkStrings(
  config: ResolvedConfig,
  file: VFile,
  position: (keys: string[]) => {line: number; column: number} | undefined
): void {
  const fileName = file.basename ?? configFileName
  const strings: Record<string, StringTable[string]> = {...config.strings}
  for (const [key, message] of Object.entries(strings)) {
    const problem = overrideProblem(key, message)
    if (!problem) continue
    delete strings[key]
    const place = position(['strings', key])
    file.message(`${problem} (in \`strings:\` of ${fileName}); it is not used`, {
      ...(place ? {place} : {}),
      ruleId: 'config-string-invalid',
      source: 'letterpress'
    })
  }
  config.strings = strings
  const complete = Object.keys(en).every((key) => Object.hasOwn(strings, key))
  if (!hasShippedTable(config.language) && !complete) {
    const place = position(['language'])
    file.message(
      `No strings for language \`${config.language}\` (in ${fileName}): the theme and the email use English words; ` +
        'letterpress ships en, de and fr, and `strings:` can give the words of any other language',
      {...(place ? {place} : {}), ruleId: 'config-language-unknown', source: 'letterpress'}
    )
  }
}

/** The text of a config file, `undefined` when there is none (or it cannot be read: a message on `file` says why). */
async function readText(absolute: string, file: VFile): Promise<string | undefined> {
  try {
    return await fs.readFile(absolute, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      file.message(`Cannot read ${file.path}: ${(error as Error).message}`, {
        ruleId: 'config-unreadable',
        source: 'letterpress'
      }).fatal = true
    }
    return undefined
  }
}

/**
 * Add the authors of a blog plugin `.authors.yml` (`relative` to ROOT) to
 * `config.authors`; one the config names already keeps the config's
 * settings. Problems are warnings on `file`.
 */
async function addAuthorsFile(config: ResolvedConfig, relative: string, file: VFile): Promise<void> {
  const text = await readText(path.join(config.root, ...relative.split('/')), file)
  if (text === undefined) return
  for (const author of readAuthorsFile(text, file, relative)) {
    if (!config.authors.some((known) => known.id === author.id)) config.authors.push(author)
  }
}

/** Parse and validate config text; problems become messages on `file`. */
export function parseConfig(text: string, file: VFile): Config {
  const fileName = file.basename ?? configFileName
  const lineCounter = new LineCounter()
  // No code frame in the message: a diagnostic is one line, placed by line and column.
  const doc = parseDocument(text, {lineCounter, prettyErrors: false})
  for (const error of doc.errors) {
    const {offset, reason} = describeYamlError(error, text)
    const {line, col} = lineCounter.linePos(offset)
    file.message(`${reason} (in ${fileName})`, {
      place: {line, column: col},
      ruleId: 'config-yaml',
      source: 'letterpress'
    }).fatal = true
  }
  const aliasProblems = yamlAliases(doc).problems
  for (const {alias, reason} of aliasProblems) {
    const {line, col} = lineCounter.linePos(alias.range?.[0] ?? 0)
    file.message(`${reason} (in ${fileName})`, {place: {line, column: col}, ruleId: 'config-yaml', source: 'letterpress'}).fatal = true
  }
  if (doc.errors.length > 0 || aliasProblems.length > 0) return {}
  // `yamlAliases` bounded the expansion already, and says where it would go too far.
  const data: unknown = doc.toJS({maxAliasCount: -1}) ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    const {line, col} = lineCounter.linePos(doc.contents?.range?.[0] ?? 0)
    const what = Array.isArray(data) ? 'a list' : 'a single value'
    file.message(`${fileName} must be a mapping of settings (\`title: My blog\`), not ${what}`, {
      place: {line, column: col},
      ruleId: 'config-invalid',
      source: 'letterpress'
    }).fatal = true
    return {}
  }
  const parsed = configSchema.safeParse(data)
  if (parsed.success) return parsed.data

  // `atKey`: point at the last key itself (an unknown key), not at its value.
  const place = (keys: PropertyKey[], atKey = false) => {
    let node: unknown = doc.contents
    let found: YamlNode | undefined
    for (const key of keys) {
      if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key]
        if (!item) break
        found = item as YamlNode
        node = item
        continue
      }
      if (!isMap(node)) break
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key)
      if (!pair) break
      found = (atKey || !pair.value ? pair.key : pair.value) as YamlNode
      node = pair.value
    }
    const offset = found?.range?.[0] ?? 0
    const {line, col} = lineCounter.linePos(offset)
    return {line, column: col}
  }

  const clean: Record<string, unknown> = {...(data as Record<string, unknown>)}
  for (const issue of flattenUnions(parsed.error.issues)) {
    const keys = issue.path
    const name = keys.join('.')
    if (issue.code === 'unrecognized_keys') {
      // One message per unknown key, each at its own line.
      for (const key of issue.keys) {
        file.message(unknownKeyReason(keys, key, fileName), {place: place([...keys, key], true), ruleId: 'config-invalid', source: 'letterpress'}).fatal = true
      }
    } else {
      const ruleId = issue.code === 'custom' ? (issue.params as {ruleId?: string} | undefined)?.ruleId : undefined
      file.message(`Setting \`${name}\` in ${fileName}: ${issue.message}`, {
        place: place(keys),
        ruleId: ruleId ?? 'config-invalid',
        source: 'letterpress'
      }).fatal = true
    }
    // Drop the bad top-level key so its default applies.
    if (keys[0] !== undefined) delete clean[String(keys[0])]
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) delete clean[key]
  }
  const retry = configSchema.safeParse(clean)
  return retry.success ? retry.data : {}
}

/** The keys the schema allows in the mapping at `keys` (`['newsletter']`, `['newsletter', 'social', 0]`). */
function settingsAt(keys: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = configSchema
  for (const key of keys) {
    schema = settingOf(schema, typeof key === 'number')
    if (schema instanceof z.ZodArray && typeof key === 'number') schema = schema.element as z.ZodType
    else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)]!
    else return []
  }
  schema = settingOf(schema, false)
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

/**
 * The schema a setting's value is checked against, through what wraps it:
 * optional, a preprocessing step, or one of several forms (the list when
 * `list`, else the mapping).
 */
function settingOf(schema: z.ZodType, list: boolean): z.ZodType {
  for (;;) {
    if (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType
    else if (schema instanceof z.ZodPipe) schema = schema.out as z.ZodType
    else if (schema instanceof z.ZodUnion) {
      const options = (schema.options as z.ZodType[]).map((option) => settingOf(option, list))
      return options.find((option) => (list ? option instanceof z.ZodArray : option instanceof z.ZodObject)) ?? schema
    } else return schema
  }
}

/**
 * The issues of a setting with several forms (a colour, or `light:` and
 * `dark:` colours): those of the form the value has (a mapping's unknown or
 * wrong keys), else the one issue that lists the forms.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue]
    // The form the value is of: its issues are about what it holds, not about its kind.
    const matching = issue.errors.find((errors) => errors.length > 0 && errors.every((each) => each.path.length > 0 || each.code === 'unrecognized_keys' || each.code === 'custom'))
    if (!matching) return [issue]
    return flattenUnions(matching.map((each) => ({...each, path: [...issue.path, ...each.path]})))
  })
}

/**
 * Why `key` is not a setting at `keys`: the known setting it is nearest to
 * (`titel` → `title`, `form` → `from`), or the settings allowed there.
 */
function unknownKeyReason(keys: readonly PropertyKey[], key: string, fileName: string): string {
  const where = keys.filter((part) => typeof part === 'string').join('.')
  const full = where ? `${where}.${key}` : key
  const known = settingsAt(keys)
  const lower = key.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase())
    // A swapped pair of letters is two edits (`form` → `from`); long names may be off by three.
    const limit = candidate.length <= 3 ? 1 : candidate.length < 10 ? 2 : 3
    if (distance <= limit && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  const unknown = `Unknown setting \`${full}\` in ${fileName}`
  if (best) return `${unknown}; did you mean \`${where ? `${where}.` : ''}${best}\`?`
  return `${unknown}; ${where ? `\`${where}\` takes` : 'the settings are'} ${known.map((name) => `\`${name}\``).join(', ')}`
}

/**
 * Where a setting's value is in config text (`['newsletter', 'start']`;
 * `item`: the entry of the list there that is that text), as a 1-based
 * line and column; `undefined` when the text does not have it.
 */
export function configPosition(text: string, keys: readonly string[], item?: string): {line: number; column: number} | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter})
  let node: unknown = doc.contents
  let found: YamlNode | undefined
  for (const key of item === undefined ? keys : [...keys, item]) {
    if (key === item && isSeq(node)) {
      found = node.items.find((each) => isScalar(each) && each.value === item) as YamlNode | undefined
      if (!found) return undefined
      continue
    }
    if (!isMap(node)) return undefined
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key)
    if (!pair) return undefined
    found = (pair.value ?? pair.key) as YamlNode
    node = pair.value
  }
  const offset = found?.range?.[0]
  if (offset === undefined) return undefined
  const {line, col} = lineCounter.linePos(offset)
  return {line, column: col}
}

/**
 * The unsubscribe link of the issue: `newsletter.unsubscribe` as written,
 * but for letterpress's own `{{unsubscribe_url}}` (which only `send --list`
 * fills) when the issue goes to a service, whose own tag stands there.
 */
function unsubscribeFor(written: string | undefined, provider: EmailServiceName): string {
  if (written === undefined) return emailServices[provider].unsubscribe
  if (provider !== 'generic' && /^\{\{\s*unsubscribe_url\s*\}\}$/.test(written.trim())) return emailServices[provider].unsubscribe
  return written
}

/** The words of the site's theme and email: its `language`'s table under its own `strings:`. */
export function stringsOf(config: Pick<ResolvedConfig, 'language' | 'strings'>): Strings {
  return createStrings(config.language, config.strings)
}

/** The site's title when the config gives none. */
const defaultTitle = 'letterpress'

/** Apply defaults and overrides; make every path absolute. */
export function resolveConfig(
  root: string,
  user: Config = {},
  overrides: ConfigOverrides = {}
): ResolvedConfig {
  const absoluteRoot = path.resolve(root)
  const rawBase = overrides.baseUrl ?? user.baseUrl
  const title = user.title ?? defaultTitle
  const authors: Author[] = (user.authors ?? []).map((entry) =>
    typeof entry === 'string' ? {id: entry, name: entry} : {...entry, id: entry.id ?? entry.name}
  )
  const newsletter = user.newsletter ?? {}
  const provider = overrides.provider ?? (newsletter.provider !== undefined && isEmailServiceName(newsletter.provider) ? newsletter.provider : 'generic')
  return {
    root: absoluteRoot,
    postsDir: path.join(absoluteRoot, 'posts'),
    contentFolder: 'posts',
    postsUnder: '',
    configFile: configFileName,
    outDir: path.resolve(absoluteRoot, overrides.outDir ?? 'dist'),
    cacheDir: path.join(absoluteRoot, '.cache'),
    templatesDir: path.join(absoluteRoot, 'templates'),
    title,
    description: user.description ?? '',
    baseUrl: rawBase ? (rawBase.endsWith('/') ? rawBase : rawBase + '/') : undefined,
    language: user.language ?? 'en',
    strings: {...user.strings} as StringTable,
    authors,
    permalink: user.permalink ?? '/posts/:slug/',
    postsPerPage: user.postsPerPage ?? 10,
    subscribeUrl: user.subscribeUrl,
    rawHtml: user.rawHtml ?? 'keep',
    search: user.search ?? true,
    links: {oldPermalinks: user.links?.oldPermalinks ?? []},
    copyright: user.copyright,
    frontmatter: {rename: {...user.frontmatter?.rename}},
    newsletter: {
      name: newsletter.name ?? title,
      subject: newsletter.subject,
      from: newsletter.from ?? (authors[0]?.email ? `${authors[0].name} <${authors[0].email}>` : placeholderFrom),
      replyTo: newsletter.replyTo,
      address: newsletter.address ?? '',
      unsubscribe: unsubscribeFor(newsletter.unsubscribe, provider),
      provider,
      order: newsletter.order ?? 'oldest',
      start: newsletter.start,
      suppress: newsletter.suppress,
      utm: newsletter.utm ?? {},
      social: newsletter.social ?? []
    },
    theme: resolveTheme(user.theme ?? {}, absoluteRoot, path.join(absoluteRoot, 'posts')),
    drafts: overrides.drafts ?? false,
    future: overrides.future ?? false,
    strict: overrides.strict ?? false,
    sourceDateEpoch: overrides.sourceDateEpoch
  }
}

/**
 * Warn on the config file (`config-base-url`) when the site has no
 * `baseUrl`: feeds, the sitemap, canonical links and emails then use
 * site-relative URLs. A config file that does not parse stands in with
 * defaults; its own error says enough.
 */
export function reportMissingBaseUrl(config: ResolvedConfig, configFile: VFile): void {
  if (config.baseUrl || configFile.messages.some((message) => message.fatal)) return
  configFile.message(
    `No \`${config.configFile === 'mkdocs.yml' ? 'site_url' : 'baseUrl'}\` in ${config.configFile}: feeds,` +
      ' the sitemap, canonical links and emails need absolute URLs, ' +
      'so they use site-relative ones until it is set',
    {ruleId: 'config-base-url', source: 'letterpress'}
  )
}

/** The sender of issues when neither `newsletter.from` nor an author's email is set: not deliverable. */
export const placeholderFrom = 'newsletter@example.invalid'

/**
 * The settings an issue needs before it can be sent, as the user would add
 * them ([] when none is missing): a real `newsletter.from` (the default, at
 * the reserved `.invalid` domain, cannot be delivered nor replied to) and
 * the `baseUrl` that makes the issue's links absolute.
 */
export function missingSendSettings(config: ResolvedConfig): string[] {
  const from = addressparser(config.newsletter.from, {flatten: true})[0]?.address ?? ''
  const missing: string[] = []
  if (from === '' || /\.invalid$/i.test(from)) missing.push('`newsletter.from` (the sender, e.g. `from: Name <letters@your.domain>`)')
  if (!config.baseUrl) missing.push(`\`${config.configFile === 'mkdocs.yml' ? 'site_url' : 'baseUrl'}\` (the site's absolute URL)`)
  return missing
}

/**
 * Warn once on the config file (`newsletter-not-sendable`, line 1) when the
 * issues being built could not be sent as they are (`missingSendSettings`).
 */
export function reportUnsendableIssues(config: ResolvedConfig, configFile: VFile): void {
  const missing = missingSendSettings(config)
  if (missing.length === 0 || configFile.messages.some((message) => message.fatal)) return
  configFile.message(`The newsletter cannot be sent as it is: add ${missing.join(' and ')} to ${config.configFile}`, {
    place: {line: 1, column: 1},
    ruleId: 'newsletter-not-sendable',
    source: 'letterpress'
  })
}
