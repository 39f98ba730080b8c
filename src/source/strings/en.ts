/**
 * The English words of the web theme and the email: every key a table has,
 * and the reference the other tables are checked against (same keys, same
 * placeholders). A value is a text, or its plural forms by
 * `Intl.PluralRules` category (`one`, `other`, ...) chosen by the `count`
 * placeholder. `{name}` is a placeholder; one whose name ends in `Html` is
 * markup the template made (a link), the rest is text.
 *
 * A string the templates gain is added here first, then to every other
 * table (the tests fail until it is).
 */
import type {StringTable} from './table.js'

export const en = {
  // Every page of the web theme.
  'site.skipLink': 'Skip to content',
  'site.navLabel': 'Site',
  'site.footerNavLabel': 'Footer',
  'site.darkTheme': 'Dark theme',
  'site.followByFeed': 'Follow by feed:',
  'site.archive': 'Archive',
  'site.tags': 'Tags',
  'site.categories': 'Categories',
  'site.newsletter': 'Newsletter',
  'site.pageTitleNumbered': '{title} — page {number}',
  'subscribe.emailIntro': 'New posts, collected into one calm email a month. No tracking, unsubscribe any time.',
  'subscribe.emailButton': 'Subscribe by email',
  'subscribe.feedIntro': 'New posts arrive in your feed reader as soon as they are published.',
  'subscribe.feedButton': 'Follow the RSS feed',

  // Lists of posts.
  'list.posts': 'Posts',
  'list.empty': 'Nothing published yet.',
  'pagination.label': 'Pagination',
  'pagination.newer': 'Newer posts',
  'pagination.older': 'Older posts',
  'pagination.status': 'Page {page} of {pages}',

  // A post, its summary in a list, and standalone pages.
  'post.updated': 'Updated',
  'post.minutesRead': {one: 'min read', other: 'min read'},
  'post.byAuthors': 'By {authors}',
  'post.draft': 'Draft',
  'post.continueReading': 'Continue reading',
  'post.tagsLabel': 'Tags',
  'post.navLabel': 'More posts',
  'post.previous': 'Previous',
  'post.next': 'Next',
  'post.related': 'Related posts',
  'post.commentsLabel': 'Comments',
  'post.tableOfContents': 'On this page',
  // The name a screen reader gives a table's scrolling box (the theme script names it by its column headings).
  'post.table': 'Table',
  'post.tableOf': 'Table: {columns}',
  'post.headingPermalink': 'Permalink to this heading',
  'post.footnotes': 'Footnotes',
  'post.footnoteBack': 'Back to reference {number}',

  // Archive, tags and categories.
  'archive.intro': 'Everything published so far, newest first.',
  'archive.yearsLabel': 'Years',
  'term.tag': 'Tag',
  'term.category': 'Category',
  'term.postCount': {one: '{count} post', other: '{count} posts'},
  'term.postsWord': {one: 'post', other: 'posts'},
  'term.tagTitle': 'Tag: {name}',
  'term.categoryTitle': 'Category: {name}',
  'term.allTags': 'All tags',
  'term.tagCount': {one: '{count} tag.', other: '{count} tags.'},
  'term.categoryCount': {one: '{count} category.', other: '{count} categories.'},

  // The not-found page and redirects.
  'notFound.title': 'Page not found',
  'notFound.kicker': 'Error 404',
  'notFound.heading': 'This page is not here',
  'notFound.intro': 'It may have moved, or the link may have a typo. Try the {latestHtml} or the {archiveHtml}.',
  'notFound.latest': 'latest posts',
  'notFound.archive': 'archive',
  'notFound.recent': 'Recent posts',
  'redirect.title': 'Moved: {title}',
  'redirect.body': 'This page has moved to {linkHtml}.',

  // The newsletter's pages on the web.
  'newsletter.title': '{name}: the newsletter',
  'newsletter.description': 'Every issue of {name}, to read on the web.',
  'newsletter.intro': "Every month's posts, collected into one email. Here are all the issues so far, to read on the web.",
  'newsletter.empty': "No issues yet: the first one goes out with the first month's posts.",
  'newsletter.number': 'No. {number}',
  'newsletter.feedTitle': '{name}: the issues (RSS)',
  'newsletter.navLabel': 'Other issues',
  'newsletter.previous': 'Previous issue',
  'newsletter.next': 'Next issue',

  // The email, its plain-text part and its web copy.
  'email.issueNumber': 'Issue #{number}',
  'email.viewInBrowser': 'View in browser',
  'email.viewInBrowserText': 'View in your browser: {url}',
  'email.alsoThisMonth': 'Also this month',
  'email.inThisIssue': 'In this issue',
  'email.forwarded': 'Forwarded this?',
  'email.subscribe': 'Subscribe',
  'email.continueOnWeb': 'Continue reading on the web',
  'email.readPostOnWeb': 'Read this post on the web',
  'email.readOnWeb': 'Read on the web',
  'email.readThePost': 'Read the post',
  'email.moreThisMonth': 'And {count} more this month: read them all on the web',
  'email.allThisMonth': {one: '{count} post this month: read them all on the web', other: '{count} posts this month: read them all on the web'},
  'email.moreThisMonthText': 'And {count} more this month, on the web:',
  'email.allThisMonthText': {one: '{count} post this month, on the web:', other: '{count} posts this month, on the web:'},
  'email.receiving': 'You are receiving {name} because you subscribed at {hostHtml}.',
  'email.unsubscribe': 'Unsubscribe',
  'email.continueOnWebText': 'Continue reading on the web: {url}',
  'email.readOnWebText': 'Read on the web: {url}',
  'email.unsubscribeText': 'Unsubscribe: {url}',
  'email.links': 'Links:',
  'email.notes': 'Notes',
  'email.notesText': 'Notes:',
  'email.diagramOnWeb': 'Diagram: {link}. Its source:',
  'email.diagramLink': 'see it on the web',
  'email.diagramSource': 'Diagram source:'
} as const satisfies StringTable

/** A key of the tables. */
export type StringKey = keyof typeof en
