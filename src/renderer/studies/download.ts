import type { ExportedFile } from '../../shared/studies.js';

/** Saves an exported report through the browser's download, the same in Electron and the web host. */
export function downloadFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the delay covers slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
