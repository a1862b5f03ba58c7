import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /**
   * Create the file only if nothing is there: the temp file is hard-linked into
   * place, which fails with EEXIST instead of replacing what exists (imports
   * never overwrite).
   */
  exclusive?: boolean;
}

/**
 * Writes a file so a crash never leaves half of it: temp file, fsync, rename,
 * then fsync of the folder so the rename itself is durable. Resolves with the
 * written file's stats (the rename keeps its inode, size and mtime), so a
 * cache can key on the version it wrote without another stat.
 */
export async function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<Stats> {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  let written: Stats;
  try {
    await fs.mkdir(dir, { recursive: true });
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
      written = await handle.stat();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await fs.link(temp, file);
      await fs.rm(temp, { force: true });
    } else {
      await fs.rename(temp, file);
    }
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can sync a folder (Windows); the data itself is already synced.
  }
  return written;
}
