import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { customerCallScriptSrc } from '../../../bot/src/http/call-asset';
import { callPage } from '../../../bot/src/http/pages/call-page';

const ROOT = path.resolve(__dirname, '../../..');
const BUDGET = 30 * 1024;

const page = (locale: 'en' | 'de', fallbackUrl?: string) =>
  callPage({
    locale,
    nonce: 'n0nce',
    agentName: 'Mia </script><b>',
    title: 'Router',
    base: '/j/abc/call',
    leaveHref: '/j/abc/leave',
    scriptSrc: '/assets/customer-call-abc.js',
    fallbackUrl,
  });

describe('the customer call page', () => {
  let dir: string;
  let manifest: { file: string; gzip: number };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otc-call-page-'));
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-customer-call.mjs'), dir], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    manifest = JSON.parse(
      readFileSync(path.join(dir, 'customer-call.json'), 'utf8'),
    ) as typeof manifest;
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('weighs at most 30 KB gzip with all its script and CSS', () => {
    const script = readFileSync(path.join(dir, manifest.file));
    const total = gzipSync(script, { level: 9 }).length + gzipSync(page('de'), { level: 9 }).length;
    console.log(`customer call page: ${(total / 1024).toFixed(1)} KB gzip (script + page + CSS)`);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });

  it('is named by the manifest the build writes, and not at all when the tab is not built', () => {
    expect(customerCallScriptSrc(dir)).toBe(`/${manifest.file}`);
    expect(customerCallScriptSrc(path.join(dir, 'missing'))).toBeUndefined();
    expect(customerCallScriptSrc(undefined)).toBeUndefined();
  });

  it('loads the script with the nonce and keeps the texts inside their JSON block', () => {
    const html = page('en');
    expect(html).toContain('<script nonce="n0nce" src="/assets/customer-call-abc.js"></script>');
    const json = /<script type="application\/json" id="otc-config">([\s\S]*?)<\/script>/.exec(
      html,
    )?.[1];
    expect(JSON.parse(json ?? '')).toMatchObject({
      base: '/j/abc/call',
      agentName: 'Mia </script><b>',
    });
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/ style="/);
  });

  it('explains why before asking, in English and German, and offers the fallback when there is one', () => {
    expect(page('en')).toContain('please tap Allow');
    expect(page('de')).toContain('Kamera und Mikrofon starten');
    expect(page('en', 'https://teams.example/join')).toContain('href="https://teams.example/join"');
    expect(page('en')).toContain('ask your agent for another way');
  });
});
