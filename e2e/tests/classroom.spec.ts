import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page, TestInfo } from '@playwright/test';
import type { Topology } from '@warren/topology';
import { BrokerView } from '../pages/broker-view';
import { LessonGallery } from '../pages/lesson-gallery';
import { expect, test } from '../fixtures';
import { closeSession, openSession, select } from './producers-session';

/**
 * A live classroom: one teacher and two students, each in a browser of their own, on the real
 * server and the real broker. Follow, predict-then-reveal, "Let everyone try" with a sandbox per
 * student, "Bring everyone back", a reload, and the end of the class.
 */

/** `logs` (topic) → `errors` on `*.error`, `audit` on `#`, `eu` on `eu.*`. */
function logsTopology(): Topology {
  const queue = (id: string, name: string, y: number) => ({
    id,
    name,
    durable: true,
    exclusive: false,
    autoDelete: false,
    position: { x: 620, y },
  });
  const binding = (id: string, destination: string, routingKey: string) => ({
    id,
    source: 'logs',
    destination,
    destinationType: 'queue' as const,
    routingKey,
  });
  return {
    version: 1,
    exchanges: [
      {
        id: 'x-logs',
        name: 'logs',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
        position: { x: 300, y: 180 },
      },
    ],
    queues: [
      queue('q-errors', 'errors', 40),
      queue('q-audit', 'audit', 200),
      queue('q-eu', 'eu', 360),
    ],
    bindings: [
      binding('b-errors', 'errors', '*.error'),
      binding('b-audit', 'audit', '#'),
      binding('b-eu', 'eu', 'eu.*'),
    ],
    producers: [],
  };
}

/** The canvas's pan and zoom, as React Flow draws it. */
async function viewport(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const match = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(style);
  if (!match) throw new Error(`no viewport transform in "${style}"`);
  return { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) };
}

const rounded = (v: { x: number; y: number; zoom: number }) => ({
  x: Math.round(v.x),
  y: Math.round(v.y),
  zoom: Math.round(v.zoom * 100) / 100,
});

/** The point of the diagram at the centre of the canvas, and the canvas's size. */
async function centre(page: Page) {
  const v = await viewport(page);
  const box = await page.locator('.react-flow').boundingBox();
  if (!box) throw new Error('canvas not visible');
  return {
    x: (box.width / 2 - v.x) / v.zoom,
    y: (box.height / 2 - v.y) / v.zoom,
    zoom: v.zoom,
    width: box.width,
    height: box.height,
  };
}

/**
 * The student's canvas shows what the teacher's shows: the same point of the diagram in the
 * middle, at the teacher's zoom scaled to the student's canvas (a wider one, without the palette).
 */
async function expectFollows(student: Page, teacher: Page): Promise<void> {
  const t = await centre(teacher);
  await expect
    .poll(async () => {
      const s = await centre(student);
      const scale = Math.min(s.width / t.width, s.height / t.height);
      return Math.max(
        Math.abs(s.x - t.x),
        Math.abs(s.y - t.y),
        Math.abs(s.zoom - Math.min(2, t.zoom * scale)) * 100,
      );
    })
    .toBeLessThan(1.5);
}

/** Zooms the teacher's canvas in at a point, which also moves the view. */
async function zoomAt(page: Page, dx: number, dy: number, delta: number): Promise<void> {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('canvas not visible');
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  const before = await viewport(page);
  await page.mouse.wheel(0, delta);
  await expect.poll(async () => (await viewport(page)).zoom).not.toBe(before.zoom);
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path });
    await testInfo.attach(`${name} at ${width}`, { path, contentType: 'image/png' });
  }
}

/** No serious or critical WCAG 2.1 A/AA violation, as in accessibility.spec.ts. */
async function audit(page: Page, testInfo: TestInfo, view: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  await testInfo.attach(`axe ${view}`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(blocking, `${view}: serious or critical accessibility violations`).toEqual([]);
}

async function student(browser: Browser, baseURL: string | undefined): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
}

// A click that cannot land (something covers its target) fails here rather than at the timeout.
test.use({ actionTimeout: 15_000 });

/**
 * The diagram's queues on the broker with their ready messages; the server-named `amq.gen-`
 * queue Warren observes the vhost through is not the diagram's.
 */
async function diagramQueues(broker: BrokerView, vhost: string): Promise<Record<string, number>> {
  const depths = await broker.depths(vhost);
  return Object.fromEntries(Object.entries(depths).filter(([name]) => !name.startsWith('amq.')));
}

function banner(page: Page): Locator {
  return page.getByTestId('classroom-banner');
}

test('a teacher leads two students: follow, predict-then-reveal, sandboxes and back', async ({
  page: teacher,
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  const broker = new BrokerView();
  const session = await openSession(teacher, logsTopology());
  const teacherVhost = `warren-e2e-${session.id}`;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  try {
    // The teacher opens a classroom from the top bar.
    await teacher.getByTestId('classroom-button').click();
    const panel = teacher.getByRole('region', { name: 'Classroom' });
    await panel.getByRole('button', { name: 'Start a classroom' }).click();
    const code = (await panel.getByTestId('classroom-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9-]{4,16}$/);
    const joinUrl = await panel.getByTestId('classroom-join-link').inputValue();
    expect(joinUrl).toMatch(new RegExp(`/join/${code}$`));
    await expect(panel.getByRole('img', { name: /QR code of the join link/ })).toBeVisible();
    await expect(panel.getByTestId('classroom-followers')).toHaveText('nobody following yet');

    // One student opens the link, the other types the code in the lessons gallery.
    const one = await student(browser, baseURL);
    const two = await student(browser, baseURL);
    contexts.push(one, two);
    const ada = await one.newPage();
    const bob = await two.newPage();
    // A page that throws (a render loop, say) would only show as a blank canvas.
    for (const p of [teacher, ada, bob])
      p.on('pageerror', (error) => pageErrors.push(error.message));
    await ada.goto(new URL(joinUrl).pathname);
    await bob.goto('/');
    await expect(bob.getByTestId('session-id')).not.toHaveText('…');
    await bob.getByTestId('lessons-button').click();
    await bob.getByRole('textbox', { name: 'Join a classroom' }).fill(code.toLowerCase());
    await bob.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(bob).toHaveURL(new RegExp(`/join/${code}$`));
    for (const s of [ada, bob]) {
      await expect(banner(s)).toContainText('Following the teacher');
      await expect(s.getByTestId('queue-node-errors')).toBeVisible();
    }
    await expect(panel.getByTestId('classroom-followers')).toHaveText('2 following');
    await expect(ada.getByTestId('student-followers')).toHaveText('2 following');
    await expect(teacher.getByTestId('classroom-button-followers')).toHaveText('2');

    // Students follow the teacher's viewport and selection.
    // Zoomed out toward the left, the diagram stays clear of the classroom panel on the right.
    await zoomAt(teacher, -200, -60, 250);
    await expectFollows(ada, teacher);
    await expectFollows(bob, teacher);
    await select(teacher, 'queue-node-errors');
    for (const s of [ada, bob])
      await expect(s.getByTestId('queue-node-errors')).toHaveClass(/is-selected/);
    await shot(teacher, testInfo, 'teacher-panel');
    await shot(ada, testInfo, 'student-following');
    await audit(teacher, testInfo, 'teacher classroom panel');
    await audit(ada, testInfo, 'student following');
    // On a projector: the panel floats over the canvas, the code large.
    await teacher.getByTestId('classroom-followers').click();
    await teacher.keyboard.press('p');
    await expect(teacher.locator('html')).toHaveAttribute('data-presentation', 'on');
    await expect(panel.getByTestId('classroom-code')).toBeVisible();
    await shot(teacher, testInfo, 'teacher-presentation');
    await teacher.keyboard.press('p');
    await expect(teacher.locator('html')).not.toHaveAttribute('data-presentation', 'on');

    // Ada looks around on her own; Bob keeps following. Bob catching up is the sign the
    // teacher's new view went out; Ada's stayed where it was.
    const follow = ada.getByTestId('follow-toggle');
    await expect(follow).toHaveText('Stop following');
    await follow.click();
    await expect(follow).toHaveText('Follow the teacher');
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    const adaBefore = rounded(await viewport(ada));
    await zoomAt(teacher, -150, 80, -150);
    await expectFollows(bob, teacher);
    expect(rounded(await viewport(ada))).toEqual(adaBefore);
    await follow.click();
    await expect(follow).toHaveText('Stop following');
    await expectFollows(ada, teacher);

    // Predict-then-reveal: "us.error" on logs goes to errors and audit.
    await expect(panel.getByTestId('question-exchange')).toHaveValue('logs');
    await panel.getByRole('textbox', { name: 'Routing key' }).fill('us.error');
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    for (const s of [ada, bob]) await expect(s.getByTestId('question-card')).toBeVisible();
    const adaCard = ada.getByTestId('question-card');
    await adaCard.getByRole('checkbox', { name: 'errors' }).check();
    await adaCard.getByRole('checkbox', { name: 'audit' }).check();
    await adaCard.getByRole('button', { name: 'Answer' }).click();
    await expect(adaCard.getByTestId('question-my-answer')).toHaveText(
      'Your answer: audit, errors',
    );
    const bobCard = bob.getByTestId('question-card');
    await bobCard.getByRole('checkbox', { name: 'errors' }).check();
    await bobCard.getByRole('button', { name: 'Answer' }).click();
    await expect(bobCard.getByTestId('question-my-answer')).toHaveText('Your answer: errors');
    await expect(panel.getByTestId('question-answers')).toHaveText('2 answers');
    await expect(panel.getByTestId('tally-row')).toHaveCount(2);
    await shot(bob, testInfo, 'student-question');
    await audit(bob, testInfo, 'student question card');
    await panel.getByRole('button', { name: 'Publish and reveal' }).click();
    await expect(panel.getByTestId('question-routed')).toHaveText('audit, errors');
    await expect(panel.getByTestId('question-right')).toHaveText('1 of 2 right');
    await expect(panel.locator('[data-testid="tally-row"][data-correct="true"]')).toContainText(
      'audit, errors',
    );
    await expect(adaCard.getByTestId('question-routed')).toHaveText('audit, errors');
    await expect(adaCard.getByTestId('question-result')).toHaveAttribute('data-right', 'true');
    await expect(bobCard.getByTestId('question-result')).toHaveAttribute('data-right', 'false');
    await expect(bobCard.getByTestId('question-result')).toHaveText(
      'Not this time: you said errors.',
    );
    // The broker's own queues say the same: one message in errors and in audit, none in eu.
    await expect
      .poll(async () => diagramQueues(broker, teacherVhost), { timeout: 20_000 })
      .toEqual({ errors: 1, audit: 1, eu: 0 });
    await expect(adaCard.getByTestId('question-class-right')).toHaveText('The class: 1 of 2 right');
    await shot(ada, testInfo, 'student-revealed');

    // "Let everyone try": each student in a sandbox of their own.
    await panel.getByRole('button', { name: 'Let everyone try' }).click();
    await expect(panel.getByTestId('classroom-mode')).toHaveText('Everyone is in their sandbox');
    const sandboxes: string[] = [];
    for (const s of [ada, bob]) {
      await expect(s.getByTestId('sandbox-banner')).toContainText('Your sandbox');
      const id = s.getByTestId('session-id');
      await expect(id).not.toHaveText('…');
      await expect(s.getByTestId('queue-node-errors')).toBeVisible();
      sandboxes.push(((await id.textContent()) ?? '').trim());
    }
    expect(new Set([...sandboxes, session.id]).size).toBe(3);
    await shot(ada, testInfo, 'student-sandbox');

    // Ada adds a queue in her sandbox; it is declared in her vhost, not the teacher's.
    await ada.getByTestId('palette-add-queue').click();
    const name = ada
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('mine');
    await name.press('Enter');
    await expect(ada.getByTestId('queue-node-mine')).toBeVisible();
    await ada.getByTestId('apply-button').click();
    await expect(ada.getByTestId('apply-status')).toHaveText('Applied');
    await expect
      .poll(async () =>
        Object.keys(await diagramQueues(broker, `warren-e2e-${sandboxes[0]}`)).sort(),
      )
      .toEqual(['audit', 'errors', 'eu', 'mine']);
    expect(Object.keys(await diagramQueues(broker, teacherVhost)).sort()).toEqual([
      'audit',
      'errors',
      'eu',
    ]);
    await expect(teacher.getByTestId('queue-node-mine')).toHaveCount(0);

    // "Bring everyone back": both follow the teacher's canvas again.
    await panel.getByRole('button', { name: 'Bring everyone back' }).click();
    for (const s of [ada, bob]) {
      await expect(banner(s)).toContainText('Following the teacher');
      await expect(s.getByTestId('queue-node-errors')).toBeVisible();
      await expectFollows(s, teacher);
    }
    await expect(ada.getByTestId('queue-node-mine')).toHaveCount(0);

    // A reload lands where the class is.
    await bob.reload();
    await expect(banner(bob)).toContainText('Following the teacher');
    await expectFollows(bob, teacher);
    await expect(panel.getByTestId('classroom-followers')).toHaveText('2 following');

    // The teacher ends the class; the students are told so.
    teacher.once('dialog', (dialog) => void dialog.accept());
    await panel.getByRole('button', { name: 'End classroom' }).click();
    await expect(panel.getByRole('button', { name: 'Start a classroom' })).toBeVisible();
    for (const s of [ada, bob])
      await expect(s.getByTestId('classroom-closed')).toContainText('has ended');
  } finally {
    for (const context of contexts) await context.close();
    await closeSession(teacher, session);
  }
});

test('an unknown join code says so plainly', async ({ page }) => {
  await page.goto('/join/NOSUCH1');
  await expect(page.getByTestId('classroom-missing')).toContainText(
    'There is no classroom with the code NOSUCH1',
  );
});

test('a following student sees the lesson step the teacher is on, marked where the class is', async ({
  page: teacher,
  browser,
  baseURL,
  lessons,
}) => {
  test.setTimeout(120_000);
  await lessons.open('topic');
  const context = await student(browser, baseURL);
  try {
    await teacher.getByTestId('classroom-button').click();
    const panel = teacher.getByRole('region', { name: 'Classroom' });
    await panel.getByRole('button', { name: 'Start a classroom' }).click();
    const joinUrl = await panel.getByTestId('classroom-join-link').inputValue();
    const ada = await context.newPage();
    await ada.goto(new URL(joinUrl).pathname);
    await expect(banner(ada)).toContainText('Following the teacher');
    const adaLessons = new LessonGallery(ada);
    await expect(adaLessons.panel).toContainText('Topic routing');

    // The class starts on the first step; the student's panel says so.
    await expect(lessons.step('critical-order')).toHaveAttribute('aria-current', 'step');
    const here = adaLessons.panel.getByTestId('lesson-step-class-here');
    await expect(here).toHaveCount(1);
    await expect(adaLessons.step('critical-order')).toHaveAttribute('aria-current', 'step');
    await expect(adaLessons.step('critical-order')).toContainText('The class is here');
    // The student reads the steps but cannot run them.
    await expect(adaLessons.panel.getByTestId('lesson-step-run')).toHaveCount(0);

    // The teacher runs the first step: both panels move on to the second.
    await lessons.step('critical-order').getByTestId('lesson-step-run').click();
    await expect(lessons.step('critical-order')).toHaveAttribute('data-done', 'true', {
      timeout: 25_000,
    });
    await expect(lessons.step('login')).toHaveAttribute('aria-current', 'step');
    await expect(adaLessons.step('login')).toHaveAttribute('aria-current', 'step');
    await expect(adaLessons.step('login')).toContainText('The class is here');
    await expect(adaLessons.step('critical-order')).toHaveAttribute('data-done', 'true');
    await expect(here).toHaveCount(1);
  } finally {
    await context.close();
    await lessons.endSession();
  }
});
