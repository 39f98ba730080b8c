import net from 'node:net'
import type {AddressInfo} from 'node:net'
import {simpleParser} from 'mailparser'
import {SMTPServer, type SMTPServerOptions} from 'smtp-server'
import {afterEach, describe, expect, it} from 'vitest'
import {buildIssue} from '../src/email/issue.js'
import {SendError, sendIssue} from '../src/email/send.js'
import {loadFixtureSite} from './fixtures/email/site.js'

interface Received {
  from: string
  to: string[]
  data: Buffer
}

const servers: Array<{close(callback: () => void): void}> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(resolve))))
})

/** An SMTP server on 127.0.0.1, a free port, that keeps what it receives. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<{url: string; received: Received[]}> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
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
    },
    ...options
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.server.address() as AddressInfo
  return {url: `smtp://127.0.0.1:${port}`, received}
}

describe('sendIssue', () => {
  it('should send the issue to exactly the given recipients, and the server should get both parts', async () => {
    const {url, received} = await startServer()
    const build = await buildIssue(await loadFixtureSite(), '2026-05')
    const result = await sendIssue({eml: build.files.get('issue.eml')!, to: ['tester@inbox.example', 'second@inbox.example'], smtp: url, timeoutMs: 5000})
    expect(result.accepted).toEqual(['tester@inbox.example', 'second@inbox.example'])
    expect(received).toHaveLength(1)
    expect(received[0]!.from).toBe('letters@notes.example')
    expect(received[0]!.to).toEqual(['tester@inbox.example', 'second@inbox.example'])
    const mail = await simpleParser(received[0]!.data)
    expect(mail.subject).toBe('Field Notes #1: canaries and drift')
    expect(mail.text).toContain('A canary checklist for model releases')
    expect(mail.html).toContain('A canary checklist for model releases')
    expect(mail.headerLines.map((header) => header.line)).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
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

  it('should refuse bad options before connecting', async () => {
    await expect(sendIssue({eml: 'x', to: [], smtp: 'smtp://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
    await expect(sendIssue({eml: 'x', to: ['not an address'], smtp: 'smtp://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
    await expect(sendIssue({eml: 'x', to: ['a@b.example'], smtp: 'http://127.0.0.1:1'})).rejects.toMatchObject({failure: 'invalid'})
  })
})
