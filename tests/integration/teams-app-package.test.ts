import { MEETING_CHAT_RSC } from '../../bot/src/adapters/graph/graph-meeting-provider';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import Ajv from 'ajv-draft-04';

const root = path.resolve(__dirname, '../..');
const appDir = path.join(root, 'appPackage');
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Values provision would write; the placeholders in the repo are filled with these. */
const VARS: Record<string, string> = {
  TEAMS_APP_ID: '0d1f6a4e-7f44-4c0c-9c52-3a1c7e9b1a01',
  BOT_ID: '22222222-3333-4444-8555-666666666666',
  AAD_APP_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  TAB_DOMAIN: 'calls.contoso.com',
  APP_NAME_SUFFIX: '-dev',
  PUBLISHER_NAME: 'Contoso',
};
const fill = (text: string) =>
  text.replace(/\$\{\{(\w+)\}\}/g, (_, name: string) => VARS[name] ?? `<${name}?>`);

function validator() {
  // The official schema's patterns are not valid unicode-mode regular expressions.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', true);
  return {
    manifest: ajv.compile(
      readJson(path.join(appDir, 'schemas/MicrosoftTeams.v1.22.schema.json')) as object,
    ),
    localization: ajv.compile(
      readJson(
        path.join(appDir, 'schemas/MicrosoftTeams.Localization.v1.22.schema.json'),
      ) as object,
    ),
  };
}

type Manifest = {
  manifestVersion: string;
  staticTabs: Array<{ entityId: string; contentUrl?: string; scopes: string[] }>;
  configurableTabs: Array<{ configurationUrl: string; scopes: string[] }>;
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ commands: Array<{ title: string }> }>;
  }>;
  webApplicationInfo: { id: string; resource: string };
  authorization: { permissions: { resourceSpecific: Array<{ name: string; type: string }> } };
  validDomains: string[];
  devicePermissions?: string[];
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: Array<{ languageTag: string; file: string }>;
  };
};

/** The entries of a zip, read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    p += 46 + nameLength + extra;
  }
  return entries;
}

const pngSize = (png: Buffer) => ({
  width: png.readUInt32BE(16),
  height: png.readUInt32BE(20),
  colorType: png[25],
});

describe('Teams app package', () => {
  const manifestText = fill(readFileSync(path.join(appDir, 'manifest.json'), 'utf8'));
  const manifest = JSON.parse(manifestText) as Manifest;

  it('is a valid manifest 1.22 against the official schema', () => {
    const { manifest: validate } = validator();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest.manifestVersion).toBe('1.22');
  });

  it('has the German language file, valid against the localization schema', () => {
    const { localization } = validator();
    expect(manifest.localizationInfo.additionalLanguages).toEqual([
      { languageTag: 'de', file: 'de.json' },
    ]);
    const de: unknown = JSON.parse(fill(readFileSync(path.join(appDir, 'de.json'), 'utf8')));
    const valid = localization(de);
    expect(localization.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('asks Teams for camera and microphone, which the browser call in the tab needs', () => {
    expect(manifest.devicePermissions).toEqual(['media']);
  });

  it('declares the personal tab, the channel tab, the bot commands, SSO and the meeting RSC permissions', () => {
    expect(manifest.staticTabs[0]).toMatchObject({
      entityId: 'home',
      contentUrl: 'https://calls.contoso.com/tab',
      scopes: ['personal'],
    });
    expect(manifest.configurableTabs).toEqual([
      expect.objectContaining({
        configurationUrl: 'https://calls.contoso.com/config',
        scopes: ['team'],
      }),
    ]);
    const bot = manifest.bots[0];
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.commandLists[0]?.commands.map((c) => c.title)).toEqual(['new', 'list', 'help']);
    expect(manifest.webApplicationInfo).toEqual({
      id: VARS['AAD_APP_CLIENT_ID'],
      resource: `api://calls.contoso.com/${VARS['AAD_APP_CLIENT_ID']}`,
    });
    expect(
      manifest.authorization.permissions.resourceSpecific.map((p) => `${p.name}:${p.type}`).sort(),
    ).toEqual([
      'OnlineMeeting.ReadBasic.Chat:Application',
      'OnlineMeetingParticipant.Read.Chat:Application',
    ]);
    // The meeting-chat install consents exactly these (Graph wants the sets to match); calls are
    // never channel meetings, so ChannelMeeting.ReadBasic.Group is not asked for.
    expect(MEETING_CHAT_RSC.map((p) => `${p.permissionValue}:${p.permissionType}`).sort()).toEqual(
      manifest.authorization.permissions.resourceSpecific.map((p) => `${p.name}:${p.type}`).sort(),
    );
    expect(manifest.validDomains).toContain('calls.contoso.com');
  });

  it('builds a zip with manifest.json, both icons and de.json at its root', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'app-package-'));
    try {
      const run = spawnSync(
        process.execPath,
        ['scripts/package-app.mjs', '--env', 'dev', '--out', out],
        {
          cwd: root,
          env: { PATH: process.env['PATH'] ?? '', ...VARS },
          encoding: 'utf8',
        },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const entries = unzip(readFileSync(path.join(out, 'appPackage.dev.zip')));
      expect([...entries.keys()].sort()).toEqual([
        'color.png',
        'de.json',
        'manifest.json',
        'outline.png',
      ]);
      expect(JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? '{}')).toEqual(manifest);
      expect(pngSize(entries.get('color.png') ?? Buffer.alloc(32))).toMatchObject({
        width: 192,
        height: 192,
      });
      expect(pngSize(entries.get('outline.png') ?? Buffer.alloc(32))).toEqual({
        width: 32,
        height: 32,
        colorType: 6,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses to build when provision has not filled the placeholders yet', () => {
    const run = spawnSync(
      process.execPath,
      ['scripts/package-app.mjs', '--env', 'dev', '--out', tmpdir()],
      {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no value for TEAMS_APP_ID/);
  });

  it('refuses a manifest that breaks the schema', () => {
    const run = spawnSync(
      process.execPath,
      ['scripts/package-app.mjs', '--env', 'dev', '--out', tmpdir()],
      {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', ...VARS, TEAMS_APP_ID: 'not-a-guid' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/manifest\.json \/id must match pattern/);
  });
});
