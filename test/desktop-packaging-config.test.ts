import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackedFromAsar } from '../src/main/desktop/asar.js';
import { repoRoot } from './fixtures/built.js';

const require = createRequire(import.meta.url);
// electron-builder's own YAML parser and configuration check.
const builderRequire = createRequire(require.resolve('app-builder-lib'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const fuses = require('@electron/fuses') as typeof import('@electron/fuses');
const hook = require('../scripts/electron-fuses.cjs') as {
  default(context: unknown): Promise<void>;
  tunebenchFuses: Record<number, boolean>;
};

interface BuilderConfig {
  afterPack: string;
  asar: boolean;
  asarUnpack: string[];
  electronDist: string;
  files: string[];
  linux: { target: string[]; executableName: string };
  mac: { target: string[] };
  win: { target: string[] };
  [key: string]: unknown;
}

const config = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tunebench-packaging-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('packaging the desktop app (electron-builder.yml, npm run dist)', () => {
  it('is a valid electron-builder configuration with the Linux, macOS and Windows targets', async () => {
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**/*');
    // The locally installed Electron, never a download while packaging.
    expect(config.electronDist).toBe('node_modules/electron/dist');
    expect(pkg.scripts.dist).toBe('npm run build --silent && electron-builder');
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['electron-builder', '@electron/fuses']));
    // Neither Electron's download nor the Squirrel installer's script runs at npm install.
    expect(pkg.allowScripts).toMatchObject({ electron: false, 'electron-winstaller': false });
  });

  it('flips the fuses at package time: RunAsNode, NODE_OPTIONS and --inspect off; cookie encryption, ASAR integrity and ASAR-only on', () => {
    expect(path.resolve(repoRoot, config.afterPack)).toBe(path.join(repoRoot, 'scripts', 'electron-fuses.cjs'));
    const { FuseV1Options: F } = fuses;
    expect(hook.tunebenchFuses).toEqual({
      [F.RunAsNode]: false,
      [F.EnableNodeOptionsEnvironmentVariable]: false,
      [F.EnableNodeCliInspectArguments]: false,
      [F.EnableCookieEncryption]: true,
      [F.EnableEmbeddedAsarIntegrityValidation]: true,
      [F.OnlyLoadAppFromAsar]: true,
      [F.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('the afterPack hook writes them into the packed binary', async () => {
    // A stand-in binary: Electron's fuse sentinel, wire version 1, 8 fuses in Electron's defaults.
    const defaults = '10110001';
    const appOutDir = mkdtempSync(path.join(scratch, 'linux-unpacked-'));
    const binary = path.join(appOutDir, config.linux.executableName);
    writeFileSync(binary, Buffer.concat([Buffer.from('ELF...'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from(defaults), Buffer.from('...')]));
    await hook.default({
      appOutDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: config.linux.executableName, appInfo: { productFilename: 'Tunebench' } },
    });
    const wire = await fuses.getCurrentFuseWire(binary);
    const state = (option: number) => String.fromCharCode(wire[option as keyof typeof wire] as number);
    const { FuseV1Options: F } = fuses;
    expect(state(F.RunAsNode)).toBe('0');
    expect(state(F.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(F.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(F.EnableCookieEncryption)).toBe('1');
    expect(state(F.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(F.OnlyLoadAppFromAsar)).toBe('1');
    expect(state(F.GrantFileProtocolExtraPrivileges)).toBe('0');
    expect(state(F.LoadBrowserProcessSpecificV8Snapshot)).toBe('0');
  });

  it("unpacks what the user's node must read: every worker, the chunks and the packages they import", () => {
    expect(unpackedFromAsar('/opt/Tunebench/resources/app.asar/out/main/workers')).toBe('/opt/Tunebench/resources/app.asar.unpacked/out/main/workers');
    expect(unpackedFromAsar('/work/main/out/main/workers')).toBe('/work/main/out/main/workers');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['out/main/workers/**', 'out/main/chunks/**']));
    const workersDir = path.join(repoRoot, 'out', 'main', 'workers');
    if (!existsSync(workersDir)) {
      console.log(`skipped the check of the workers' packages: ${workersDir} does not exist (run npm run build)`);
      return;
    }
    // The packages the built workers import, directly or through the chunks they import, and what those depend on.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        if (specifier!.startsWith('.')) visit(path.resolve(path.dirname(file), specifier!));
        else if (!specifier!.startsWith('node:') && specifier !== 'electron') addPackage(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
      }
    };
    const addPackage = (name: string) => {
      const manifest = path.join(repoRoot, 'node_modules', name, 'package.json');
      if (packages.has(name) || !existsSync(manifest)) return;
      packages.add(name);
      const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string>>;
      for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies })) addPackage(dependency);
    };
    for (const entry of readdirSync(workersDir).filter((name) => name.endsWith('.js'))) visit(path.join(workersDir, entry));
    expect(packages.size).toBeGreaterThan(0);
    const unpacked = (name: string) =>
      config.asarUnpack.includes(`node_modules/${name}/**`) || config.asarUnpack.includes(`node_modules/${name.split('/')[0]}/**`);
    expect([...packages].filter((name) => !unpacked(name))).toEqual([]);
  });

  it('npm run dist -- --dir builds an unpacked app where the Electron binary exists', () => {
    const electronDist = path.join(repoRoot, config.electronDist);
    if (!existsSync(electronDist)) {
      console.log(`skipped npm run dist -- --dir: the Electron binary is not installed (${electronDist} does not exist)`);
      return;
    }
    const result = spawnSync('npm', ['run', 'dist', '--', '--dir', '--publish', 'never'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout + result.stderr).toContain('electron fuses  flipped');
  }, 620_000);
});
