import { expect, type Locator, type Page } from '@playwright/test';

/** The lesson gallery and the steps panel of a session that runs a lesson. */
export class LessonGallery {
  constructor(private readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('lesson-panel');
  }

  step(id: string): Locator {
    return this.panel.locator(`[data-testid="lesson-step"][data-step-id="${id}"]`);
  }

  /** Opens the gallery from the top bar. */
  async openGallery(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Lessons' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Lessons' });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Opens a lesson by its address, as a shared link would. */
  async open(lessonId: string): Promise<void> {
    await this.page.goto(`/?lesson=${encodeURIComponent(lessonId)}`);
    await expect(this.page).toHaveURL(/[?&]session=/, { timeout: 30_000 });
    await expect(this.panel).toBeVisible({ timeout: 20_000 });
  }

  /** Ends the session the page runs (its producers stop, its vhost goes), as Delete would. */
  async endSession(): Promise<void> {
    const id = new URL(this.page.url()).searchParams.get('session');
    if (!id) return;
    const token = await this.page.evaluate(
      (key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { editToken?: string }).editToken,
      `warren.session.${id}`,
    );
    // Leave first, so the page does not start a new session when this one goes.
    await this.page.goto('about:blank');
    const reply = await this.page.request.delete(`/api/sessions/${id}`, {
      headers: { authorization: `Bearer ${token ?? ''}` },
    });
    expect(reply.status()).toBe(204);
  }

  /**
   * The steps this Warren cannot do (a broker restart its operator does not allow), each saying
   * so in plain words.
   */
  async unavailableSteps(): Promise<string[]> {
    const ids = await this.panel
      .locator('[data-testid="lesson-step"][data-available="false"]')
      .evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-id') ?? ''));
    for (const id of ids) {
      await expect(this.step(id).getByTestId('lesson-step-unavailable')).toContainText(
        "this Warren's operator has not allowed it to restart the broker",
      );
      await expect(this.step(id).getByTestId('lesson-step-run')).toHaveCount(0);
    }
    return ids;
  }

  /**
   * Runs every step in order (clicking Run where a step has an action) and waits for its tick.
   * Steps not available here are skipped: see unavailableSteps, which callers check.
   */
  async runAllSteps(): Promise<string[]> {
    const ids = await this.panel
      .getByTestId('lesson-step')
      .evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-id') ?? ''));
    const skipped = await this.unavailableSteps();
    for (const id of ids) {
      if (skipped.includes(id)) continue;
      const step = this.step(id);
      const run = step.getByTestId('lesson-step-run');
      if ((await run.count()) > 0) {
        await expect(run).toBeEnabled({ timeout: 20_000 });
        await run.click();
        // A broker restart (where this Warren allows one) asks first.
        const confirm = step.getByTestId('lesson-restart-now');
        if ((await confirm.count()) > 0) await confirm.click();
      }
      await expect(step, `step "${id}" ticks itself off`).toHaveAttribute('data-done', 'true', {
        timeout: 25_000,
      });
    }
    return ids;
  }
}
