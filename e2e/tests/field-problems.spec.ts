import { expect, test } from '../fixtures';

/**
 * A field is marked while it is typed, before Apply: the inspector asks the document validator
 * (fetched with the first inspector, not with the page), and the problem goes when fixed.
 */
test('a wrong argument is named in the inspector as it is typed, and cleared when fixed', async ({
  canvas,
  page,
}) => {
  await canvas.open();
  await canvas.add('queue', 'queue-1', 'jobs');
  const field = canvas.inspector.getByTestId('inspector-arg-x-max-length');
  await field.fill('-3');
  const problem = canvas.inspector.getByTestId('field-error-x-max-length');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(/x-max-length/i);
  await field.fill('3');
  await expect(problem).toBeHidden();
  await expect(page.getByTestId('queue-badges-jobs').locator('[data-badge=max-length]')).toHaveText(
    'max 3',
  );
});
