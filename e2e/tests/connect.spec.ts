import { expect, test } from '../fixtures';

/** Bring your own code: the Connect dialog gives this session's URL and programs to run. */
test('the Connect dialog shows the session URL and a program per client', async ({
  page,
  vhost,
}, testInfo) => {
  await page.getByRole('button', { name: 'Connect' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect your own code' });
  const url = dialog.getByRole('textbox', { name: 'AMQP URL' });
  await expect(url).toHaveValue(new RegExp(`^amqp://.+/${vhost}$`));
  await expect(dialog.getByTestId('connect-code')).toContainText('pika.URLParameters');
  for (const [tab, text] of [
    ['amqplib', "from 'amqplib'"],
    ['spring', '@RabbitListener'],
    ['go', 'amqp091-go'],
    ['dotnet', 'RabbitMQ.Client'],
  ] as const) {
    await dialog.getByTestId(`connect-tab-${tab}`).click();
    await expect(dialog.getByRole('tab', { selected: true })).toHaveAttribute(
      'data-testid',
      `connect-tab-${tab}`,
    );
    await expect(dialog.getByTestId('connect-code')).toContainText(text);
  }
  await testInfo.attach('connect-dialog', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
