/** One errno -> Problem mapping: each system error gets the code that says what happened. */
import { describe, expect, it } from 'vitest';
import { FileRefusal, fileProblem, stdoutProblem, writeProblem } from '../../src/util/file-problem.js';

const sysError = (code: string, message = `${code}: something`) =>
  Object.assign(new Error(message), { code });

describe('fileProblem', () => {
  it.each([
    ['ENOENT', 'file-missing', 'file not found'],
    ['EISDIR', 'file-is-directory', 'is a directory, not a file'],
    ['EACCES', 'file-unreadable', 'permission denied'],
    ['EPERM', 'file-unreadable', 'permission denied'],
    ['ENOTDIR', 'file-missing', 'file not found'],
    ['EIO', 'file-unreadable', 'cannot read file: EIO (EIO: something)'],
  ])('%s is %s', (errno, code, message) => {
    expect(fileProblem(sysError(errno), 'a.csv')).toEqual({
      code,
      severity: 'error',
      message,
      location: { file: 'a.csv' },
    });
  });

  it('takes the wording of the file it is about, keeping the codes', () => {
    const wording = {
      missing: 'no such folder',
      directory: 'is a folder, not a report',
      notFolder: 'is not a folder',
    };
    expect(fileProblem(sysError('ENOENT'), 'r', wording)).toMatchObject({
      code: 'file-missing',
      message: 'no such folder',
    });
    expect(fileProblem(sysError('EISDIR'), 'r', wording)).toMatchObject({
      code: 'file-is-directory',
      message: 'is a folder, not a report',
    });
    expect(fileProblem(sysError('ENOTDIR'), 'r', wording)).toMatchObject({
      code: 'file-unreadable',
      message: 'is not a folder',
    });
  });
});

describe('writeProblem', () => {
  it('is an output problem naming the reason', () => {
    expect(writeProblem(sysError('EACCES'), 'q3.json')).toMatchObject({
      code: 'output',
      message: 'cannot write: permission denied',
      location: { file: 'q3.json' },
    });
    expect(writeProblem(sysError('ENOSPC'), 'q3.json', '--evidence: ').message).toBe(
      '--evidence: cannot write: the disk is full',
    );
  });
});

describe('refusals and stdout', () => {
  it('maps what a reader refused to its code, naming the file', () => {
    expect(fileProblem(new FileRefusal({ kind: 'not-a-file', special: 'fifo' }), 'a.csv')).toEqual({
      code: 'not-a-file',
      severity: 'error',
      message: 'is a named pipe (FIFO), not a regular file; only regular files are read',
      location: { file: 'a.csv' },
    });
    expect(
      fileProblem(new FileRefusal({ kind: 'too-large', limit: 5 * 1024 * 1024 }), 'm.yaml'),
    ).toMatchObject({
      code: 'file-too-large',
      message: 'file is larger than 5 MB',
    });
    expect(
      fileProblem(new FileRefusal({ kind: 'too-large', limit: 1 }), 'm.yaml', {
        tooLarge: 'catalogue is larger',
      }),
    ).toMatchObject({ message: 'catalogue is larger' });
  });

  it('names a file name that is too long, and a stdout error by the system message', () => {
    expect(writeProblem(sysError('ENAMETOOLONG'), 'x.json').message).toBe(
      'cannot write: the file name is too long',
    );
    expect(stdoutProblem(sysError('ENOSPC', 'ENOSPC: no space left on device, write'))).toEqual({
      code: 'output',
      severity: 'error',
      message: 'no space left on device',
      location: { file: 'stdout' },
    });
    expect(stdoutProblem(sysError('EIO', "EIO: i/o error, write '/x'")).message).toBe('i/o error');
  });
});
