import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { concatScript, ffmpegArgs, type Frame } from './frames.js';

/** What a recording left on disk. */
export interface Recording {
  video: string;
  bytes: number;
  frames: number;
  durationMs: number;
}

/**
 * Records a page's screencast frames (JPEG, as Chromium paints them) into a folder and encodes
 * them with the ffmpeg on the PATH (Debian's will do): no ffmpeg build of Playwright's own.
 */
export class FrameRecorder {
  private readonly frames: Frame[] = [];
  private startedAt = 0;
  private readonly framesDir: string;

  constructor(
    private readonly page: Page,
    private readonly dir: string,
  ) {
    this.framesDir = join(dir, 'frames');
  }

  /** Milliseconds since the recording started (0 before it does). */
  now(): number {
    return this.startedAt === 0 ? 0 : Date.now() - this.startedAt;
  }

  async start(): Promise<void> {
    rmSync(this.framesDir, { recursive: true, force: true });
    mkdirSync(this.framesDir, { recursive: true });
    const size = this.page.viewportSize() ?? { width: 1280, height: 800 };
    this.startedAt = Date.now();
    await this.page.screencast.start({
      size,
      quality: 90,
      onFrame: ({ data }) => {
        const file = `${String(this.frames.length).padStart(6, '0')}.jpg`;
        writeFileSync(join(this.framesDir, file), data);
        this.frames.push({ file, at: this.now() });
      },
    });
  }

  /** Stops the screencast and encodes `<dir>/<name>` (an .mp4); the frames are removed after. */
  async stop(name = 'video.mp4', ffmpeg = process.env.FFMPEG ?? 'ffmpeg'): Promise<Recording> {
    const end = this.now();
    await this.page.screencast.stop();
    const list = join(this.framesDir, 'frames.ffconcat');
    writeFileSync(list, concatScript(this.frames, end));
    const video = join(this.dir, name);
    await run(ffmpeg, ffmpegArgs(list, video));
    rmSync(this.framesDir, { recursive: true, force: true });
    return { video, bytes: statSync(video).size, frames: this.frames.length, durationMs: end };
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new Error(
          `could not run ${command} (${error.message}); install it (Debian: apt-get install -y ffmpeg) or set FFMPEG`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`)),
    );
  });
}
