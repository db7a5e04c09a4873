/** A file's failure as failures.csv and the resume index give it: a code, a message, and whether the same bytes will always meet it. */
import { ConvertError } from '../intake/errors.js';
import { RemoteError } from './remote.js';

export interface FileFailure {
  code: string;
  message: string;
  /** The document's fault (a 4xx): converting the same bytes again fails again. */
  permanent: boolean;
}

export function failureOf(err: unknown): FileFailure {
  if (err instanceof RemoteError) return { code: err.code, message: err.message, permanent: err.permanent };
  if (err instanceof ConvertError) return { code: err.code, message: err.message, permanent: err.status >= 400 && err.status < 500 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.syscall) {
    const reading = e.syscall === 'read' || (e.syscall === 'open' && e.code !== 'ENOSPC' && e.code !== 'EROFS');
    return {
      code: reading ? 'FILE_UNREADABLE' : 'IO_ERROR',
      message: `${reading ? 'Cannot read the file' : 'Cannot write the output'}: ${e.code} (${e.syscall}${e.path ? ` ${e.path}` : ''})`,
      permanent: false,
    };
  }
  return { code: 'INTERNAL', message: `The conversion failed unexpectedly: ${e?.message ?? String(err)}`, permanent: false };
}
