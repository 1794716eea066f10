import { accessSync, constants, mkdirSync } from 'node:fs';

/** Creates `dir` if needed and checks it can be written; else throws one line saying what to do. */
export function ensureWritableDir(dir, what = 'the data directory') {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new Error(
      `Cannot write ${what} ${dir} (${err.code ?? err.message}): make it writable for this user, or set TRACELAB_DATA_DIR to a folder you can write.`,
    );
  }
}
