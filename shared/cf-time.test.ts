import { describe, expect, it } from 'vitest';
import { compactDates, parseTimeUnits, timeOf } from './cf-time';

describe('CF time', () => {
  it('reads units as cftime does, and refuses what is not a time', () => {
    expect(parseTimeUnits('hours since 2024-1-1')?.seconds).toBe(3600);
    expect(parseTimeUnits('days since 2000-01-01T12:00:00Z')?.ref).toMatchObject({ year: 2000, hour: 12 });
    expect(parseTimeUnits('seconds since 2001-01-01 00:00:00 -05:30')?.zoneMinutes).toBe(-330);
    expect(parseTimeUnits('metres')).toBeNull();
    expect(parseTimeUnits('fortnights since 2000-01-01')).toBeNull();
    expect(parseTimeUnits('days since 2000-13-01')).toBeNull();
  });

  it('counts in each calendar across month and year ends', () => {
    const days = parseTimeUnits('days since 2000-02-28')!;
    expect(timeOf(1, days, 'proleptic_gregorian')).toBe('2000-02-29T00:00:00');
    expect(timeOf(1, days, 'noleap')).toBe('2000-03-01T00:00:00');
    expect(timeOf(2, days, '360_day')).toBe('2000-02-30T00:00:00');
    expect(timeOf(366, parseTimeUnits('days since 2001-01-01')!, 'all_leap')).toBe('2002-01-01T00:00:00');
    // The standard calendar is Julian before 1582-10-15: the day after 1582-10-04 is 1582-10-15.
    expect(timeOf(1, parseTimeUnits('days since 1582-10-04')!, 'standard')).toBe('1582-10-15T00:00:00');
    expect(timeOf(-1.5, parseTimeUnits('hours since 2024-01-01')!, 'standard')).toBe('2023-12-31T22:30:00');
    expect(timeOf(0.25, parseTimeUnits('milliseconds since 2024-01-01')!, 'standard')).toBe(
      '2024-01-01T00:00:00.000250',
    );
    expect(timeOf(NaN, days, 'standard')).toBeNull();
  });

  it('shortens a list of dates alike: no seconds or time where none has any', () => {
    expect(compactDates(['2024-01-01T00:00:00', '2024-01-02T00:00:00'])).toEqual(['2024-01-01', '2024-01-02']);
    expect(compactDates(['2024-01-01T00:00:00', '2024-01-01T01:00:00', null])).toEqual([
      '2024-01-01 00:00',
      '2024-01-01 01:00',
      null,
    ]);
    expect(compactDates(['2024-01-01T00:00:00', '2024-01-01T00:00:00.500000'])).toEqual([
      '2024-01-01 00:00:00',
      '2024-01-01 00:00:00.500000',
    ]);
    expect(compactDates([1, 2])).toEqual([1, 2]);
  });
});
