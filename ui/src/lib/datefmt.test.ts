import { describe, expect, it } from 'vitest';
import { dayPattern, formatDay, parseDay, parseTime } from './datefmt';

describe('dates in the UI language', () => {
  it('shows a day the language’s way and reads it back', () => {
    expect(formatDay('2026-12-03', 'sv')).toBe('2026-12-03');
    expect(formatDay('2026-12-03', 'da')).toBe('03-12-2026');
    expect(formatDay('2026-12-03', 'en')).toBe('2026-12-03');
    expect(formatDay(null, 'da')).toBe('');
    for (const lang of ['sv', 'da', 'en'] as const) expect(parseDay(formatDay('2026-02-28', lang))).toBe('2026-02-28');
    expect(dayPattern('sv')).toBe('ÅÅÅÅ-MM-DD');
  });

  it('reads ISO and day-first dates, and refuses days that do not exist', () => {
    expect(parseDay('2026-12-3')).toBe('2026-12-03');
    expect(parseDay('3.12.2026')).toBe('2026-12-03');
    expect(parseDay('03/12/2026')).toBe('2026-12-03');
    expect(parseDay('  ')).toBe('');
    expect(parseDay('2026-02-30')).toBeNull();
    expect(parseDay('31-04-2026')).toBeNull();
    expect(parseDay('12/3/26')).toBeNull();
    expect(parseDay('igår')).toBeNull();
  });

  it('reads 24-hour times however they are typed', () => {
    expect(parseTime('9')).toBe('09:00');
    expect(parseTime('930')).toBe('09:30');
    expect(parseTime('09.30')).toBe('09:30');
    expect(parseTime('14:05')).toBe('14:05');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('2 pm')).toBeNull();
  });
});
