// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the
// packaged binary, before it is signed. Each fuse turns off a way to make the shipped app
// run something else than Tunebench:
//   RunAsNode off              ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node.js
//                              (subject processes run on the user's own node instead)
//   NodeOptions off            NODE_OPTIONS (e.g. --require) is ignored
//   NodeCliInspect off         --inspect / --inspect-brk are ignored
//   CookieEncryption on        cookies on disk are encrypted with the OS key
//   EmbeddedAsarIntegrity on   app.asar is checked against the hash embedded at package time
//   OnlyLoadAppFromAsar on     only app.asar is loaded, never a loose app folder beside it
//   FileProtocolExtraPrivileges off  file:// pages get no extra rights (the app uses tunebench://)
// CommonJS: electron-builder require()s the hook.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuses of a packaged Tunebench, by @electron/fuses option. */
const tunebenchFuses = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron executable electron-builder just packed (the .app bundle on macOS). */
function packedElectron(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${name}.app`);
    case 'win32':
      return path.join(appOutDir, `${name}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

/** electron-builder's Arch.arm64. */
const ARCH_ARM64 = 3;

async function afterPack(context) {
  const binary = packedElectron(context);
  await flipFuses(binary, {
    version: FuseVersion.V1,
    // Flipping fuses breaks the ad-hoc signature of an arm64 macOS build; re-sign it ad hoc (real signing comes after).
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64,
    ...tunebenchFuses,
  });
  console.log(`  • electron fuses  flipped in ${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.tunebenchFuses = tunebenchFuses;
module.exports.packedElectron = packedElectron;
