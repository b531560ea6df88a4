/** Screencast frames as a video: ffmpeg's concat list, each frame shown until the next came. */

export interface Frame {
  /** The JPEG file's name, relative to the list. */
  file: string;
  /** Milliseconds from the start of the recording when the frame arrived. */
  at: number;
}

/**
 * An ffconcat script showing every frame for as long as the page looked like it: the screencast
 * sends a frame only when something changed, so frames come at an uneven rate. The last frame
 * is shown until `end` and listed twice, as ffmpeg's concat demuxer wants for its duration.
 */
export function concatScript(frames: readonly Frame[], end: number): string {
  if (frames.length === 0) throw new Error('no frames were recorded');
  const lines = ['ffconcat version 1.0'];
  frames.forEach((frame, i) => {
    const next = frames[i + 1]?.at ?? Math.max(end, frame.at + 40);
    const seconds = Math.max(0.001, (next - frame.at) / 1_000);
    lines.push(`file '${frame.file.replace(/'/g, "'\\''")}'`, `duration ${seconds.toFixed(3)}`);
  });
  const last = frames[frames.length - 1]!;
  lines.push(`file '${last.file.replace(/'/g, "'\\''")}'`);
  return `${lines.join('\n')}\n`;
}

/** ffmpeg's arguments to encode a concat list into an H.264 MP4 any browser or player opens. */
export function ffmpegArgs(list: string, output: string, fps = 25): string[] {
  return [
    '-y',
    '-loglevel',
    'error',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    // A constant rate for players, even dimensions for yuv420p.
    '-vf',
    `fps=${fps},scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '26',
    '-movflags',
    '+faststart',
    output,
  ];
}
