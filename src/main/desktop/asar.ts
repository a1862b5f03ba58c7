/**
 * In a packaged app the built files are in app.asar, which only Electron can
 * read; the workers (and what they import) are unpacked beside it
 * (electron-builder.yml, asarUnpack), because subject processes run on the
 * user's own node. Outside a package the path is returned as it is.
 */
export function unpackedFromAsar(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}
