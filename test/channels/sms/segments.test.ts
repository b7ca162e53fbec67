import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../../../src/channels/sms/segments';

const a = (n: number) => 'a'.repeat(n);
const ya = (n: number) => 'я'.repeat(n);

describe('smsSegments', () => {
  it('counts nothing for an empty text', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, characters: 0 });
  });

  it.each([
    [a(1), 1, 1],
    [a(160), 1, 160],
    [a(161), 2, 161],
    [a(306), 2, 306],
    [a(307), 3, 307],
    [a(459), 3, 459],
    [a(460), 4, 460],
  ])('splits GSM-7 at 160 single / 153 per part: %#', (text, segments, characters) => {
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', segments, characters });
  });

  it.each([
    [ya(1), 1, 1],
    [ya(70), 1, 70],
    [ya(71), 2, 71],
    [ya(134), 2, 134],
    [ya(135), 3, 135],
    [ya(201), 3, 201],
    [ya(202), 4, 202],
  ])('splits Cyrillic as UCS-2 at 70 single / 67 per part: %#', (text, segments, characters) => {
    expect(smsSegments(text)).toEqual({ encoding: 'UCS-2', segments, characters });
  });

  it('counts extension-table characters as two septets, also at the single-SMS boundary', () => {
    expect(smsSegments('{}[]~|^\\€')).toEqual({ encoding: 'GSM-7', segments: 1, characters: 18 });
    expect(smsSegments(a(158) + '€')).toEqual({ encoding: 'GSM-7', segments: 1, characters: 160 });
    expect(smsSegments(a(159) + '€')).toEqual({ encoding: 'GSM-7', segments: 2, characters: 161 });
    expect(smsSegments(a(159) + '^')).toMatchObject({ segments: 2, characters: 161 });
  });

  it('never cuts an escape sequence between two parts', () => {
    // 152 + 2 + 151 = 305 septets: ESC+€ does not fit in part 1 (1 septet left) and moves whole to part 2.
    expect(smsSegments(a(152) + '€' + a(151))).toMatchObject({ encoding: 'GSM-7', segments: 2, characters: 305 });
    // 306 septets would fit two parts of 153, but not without cutting the escape: three parts.
    expect(smsSegments(a(152) + '€' + a(152))).toMatchObject({ segments: 3, characters: 306 });
    expect(smsSegments(a(151) + '€' + a(153))).toMatchObject({ segments: 2, characters: 306 });
  });

  it('switches the whole text to UCS-2 for one non-GSM character', () => {
    expect(smsSegments(a(100) + 'я')).toEqual({ encoding: 'UCS-2', segments: 2, characters: 101 });
    expect(smsSegments('Don’t')).toMatchObject({ encoding: 'UCS-2' });
    expect(smsSegments('café')).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: 4 });
    expect(smsSegments('ça')).toMatchObject({ encoding: 'UCS-2' }); // only the capital Ç is in GSM-7
  });

  it('counts an emoji as two UTF-16 code units and never splits it', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', segments: 1, characters: 2 });
    expect(smsSegments(a(68) + '😀')).toEqual({ encoding: 'UCS-2', segments: 1, characters: 70 });
    expect(smsSegments(a(69) + '😀')).toEqual({ encoding: 'UCS-2', segments: 2, characters: 71 });
    expect(smsSegments(a(66) + '😀' + a(65))).toMatchObject({ segments: 2, characters: 133 });
    expect(smsSegments(a(66) + '😀' + a(66))).toMatchObject({ segments: 3, characters: 134 });
  });

  it('treats a realistic Russian reminder as UCS-2 and a Latin one as GSM-7', () => {
    const ru = 'Анна, вебинар «Python с нуля» начнётся сегодня в 19:00 МСК. Ссылка: https://school.example/w/abc123';
    expect(smsSegments(ru)).toEqual({ encoding: 'UCS-2', segments: 2, characters: ru.length });
    const en = 'Anna, the webinar starts today at 19:00. Join: https://school.example/w/abc123';
    expect(smsSegments(en)).toEqual({ encoding: 'GSM-7', segments: 1, characters: en.length });
  });

  it('knows the GSM-7 alphabet', () => {
    expect(isGsm7('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà')).toBe(true);
    expect(isGsm7('`')).toBe(false);
    expect(isGsm7('\t')).toBe(false);
  });
});
