/**
 * `send YYYY-MM --list FILE`: one copy per subscriber, merge fields filled,
 * bad and suppressed entries skipped, and exactly once through crashes (the
 * send journal), against an SMTP server on 127.0.0.1 in this process.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import fs from 'node:fs'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {simpleParser, type ParsedMail} from 'mailparser'
import {SMTPServer, type SMTPServerOptions} from 'smtp-server'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {readJournal} from '../src/email/journal.js'
import {parseRecipientList} from '../src/email/recipients.js'
import {openJournal} from '../src/pipeline/journal.js'
import {progressLine} from '../src/cli/send-list.js'
import {sendList, type SendProgress} from '../src/pipeline/newsletter.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')

interface Received {
  to: string[]
  data: Buffer
}

const servers: SMTPServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
})

/**
 * An SMTP server on 127.0.0.1 that keeps each message it receives once the
 * message is whole (before it answers, as a real server queues it), and
 * counts connections. `onRcptTo`/`beforeReply` may hold or refuse a step.
 */
async function startServer(
  hooks: {
    onRcptTo?: SMTPServerOptions['onRcptTo']
    /** Called with the message once received and kept, before the server answers; call `reply` to answer. */
    beforeReply?: (message: Received, reply: () => void) => void
  } = {}
): Promise<{url: string; received: Received[]; connections: () => number}> {
  const received: Received[] = []
  let connections = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++
      callback()
    },
    onRcptTo(address, session, callback) {
      if (hooks.onRcptTo) hooks.onRcptTo(address, session, callback)
      else callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const message = {to: session.envelope.rcptTo.map((recipient) => recipient.address), data: Buffer.concat(chunks)}
        received.push(message)
        if (hooks.beforeReply) hooks.beforeReply(message, () => callback())
        else callback()
      })
    }
  })
  server.on('error', () => {})
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.server.address() as AddressInfo
  return {url: `smtp://127.0.0.1:${port}`, received, connections: () => connections}
}

let work: string

/** A site of one post whose copies greet by name; returns its ROOT. */
function makeSite(options: {unsubscribe?: string; suppress?: string[]; post?: string} = {}): string {
  const root = fs.mkdtempSync(path.join(work, 'site-'))
  fs.mkdirSync(path.join(root, 'posts'))
  fs.writeFileSync(
    path.join(root, 'posts', 'lanterns.md'),
    `---\ntitle: Lanterns on the pier\ndate: 2026-09-04\n---\n\n${options.post ?? 'Hello {{ name }}, the lanterns came on one by one.'}\n`
  )
  const unsubscribe = options.unsubscribe ?? 'https://pier.example/leave?email={{email}}&list=main'
  fs.writeFileSync(
    path.join(root, 'letterpress.yml'),
    'title: Pier Notes\nbaseUrl: https://pier.example/\nnewsletter:\n  from: Pier Notes <pier@notes.example>\n' +
      `  unsubscribe: "${unsubscribe}"\n` +
      (options.suppress ? '  suppress: suppressed.txt\n' : '')
  )
  if (options.suppress) fs.writeFileSync(path.join(root, 'suppressed.txt'), `# unsubscribed or bounced\n${options.suppress.join('\n')}\n`)
  return root
}

/** `reader1@inbox.example` ... as CSV rows, with names that need quoting. */
function csvOf(addresses: string[], extra: string[] = []): string {
  const rows = addresses.map((address, index) => `${address},"Reader ${index + 1}, Esq."`)
  return ['email,name', ...rows, ...extra].join('\r\n') + '\r\n'
}

function readers(count: number): string[] {
  return Array.from({length: count}, (_, index) => `reader${index + 1}@inbox.example`)
}

interface Run {
  code: number | null
  stderr: string
  killed: boolean
}

/**
 * Run the CLI in ROOT; `whileRunning` gets the child (to kill it). Bounded by `timeoutMs`.
 * The sites' baseUrl is a made-up address, so `send` skips the check of the issue's files on the web (tested on its own).
 */
function cli(root: string, args: string[], whileRunning?: (child: ChildProcess) => void, timeoutMs = 90_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args, '--no-check-published', '--root', root], {cwd: root, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, stderr, killed: signal === 'SIGKILL'})
    })
    whileRunning?.(child)
  })
}

/** The first address of a parsed message's `To:`. */
function toOf(mail: ParsedMail): string[] {
  const to = mail.to && !Array.isArray(mail.to) ? mail.to.value : []
  return to.map((entry) => entry.address ?? '')
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-send-list-'))
  // Compile once up front (when the sources are newer than lib/), so the runs below time the CLI, not tsc.
  spawnSync(process.execPath, [bin, '--version'], {cwd: work, timeout: 180_000})
}, 200_000)

afterAll(() => {
  if (work) fs.rmSync(work, {recursive: true, force: true})
})

describe('reading a list', () => {
  it('should read CSV with quoted fields, other separators and columns, and report bad and repeated entries at their lines', () => {
    const list = parseRecipientList(
      '\uFEFFEmail Address;First Name;Plan\r\n' +
        'jo@example.org;Jo;pro\r\n' +
        '\r\n' +
        '"ann@example.org";"Ann\r\nMarie";free\r\n' +
        'not an address;X;free\r\n' +
        'JO@example.org;Jo again;pro\r\n' +
        'Carl <carl@example.org>;;free\r\n'
    )
    expect(list.recipients.map((entry) => [entry.address, entry.name, entry.line])).toEqual([
      ['jo@example.org', '', 2],
      ['ann@example.org', '', 4],
      ['carl@example.org', 'Carl', 8]
    ])
    expect(list.recipients[1]!.fields).toMatchObject({email: 'ann@example.org', first_name: 'Ann\nMarie', plan: 'free'})
    expect(list.fieldNames).toEqual(['email', 'name', 'email_address', 'first_name', 'plan'])
    expect(list.problems.map((problem) => [problem.line, problem.rule, problem.fatal])).toEqual([
      [6, 'list-address-invalid', false],
      [7, 'list-address-duplicate', false]
    ])
    expect(list.problems[1]!.message).toContain('already on line 2')
  })

  it('should read one address a line, with names and comments', () => {
    const list = parseRecipientList('# subscribers\njo@example.org\n\n  Ann Example <ann@example.org>  \njo@@example.org\nx@localhost\n')
    expect(list.recipients.map((entry) => [entry.address, entry.name, entry.line])).toEqual([
      ['jo@example.org', '', 2],
      ['ann@example.org', 'Ann Example', 4]
    ])
    expect(list.problems.map((problem) => [problem.line, problem.rule])).toEqual([
      [5, 'list-address-invalid'],
      [6, 'list-address-invalid']
    ])
  })

  it('should refuse a CSV without an email column, or that is not CSV, at its line', () => {
    expect(parseRecipientList('name,city\nJo,Oslo\n').problems).toMatchObject([{line: 1, rule: 'list-no-email-column', fatal: true}])
    const broken = parseRecipientList('email,name\njo@example.org,Jo\n"ann@example.org,Ann\n')
    expect(broken.recipients).toEqual([])
    expect(broken.problems).toMatchObject([{rule: 'list-csv', fatal: true}])
  })
})

describe('the send journal', () => {
  it('should skip a mark cut short by a crash, and start the next mark on a line of its own', () => {
    const file = path.join(work, 'journal', '2026-09.jsonl')
    fs.mkdirSync(path.dirname(file), {recursive: true})
    const at = '2026-09-30T10:00:00.000Z'
    fs.writeFileSync(
      file,
      JSON.stringify({email: 'a@x.example', state: 'sending', at}) + '\n' + JSON.stringify({email: 'a@x.example', state: 'accepted', at}) + '\n' + '{"email":"b@x.example","sta'
    )
    const journal = openJournal(file)
    expect(journal.reading.skipped).toBe(1)
    expect(journal.reading.last.get('a@x.example')?.state).toBe('accepted')
    expect(journal.reading.last.has('b@x.example')).toBe(false)
    journal.append({email: 'B@x.example', state: 'sending', at})
    journal.close()
    const again = readJournal(fs.readFileSync(file, 'utf8'))
    expect(again.skipped).toBe(1)
    expect(again.last.get('b@x.example')?.state).toBe('sending')
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
  })
})

describe('letterpress send --list', {timeout: 200_000}, () => {
  it('should send 200 subscribers a copy each, with their own unsubscribe URL and no merge tag left, skipping bad, repeated and suppressed entries', async () => {
    const root = makeSite({suppress: ['Gone@Inbox.example']})
    const addresses = readers(200)
    fs.writeFileSync(
      path.join(root, 'list.csv'),
      csvOf(addresses, ['not-an-address,Nobody', 'READER7@inbox.example,Seven again', 'gone@inbox.example,Gone'])
    )
    const {url, received, connections} = await startServer()
    const before = Math.floor(Date.now() / 1000) * 1000
    const run = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--smtp', url, '--timeout', '5'])
    const after = Date.now()
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('list.csv:202:1  warning  `not-an-address` is not an email address; skipped  list-address-invalid')
    expect(run.stderr).toContain('list.csv:203:1  warning  `READER7@inbox.example` is already on line 8; sent once, skipped here  list-address-duplicate')
    expect(run.stderr).toContain('list.csv:204:1  warning  `gone@inbox.example` is on the suppression list (suppressed.txt:2); skipped  list-address-suppressed')
    expect(run.stderr).toMatch(/^send 2026-09: 200 sent, 3 skipped, 0 failed, 0 uncertain in [\d.]+ s; journal \.letterpress\/sends\/2026-09\.jsonl$/m)

    // One transaction per address, in list order, nobody else; one connection for each 100 copies.
    expect(received.map((message) => message.to)).toEqual(addresses.map((address) => [address]))
    expect(connections()).toBe(2)
    const mails = await Promise.all(received.map((message) => simpleParser(message.data)))
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(200)
    for (const [index, mail] of mails.entries()) {
      const address = addresses[index]!
      const unsubscribe = `https://pier.example/leave?email=${encodeURIComponent(address)}&list=main`
      expect(toOf(mail)).toEqual([address])
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(before)
      expect(mail.date!.getTime()).toBeLessThanOrEqual(after)
      expect(header(mail, 'list-unsubscribe')).toBe(`<${unsubscribe}>`)
      expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
      expect(mail.text).toContain(`Unsubscribe: ${unsubscribe}`)
      expect(mail.html).toContain(`href="${unsubscribe.replace('&', '&amp;')}"`)
      expect(mail.text).toContain(`Hello Reader ${index + 1}, Esq., the lanterns`)
      const raw = message(mail)
      expect(raw, address).not.toContain('{{')
    }

    // The journal says each was accepted; the same command again sends nothing.
    const journal = readJournal(fs.readFileSync(path.join(root, '.letterpress', 'sends', '2026-09.jsonl'), 'utf8'))
    expect([...journal.last.values()].filter((mark) => mark.state === 'accepted')).toHaveLength(200)
    const again = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--smtp', url, '--timeout', '5'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/^send 2026-09: 0 sent, 3 skipped, 0 failed, 0 uncertain \(200 sent by an earlier run\)/m)
    expect(received).toHaveLength(200)
  })

  it('should write each copy as .eml with --dry-run, and connect to nothing', async () => {
    const root = makeSite({unsubscribe: '{{unsubscribe_url}}'})
    fs.writeFileSync(path.join(root, 'list.txt'), '# one a line\nann@inbox.example\nBo Example <bo@inbox.example>\n')
    const {url, connections} = await startServer()
    const run = await cli(root, ['send', '2026-09', '--list', 'list.txt', '--smtp', url, '--dry-run', 'preview'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^send 2026-09: dry run: 2 messages written to preview, nothing sent; 0 skipped, 0 uncertain in/m)
    expect(connections()).toBe(0)
    expect(fs.readdirSync(path.join(root, 'preview')).sort()).toEqual(['0001-ann@inbox.example.eml', '0002-bo@inbox.example.eml'])
    expect(fs.existsSync(path.join(root, '.letterpress', 'sends'))).toBe(false)
    const mail = await simpleParser(fs.readFileSync(path.join(root, 'preview', '0002-bo@inbox.example.eml')))
    expect(toOf(mail)).toEqual(['bo@inbox.example'])
    expect(mail.text).toContain('Hello Bo Example, the lanterns')
    // No web endpoint: each copy's unsubscribe link is a mail to the sender, and no one-click claim is made.
    const mailto = 'mailto:pier@notes.example?subject=Unsubscribe%20bo%40inbox.example'
    expect(header(mail, 'list-unsubscribe')).toBe(`<${mailto}>`)
    expect(header(mail, 'list-unsubscribe-post')).toBeUndefined()
    expect(mail.text).toContain(`Unsubscribe: ${mailto}`)
    expect(message(mail)).not.toContain('{{')
  })

  it('should send nothing while the issue has a merge tag the list does not fill, or a suppression list is missing', async () => {
    const {url, received, connections} = await startServer()
    const root = makeSite({post: 'Hello {{ first_name }}.'})
    fs.writeFileSync(path.join(root, 'list.csv'), csvOf(readers(3)))
    const run = await cli(root, ['send', '2026-09', '--list', 'list.csv', '--smtp', url])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^list\.csv:1:1 {2}error {2}the issue has `\{\{ first_name \}\}` \(in issue\.html\), which no field of this list fills.*send-merge-tag-unknown$/m)
    expect(run.stderr).toMatch(/^send 2026-09: nothing sent: \d+ errors?$/m)

    const unsuppressed = makeSite({suppress: []})
    fs.rmSync(path.join(unsuppressed, 'suppressed.txt'))
    fs.writeFileSync(path.join(unsuppressed, 'list.csv'), csvOf(readers(3)))
    const missing = await cli(unsuppressed, ['send', '2026-09', '--list', 'list.csv', '--smtp', url])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^letterpress\.yml:6:13 {2}error {2}`newsletter\.suppress` names suppressed\.txt, which cannot be read \(ENOENT\).*send-suppress-missing$/m)
    expect(received).toEqual([])
    expect(connections()).toBe(0)
  })
})

describe('sendList against a server that refuses', {timeout: 120_000}, () => {
  it('should retry a 4xx with backoff, and record and report a 5xx and a 4xx that outlasts the retries', async () => {
    const tries = new Map<string, number>()
    const {url, received} = await startServer({
      onRcptTo(address, _session, callback) {
        const count = (tries.get(address.address) ?? 0) + 1
        tries.set(address.address, count)
        const fail = (code: number, text: string) => callback(Object.assign(new Error(text), {responseCode: code}))
        if (address.address.startsWith('busy') && count <= 2) fail(451, 'Try again later')
        else if (address.address.startsWith('full')) fail(452, 'Mailbox full, try later')
        else if (address.address.startsWith('gone')) fail(550, 'No such user here')
        else callback()
      }
    })
    const root = makeSite()
    const list = path.join(root, 'list.csv')
    fs.writeFileSync(list, csvOf(['first@inbox.example', 'busy@inbox.example', 'gone@inbox.example', 'full@inbox.example', 'last@inbox.example']))
    const progress: number[] = []
    const result = await sendList({
      checkPublished: false,
      month: '2026-09',
      root,
      list,
      smtp: url,
      timeoutMs: 5000,
      retryDelaysMs: [20, 40],
      onProgress: (entry) => progress.push(entry.done)
    })
    expect(result.errors, JSON.stringify(result.diagnostics)).toBe(0)
    expect(result.sent).toEqual(['first@inbox.example', 'busy@inbox.example', 'last@inbox.example'])
    expect(result.failed).toMatchObject([
      {email: 'gone@inbox.example', permanent: true, response: expect.stringContaining('550 No such user here')},
      {email: 'full@inbox.example', permanent: false, response: expect.stringContaining('452 Mailbox full')}
    ])
    expect(result.stopped).toBeUndefined()
    expect(progress).toEqual([1, 2, 3, 4, 5])
    expect(Object.fromEntries(tries)).toEqual({
      'first@inbox.example': 1,
      'busy@inbox.example': 3,
      'gone@inbox.example': 1,
      'full@inbox.example': 3,
      'last@inbox.example': 1
    })
    expect(received.map((message) => message.to)).toEqual([['first@inbox.example'], ['busy@inbox.example'], ['last@inbox.example']])
    const journal = readJournal(fs.readFileSync(result.journal!, 'utf8'))
    expect(journal.last.get('gone@inbox.example')).toMatchObject({state: 'failed', permanent: true})
    expect(journal.last.get('busy@inbox.example')).toMatchObject({state: 'accepted'})

    // Again: only those not yet accepted are tried.
    tries.clear()
    const again = await sendList({checkPublished: false, month: '2026-09', root, list, smtp: url, timeoutMs: 5000, retryDelaysMs: []})
    expect(again.alreadySent).toBe(3)
    expect([...tries.keys()]).toEqual(['gone@inbox.example', 'full@inbox.example'])
  })

  it('should stop when the server cannot be reached, leaving the rest untried for the next run', async () => {
    const {url} = await startServer()
    const port = Number(new URL(url).port)
    await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    const root = makeSite()
    const list = path.join(root, 'list.csv')
    fs.writeFileSync(list, csvOf(readers(4)))
    const result = await sendList({checkPublished: false, month: '2026-09', root, list, smtp: `smtp://127.0.0.1:${port}`, timeoutMs: 2000, retryDelaysMs: [10]})
    expect(result.sent).toEqual([])
    expect(result.failed).toMatchObject([{email: 'reader1@inbox.example', permanent: false}])
    expect(result.stopped).toMatch(/Could not reach the SMTP server at 127\.0\.0\.1/)
    expect(result.untried).toBe(3)
    const journal = readJournal(fs.readFileSync(result.journal!, 'utf8'))
    expect([...journal.last.keys()]).toEqual(['reader1@inbox.example'])
    expect(journal.last.get('reader1@inbox.example')?.state).toBe('failed')
  })

  it('should keep to --rate, and report count, pace and time left as it goes', async () => {
    const {url} = await startServer()
    const root = makeSite()
    const list = path.join(root, 'list.txt')
    fs.writeFileSync(list, readers(4).join('\n'))
    const progress: SendProgress[] = []
    const result = await sendList({checkPublished: false, month: '2026-09', root, list, smtp: url, timeoutMs: 5000, rate: 2, onProgress: (entry) => progress.push(entry)})
    expect(result.sent).toHaveLength(4)
    // Two a second: the n-th copy starts no sooner than n/2 s after the first (less the time to make the first copy).
    const starts = fs
      .readFileSync(result.journal!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {state: string; at: string})
      .filter((mark) => mark.state === 'sending')
      .map((mark) => Date.parse(mark.at))
    expect(starts).toHaveLength(4)
    expect(starts[3]! - starts[0]!).toBeGreaterThanOrEqual(1400)
    expect(progress.map((entry) => [entry.done, entry.total])).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]])
    expect(progress.at(-1)!.perSecond).toBeGreaterThan(0)
    expect(progress.at(-1)!.secondsLeft).toBe(0)
    expect(progressLine({done: 120, total: 200, perSecond: 45.24, secondsLeft: 1.77})).toBe('120/200, 45.2 a second, about 2 s left')
  })

  it('should name each failed address and exit 1 from the command line', async () => {
    const {url, received} = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone')) callback(Object.assign(new Error('No such user here'), {responseCode: 550}))
        else callback()
      }
    })
    const root = makeSite()
    fs.writeFileSync(path.join(root, 'list.txt'), 'gone@inbox.example\nann@inbox.example\n')
    const run = await cli(root, ['send', '2026-09', '--list', 'list.txt', '--smtp', url, '--timeout', '5'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^send 2026-09: failed for gone@inbox\.example \(permanent\): 550 No such user here$/m)
    expect(run.stderr).toMatch(/^send 2026-09: 1 sent, 0 skipped, 1 failed, 0 uncertain in/m)
    expect(received.map((message) => message.to)).toEqual([['ann@inbox.example']])
  })
})

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

describe('letterpress send --list killed with SIGKILL and run again', {timeout: 600_000}, () => {
  const count = 25
  const seeds = Array.from({length: 10}, (_, index) => index + 1)

  it.each(seeds)('should deliver every copy at most once, and all but the named uncertain one (seed %i)', async (seed) => {
    const next = random(seed)
    // Where the kill lands: while the server holds a RCPT, after a message was received but before the
    // server answered, or some milliseconds after an answer.
    const stage = (['rcpt', 'reply', 'after'] as const)[Math.floor(next() * 3)]!
    // Not the last copy: a kill after the last answer could come once the process is done.
    const at = Math.floor(next() * (count - 1))
    const afterMs = Math.floor(next() * 30)
    let child: ChildProcess | undefined
    let transactions = 0
    const kill = () => {
      child?.kill('SIGKILL')
      child = undefined
    }
    const {url, received} = await startServer({
      onRcptTo(_address, _session, callback) {
        const index = transactions++
        if (stage === 'rcpt' && index === at) {
          kill()
          setTimeout(() => callback(), 200)
        } else setTimeout(() => callback(), Math.floor(next() * 5))
      },
      beforeReply(message, reply) {
        const index = received.indexOf(message)
        if (stage === 'reply' && index === at) {
          kill()
          setTimeout(reply, 200)
        } else {
          if (stage === 'after' && index === at) setTimeout(kill, afterMs)
          setTimeout(reply, Math.floor(next() * 5))
        }
      }
    })
    const root = makeSite()
    const addresses = readers(count)
    fs.writeFileSync(path.join(root, 'list.csv'), csvOf(addresses))
    const args = ['send', '2026-09', '--list', 'list.csv', '--smtp', url, '--timeout', '5']
    const first = await cli(root, args, (started) => (child = started))
    expect(first.killed, first.stderr).toBe(true)

    const second = await cli(root, args)
    const uncertain = /not sent again, delivery unknown since an earlier run was cut off: (.*?);/.exec(second.stderr)?.[1]?.split(', ') ?? []
    const deliveries = new Map<string, number>()
    for (const message of received) for (const address of message.to) deliveries.set(address, (deliveries.get(address) ?? 0) + 1)
    // At most once each; every one but the named uncertain ones exactly once.
    for (const address of addresses) {
      const times = deliveries.get(address) ?? 0
      expect(times, address).toBeLessThanOrEqual(1)
      if (!uncertain.includes(address)) expect(times, `${address}\n${second.stderr}`).toBe(1)
    }
    expect(uncertain.length).toBeLessThanOrEqual(1)
    if (stage === 'reply') expect(uncertain).toEqual([addresses[at]])
    expect(second.code, second.stderr).toBe(uncertain.length > 0 ? 1 : 0)
    expect(second.stderr).toMatch(new RegExp(`^send 2026-09: \\d+ sent, 0 skipped, 0 failed, ${uncertain.length} uncertain`, 'm'))

    // Asked to, a run sends to the uncertain ones too, and then the list is done.
    if (uncertain.length > 0 && seed <= 3) {
      const third = await cli(root, [...args, '--resend-uncertain'])
      expect(third.code, third.stderr).toBe(0)
      expect(third.stderr).toMatch(new RegExp(`^send 2026-09: ${uncertain.length} sent, 0 skipped, 0 failed, 0 uncertain \\(${count - uncertain.length} sent by an earlier run\\)`, 'm'))
    }
  })
})

/** The value of a header as written (unfolded), or `undefined`. */
function header(mail: ParsedMail, key: string): string | undefined {
  const line = mail.headerLines.find((entry) => entry.key === key)?.line
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]*:\s*/, '')
}

/** Every header line and part of a parsed message, as one text to search. */
function message(mail: ParsedMail): string {
  return [mail.subject ?? '', ...mail.headerLines.map((header) => header.line), mail.text ?? '', typeof mail.html === 'string' ? mail.html : ''].join('\n')
}
