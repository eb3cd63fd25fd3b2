import { userTimeOf } from '../src/conversation/userTime';

const now = new Date('2026-12-03T07:25:00Z');

describe("the sender's clock", () => {
  it.each([
    ['2026-12-03T08:25:00.000+01:00', 60],
    ['2026-12-03T02:25:00-05:00', -300],
    ['2026-12-03T12:55:00+0530', 330],
    ['2026-12-03T07:25:00Z', 0],
  ])('reads the offset of localTimestamp %s as %i minutes', (raw, minutes) => {
    expect(userTimeOf({ rawLocalTimestamp: raw }, now)).toEqual({ now, utcOffsetMinutes: minutes });
  });

  it.each([
    ['Europe/Berlin', 60],
    ['America/New_York', -300],
    ['Asia/Kolkata', 330],
  ])('reads the offset of the time zone %s in December as %i minutes', (zone, minutes) => {
    expect(userTimeOf({ localTimezone: zone }, now).utcOffsetMinutes).toBe(minutes);
  });

  it('prefers the timestamp the client sent over its zone name', () => {
    expect(
      userTimeOf({ rawLocalTimestamp: '2026-12-03T09:25:00+02:00', localTimezone: 'Europe/Berlin' }, now)
        .utcOffsetMinutes,
    ).toBe(120);
  });

  it('keeps the server moment, whatever the client clock says', () => {
    expect(userTimeOf({ rawLocalTimestamp: '1999-01-01T00:00:00+01:00' }, now).now).toBe(now);
  });

  it.each([
    [{}],
    [{ localTimezone: 'Mars/Olympus_Mons' }],
    [{ rawLocalTimestamp: '2026-12-03T07:25:00+23:00' }],
    [{ rawLocalTimestamp: 'yesterday' }],
  ])('says nothing of an offset it cannot read: %j', (activity) => {
    expect(userTimeOf(activity, now)).toEqual({ now });
  });
});
