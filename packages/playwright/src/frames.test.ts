import { describe, expect, it } from 'vitest';
import { concatScript, ffmpegArgs } from './frames.js';

describe('frames to video', () => {
  it('shows each frame until the next arrived, the last until the end', () => {
    const script = concatScript(
      [
        { file: '000000.jpg', at: 0 },
        { file: '000001.jpg', at: 120 },
      ],
      1_120,
    );
    expect(script).toBe(
      [
        'ffconcat version 1.0',
        "file '000000.jpg'",
        'duration 0.120',
        "file '000001.jpg'",
        'duration 1.000',
        "file '000001.jpg'",
        '',
      ].join('\n'),
    );
  });

  it('refuses an empty recording', () => {
    expect(() => concatScript([], 10)).toThrow(/no frames/);
  });

  it('encodes H.264 MP4 at a constant rate with even dimensions', () => {
    const args = ffmpegArgs('list.ffconcat', 'out.mp4', 30);
    expect(args).toContain('libx264');
    expect(args.join(' ')).toContain('fps=30,scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p');
    expect(args.at(-1)).toBe('out.mp4');
  });
});
