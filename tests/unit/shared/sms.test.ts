import { measureSms } from '@shared';

describe('SMS measure', () => {
  it('counts plain text as GSM-7, one septet a character', () => {
    expect(measureSms('Hello')).toMatchObject({
      encoding: 'gsm7',
      units: 5,
      segments: 1,
      remaining: 155,
    });
  });

  it('fits 160 GSM-7 characters in one segment and splits 161 into two of 153', () => {
    expect(measureSms('a'.repeat(160)).segments).toBe(1);
    expect(measureSms('a'.repeat(161))).toMatchObject({ segments: 2, remaining: 306 - 161 });
    expect(measureSms('a'.repeat(306)).segments).toBe(2);
    expect(measureSms('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters such as € and [ as two septets', () => {
    expect(measureSms('€[]')).toMatchObject({ encoding: 'gsm7', units: 6, characters: 3 });
  });

  it('keeps German umlauts and ß in GSM-7', () => {
    expect(measureSms('Größe Übung ä ö ü ß').encoding).toBe('gsm7');
  });

  it('switches to UCS-2 for characters outside GSM-7, 70 per segment, 67 when split', () => {
    expect(measureSms('Zoë says „hi“')).toMatchObject({ encoding: 'ucs2' });
    expect(measureSms('„'.repeat(70)).segments).toBe(1);
    expect(measureSms('„'.repeat(71)).segments).toBe(2);
  });

  it('counts an emoji as two UTF-16 units', () => {
    expect(measureSms('🙂')).toMatchObject({ encoding: 'ucs2', units: 2, characters: 1 });
  });
});
