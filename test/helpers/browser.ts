import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
}

/** Launch Debian's Chromium headless (Playwright gives it a fresh profile) with the flags this network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The folder screenshots go to; printed once so a person can look at them. */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOT_DIR ?? join(tmpdir(), "aura-screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Sign in through the login form, as a person does, and wait for the project list. */
export async function signIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await Promise.all([page.waitForURL(/\/projects/), page.click('button[type="submit"]')]);
}
