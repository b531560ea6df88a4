import { describe, expect, it } from 'vitest';
import { chapterCues, toWebVtt, vttTimestamp } from './webvtt.js';

describe('WebVTT', () => {
  it('writes timestamps as hh:mm:ss.ttt', () => {
    expect(vttTimestamp(0)).toBe('00:00:00.000');
    expect(vttTimestamp(61_234.4)).toBe('00:01:01.234');
    expect(vttTimestamp(3_600_000 + 5)).toBe('01:00:00.005');
    expect(vttTimestamp(-3)).toBe('00:00:00.000');
  });

  it('writes a file of cues sorted by start, with ids and escaped text', () => {
    const vtt = toWebVtt([
      { start: 4_000, end: 6_500, text: 'Send "a <b> & c"' },
      { start: 0, end: 4_000, text: 'Open the lesson', id: '1' },
    ]);
    expect(vtt).toBe(
      [
        'WEBVTT',
        '',
        '1',
        '00:00:00.000 --> 00:00:04.000',
        'Open the lesson',
        '',
        '00:00:04.000 --> 00:00:06.500',
        'Send "a &lt;b&gt; &amp; c"',
        '',
      ].join('\n'),
    );
  });

  it('keeps a cue on its lines: blank lines and arrows cannot end it early', () => {
    const vtt = toWebVtt([{ start: 0, end: 1, text: 'one\n\n  two -->' }]);
    expect(vtt).toContain('one\ntwo --&gt;\n');
  });

  it('refuses a cue that ends before it starts', () => {
    expect(() => toWebVtt([{ start: 5, end: 1, text: 'x' }])).toThrow(/ends \(1 ms\) before/);
  });

  it('runs each chapter until the next, the last until the end', () => {
    expect(
      chapterCues(
        [
          { at: 9_000, text: 'Second' },
          { at: 0, text: 'Skipped' },
          { at: 0, text: 'First' },
        ],
        12_000,
      ),
    ).toEqual([
      { id: '1', start: 0, end: 9_000, text: 'First' },
      { id: '2', start: 9_000, end: 12_000, text: 'Second' },
    ]);
  });
});
