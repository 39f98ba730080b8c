import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {simpleParser, type ParsedMail} from 'mailparser'
import {SMTPServer, type SMTPServerOptions} from 'smtp-server'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {buildIssue, issueEmlFor} from '../src/email/issue.js'
import {authNeedsTls, isLoopbackHost, SendError, sendIssue} from '../src/email/send.js'
import {loadFixtureSite} from './fixtures/email/site.js'

interface Received {
  from: string
  to: string[]
  data: Buffer
}

/** Every RCPT TO any test server saw, accepted or not: nothing may go anywhere else. */
const recipientsSeen: string[] = []

const servers: Array<{close(callback: () => void): void}> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(resolve))))
})

/** An SMTP server on 127.0.0.1, a free port, that keeps what it receives. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<{url: string; received: Received[]}> {
  const received: Received[] = []
  const {onRcptTo, onData, ...rest} = options
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...rest,
    onRcptTo(address, session, callback) {
      recipientsSeen.push(address.address)
      if (onRcptTo) onRcptTo(address, session, callback)
      else callback()
    },
    onData(stream, session, callback) {
      if (onData) return onData(stream, session, callback)
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          data: Buffer.concat(chunks)
        })
        callback()
      })
    }
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.server.address() as AddressInfo
  return {url: `smtp://127.0.0.1:${port}`, received}
}

/**
 * An SMTP server on 127.0.0.1 that cuts every connection at `stage`: in
 * `rcpt` at the first RCPT TO, in `data` once it has started to receive the
 * message. `dropAll` returns how many connections it cut.
 */
async function startDroppingServer(stage: 'rcpt' | 'data'): Promise<{url: string; received: Received[]; dropAll(): number}> {
  const sockets: net.Socket[] = []
  let dropped = 0
  const cut = () => {
    for (const socket of sockets.splice(0)) {
      socket.destroy()
      dropped++
    }
  }
  const server = await startServer({
    onRcptTo(_address, _session, callback) {
      if (stage === 'rcpt') cut()
      else callback()
    },
    onData(stream) {
      stream.once('data', cut)
      stream.resume()
    }
  })
  const smtp = servers.at(-1) as unknown as SMTPServer
  smtp.server.on('connection', (socket: net.Socket) => sockets.push(socket))
  return {...server, dropAll: () => dropped}
}

describe('sendIssue', () => {
  it('should send each recipient a message of their own, and the server should get both parts', async () => {
    const {url, received} = await startServer()
    const build = await buildIssue(await loadFixtureSite(), '2026-05')
    const sentAt = new Date('2026-05-20T10:00:00Z')
    const to = ['tester@inbox.example', 'second@inbox.example']
    const result = await sendIssue({eml: (address) => issueEmlFor(build, {to: address, date: sentAt}), to, smtp: url, timeoutMs: 5000})
    expect(result.accepted).toEqual(to)
    expect(received.map((message) => message.to)).toEqual([['tester@inbox.example'], ['second@inbox.example']])
    expect(received.map((message) => message.from)).toEqual(['letters@notes.example', 'letters@notes.example'])
    const mails = await Promise.all(received.map((message) => simpleParser(message.data)))
    expect(mails.map((mail) => mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined)).toEqual(to)
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(2)
    for (const mail of mails) {
      expect(mail.date?.toISOString()).toBe(sentAt.toISOString())
      expect(mail.subject).toBe('Field Notes #1: canaries and drift')
      expect(mail.text).toContain('A canary checklist for model releases')
      expect(mail.html).toContain('A canary checklist for model releases')
      expect(mail.headerLines.map((header) => header.line)).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    }
    // The same recipient's copy of the same issue keeps its Message-ID; issue.eml itself has neither To nor that ID.
    const again = await simpleParser(Buffer.from(await issueEmlFor(build, {to: 'tester@inbox.example', date: new Date()})))
    expect(again.messageId).toBe(mails[0]!.messageId)
    const eml = await simpleParser(Buffer.from(build.files.get('issue.eml')!))
    expect(eml.to).toBeUndefined()
    expect(mails.map((mail) => mail.messageId)).not.toContain(eml.messageId)
  })

  it('should send the copies over one connection, and over a new one when the server closed it between copies', async () => {
    let connections = 0
    const kept = await startServer({
      onConnect(_session, callback) {
        connections++
        callback()
      }
    })
    const message = {from: 'Pier Notes <pier@notes.example>', subject: 'Lanterns', text: 'The lanterns came on.'}
    const to = ['ann@inbox.example', 'bo@inbox.example', 'cy@inbox.example']
    expect((await sendIssue({message, to, smtp: kept.url, timeoutMs: 5000})).accepted).toEqual(to)
    expect(kept.received.map((entry) => entry.to)).toEqual(to.map((address) => [address]))
    expect(connections).toBe(1)

    // A server that closes a connection once it has carried a message: as the next message starts.
    const sockets: net.Socket[] = []
    const delivered: string[] = []
    connections = 0
    const closing = await startServer({
      onConnect(_session, callback) {
        connections++
        callback()
      },
      onMailFrom(_address, session, callback) {
        if (session.transaction > 1) sockets.find((socket) => socket.remotePort === session.remotePort)?.destroy()
        else callback()
      },
      onData(stream, session, callback) {
        stream.resume()
        stream.on('end', () => {
          delivered.push(...session.envelope.rcptTo.map((recipient) => recipient.address))
          callback()
        })
      }
    })
    ;(servers.at(-1) as unknown as SMTPServer).server.on('connection', (socket: net.Socket) => sockets.push(socket))
    expect((await sendIssue({message, to, smtp: closing.url, timeoutMs: 5000})).accepted).toEqual(to)
    expect(delivered).toEqual(to)
    expect(connections).toBe(3)
  })

  it('should name the recipients already sent to when a later copy fails', async () => {
    const sockets: net.Socket[] = []
    const {url, received} = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('second')) sockets.at(-1)!.destroy()
        else callback()
      }
    })
    ;(servers.at(-1) as unknown as SMTPServer).server.on('connection', (socket: net.Socket) => sockets.push(socket))
    const error = (await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['first@inbox.example', 'second@inbox.example', 'third@inbox.example'],
      smtp: url,
      timeoutMs: 5000
    }).catch((caught: unknown) => caught)) as SendError
    expect(error).toBeInstanceOf(SendError)
    expect(error.failure).toBe('dropped')
    expect(error.message).toMatch(/; already sent to first@inbox\.example$/)
    expect(received.map((message) => message.to)).toEqual([['first@inbox.example']])
  })

  it('should say the server refused when it rejects a recipient', async () => {
    const {url} = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody')) callback(new Error('550 No such user here'))
        else callback()
      }
    })
    const error = (await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['nobody@inbox.example'],
      smtp: url,
      timeoutMs: 5000
    }).catch((caught: unknown) => caught)) as SendError
    expect(error).toBeInstanceOf(SendError)
    expect(error.failure).toBe('refused')
    expect(error.message).toMatch(/refused/)
  })

  it('should say the server is unreachable when nothing listens', async () => {
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const {port} = probe.address() as AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const error = (await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['x@inbox.example'],
      smtp: `smtp://127.0.0.1:${port}`,
      timeoutMs: 3000
    }).catch((caught: unknown) => caught)) as SendError
    expect(error).toBeInstanceOf(SendError)
    expect(error.failure).toBe('unreachable')
    expect(error.message).toContain(`127.0.0.1:${port}`)
  })

  it('should time out when the server never greets', async () => {
    const sockets: net.Socket[] = []
    const silent = net.createServer((socket) => sockets.push(socket))
    servers.push({
      close(callback) {
        for (const socket of sockets) socket.destroy()
        silent.close(() => callback())
      }
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const {port} = silent.address() as AddressInfo
    const started = Date.now()
    const error = (await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['x@inbox.example'],
      smtp: `smtp://127.0.0.1:${port}`,
      timeoutMs: 400
    }).catch((caught: unknown) => caught)) as SendError
    expect(error).toBeInstanceOf(SendError)
    expect(error.failure).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('should speak TLS from the first byte with smtps://, honouring URL options', async () => {
    const received: Received[] = []
    const server = new SMTPServer({
      secure: true,
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        recipientsSeen.push(address.address)
        callback()
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          received.push({from: '', to: session.envelope.rcptTo.map((recipient) => recipient.address), data: Buffer.concat(chunks)})
          callback()
        })
      }
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.server.address() as AddressInfo
    // The test server's certificate is self-signed: the URL says to accept it.
    const result = await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['tester@inbox.example'],
      smtp: `smtps://127.0.0.1:${port}?tls.rejectUnauthorized=false`,
      timeoutMs: 5000
    })
    expect(result.accepted).toEqual(['tester@inbox.example'])
    expect(received.map((message) => message.to)).toEqual([['tester@inbox.example']])
  })

  it('should say the connection dropped, and that nothing was delivered, when the server hangs up before DATA', async () => {
    const {url, received, dropAll} = await startDroppingServer('rcpt')
    const error = (await sendIssue({
      message: {from: 'a@notes.example', subject: 'Test', text: 'Hi'},
      to: ['tester@inbox.example'],
      smtp: url,
      timeoutMs: 5000
    }).catch((caught: unknown) => caught)) as SendError
    expect(dropAll()).toBeGreaterThan(0)
    expect(error).toBeInstanceOf(SendError)
    expect(error.failure).toBe('dropped')
    expect(error.message).toMatch(/closed the connection before the message was sent \(after RCPT\); it was not delivered/)
    expect(received).toEqual([])
  })

  it('should require TLS before AUTH with credentials to a host that is not loopback, unless told otherwise', () => {
    const needs = (url: string, insecure = false) => authNeedsTls(new URL(url), insecure)
    expect(needs('smtp://user:pass@mail.example:587')).toBe(true)
    expect(needs('smtp://user@mail.example:587')).toBe(true)
    expect(needs('smtp://user:pass@mail.example:587', true)).toBe(false)
    expect(needs('smtps://user:pass@mail.example:465')).toBe(false)
    expect(needs('smtp://mail.example:25')).toBe(false)
    for (const host of ['localhost', 'LOCALHOST.', '127.0.0.1', '127.3.2.1', '[::1]', '[::ffff:127.0.0.1]']) {
      expect(isLoopbackHost(host), host).toBe(true)
      expect(needs(`smtp://user:pass@${host}:25`), host).toBe(false)
    }
    for (const host of ['0.0.0.0', '10.0.0.1', '128.0.0.1', 'localhost.example', '[::2]', '[::ffff:10.0.0.1]']) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })

  it('should refuse bad options before connecting', async () => {
    await expect(sendIssue({eml: 'x', to: [], smtp: 'smtp://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
    await expect(sendIssue({eml: 'x', to: ['not an address'], smtp: 'smtp://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
    await expect(sendIssue({eml: 'x', to: ['a@b.example'], smtp: 'http://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
  })
})

/** A TCP server on 127.0.0.1 that accepts connections and never says a word; it records how long each lasted. */
async function startSilentServer(): Promise<{port: number; lifetimes: Promise<number>[]}> {
  const sockets: net.Socket[] = []
  const lifetimes: Promise<number>[] = []
  const silent = net.createServer((socket) => {
    sockets.push(socket)
    const opened = Date.now()
    lifetimes.push(new Promise((resolve) => socket.on('close', () => resolve(Date.now() - opened))))
    socket.on('error', () => {})
  })
  servers.push({
    close(callback) {
      for (const socket of sockets) socket.destroy()
      silent.close(() => callback())
    }
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  return {port: (silent.address() as AddressInfo).port, lifetimes}
}

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')

// Each run loads the whole sample site in a fresh process: slow on a busy two-core machine.
describe('letterpress send, from the command line', {timeout: 120_000}, () => {
  let work: string
  let eml: Buffer
  let expected: ParsedMail

  /**
   * Run the CLI from a folder outside the project, on the sample site; never blocks this process (the SMTP server lives here).
   * The sample site's baseUrl is a made-up address, so `send` skips the check of the issue's files on the web (tested on its own).
   */
  function cli(args: string[]): Promise<{code: number; stderr: string; stdout: string; ms: number}> {
    const started = Date.now()
    const check = args[0] === 'send' ? ['--no-check-published'] : []
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...args, ...check, '--root', project], {cwd: work, timeout: 90_000}, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({code, stdout, stderr, ms: Date.now() - started})
      })
    })
  }

  /** A failure as the contract wants it: one line, naming the command, no stack trace. */
  function expectOneLineFailure(stderr: string): string {
    const lines = stderr.trimEnd().split('\n')
    expect(lines, stderr).toHaveLength(1)
    expect(stderr).not.toMatch(/^\s+at /m)
    expect(lines[0]).toMatch(/^letterpress: send 2026-09 failed \(\w+\): /)
    return lines[0]!
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-send-cli-'))
    // Compile once up front (when the sources are newer than lib/), so the runs below time the CLI, not tsc.
    spawnSync(process.execPath, [bin, '--version'], {cwd: work, timeout: 120_000})
    const built = await cli(['issue', '2026-09', '--out', path.join(work, 'out')])
    expect(built.code, built.stderr).toBe(0)
    eml = fs.readFileSync(path.join(work, 'out', 'email', '2026-09', 'issue.eml'))
    expected = await simpleParser(eml)
  })

  afterAll(() => {
    if (work) fs.rmSync(work, {recursive: true, force: true})
  })

  it('should send each --to recipient a message of their own, sent now, to them only', async () => {
    const {url, received} = await startServer()
    // The Date header counts whole seconds.
    const before = Math.floor(Date.now() / 1000) * 1000
    const result = await cli(['send', '2026-09', '--to', 'first@inbox.example', '--to', 'second@inbox.example,third@inbox.example', '--smtp', url, '--timeout', '2'])
    const after = Date.now()
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^send 2026-09: sent to first@inbox\.example, second@inbox\.example, third@inbox\.example$/m)
    const to = ['first@inbox.example', 'second@inbox.example', 'third@inbox.example']
    // Three transactions, each with one RCPT.
    expect(received.map((message) => message.to)).toEqual(to.map((address) => [address]))
    for (const message of received) expect(message.from).toBe('letters@shadowtraffic.example')
    const mails = await Promise.all(received.map((message) => simpleParser(message.data)))
    expect(mails.map((mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.value.map((entry) => entry.address) : mail.to))).toEqual(to.map((address) => [address]))
    const ids = mails.map((mail) => mail.messageId)
    expect(new Set(ids).size).toBe(3)
    expect(ids).not.toContain(expected.messageId)
    // issue.eml on disk keeps its content date; what went on the wire is dated when it was sent.
    expect(expected.date!.getTime()).toBeLessThan(before)
    for (const mail of mails) {
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(before)
      expect(mail.date!.getTime()).toBeLessThanOrEqual(after)
      // Otherwise the message is issue.eml's.
      for (const key of ['subject', 'text', 'html'] as const) expect(mail[key], key).toEqual(expected[key])
      expect(mail.from?.text).toBe(expected.from?.text)
      const others = (parsed: ParsedMail) => parsed.headerLines.filter((header) => !['to', 'date', 'message-id'].includes(header.key))
      expect(others(mail)).toEqual(others(expected))
    }
  })

  describe('from a site without a real sender or baseUrl', () => {
    /** A site of one post whose letterpress.yml is `config`; returns its ROOT. */
    function unsendableSite(config: string): string {
      const root = fs.mkdtempSync(path.join(work, 'root-'))
      fs.mkdirSync(path.join(root, 'posts'))
      fs.writeFileSync(path.join(root, 'posts', 'lanterns.md'), '---\ntitle: Lanterns on the pier\ndate: 2026-09-04\n---\n\nThe lanterns came on one by one.\n')
      fs.writeFileSync(path.join(root, 'letterpress.yml'), config)
      return root
    }
    function run(args: string[], root: string): Promise<{code: number; stdout: string; stderr: string}> {
      return new Promise((resolve) => {
        execFile(process.execPath, [bin, ...args, '--root', root], {cwd: work, timeout: 90_000}, (error, stdout, stderr) => {
          resolve({code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr})
        })
      })
    }

    it('should refuse to send, naming the settings to add, and send nothing', async () => {
      const {url, received} = await startServer()
      const bare = await run(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', url, '--timeout', '2'], unsendableSite('title: Pier Notes\n'))
      expect(bare.code).toBe(1)
      const line = expectOneLineFailure(bare.stderr)
      expect(line).toMatch(/\(invalid\): Nothing was sent: .*add `newsletter\.from` .* and `baseUrl` .* to letterpress\.yml/)

      const noBase = await run(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', url, '--timeout', '2'], unsendableSite('title: Pier Notes\nnewsletter:\n  from: Pier Notes <pier@notes.example>\n'))
      expect(noBase.code).toBe(1)
      expect(expectOneLineFailure(noBase.stderr)).toMatch(/add `baseUrl`/)
      expect(noBase.stderr).not.toContain('newsletter.from')
      expect(received).toEqual([])
    })

    it('should warn once, from issue, build and check, that the issue cannot be sent as it is', async () => {
      const root = unsendableSite('title: Pier Notes\n')
      const issue = await run(['issue', '2026-09', '--out', path.join(root, 'out')], root)
      expect(issue.code, issue.stderr).toBe(0)
      const warnings = (stderr: string) => stderr.split('\n').filter((text) => text.includes('newsletter-not-sendable'))
      expect(warnings(issue.stderr)).toHaveLength(1)
      expect(warnings(issue.stderr)[0]).toMatch(/letterpress\.yml:1:1.*cannot be sent as it is: add `newsletter\.from`.* and `baseUrl`/)
      expect(fs.existsSync(path.join(root, 'out', 'email', '2026-09', 'issue.eml'))).toBe(true)
      const build = await run(['build', '--out', path.join(root, 'site')], root)
      expect(build.code, build.stderr).toBe(0)
      expect(warnings(build.stderr)).toHaveLength(1)
      const checked = await run(['check'], root)
      expect(warnings(checked.stdout)).toHaveLength(1)

      // A site that has both says nothing of it.
      const ready = unsendableSite('title: Pier Notes\nbaseUrl: https://pier.example/\nnewsletter:\n  from: Pier Notes <pier@notes.example>\n')
      const fine = await run(['issue', '2026-09', '--out', path.join(ready, 'out')], ready)
      expect(fine.code, fine.stderr).toBe(0)
      expect(warnings(fine.stderr)).toEqual([])
    })
  })

  it('should exit 1 with one line when the server refuses a recipient', async () => {
    const {url, received} = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody')) callback(Object.assign(new Error('No such user here'), {responseCode: 550}))
        else callback()
      }
    })
    const refused = await cli(['send', '2026-09', '--to', 'nobody@inbox.example', '--smtp', url, '--timeout', '2'])
    expect(refused.code).toBe(1)
    expect(expectOneLineFailure(refused.stderr)).toMatch(/\(refused\): .*550 No such user here/)
    expect(received).toEqual([])

    // One refused among several: the others got it, and the command still fails, naming who was refused.
    const partly = await cli(['send', '2026-09', '--to', 'ok@inbox.example', 'nobody@inbox.example', '--smtp', url, '--timeout', '2'])
    expect(partly.code).toBe(1)
    expect(expectOneLineFailure(partly.stderr)).toMatch(/refused nobody@inbox\.example \(accepted: ok@inbox\.example\)/)
    expect(received.map((message) => message.to)).toEqual([['ok@inbox.example']])
  })

  it('should exit 1 with one line when nothing listens on the port', async () => {
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const {port} = probe.address() as AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const result = await cli(['send', '2026-09', '--to', 'x@inbox.example', '--smtp', `smtp://127.0.0.1:${port}`, '--timeout', '2'])
    expect(result.code).toBe(1)
    expect(expectOneLineFailure(result.stderr)).toMatch(new RegExp(`\\(unreachable\\): Could not reach the SMTP server at 127\\.0\\.0\\.1:${port}`))
  })

  it('should give up on a server that never answers within --timeout, and exit at once', async () => {
    const {port, lifetimes} = await startSilentServer()
    const result = await cli(['send', '2026-09', '--to', 'x@inbox.example', '--smtp', `smtp://127.0.0.1:${port}`, '--timeout', '2'])
    expect(result.code).toBe(1)
    expect(expectOneLineFailure(result.stderr)).toMatch(/\(timeout\): The SMTP server at 127\.0\.0\.1:\d+ did not answer within 2000 ms/)
    // The connection lasted about the timeout: the client gave up, and did not leave it half open.
    expect(lifetimes).toHaveLength(1)
    const lifetime = await lifetimes[0]!
    expect(lifetime).toBeGreaterThanOrEqual(1900)
    expect(lifetime).toBeLessThan(5000)
  })

  it('should exit 1 saying delivery is uncertain when the server drops the connection while receiving the message', async () => {
    const {url, received, dropAll} = await startDroppingServer('data')
    const result = await cli(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', url, '--timeout', '5'])
    expect(dropAll()).toBe(1)
    expect(result.code).toBe(1)
    expect(expectOneLineFailure(result.stderr)).toMatch(
      /\(dropped\): The SMTP server at 127\.0\.0\.1:\d+ closed the connection while receiving the message; it may or may not have been delivered/
    )
    expect(received).toEqual([])
  })

  describe('with a password, to a server that offers no STARTTLS', () => {
    /** A server that wants AUTH and has no TLS at all; it notes who logged in. */
    async function startAuthServer(): Promise<{port: number; logins: string[]; received: Received[]}> {
      const logins: string[] = []
      const {url, received} = await startServer({
        authOptional: false,
        allowInsecureAuth: true,
        authMethods: ['PLAIN', 'LOGIN'],
        onAuth(auth, _session, callback) {
          logins.push(`${auth.username}:${auth.password}`)
          callback(null, {user: auth.username})
        }
      })
      return {port: Number(new URL(url).port), logins, received}
    }

    it('should log in and send over a loopback address', async () => {
      const {port, logins, received} = await startAuthServer()
      const result = await cli(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', `smtp://letters:s3cret@127.0.0.1:${port}`, '--timeout', '5'])
      expect(result.code, result.stderr).toBe(0)
      expect(logins).toEqual(['letters:s3cret'])
      expect(received.map((message) => message.to)).toEqual([['tester@inbox.example']])
    })

    // 0.0.0.0 reaches this machine's 127.0.0.1 server, but is not a loopback name: the rule goes by the
    // name given, so this stands for a remote server without STARTTLS.
    it('should refuse to send the password to a host that is not loopback, before AUTH', async () => {
      const {port, logins, received} = await startAuthServer()
      const result = await cli(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', `smtp://letters:s3cret@0.0.0.0:${port}`, '--timeout', '5'])
      expect(result.code).toBe(1)
      const line = expectOneLineFailure(result.stderr)
      expect(line).toMatch(/\(insecure\): The SMTP server at 0\.0\.0\.0:\d+ does not offer STARTTLS, so the password would cross the network unencrypted: nothing was sent/)
      expect(line).toContain('--insecure-auth')
      expect(line).not.toContain('s3cret')
      expect(logins).toEqual([])
      expect(received).toEqual([])
    })

    it('should send the password in clear with --insecure-auth', async () => {
      const {port, logins, received} = await startAuthServer()
      const result = await cli(['send', '2026-09', '--to', 'tester@inbox.example', '--smtp', `smtp://letters:s3cret@0.0.0.0:${port}`, '--timeout', '5', '--insecure-auth'])
      expect(result.code, result.stderr).toBe(0)
      expect(logins).toEqual(['letters:s3cret'])
      expect(received.map((message) => message.to)).toEqual([['tester@inbox.example']])
    })
  })

  it('should never have talked to any address but the ones given with --to', () => {
    // Every recipient any test of this file gives, with --to or `to`.
    const given = [
      ...['tester@inbox.example', 'second@inbox.example', 'nobody@inbox.example', 'first@inbox.example', 'third@inbox.example', 'ok@inbox.example'],
      ...['ann@inbox.example', 'bo@inbox.example', 'cy@inbox.example']
    ]
    expect(recipientsSeen.length).toBeGreaterThan(0)
    for (const address of recipientsSeen) expect(given).toContain(address)
  })
})
