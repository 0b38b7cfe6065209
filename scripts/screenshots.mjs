// The README's screenshots: builds Storybook, serves the static site on a free port, opens four
// stories (each with the devtools panel beside it) in Debian's Chromium (playwright-core, no browser download), lets each play function
// finish, and writes PNGs to docs/screenshots/. `npm run screenshots`. It also checks that
// Storybook opens on the Introduction page.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const site = join(root, 'storybook-static');
const out = join(root, 'docs', 'screenshots');
const shots = [
  // [file, story id (mostly the stories without a script), what a person does, a text that shows the moment]
  // (Its play function adds a room and cancels ten bookings; the panel shows the runs they became.)
  ['devtools.png', 'demos-room-list-global-subscriber--room-list', async (page) => {
    await page.getByText('Faro: 10 free').waitFor({ timeout: 15_000 });
  }, 'requests coalesced'],
  ['presence.png', 'demos-who-is-here-presence-and-whispers--interactive', async (page) => {
    await page.getByRole('button', { name: "Open Ann's second tab" }).click();
    await page.getByRole('tab', { name: /Presence/ }).click();
    await page.getByRole('region', { name: "Ann's tab" }).getByLabel('Message').pressSequentially('hello');
  }, 'Ann is typing…'],
  ['commands.png', 'demos-todos-optimistic-commands--interactive', async (page) => {
    await page.getByText('Read the README').waitFor();
    await page.getByLabel(/Next command/).selectOption('no-event');
    await page.getByLabel('New todo').fill('Ship the demos');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('tab', { name: /Commands/ }).click();
  }, 'saving…'],
  ['recovery.png', 'demos-connection-banner-and-recovery--interactive', async (page) => {
    await page.getByRole('button', { name: 'Drop the socket' }).first().click();
    await page.getByRole('button', { name: 'Free a place in every room' }).click();
  }, 'Reconnecting…'],
];

execFileSync('npx', ['storybook', 'build', '--quiet', '-o', site], { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
const server = createServer((req, res) => {
  const path = join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.html') : path;
  if (!file.startsWith(site) || !existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const manager = await browser.newPage();
  await manager.goto(base);
  await manager.waitForURL(/path=\/docs\/introduction--docs/, { timeout: 30_000 });
  console.log(`Storybook opens on ${new URL(manager.url()).searchParams.get('path')}`);
  await manager.close();
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 }, deviceScaleFactor: 1 });
  for (const [file, id, act, text] of shots) {
    await page.goto(`${base}/iframe.html?id=${id}&viewMode=story`);
    await page.getByRole('button').first().waitFor();
    await act(page);
    await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.locator('#storybook-root').screenshot({ path: join(out, file) });
    console.log(`docs/screenshots/${file}`);
  }
} finally {
  await browser.close();
  server.close();
}
