import type { Page } from '@playwright/test';

/**
 * What a viewer sees on top of Warren: a caption line at the bottom, chapter cards and a cursor.
 * Playwright's screencast overlays draw them where the running Playwright has them (1.59+);
 * otherwise elements of the page's own DOM do, re-created after each navigation.
 */

const FONT = 'font: 600 26px/1.35 system-ui, sans-serif';

/** The caption's look: large, white on near-black, centred above the canvas's bottom bar. */
export function captionHtml(text: string): string {
  return `<div data-testid="demo-caption" style="position:fixed;left:50%;bottom:72px;transform:translateX(-50%);max-width:78%;padding:12px 22px;border-radius:10px;background:rgba(17,24,39,.88);color:#fff;${FONT};text-align:center;box-shadow:0 4px 18px rgba(0,0,0,.35);z-index:2147483646;pointer-events:none">${escapeHtml(text)}</div>`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Whether this Playwright draws overlays itself (`page.screencast`, 1.59+). */
export function hasScreencastOverlays(page: Page): boolean {
  const screencast = (page as Partial<Pick<Page, 'screencast'>>).screencast;
  return typeof screencast?.showOverlay === 'function';
}

/** Shows a caption until the returned function is called. */
export async function showCaption(page: Page, text: string): Promise<() => Promise<void>> {
  if (hasScreencastOverlays(page)) {
    const overlay = await page.screencast.showOverlay(captionHtml(text));
    return async () => {
      await overlay.dispose();
    };
  }
  const html = captionHtml(text);
  const put = (markup: string) => {
    document.querySelector('[data-warren-demo-caption]')?.remove();
    const holder = document.createElement('div');
    holder.setAttribute('data-warren-demo-caption', '');
    holder.innerHTML = markup;
    document.body.append(holder);
  };
  await page.evaluate(put, html);
  return async () => {
    await page
      .evaluate(() => document.querySelector('[data-warren-demo-caption]')?.remove())
      .catch(() => undefined);
  };
}

/** Shows a chapter card for `duration` ms (the page is blurred behind it), then goes on. */
export async function showChapter(
  page: Page,
  title: string,
  description: string | undefined,
  duration: number,
): Promise<void> {
  if (hasScreencastOverlays(page) && typeof page.screencast.showChapter === 'function') {
    await page.screencast.showChapter(title, { description, duration });
    return;
  }
  const card = `<div style="position:fixed;inset:0;display:grid;place-items:center;backdrop-filter:blur(6px);background:rgba(15,23,42,.45);z-index:2147483646;pointer-events:none"><div style="background:#fff;color:#111827;padding:28px 40px;border-radius:14px;max-width:60%;text-align:center;font:700 34px/1.3 system-ui,sans-serif">${escapeHtml(title)}${description ? `<div style="font-weight:400;font-size:22px;margin-top:10px;color:#374151">${escapeHtml(description)}</div>` : ''}</div></div>`;
  await page.evaluate((markup) => {
    const holder = document.createElement('div');
    holder.setAttribute('data-warren-demo-chapter', '');
    holder.innerHTML = markup;
    document.body.append(holder);
  }, card);
  await page.waitForTimeout(duration);
  await page.evaluate(() => document.querySelector('[data-warren-demo-chapter]')?.remove());
}

/**
 * A visible cursor. Playwright's own (`screencast.showActions`) travels to each action point and
 * paces actions by `duration`; without it, an arrow in the page follows the mouse events.
 */
export async function showCursor(page: Page, duration: number): Promise<void> {
  if (hasScreencastOverlays(page) && typeof page.screencast.showActions === 'function') {
    await page.screencast.showActions({
      cursor: 'pointer',
      duration,
      style: {
        point:
          'width: 26px; height: 26px; border-radius: 50%; background: rgba(239, 68, 68, .35); border: 2px solid rgba(239, 68, 68, .9)',
        highlight: 'outline: 3px solid rgba(59, 130, 246, .85); border-radius: 6px',
        title: 'display: none',
      },
    });
    return;
  }
  const draw = () => {
    const arrow = document.createElement('div');
    arrow.setAttribute('data-warren-demo-cursor', '');
    arrow.style.cssText =
      'position:fixed;left:0;top:0;width:0;height:0;border-left:12px solid transparent;border-right:12px solid transparent;border-bottom:26px solid #111827;transform-origin:0 0;rotate:-28deg;z-index:2147483647;pointer-events:none;filter:drop-shadow(0 0 2px #fff)';
    const follow = (event: MouseEvent) => {
      arrow.style.translate = `${event.clientX}px ${event.clientY}px`;
    };
    const attach = () => document.body.append(arrow);
    if (document.body) attach();
    else document.addEventListener('DOMContentLoaded', attach);
    window.addEventListener('mousemove', follow, true);
    window.addEventListener('mousedown', follow, true);
  };
  await page.addInitScript(draw);
  await page.evaluate(draw);
}
