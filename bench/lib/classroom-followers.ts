/**
 * The followers of bench/classroom.ts, in a process of their own so that reading thousands of
 * events a second does not delay the receipt times they measure (several such processes share
 * the followers). Told over IPC which websockets to open, when to measure and when to report.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ServerFrame } from '@warren/protocol';
import { latencySummary, type LatencySummary } from './observation-stats';

export type FollowersCommand =
  { type: 'open'; urls: string[] } | { type: 'measure'; on: boolean } | { type: 'report' };

export interface FollowerReport {
  events: number;
  /** Gaps in seq the server did not say it left out (dropped) or replaced. */
  missing: number;
  duplicates: number;
  dropped: number;
  replaced: number;
  lagMs: LatencySummary;
}

export type FollowersMessage =
  | { type: 'ready' }
  | {
      type: 'report';
      followers: FollowerReport[];
      /** Every 20th lag of every follower, for percentiles over all of them. */
      lagSample: number[];
      /** This process's own event loop delay while measuring: how far its clock reading lags. */
      loopDelayP99Ms: number;
    }
  | { type: 'error'; message: string };

class Follower {
  readonly socket: WebSocket;
  lastSeq = 0;
  events = 0;
  gaps = 0;
  dropped = 0;
  replaced = 0;
  duplicates = 0;
  lags: number[] = [];
  readonly ready: Promise<void>;

  constructor(
    url: string,
    private readonly measuring: () => boolean,
  ) {
    this.socket = new WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.on('message', (data: Buffer) => {
        const now = Date.now();
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'hello') {
          this.lastSeq = frame.seq;
          resolve();
        } else if (frame.type === 'events') {
          this.dropped += frame.dropped;
          this.replaced += frame.replaced ?? 0;
          const measure = this.measuring();
          for (const event of frame.events) {
            if (event.seq <= this.lastSeq) this.duplicates += 1;
            else {
              this.gaps += event.seq - this.lastSeq - 1;
              this.lastSeq = event.seq;
            }
            this.events += 1;
            if (measure) this.lags.push(now - event.at);
          }
        } else if (frame.type === 'error') reject(new Error(frame.message));
      });
    });
  }
}

const send = (message: FollowersMessage) => process.send?.(message);
let followers: Follower[] = [];
let measuring = false;
const loop = monitorEventLoopDelay({ resolution: 10 });

process.on('message', (command: FollowersCommand) => {
  if (command.type === 'open') {
    followers = command.urls.map((url) => new Follower(url, () => measuring));
    Promise.all(followers.map((f) => f.ready)).then(
      () => send({ type: 'ready' }),
      (error: unknown) => send({ type: 'error', message: String(error) }),
    );
  } else if (command.type === 'measure') {
    measuring = command.on;
    if (command.on) loop.enable();
    else loop.disable();
  } else {
    send({
      type: 'report',
      followers: followers.map((f) => ({
        events: f.events,
        missing: Math.max(0, f.gaps - f.dropped - f.replaced),
        duplicates: f.duplicates,
        dropped: f.dropped,
        replaced: f.replaced,
        lagMs: latencySummary(f.lags),
      })),
      lagSample: followers.flatMap((f) => f.lags.filter((_, i) => i % 20 === 0)),
      loopDelayP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
    });
    for (const f of followers) f.socket.close();
    setTimeout(() => process.exit(0), 200);
  }
});
