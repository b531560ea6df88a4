export { test, expect, folderName, type DemoFixtures, type DemoOptions } from './fixture.js';
export { Warren, type ExchangeType, type WarrenOptions } from './warren.js';
export { parsePace, pauseFor, readingTime, TEST_PACE } from './pace.js';
export { toWebVtt, chapterCues, vttTimestamp, type Cue, type Mark } from './webvtt.js';
export { concatScript, ffmpegArgs, type Frame } from './frames.js';
export { FrameRecorder, type Recording } from './recorder.js';
