import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { Warren } from './warren.js';

/** Options a Playwright config (or `test.use`) sets for demos. */
export interface DemoOptions {
  /** 0 (the default) runs as a fast test; 1 is a watchable video; 2 twice as slow. */
  pace: number;
  /**
   * A folder for recordings: each demo writes `<folder>/<demo title>/` with `video.mp4`,
   * `chapters.vtt`, `captions.vtt`, `trace.zip` and `screenshots/`. None records nothing.
   */
  recordDir: string | undefined;
  /** What the demo starts from: a fresh session (the default), a lesson, or a saved diagram. */
  start: { lesson: string } | { diagram: string } | 'fresh' | 'nothing';
}

export interface DemoFixtures {
  /** Warren in the page, its session started, ended (deleted) after the demo. */
  warren: Warren;
}

/** A folder name for a demo: its title's words, lower case, joined by dashes. */
export function folderName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'demo'
  );
}

export const test = base.extend<DemoFixtures & DemoOptions>({
  pace: [0, { option: true }],
  recordDir: [undefined, { option: true }],
  start: ['fresh', { option: true }],
  warren: async ({ page, context, pace, recordDir, start }, use, testInfo) => {
    const recordTo = recordDir ? join(recordDir, folderName(testInfo.title)) : undefined;
    // A paced demo takes minutes where the test took seconds.
    if (pace > 0) testInfo.setTimeout(Math.max(testInfo.timeout, 10 * 60_000));
    const warren = new Warren(page, { pace, recordTo });
    // The recording starts first: the screencast runs at the size its first user asks for.
    await warren.begin();
    if (recordTo) {
      // A trace of its own beside the video; a config that already traces keeps its own.
      await context.tracing
        // Snapshots of each action; the video has the pictures, so no screenshots in the trace.
        .start({ screenshots: false, snapshots: true, title: testInfo.title })
        .catch(() => undefined);
    }
    if (start === 'fresh') await warren.open();
    else if (typeof start === 'object' && 'lesson' in start) await warren.openLesson(start.lesson);
    else if (typeof start === 'object') await warren.openDiagram(start.diagram);
    await use(warren);
    try {
      const recording = await warren.finish();
      if (recordTo) {
        await context.tracing.stop({ path: join(recordTo, 'trace.zip') }).catch(() => undefined);
      }
      if (recording) {
        const mb = (recording.bytes / 1e6).toFixed(1);
        const seconds = (recording.durationMs / 1000).toFixed(0);
        testInfo.annotations.push({
          type: 'video',
          description: `${recording.video} (${mb} MB, ${seconds} s)`,
        });
      }
    } finally {
      // The session goes even when the recording could not be written.
      await warren.endSession();
    }
  },
});

export { expect };
