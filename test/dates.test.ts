import {describe, expect, it} from 'vitest'
import {parseDate} from '../src/source/dates.js'

describe('parseDate: the forms other blog tools leave', () => {
  it.each([
    ['14 January 2026', {date: '2026-01-14'}],
    ['14 Jan 2026', {date: '2026-01-14'}],
    ['14th January 2026', {date: '2026-01-14'}],
    ['Jan 14, 2026', {date: '2026-01-14'}],
    ['January 14, 2026', {date: '2026-01-14'}],
    ['May 10, 2019', {date: '2019-05-10'}],
    ['Sept 3, 2025', {date: '2025-09-03'}],
    ['Jul 08 2022', {date: '2022-07-08'}],
    ['Wednesday, 14 January 2026', {date: '2026-01-14'}],
    ['Wed, January 14, 2026', {date: '2026-01-14'}],
    ['2026-01-14 09:00', {date: '2026-01-14', datetime: '2026-01-14T09:00:00.000Z'}],
    ['2026-01-14T09:00:00+02:00', {date: '2026-01-14', datetime: '2026-01-14T07:00:00.000Z'}],
    ['2019-05-10 09:15:00 +0200', {date: '2019-05-10', datetime: '2019-05-10T07:15:00.000Z'}],
    ['14 January 2026 09:30', {date: '2026-01-14', datetime: '2026-01-14T09:30:00.000Z'}],
    ['2026/01/14', {date: '2026-01-14'}],
    ['13/04/2026', {date: '2026-04-13'}],
    ['04/13/2026', {date: '2026-04-13'}],
    ['04.04.2026', {date: '2026-04-04'}]
  ])('should read %s', (text, expected) => {
    expect(parseDate(text)).toEqual(expected)
  })

  it('should refuse 03/04/2026, saying which two days it could be', () => {
    expect(parseDate('03/04/2026')).toEqual({
      reason: '"03/04/2026" could be 3 April or 4 March; write 2026-04-03 (or 2026-03-04)',
      ruleId: 'frontmatter-date-ambiguous'
    })
  })

  it.each([
    ['Tuesday, 14 January 2026', 'is a Wednesday, not a Tuesday'],
    ['31 February 2026', 'month 2 of 2026 has 28 days'],
    ['14 Janvier 2026', '`Janvier` is not a month name'],
    ['14/13/2026', 'there is no month 13'],
    ['next Tuesday', 'write it as YYYY-MM-DD']
  ])('should refuse %s and say why', (text, why) => {
    const parsed = parseDate(text)
    expect(parsed).toMatchObject({ruleId: 'frontmatter-date-invalid'})
    expect((parsed as {reason: string}).reason).toContain(why)
  })
})
