import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect as baseExpect, type Locator, type Page } from '@playwright/test';
import { showCaption, showChapter, showCursor } from './overlay.js';
import { pauseFor, readingTime } from './pace.js';
import { FrameRecorder, type Recording } from './recorder.js';
import { chapterCues, toWebVtt, type Cue, type Mark } from './webvtt.js';

/**
 * Warren answers through a real broker, on machines that may be busy: each wait allows 20 s
 * unless it says otherwise, whatever the project's default.
 */
const expect = baseExpect.configure({ timeout: 20_000 });

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';
type NodeKind = 'producer' | 'exchange' | 'queue' | 'consumer';

export interface WarrenOptions {
  /** 0 runs as a test (no pauses); 1 is a watchable video; 2 twice as slow. */
  pace: number;
  /** A folder to write the video, chapters, captions and screenshots to; none records nothing. */
  recordTo?: string;
}

/** Whether a websocket frame is the server's greeting (`{ "type": "hello", … }`). */
function isHello(payload: string): boolean {
  try {
    return (JSON.parse(payload) as { type?: unknown }).type === 'hello';
  } catch {
    return false;
  }
}

/** Default names the palette gives new nodes, before they are renamed. */
const FIRST_NAME: Record<NodeKind, string> = {
  producer: 'producer-1',
  exchange: 'exchange-1',
  queue: 'queue-1',
  consumer: 'consumer-1',
};

/**
 * Warren as a demo drives it: sessions, the palette, the canvas, the inspector and lessons,
 * with captions, chapters and a cursor for the viewer. Every helper waits until Warren shows
 * the result, so a demo reads as a story and runs as a test.
 */
export class Warren {
  private readonly chapters: Mark[] = [];
  private readonly captions: Cue[] = [];
  private hideCaption: (() => Promise<void>) | undefined;
  private captionStart = 0;
  private captionText = '';
  private recorder: FrameRecorder | undefined;
  private shots = 0;
  private readonly sessions = new Set<string>();

  constructor(
    readonly page: Page,
    readonly options: WarrenOptions,
  ) {}

  get pace(): number {
    return this.options.pace;
  }

  // ── Sessions ────────────────────────────────────────────────────────────────────────────

  /** Opens a fresh session on an empty canvas; returns its id. */
  async open(): Promise<string> {
    await this.page.goto('/');
    return this.waitForSession();
  }

  /** Opens a lesson by its id (`/?lesson=<id>`): its diagram applied, its steps beside it. */
  async openLesson(lessonId: string): Promise<string> {
    await this.page.goto(`/?lesson=${encodeURIComponent(lessonId)}`);
    await expect(this.page).toHaveURL(/[?&]session=/, { timeout: 30_000 });
    await expect(this.lessonPanel).toBeVisible({ timeout: 20_000 });
    const session = await this.waitForSession();
    await this.fitView();
    return session;
  }

  /** Opens a saved diagram (`/d/<id>`) in a session of its own. */
  async openDiagram(diagramId: string): Promise<string> {
    await this.page.goto(`/d/${encodeURIComponent(diagramId)}`);
    return this.waitForSession();
  }

  /**
   * Follows a teacher's classroom as a student (`/join/<code>`): resolves once the page has
   * been greeted (the classroom's `hello` frame on its websocket).
   */
  async followClassroom(code: string): Promise<void> {
    const greeted = this.page
      .waitForEvent('websocket', {
        predicate: (socket) =>
          socket.url().includes(`/api/classrooms/${encodeURIComponent(code)}/`),
        timeout: 30_000,
      })
      .then((socket) =>
        socket.waitForEvent('framereceived', {
          predicate: ({ payload }) => typeof payload === 'string' && isHello(payload),
          timeout: 20_000,
        }),
      );
    await this.page.goto(`/join/${encodeURIComponent(code)}`);
    await greeted;
  }

  /**
   * As the teacher: opens a classroom on this page's session from the top bar and returns its
   * join code and link (students follow it with `followClassroom`).
   */
  async startClassroom(): Promise<{ code: string; joinUrl: string }> {
    await this.page.getByRole('button', { name: /^Classroom\b/ }).click();
    const panel = this.page.getByRole('region', { name: 'Classroom' });
    await panel.getByRole('button', { name: 'Start a classroom' }).click();
    const code = this.page.getByTestId('classroom-code');
    await expect(code).toHaveText(/\S/, { timeout: 20_000 });
    const joinUrl = await panel.getByTestId('classroom-join-link').inputValue();
    return { code: ((await code.textContent()) ?? '').trim(), joinUrl };
  }

  /** As a student: waits until the lesson panel marks this step as the one the class is on. */
  async expectClassOnStep(stepId: string): Promise<void> {
    await expect(this.lessonStep(stepId)).toHaveAttribute('aria-current', 'step', {
      timeout: 20_000,
    });
  }

  /** The session the page runs, from its address. */
  sessionId(): string | undefined {
    return new URL(this.page.url()).searchParams.get('session') ?? undefined;
  }

  /**
   * Ends every session this demo opened, as Delete would: their producers stop, their vhosts
   * go. The fixture calls it after the demo.
   */
  async endSession(): Promise<void> {
    if (this.page.isClosed() || this.sessions.size === 0) return;
    const tokens = await this.page
      .evaluate(
        (ids) =>
          ids.map((id) => {
            const saved = localStorage.getItem(`warren.session.${id}`) ?? '{}';
            return [id, (JSON.parse(saved) as { editToken?: string }).editToken ?? ''];
          }),
        [...this.sessions],
      )
      .catch(() => [...this.sessions].map((id) => [id, '']));
    // Leave first, so the page does not start a new session when its own goes.
    await this.page.goto('about:blank');
    for (const [id, token] of tokens) {
      const reply = await this.page.request.delete(`/api/sessions/${encodeURIComponent(id!)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (reply.status() !== 204 && reply.status() !== 404) {
        throw new Error(`DELETE /api/sessions/${id} answered ${reply.status()}`);
      }
    }
    this.sessions.clear();
  }

  private async waitForSession(): Promise<string> {
    const id = this.page.getByTestId('session-id');
    await expect(id).not.toBeEmpty({ timeout: 30_000 });
    // '…' stands in until the server has made the session.
    await expect(id).not.toHaveText('…', { timeout: 30_000 });
    await expect(this.page.getByTestId('server-banner')).toBeHidden();
    const session = this.sessionId() ?? ((await id.textContent()) ?? '').trim();
    this.sessions.add(session);
    return session;
  }

  // ── Drawing ─────────────────────────────────────────────────────────────────────────────

  /** The inspector beside the canvas, editing what is selected. */
  get inspector(): Locator {
    return this.page.getByRole('complementary', { name: 'Inspector' });
  }

  /** A node on the canvas by its kind and name. */
  node(kind: NodeKind, name: string): Locator {
    return this.page.getByTestId(`${kind}-node-${name}`);
  }

  /** Zooms the canvas to the whole diagram (the Fit View control) and waits until it settles. */
  async fitView(): Promise<void> {
    await this.page.getByRole('button', { name: /fit view/i }).click();
    const viewport = this.page.locator('.react-flow__viewport');
    let last: string | null = null;
    await expect
      .poll(async () => {
        const now = await viewport.getAttribute('style');
        const settled = now === last;
        last = now;
        return settled;
      })
      .toBe(true);
    await this.pause(500);
  }

  /** Adds an exchange of a type from the palette and names it. */
  async addExchange(name: string, type: ExchangeType = 'direct'): Promise<void> {
    await this.add('exchange', name, `palette-add-exchange-${type}`);
  }

  /** Adds a queue from the palette and names it. */
  async addQueue(name: string): Promise<void> {
    await this.add('queue', name, 'palette-add-queue');
  }

  /** Adds a producer and, with `exchange`, draws its publishing edge to that exchange. */
  async addProducer(name: string, options: { exchange?: string } = {}): Promise<void> {
    await this.add('producer', name, 'palette-add-producer');
    if (options.exchange)
      await this.connect(this.node('producer', name), this.node('exchange', options.exchange));
  }

  /** Binds a queue (or an exchange) to an exchange by drawing the edge, with a binding key. */
  async bind(exchange: string, queue: string, bindingKey?: string): Promise<void> {
    const destination =
      (await this.node('queue', queue).count()) > 0
        ? this.node('queue', queue)
        : this.node('exchange', queue);
    await this.connect(this.node('exchange', exchange), destination);
    if (bindingKey !== undefined) {
      await this.page.getByTestId(`binding-label-${exchange}-${queue}`).click();
      const input = this.page.getByTestId(`binding-key-input-${exchange}-${queue}`);
      await input.fill(bindingKey);
      await input.press('Enter');
      await expect(this.page.getByTestId(`binding-label-${exchange}-${queue}`)).toHaveText(
        bindingKey,
      );
    }
    await this.pause(400);
  }

  /** Applies the diagram to the broker and waits until Warren says it is applied. */
  async apply(): Promise<void> {
    await this.page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(this.page.getByTestId('apply-status')).toHaveText('Applied', { timeout: 40_000 });
    await this.pause(600);
  }

  /** Sends from a producer with a routing key (and a payload) through its inspector. */
  async send(producer: string, routingKey: string, payload = '{}'): Promise<void> {
    await this.node('producer', producer).click();
    await this.inspector
      .getByRole('textbox', { name: 'Routing key', exact: true })
      .fill(routingKey);
    await this.inspector.getByLabel('Payload').fill(payload);
    await this.inspector.getByRole('button', { name: /^Send (message|\d+ messages)$/ }).click();
    await this.pause(900);
  }

  /** Waits until the edge from an exchange to a queue (or exchange) has carried `count` messages. */
  async expectRouted(exchange: string, destination: string, count = 1): Promise<void> {
    await expect(
      this.page.getByTestId(`edge-count-${exchange}-${destination}`),
      `${exchange} → ${destination} carried ${count}`,
    ).toHaveText(count.toLocaleString('en'), { timeout: 20_000 });
  }

  /** Waits until a queue shows `depth` ready messages. */
  async waitForQueueDepth(queue: string, depth: number): Promise<void> {
    await expect(
      this.page.getByTestId(`queue-depth-${queue}`),
      `${queue} holds ${depth}`,
    ).toHaveText(depth.toLocaleString('en'), { timeout: 20_000 });
  }

  /** The ready count every queue on the canvas shows now, by queue name. */
  async queueDepths(): Promise<Record<string, number>> {
    const depths = await this.page
      .locator('[data-testid^="queue-depth-"]')
      .evaluateAll((spans) =>
        spans.map((s) => [
          (s.getAttribute('data-testid') ?? '').slice('queue-depth-'.length),
          Number((s.textContent ?? '0').replace(/,/g, '')),
        ]),
      );
    return Object.fromEntries(depths) as Record<string, number>;
  }

  private async add(kind: NodeKind, name: string, paletteTestId: string): Promise<void> {
    await this.page.getByTestId(paletteTestId).click();
    // A node added from the palette is selected, so the inspector edits it.
    await expect(this.node(kind, FIRST_NAME[kind])).toHaveClass(/is-selected/);
    const input = this.inspector.getByRole('textbox', { name: 'Name', exact: true });
    await input.fill(name);
    await input.press('Enter');
    await expect(this.node(kind, name)).toBeVisible();
    await this.pause(300);
  }

  /** Drags a new edge from one node's source handle to another's target handle. */
  private async connect(from: Locator, to: Locator): Promise<void> {
    const a = await from.locator('.react-flow__handle.source').first().boundingBox();
    const b = await to.locator('.react-flow__handle.target').first().boundingBox();
    if (!a || !b) throw new Error('a node handle is not visible');
    const steps = this.pace > 0 ? 24 : 8;
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2, {
      steps: this.pace > 0 ? 12 : 1,
    });
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps });
    await this.page.mouse.up();
  }

  // ── Lessons ─────────────────────────────────────────────────────────────────────────────

  /** The lesson's steps beside the canvas. */
  get lessonPanel(): Locator {
    return this.page.getByTestId('lesson-panel');
  }

  /** One step of the open lesson. */
  lessonStep(stepId: string): Locator {
    return this.lessonPanel.locator(`[data-testid="lesson-step"][data-step-id="${stepId}"]`);
  }

  /** The ids of the open lesson's steps, in order. */
  async lessonSteps(): Promise<string[]> {
    return this.lessonPanel
      .getByTestId('lesson-step')
      .evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-id') ?? ''));
  }

  /** Clicks a step's Run button (when it has one) and waits until it ticks itself off. */
  async runLessonStep(stepId: string): Promise<void> {
    const step = this.lessonStep(stepId);
    await step.scrollIntoViewIfNeeded();
    const run = step.getByRole('button', { name: /^Run step:/ });
    if ((await run.count()) > 0) {
      await expect(run).toBeEnabled({ timeout: 20_000 });
      await run.click();
    }
    await this.expectStepDone(stepId);
    await this.pause(1_200);
  }

  /** Waits until a lesson step ticks itself off: the real broker did what it asks. */
  async expectStepDone(stepId: string): Promise<void> {
    await expect(this.lessonStep(stepId), `step "${stepId}" ticks itself off`).toHaveAttribute(
      'data-done',
      'true',
      { timeout: 25_000 },
    );
  }

  /** The title and text of a lesson step, as the panel shows them. */
  async stepText(stepId: string): Promise<{ title: string; text: string }> {
    const step = this.lessonStep(stepId);
    const title = (await step.locator('.lesson-step__title').innerText()).replace(
      /\s*\(done\)$/,
      '',
    );
    const text = await step.locator('.lesson-step__text').innerText();
    return { title: title.trim(), text: text.trim() };
  }

  /** Captions a step with its own text, runs it and waits for its tick. */
  async narrateLessonStep(stepId: string): Promise<void> {
    const { title, text } = await this.stepText(stepId);
    await this.caption(`${title}: ${text}`);
    await this.runLessonStep(stepId);
  }

  /** Captions where messages went: every queue's ready count as the canvas shows it now. */
  async showWhereMessagesWent(): Promise<Record<string, number>> {
    const depths = await this.queueDepths();
    const parts = Object.entries(depths).map(([queue, n]) => `${queue}: ${n}`);
    await this.caption(`Where the messages are now (ready per queue): ${parts.join(' · ')}`);
    await this.screenshot('where-messages-went');
    return depths;
  }

  // ── Narration ───────────────────────────────────────────────────────────────────────────

  /** Pauses for `ms` at this pace (not at all in a test). */
  async pause(ms: number): Promise<void> {
    const wait = pauseFor(ms, this.pace);
    if (wait > 0) await this.page.waitForTimeout(wait);
  }

  /** Shows a caption until the next one (or the end), and leaves time to read it. */
  async caption(text: string): Promise<void> {
    await this.closeCaption();
    this.captionStart = this.now();
    this.captionText = text;
    this.hideCaption = await showCaption(this.page, text);
    const wait = readingTime(text, this.pace);
    if (wait > 0) await this.page.waitForTimeout(wait);
  }

  /** Starts a chapter: a card on screen (when paced) and an entry in the chapters file. */
  async chapter(title: string, description?: string): Promise<void> {
    await this.closeCaption();
    this.chapters.push({ at: this.now(), text: description ? `${title}: ${description}` : title });
    if (this.pace > 0) {
      await showChapter(
        this.page,
        title,
        description,
        readingTime(`${title} ${description ?? ''}`, this.pace),
      );
    }
  }

  /** Saves a key screenshot into the recording folder (when recording). */
  async screenshot(name: string): Promise<void> {
    if (!this.options.recordTo) return;
    this.shots += 1;
    const file = `${String(this.shots).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`;
    await this.page.screenshot({ path: join(this.options.recordTo, 'screenshots', file) });
  }

  private now(): number {
    return this.recorder?.now() ?? 0;
  }

  private async closeCaption(): Promise<void> {
    if (!this.hideCaption) return;
    await this.hideCaption();
    this.hideCaption = undefined;
    this.captions.push({
      start: this.captionStart,
      end: Math.max(this.captionStart, this.now()),
      text: this.captionText,
    });
  }

  // ── Recording ───────────────────────────────────────────────────────────────────────────

  /** Shows the cursor when paced and starts recording when asked to; the fixture calls it. */
  async begin(): Promise<void> {
    if (this.pace > 0) await showCursor(this.page, pauseFor(700, this.pace));
    if (!this.options.recordTo) return;
    mkdirSync(join(this.options.recordTo, 'screenshots'), { recursive: true });
    this.recorder = new FrameRecorder(this.page, this.options.recordTo);
    await this.recorder.start();
  }

  /** Ends the recording: the video, `chapters.vtt` and `captions.vtt`. The fixture calls it. */
  async finish(): Promise<Recording | undefined> {
    await this.closeCaption().catch(() => undefined);
    if (!this.recorder || !this.options.recordTo) return undefined;
    await this.pause(1_000);
    const recording = await this.recorder.stop();
    const dir = this.options.recordTo;
    writeFileSync(
      join(dir, 'chapters.vtt'),
      toWebVtt(chapterCues(this.chapters, recording.durationMs)),
    );
    writeFileSync(join(dir, 'captions.vtt'), toWebVtt(this.captions));
    return recording;
  }
}
