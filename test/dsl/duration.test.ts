import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/dsl/duration';

describe('duration', () => {
  it('parses single units', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('250ms')).toBe(250);
  });

  it('parses combinations, fractions, spaces around and upper case', () => {
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration(' 2H ')).toBe(7_200_000);
  });

  it('takes positive millisecond numbers as they are', () => {
    expect(parseDuration(5_000)).toBe(5_000);
    expect(parseDuration(1.6)).toBe(2);
  });

  it('rejects anything that is not a positive duration', () => {
    for (const bad of ['', 'bogus', '2', 'd', '2 d', '1d 12h', '-1h', '0h', '2x', 'h2']) expect(parseDuration(bad)).toBeUndefined();
    for (const bad of [0, -5, NaN, Infinity]) expect(parseDuration(bad)).toBeUndefined();
  });

  it('formats milliseconds compactly', () => {
    expect(formatDuration(129_600_000)).toBe('1d12h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(0)).toBe('0ms');
  });

  it('round-trips formatted durations', () => {
    for (const ms of [1_000, 60_000, 3_660_000, 90_061_000, 604_800_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
