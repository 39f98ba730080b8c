/**
 * The mdast nodes of the letterpress dialect.
 *
 * Every syntax extension produces one of these; both renderers (web and
 * email) and the plain-text writer consume them. They are declared by
 * augmenting `mdast`, so `visit`, handlers and to-markdown know them without
 * casts. Positions are always kept.
 */
import type {
  BlockContent,
  DefinitionContent,
  Parent,
  PhrasingContent,
  Literal
} from 'mdast'

/**
 * A callout: MkDocs `!!! kind "title"`, pymdownx details `??? kind` and
 * `???+ kind`, GitHub alerts `> [!NOTE]` and directives `:::kind[title]`.
 */
export interface Admonition extends Parent {
  type: 'admonition'
  /** Lower-cased first word after the marker (`note`, `tip`, or anything). */
  kind: string
  /** Extra words after the kind (`inline end` gives `['inline', 'end']`). */
  classes: string[]
  /**
   * The title as written, without quotes. `null` when none was given (the
   * renderer shows the kind, capitalised); `''` when `""` asked for none.
   * When it is a non-empty string, the first child is an `admonitionTitle`
   * holding it parsed as inline Markdown.
   */
  title: string | null
  /** `closed` for `???`, `open` for `???+`, `null` when not collapsible. */
  collapsible: 'closed' | 'open' | null
  /** Which syntax the author used (kept for round-tripping). */
  syntax: 'mkdocs' | 'alert' | 'directive'
  children: Array<AdmonitionTitle | BlockContent | DefinitionContent>
}

/** The parsed title of an admonition (always its first child when present). */
export interface AdmonitionTitle extends Parent {
  type: 'admonitionTitle'
  children: PhrasingContent[]
}

/** A group of consecutive content tabs (pymdownx.tabbed `=== "Title"`). */
export interface TabSet extends Parent {
  type: 'tabSet'
  children: Tab[]
}

/** One content tab; its first child is the parsed title. */
export interface Tab extends Parent {
  type: 'tab'
  /** The title as written, without quotes. */
  title: string
  /** `===+`: this tab is the one selected when the page opens. */
  selected: boolean
  /** `===!`: this tab starts a new set even right after another tab. */
  newSet: boolean
  children: Array<TabTitle | BlockContent | DefinitionContent>
}

/** The parsed title of a tab (always its first child). */
export interface TabTitle extends Parent {
  type: 'tabTitle'
  children: PhrasingContent[]
}

/** `:name:` emoji shortcode whose name is known. */
export interface Emoji extends Literal {
  type: 'emoji'
  /** The shortcode name without colons (`boom`). */
  name: string
  /** The emoji itself (`💥`). */
  value: string
}

/** `==text==` (pymdownx.mark). */
export interface Mark extends Parent {
  type: 'mark'
  children: PhrasingContent[]
}

/** `^^text^^` (pymdownx.caret insert). */
export interface Insert extends Parent {
  type: 'insert'
  children: PhrasingContent[]
}

/** `^text^` (pymdownx.caret superscript). */
export interface Superscript extends Parent {
  type: 'superscript'
  children: PhrasingContent[]
}

/** `~text~` (pymdownx.tilde subscript). */
export interface Subscript extends Parent {
  type: 'subscript'
  children: PhrasingContent[]
}

/** `++ctrl+alt+del++` (pymdownx.keys). */
export interface Keys extends Literal {
  type: 'keys'
  /** The source between the `++` markers (`ctrl+alt+del`). */
  value: string
  /** The keys, normalised to lower case names (`['ctrl', 'alt', 'del']`). */
  keys: string[]
}

/** `*[HTML]: Hyper Text Markup Language` (Python-Markdown abbr). */
export interface AbbreviationDefinition extends Literal {
  type: 'abbreviationDefinition'
  /** The abbreviation (`HTML`). */
  label: string
  /** Its expansion. */
  value: string
}

/** An occurrence of a defined abbreviation in text (made by a transform). */
export interface Abbreviation extends Parent {
  type: 'abbreviation'
  title: string
  children: PhrasingContent[]
}

/** A definition list (Python-Markdown def_list). */
export interface DefinitionList extends Parent {
  type: 'definitionList'
  children: Array<DefinitionTerm | DefinitionDescription>
}

/** A term of a definition list. */
export interface DefinitionTerm extends Parent {
  type: 'definitionTerm'
  children: PhrasingContent[]
}

/** The description (`: ...`) of a term; full block content. */
export interface DefinitionDescription extends Parent {
  type: 'definitionDescription'
  /** Whether blank lines separate this item (renders paragraphs). */
  spread: boolean
  children: Array<BlockContent | DefinitionContent>
}

/**
 * Attributes from an attr list `{ #id .class key=value }`, kept in
 * `node.data.attributes` on images, links and headings (and mirrored into
 * `data.hProperties` for rendering).
 */
export interface AttributeList {
  id?: string
  classes?: string[]
  /** Other `key=value` pairs in source order. */
  pairs?: Array<[string, string]>
}

declare module 'mdast' {
  interface BlockContentMap {
    admonition: Admonition
    tabSet: TabSet
    tab: Tab
    definitionList: DefinitionList
  }

  interface DefinitionContentMap {
    abbreviationDefinition: AbbreviationDefinition
  }

  interface PhrasingContentMap {
    emoji: Emoji
    mark: Mark
    insert: Insert
    superscript: Superscript
    subscript: Subscript
    keys: Keys
    abbreviation: Abbreviation
  }

  interface RootContentMap {
    admonition: Admonition
    admonitionTitle: AdmonitionTitle
    tabSet: TabSet
    tab: Tab
    tabTitle: TabTitle
    emoji: Emoji
    mark: Mark
    insert: Insert
    superscript: Superscript
    subscript: Subscript
    keys: Keys
    abbreviationDefinition: AbbreviationDefinition
    abbreviation: Abbreviation
    definitionList: DefinitionList
    definitionTerm: DefinitionTerm
    definitionDescription: DefinitionDescription
  }

  interface Data {
    /** Attributes from an attr list, see `AttributeList`. */
    attributes?: AttributeList
  }
}
