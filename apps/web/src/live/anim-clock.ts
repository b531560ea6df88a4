/**
 * The animation's own time: it runs at a chosen speed (¼×, ½×, 1×) and stands still while
 * paused, so dots slow down or freeze while counts, which never depend on it, keep counting.
 * Pure: the caller passes the wall-clock time (performance.now()).
 */

export const ANIMATION_SPEEDS = [0.25, 0.5, 1] as const;
export type AnimationSpeed = (typeof ANIMATION_SPEEDS)[number];

export class AnimationClock {
  /** Animation time at `realBase`. */
  private base = 0;
  private realBase: number;
  private speed: number;
  private paused: boolean;

  constructor(realNow: number, speed: AnimationSpeed = 1, paused = false) {
    this.realBase = realNow;
    this.base = realNow;
    this.speed = speed;
    this.paused = paused;
  }

  /** Animation time at wall-clock time `realNow`. */
  now(realNow: number): number {
    if (this.paused) return this.base;
    return this.base + (realNow - this.realBase) * this.speed;
  }

  /** Changes speed or pause from `realNow` on; animation time so far is kept. */
  set(realNow: number, speed: number, paused: boolean): void {
    if (speed === this.speed && paused === this.paused) return;
    this.base = this.now(realNow);
    this.realBase = realNow;
    this.speed = speed;
    this.paused = paused;
  }

  /**
   * Wall-clock milliseconds that `ms` of animation time take at the current speed (while
   * paused, as at the last speed: whatever waits then is drawn frozen where it starts).
   */
  realMs(ms: number): number {
    return ms / this.speed;
  }

  get isPaused(): boolean {
    return this.paused;
  }
}
